// The on-disk layout: every folder and file name orderflow keeps under its data directory is
// made and parsed here, and nowhere else (as leveldb's db/filename.h does for its files). The
// formats are the contract of CONTRACT.md "Files", docs/checkpoint_format.md and
// docs/output_format.md; existing data directories depend on every byte of them.
//
//   <data-dir>/                           kDefaultDataDir unless --data-dir says otherwise
//     orders_json/part-<P>-<F>-<L>.json   valid events, one file per (partition, offset range);
//                                         .json.gz / .json.zst with --compression gzip / zstd
//     orders_json/purchase_date=<D>/part-<P>-<F>-<L>.json      with --partition-by purchase_date
//     orders_json/[purchase_date=<D>/].part-<P>-<F>.json[.gz|.zst].tmp  partition P's file from
//                                         offset F while it is being written (rolled files)
//     invalid_events/part-<P>-<F>-<L>.json                     (and the same variants)
//     _owner                              the topic and consumer group this data dir belongs to
//     _checkpoints/<topic>/partition-<N>  the processor's progress for partition N (snapshot)
//     _checkpoints/<topic>/partition-<N>.lock  held by the process writing partition N
//     _checkpoints/<topic>/log-<member>   one processor instance's commit log
//     broker.bootstrap                    a running `orderflow broker`'s bootstrap list
//     broker.control                      and its control endpoint (host:port)
//   any of these folders: .<name>.tmp     <name> while it is being published
//
// Pure functions of their arguments: safe for concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/compression.h"

namespace orderflow::data_layout {

// The data directory of every command when --data-dir is not given.
inline constexpr char kDefaultDataDir[] = "data";

// ---- Folders. Each returns `data_dir` joined with the folder's name ("<data-dir>/...").

// The processor's valid events: "<data-dir>/orders_json".
std::string ValidDir(const std::string& data_dir);
// The processor's invalid events: "<data-dir>/invalid_events".
std::string InvalidDir(const std::string& data_dir);
// The folder of every topic's checkpoints: "<data-dir>/_checkpoints". Its name starts with '_'
// so that readers of the data directory skip it (IsIgnoredByReaders).
std::string CheckpointRootDir(const std::string& data_dir);
// The checkpoints of one topic: "<data-dir>/_checkpoints/<topic>".
std::string CheckpointDir(const std::string& data_dir, std::string_view topic);

// ---- Checkpoint files, inside CheckpointDir (docs/checkpoint_format.md).

// "partition-<N>", N in decimal without padding. REQUIRES: partition >= 0.
std::string CheckpointFileName(int32_t partition);
// The partition of a name CheckpointFileName made; nullopt for any other name (temporaries,
// padded or signed numbers, trailing text, numbers beyond int32).
std::optional<int32_t> ParseCheckpointFileName(std::string_view name);

// "partition-<N>.lock": the file a processor holds a lock on (flock) while it writes partition N;
// it names the holder. Not a checkpoint: ParseCheckpointFileName rejects it. REQUIRES: N >= 0.
std::string PartitionLockFileName(int32_t partition);

// "log-<member, 16 lowercase hex digits>": the commit log of one processor instance (`member` is
// the random id it draws when it starts).
std::string CheckpointLogFileName(uint64_t member);
// The member of a name CheckpointLogFileName made; nullopt for any other name.
std::optional<uint64_t> ParseCheckpointLogFileName(std::string_view name);

// ---- The owner of a data directory (docs/checkpoint_format.md, "Who writes a data dir").

// "<data-dir>/_owner": names the topic and consumer group whose processors write this data dir.
std::string OwnerFilePath(const std::string& data_dir);

// ---- Part files, inside ValidDir and InvalidDir (docs/output_format.md).

// The batch a part file holds: the lines of `partition`, offsets first_offset..last_offset (with
// --partition-by, those whose partition folder it is in), compressed as `compression` says.
struct PartFile {
  int32_t partition = 0;
  int64_t first_offset = 0;
  int64_t last_offset = 0;
  Compression compression = Compression::kNone;

  bool operator==(const PartFile&) const = default;
  // The same batch range, whatever the compression.
  bool SameRange(const PartFile& other) const {
    return partition == other.partition && first_offset == other.first_offset &&
           last_offset == other.last_offset;
  }
};

// "part-<partition, 5 digits>-<first, 19 digits>-<last, 19 digits>.json" (zero-padded; a
// partition above 99999 takes more digits), then ".gz" for gzip and ".zst" for zstd. A
// replayed batch gets the same name again.
// REQUIRES: partition >= 0, 0 <= first_offset <= last_offset.
std::string PartFileName(int32_t partition, int64_t first_offset, int64_t last_offset,
                         Compression compression = Compression::kNone);
std::string PartFileName(const PartFile& part);
// The batch of a name PartFileName made; nullopt for any other name (temporaries, other
// padding, first > last, other suffixes), so that PartFileName(*parsed) == name.
std::optional<PartFile> ParsePartFileName(std::string_view name);
// The compression of an output file by its name's end (a path will do): ".json.gz" gzip,
// ".json.zst" zstd, anything else none.
Compression CompressionOfFileName(std::string_view name);

// ---- Partition folders (Hive style, as Spark's partitionBy writes them), directly inside
// ValidDir and InvalidDir when the processor runs with --partition-by.

// The one column the processor partitions by: the event's purchase_date.
inline constexpr char kPurchaseDateColumn[] = "purchase_date";
// The value in the folder of events without a readable value (Hive's and Spark's name for a
// null partition value; Spark reads it back as null).
inline constexpr char kDefaultPartitionValue[] = "__HIVE_DEFAULT_PARTITION__";

// True for "YYYY-MM-DD" naming a day of the (proleptic Gregorian) calendar, years 0001-9999.
bool IsCalendarDate(std::string_view text);
// The folder of an event whose purchase_date is `date`: "purchase_date=<date>" when it is a
// calendar date (IsCalendarDate), else "purchase_date=__HIVE_DEFAULT_PARTITION__" (absent, not
// a string, not a date): only these two kinds of folder name are ever made.
std::string PurchaseDateDirName(std::optional<std::string_view> date);

struct PartitionDir {
  std::string_view column, value;
};
// "<column>=<value>" with both parts non-empty (views into `name`); nullopt otherwise and for
// names readers ignore (IsIgnoredByReaders).
std::optional<PartitionDir> ParsePartitionDirName(std::string_view name);

// ".part-<partition, 5 digits>-<first offset, 19 digits>.json.tmp" (".json.gz.tmp",
// ".json.zst.tmp" compressed): the part file of `partition` that starts at `first_offset` while
// it is being written (a hidden name: readers skip it). It is published by renaming it to
// PartFileName(partition, first_offset, last, compression), in the same folder.
// REQUIRES: partition >= 0, first_offset >= 0.
std::string OpenPartFileName(int32_t partition, int64_t first_offset,
                             Compression compression = Compression::kNone);
// The partition, first offset and compression of a name OpenPartFileName made; nullopt for any
// other name.
struct OpenPart {
  int32_t partition = 0;
  int64_t first_offset = 0;
  Compression compression = Compression::kNone;

  bool operator==(const OpenPart&) const = default;
};
std::optional<OpenPart> ParseOpenPartFileName(std::string_view name);
// The partition of any temporary of a part file: OpenPartFileName's names and those of earlier
// versions (TempFileName(PartFileName(...))); nullopt for every other name.
std::optional<int32_t> PartitionOfPartTemp(std::string_view name);

// ---- Temporaries and what readers skip (any folder of the layout).

// The hidden name under which `final_name` is written and fsynced before it is renamed into
// place: ".<final_name>.tmp" (".partition-5.tmp", ".part-...json.tmp").
std::string TempFileName(std::string_view final_name);
// True for every name TempFileName makes and for any other hidden name (leading '.'): readers
// treat all of them as temporaries and ignore them (docs/output_format.md).
bool IsTempFileName(std::string_view name);
// True for names every reader of the data directory skips, files and folders alike: the empty
// name, temporaries (IsTempFileName) and '_' names (the checkpoints, Spark's _SUCCESS).
bool IsIgnoredByReaders(std::string_view name);
// True for a file of events that readers take: a "*.json", "*.json.gz" or "*.json.zst" name
// that is not ignored. Every PartFileName is one; files that other tools put beside them may
// be too.
bool IsOutputFileName(std::string_view name);

// ---- The broker's files, directly inside the data directory: each holds one line, written by
// `orderflow broker` while it runs and removed when it stops.

// "broker.bootstrap": the bootstrap list (host:port,...) of the embedded cluster.
std::string BrokerBootstrapFileName();
// "broker.control": host:port of the embedded cluster's control endpoint.
std::string BrokerControlFileName();
// `data_dir` joined with the names above.
std::string BrokerBootstrapFilePath(const std::string& data_dir);
std::string BrokerControlFilePath(const std::string& data_dir);
// True for the names of the broker's files (BrokerBootstrapFileName, BrokerControlFileName).
bool IsBrokerFileName(std::string_view name);

}  // namespace orderflow::data_layout

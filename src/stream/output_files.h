// The files one batch adds to one output folder (orders_json/ or invalid_events/): for each
// partition's offset range one part file, or with --partition-by purchase_date one per date
// folder its lines fall in (data_layout::PurchaseDateDirName), each encoded for --compression
// (common/output_encoder.h), ready for PublishFiles. Within a file, lines keep their offset order.
// The names still encode (partition, first offset, last offset), so a replayed batch writes the
// same files again (docs/output_format.md).
// One thread only (the batch writer's); keeps its buffers from batch to batch.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/compression.h"
#include "common/data_layout.h"
#include "common/file_system.h"
#include "common/output_encoder.h"
#include "common/status.h"

namespace orderflow::stream {

// How the processor lays its output out (process --compression, --partition-by).
struct OutputLayout {
  Compression compression = Compression::kNone;
  bool partition_by_purchase_date = false;
};

class OutputFiles {
 public:
  explicit OutputFiles(OutputLayout layout);
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  // Forgets the files of the previous batch.
  void Clear();
  // Adds the file(s) of `range` (its compression is ignored: the layout's is used), whose content
  // is the concatenation of `pieces`: whole lines, each ending in '\n'. The pieces' bytes must
  // stay valid and unchanged until the files are published or Clear is called. IoError when
  // compression fails.
  Status Add(const data_layout::PartFile& range, std::span<const std::string_view> pieces);
  // The files added since Clear, for PublishFiles (subdir: the partition folder, if any).
  const std::vector<PendingFile>& files() const { return files_; }

 private:
  // The lines of one file, as views (contiguous ones merged), and its encoded bytes.
  struct Content {
    std::vector<std::string_view> views;
    std::string encoded;
  };
  Content& NewContent();
  Status AddFile(const data_layout::PartFile& range, std::string subdir, Content& content,
                 std::span<const std::string_view> pieces);
  // The folder index of a line of the current range (a new one for a date not seen yet).
  size_t FolderOf(std::string_view line);

  const OutputLayout layout_;
  OutputEncoder encoder_;
  std::vector<PendingFile> files_;
  std::vector<std::unique_ptr<Content>> contents_;  // [0, used_contents_) are in use
  size_t used_contents_ = 0;
  // The current range's folders: the date each holds ("" for the default folder), its lines.
  struct Folder {
    std::string date;
    Content* content = nullptr;
  };
  std::vector<Folder> folders_;
  size_t last_folder_ = 0;
};

// The value of the first "purchase_date" key of a JSON Lines line of the output, when it is a
// string (its raw text between the quotes, escapes not decoded); nullopt when the key is absent
// or its value is not a string. A minimal scan, not a parser: REQUIRES one JSON object whose
// values are scalars (every line the router writes).
std::optional<std::string_view> FindPurchaseDate(std::string_view line);

// Removes the part files of `range`'s offset range (any compression, in `dir` and in its
// partition folders) that a replay under `layout` would not write again under the same name:
// those of another compression, and those at the top when partitioning or in folders when not.
// A replay calls it first: the interrupted attempt may have run with other --compression or
// --partition-by values, and its files would stay beside the replay's. Files of the replay's own
// layout are left for the replay to replace (same messages, same names), so an unchanged layout
// costs nothing but the listing. Syncs each folder it removed from. OK when `dir` does not exist;
// IoError when a listing, removal or sync fails.
Status RemovePartFiles(FileSystem& fs, const std::string& dir, const data_layout::PartFile& range,
                       const OutputLayout& layout);

}  // namespace orderflow::stream

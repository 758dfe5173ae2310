// Who a data directory belongs to (docs/checkpoint_format.md, "Who writes a data dir"): the topic
// and consumer group whose processors write it, named in <data-dir>/_owner by the first processor
// that uses it. Processors of one group share a data dir and its partitions (each partition's
// lock says who writes it); a processor of another group or topic would mix its files and
// checkpoints with theirs, and is refused before it touches anything.
// Safe for concurrent use, by threads and processes (the file is read and written under its
// flock).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace orderflow::stream {

struct DataDirOwner {
  std::string topic;
  std::string group;

  bool operator==(const DataDirOwner&) const = default;
};

// The content of the owner file, and back (Corruption when it is damaged).
std::string EncodeOwner(const DataDirOwner& owner);
Result<DataDirOwner> DecodeOwner(std::string_view text);

// Makes `owner` the data dir's owner when it has none (written and synced), or checks that it is.
// InvalidArgument naming the owner and the ways out when another topic or group owns it;
// Corruption when the owner file is damaged; IoError when it cannot be read or written.
// REQUIRES: the data dir exists.
Status ClaimDataDir(const std::string& data_dir, const DataDirOwner& owner);

}  // namespace orderflow::stream

#include "analytics/order_files.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "common/data_layout.h"
#include "event/event_encoder.h"
#include "event/event_router.h"

namespace orderflow::analytics {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Writes `count` lines made by `make_line` (each ending in '\n') into up to `files` files under
// `dir`, named as the processor names its files: the "partition" is the file's index and the
// offsets are the indexes of its first and last line. Like the processor, it writes no file
// without lines.
Status WriteLines(const std::string& dir, uint64_t count, int files,
                  const std::function<void(uint64_t, std::string&)>& make_line, uint64_t& bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError(fmt::format("cannot create {}: {}", dir, ec.message()));
  std::string line;
  uint64_t written = 0;
  for (int f = 0; f < files; ++f) {
    const uint64_t until = count * (f + 1) / files;
    if (until == written) continue;
    const std::string path =
        fmt::format("{}/{}", dir,
                    data_layout::PartFileName(f, static_cast<int64_t>(written),
                                              static_cast<int64_t>(until - 1)));
    File file(std::fopen(path.c_str(), "wb"));
    if (!file) return Status::IoError(fmt::format("cannot create {}", path));
    for (; written < until; ++written) {
      make_line(written, line);
      if (std::fwrite(line.data(), 1, line.size(), file.get()) != line.size()) {
        return Status::IoError(fmt::format("cannot write {}", path));
      }
      bytes += line.size();
    }
    if (std::fflush(file.get()) != 0) return Status::IoError(fmt::format("cannot write {}", path));
  }
  return Status::Ok();
}

}  // namespace

Result<OrderFilesWritten> WriteOrderFiles(
    const std::string& orders_dir, const std::string& invalid_dir, const OrderFilesSpec& spec,
    const std::function<void(const event::OrderEvent&)>& on_event) {
  OrderFilesWritten out;
  event::EventGenerator generator(spec.seed, spec.profile, spec.reference_ms,
                                  spec.utc_offset_seconds);
  event::OrderEvent e;
  Status s = WriteLines(
      orders_dir, spec.events, spec.files,
      [&](uint64_t, std::string& line) {
        generator.Next(spec.reference_ms, e);
        if (on_event) on_event(e);
        event::EncodeEvent(e, line);
        line.push_back('\n');
      },
      out.bytes);
  if (!s.ok()) return s;
  if (spec.invalid_events == 0) return out;

  // The processor's own router writes each line, as it would have for that Kafka message.
  event::EventRouter router;
  const auto modes = event::AllInvalidModes();
  std::string raw, valid;
  s = WriteLines(
      invalid_dir, spec.invalid_events, spec.files,
      [&](uint64_t i, std::string& line) {
        generator.Next(spec.reference_ms, e);
        event::EncodeEvent(e, raw, modes[i % modes.size()], i / modes.size());
        line.clear();
        valid.clear();
        router.Route(raw, static_cast<int32_t>(i % 6), static_cast<int64_t>(i / 6), valid, line);
      },
      out.bytes);
  if (!s.ok()) return s;
  return out;
}

}  // namespace orderflow::analytics

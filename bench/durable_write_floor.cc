// What this disk gives the processor's durable writes, without the processor: TOTAL_MB of lines
// appended to FILES files in rounds of ROUND_MB (each file gets ROUND_MB / FILES a round), every
// round made durable by an fdatasync of every file, issued together on the writer's threads. The
// files are orderflow's own (FileSystem::Default(): each append is followed by a writeback hint)
// and the syncs run on the writer's TaskPool, so this is the processor's write path with the
// consuming, validating and batching taken out. With FILES=1 and ROUND_MB=TOTAL_MB it is `dd
// conv=fdatasync`. pipeline_bench.sh runs it with the processor's 24 files next to the catch-up:
// many small per-file writes make smaller disk requests and more cache flushes than one file.
// Usage: durable_write_floor DIR TOTAL_MB FILES ROUND_MB
//   prints: files=F round_mb=R total_mb=T seconds=S mb_per_s=M
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/task_pool.h"
#include "stream/batch_writer.h"

namespace {

using namespace orderflow;

int Fail(const Status& s) {
  std::fprintf(stderr, "durable_write_floor: %s\n", s.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: durable_write_floor DIR TOTAL_MB FILES ROUND_MB\n");
    return 2;
  }
  const std::string dir = argv[1];
  const double total_mb = std::atof(argv[2]), round_mb = std::atof(argv[4]);
  const int files = std::atoi(argv[3]);
  if (total_mb <= 0 || round_mb <= 0 || files <= 0) {
    std::fprintf(stderr, "durable_write_floor: TOTAL_MB, FILES and ROUND_MB must be positive\n");
    return 2;
  }
  FileSystem& fs = FileSystem::Default();
  if (Status s = fs.CreateDirs(dir); !s.ok()) return Fail(s);

  // Lines of a contract event's length (~440 bytes), so the page cache sees what it sees.
  std::string text;
  while (text.size() < (1u << 20)) {
    text += fmt::format(R"({{"order_id":"{:08}","note":"{:420}"}})", text.size(), "x");
    text += '\n';
  }
  const auto per_file_round = static_cast<size_t>(round_mb * 1e6 / files);
  const auto total_bytes = static_cast<uint64_t>(total_mb * 1e6);

  std::vector<std::unique_ptr<WritableFile>> out;
  for (int i = 0; i < files; ++i) {
    auto file = fs.NewWritableFile(fmt::format("{}/part-{:05}.jsonl", dir, i));
    if (!file.ok()) return Fail(file.status());
    out.push_back(std::move(file).value());
  }
  std::vector<std::function<Status()>> syncs;
  for (auto& file : out) syncs.emplace_back([f = file.get()] { return f->Sync(); });
  TaskPool pool(stream::BatchWriter::kPoolThreads);

  const auto start = std::chrono::steady_clock::now();
  uint64_t written = 0;
  size_t at = 0;  // where in `text` the next append starts
  while (written < total_bytes) {
    for (auto& file : out) {
      for (size_t left = per_file_round; left > 0;) {
        const size_t n = std::min(left, text.size() - at);
        if (Status s = file->Append(std::string_view(text).substr(at, n)); !s.ok()) return Fail(s);
        at = (at + n) % text.size();
        left -= n;
      }
    }
    written += per_file_round * out.size();
    if (Status s = pool.Run(syncs); !s.ok()) return Fail(s);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto& file : out) {
    if (Status s = file->Close(); !s.ok()) return Fail(s);
  }
  std::printf("files=%d round_mb=%g total_mb=%.0f seconds=%.3f mb_per_s=%.0f\n", files, round_mb,
              static_cast<double>(written) / 1e6, seconds,
              static_cast<double>(written) / 1e6 / seconds);
  return 0;
}

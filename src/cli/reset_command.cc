// orderflow reset: clears data/ and output/ like the original reset script, and never anything
// else: only those two directories' contents, never a path outside them.
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "cli/commands.h"
#include "kafka/bootstrap.h"

namespace orderflow::cli {
namespace {

struct ResetFlags {
  std::string data_dir = "data";
  std::string output_dir = "output";
  bool keep_broker = true;
};

int RunReset(const ResetFlags& flags) {
  namespace fs = std::filesystem;
  int removed = 0;
  for (const std::string& dir : {flags.data_dir, flags.output_dir}) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) continue;
    if (fs::is_symlink(dir) || !fs::is_directory(dir)) {
      std::fprintf(stderr, "orderflow reset: %s is not a directory; left alone\n", dir.c_str());
      return 2;
    }
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      // A running broker's address files stay, so the clients can still find it.
      if (flags.keep_broker && dir == flags.data_dir &&
          (name == "broker.bootstrap" || name == "broker.control")) {
        continue;
      }
      removed += static_cast<int>(fs::remove_all(entry.path(), ec));
      if (ec) {
        std::fprintf(stderr, "orderflow reset: cannot remove %s: %s\n", entry.path().c_str(),
                     ec.message().c_str());
        return 1;
      }
    }
  }
  std::printf("[reset] cleared %s/ and %s/ (%d entries removed)\n", flags.data_dir.c_str(),
              flags.output_dir.c_str(), removed);
  return 0;
}

}  // namespace

void AddResetCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ResetFlags>();
  CLI::App* cmd = app.add_subcommand("reset", "Clear data/ and output/ (and nothing else)");
  cmd->add_option("--data-dir", flags->data_dir, "Data directory")->capture_default_str();
  cmd->add_option("--output-dir", flags->output_dir, "Output directory")->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = RunReset(*flags); });
}

}  // namespace orderflow::cli

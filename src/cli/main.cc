// orderflow: one binary, one job per command (docs in README.md and shared/CONTRACT.md).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/child_process.h"
#include "cli/commands.h"
#include "common/malloc_tuning.h"
#include "common/stop_flag.h"

int main(int argc, char** argv) {
  orderflow::TuneMallocForMessageChurn();
  CLI::App app{"orderflow: a real-time pipeline for purchase events on Kafka"};
  int exit_code = 0;
  orderflow::cli::AddAllCommands(app, exit_code);

  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(spdlog::stderr_color_mt("orderflow"));
  orderflow::InstallStopHandlers();
  orderflow::cli::ChildProcess::StopWithParent();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Bad usage: one line naming the flag, exit code 2 (the contract), not CLI11's 1xx codes.
    std::fprintf(stderr, "orderflow: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "orderflow: %s\n", e.what());
    return 1;
  }
  return exit_code;
}

// One function per command: each adds its subcommand, flags and callback to the app. The
// callback turns flags into the stage's Options, runs it, and stores the process exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace orderflow::cli {

// Every command below, then --config (config_file.h) on each: the whole command line of the
// orderflow binary. `exit_code` is set by the command that runs; it must outlive the parse.
void AddAllCommands(CLI::App& app, int& exit_code);

void AddBrokerCommand(CLI::App& app, int& exit_code);
void AddTopicCommand(CLI::App& app, int& exit_code);
void AddProduceCommand(CLI::App& app, int& exit_code);
void AddProcessCommand(CLI::App& app, int& exit_code);
void AddTrackCommand(CLI::App& app, int& exit_code);
void AddDemoCommand(CLI::App& app, int& exit_code);
void AddDashboardCommand(CLI::App& app, int& exit_code);
void AddResetCommand(CLI::App& app, int& exit_code);
void AddReportCommand(CLI::App& app, int& exit_code);

}  // namespace orderflow::cli

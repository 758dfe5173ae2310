#include "cli/commands.h"
#include "cli/config_file.h"

namespace orderflow::cli {

void AddAllCommands(CLI::App& app, int& exit_code) {
  app.require_subcommand(1);
  app.set_version_flag("--version", "orderflow 0.1.0");
  AddBrokerCommand(app, exit_code);
  AddTopicCommand(app, exit_code);
  AddProduceCommand(app, exit_code);
  AddProcessCommand(app, exit_code);
  AddTrackCommand(app, exit_code);
  AddDashboardCommand(app, exit_code);
  AddDemoCommand(app, exit_code);
  AddResetCommand(app, exit_code);
  AddReportCommand(app, exit_code);
  AddConfigFileFlag(app);
}

}  // namespace orderflow::cli

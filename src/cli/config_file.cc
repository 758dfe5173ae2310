#include "cli/config_file.h"

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

namespace orderflow::cli {
namespace {

constexpr const char* kHelp =
    "TOML file of settings: keys are this command's flags without the dashes, at the top or "
    "under [COMMAND]; flags on the command line win (see deploy/orderflow.example.toml)";

// Whether `key` names a flag of `command` that a file may set (not --config itself).
bool HasFlag(const CLI::App& command, const std::string& key) {
  const CLI::Option* option = command.get_option_no_throw("--" + key);
  if (option == nullptr && key.size() == 1) option = command.get_option_no_throw("-" + key);
  return option != nullptr && option->get_configurable();
}

// CLI11's TOML reader, with the keys routed to the command being run (see the header).
class CommandSettings : public CLI::ConfigTOML {
 public:
  explicit CommandSettings(const CLI::App& app) : app_(app) {}

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    const std::vector<CLI::App*>& running = app_.get_subcommands();
    if (running.empty()) return {};  // no command: CLI11 reports that
    const CLI::App& command = *running.front();
    std::vector<CLI::ConfigItem> routed;
    for (CLI::ConfigItem& item : CLI::ConfigTOML::from_config(input)) {
      if (item.name == "++" || item.name == "--") continue;  // a table opens or closes
      if (item.parents.empty()) {
        if (HasFlag(command, item.name)) {
          routed.push_back(Route(std::move(item), command));
        } else if (!AnyCommandHas(item.name)) {
          throw CLI::ConfigError(fmt::format("--config: unknown setting {} (no command has --{})",
                                             item.name, item.name));
        }
        continue;
      }
      const CLI::App* table = item.parents.size() == 1 ? FindCommand(item.parents[0]) : nullptr;
      if (table == nullptr) {
        throw CLI::ConfigError(fmt::format(
            "--config: unknown table [{}] (tables are command names, such as [process])",
            fmt::join(item.parents, ".")));
      }
      if (!HasFlag(*table, item.name)) {
        throw CLI::ConfigError(fmt::format("--config: unknown setting {} in [{}] ({} has no --{})",
                                           item.name, table->get_name(), table->get_name(),
                                           item.name));
      }
      if (table == &command) routed.push_back(Route(std::move(item), command));
    }
    return routed;
  }

 private:
  static CLI::ConfigItem Route(CLI::ConfigItem item, const CLI::App& command) {
    item.parents = {command.get_name()};
    return item;
  }

  const CLI::App* FindCommand(const std::string& name) const {
    for (const CLI::App* command : AllCommands()) {
      if (command->get_name() == name) return command;
    }
    return nullptr;
  }

  bool AnyCommandHas(const std::string& key) const {
    for (const CLI::App* command : AllCommands()) {
      if (HasFlag(*command, key)) return true;
    }
    return false;
  }

  std::vector<const CLI::App*> AllCommands() const {
    return app_.get_subcommands([](const CLI::App*) { return true; });
  }

  const CLI::App& app_;
};

}  // namespace

void AddConfigFileFlag(CLI::App& app) {
  app.set_config("--config", "", kHelp);
  app.config_formatter(std::make_shared<CommandSettings>(app));
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    // `topic` keeps kafka-topics' --config KEY=VALUE; its file goes before the command.
    if (command->get_option_no_throw("--config") != nullptr) continue;
    // Parsed where it appears, so that the application reads the file once every flag of the
    // command line is known (they win).
    command
        ->add_option_function<std::string>(
            "--config", [&app](const std::string& file) { app.get_config_ptr()->add_result(file); },
            kHelp)
        ->trigger_on_parse()
        ->configurable(false);
  }
}

}  // namespace orderflow::cli

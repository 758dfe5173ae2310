// deploy/orderflow.example.toml against the real command line: every commented setting, once
// uncommented, is accepted by the command its table names (and the top ones by every command
// that has them), and the values reach the flags.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "cli/commands.h"

namespace orderflow::cli {
namespace {

// The example with every "#key = value" line uncommented; `count` gets how many.
std::string Uncommented(int& count) {
  std::ifstream in(ORDERFLOW_EXAMPLE_SETTINGS);
  EXPECT_TRUE(in) << ORDERFLOW_EXAMPLE_SETTINGS;
  const std::regex setting(R"(^#([A-Za-z][A-Za-z0-9-]*) = .*)");
  std::string line, out;
  count = 0;
  while (std::getline(in, line)) {
    if (std::regex_match(line, setting)) {
      line.erase(0, 1);
      ++count;
    }
    out += line + "\n";
  }
  return out;
}

// Parses `args` with the real commands without running one: --help is processed after the
// settings file is read and checked, and before any command's callback.
std::string ParseWithoutRunning(CLI::App& app, std::vector<std::string> args) {
  args.push_back("--help");
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
    return "the command ran";
  } catch (const CLI::CallForHelp&) {
    return "";
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
}

std::string Flag(const CLI::App& app, const char* command, const char* flag) {
  return app.get_subcommand(command)->get_option(flag)->as<std::string>();
}

class SettingsFileTest : public testing::Test {
 protected:
  void SetUp() override {
    int settings = 0;
    std::ofstream(path_) << Uncommented(settings);
    // Shared keys, and more than a few per command: a file of comments would prove nothing.
    EXPECT_GE(settings, 20);
  }
  void TearDown() override { std::remove(path_.c_str()); }
  const std::string path_ =
      testing::TempDir() + "orderflow_example_" + std::to_string(getpid()) + ".toml";
};

TEST_F(SettingsFileTest, ProcessAcceptsEverySettingOfTheExample) {
  CLI::App app;
  int exit_code = 0;
  AddAllCommands(app, exit_code);
  ASSERT_EQ(ParseWithoutRunning(app, {"process", "--config", path_}), "");
  EXPECT_EQ(Flag(app, "process", "--bootstrap-servers"), "localhost:9092,localhost:9094");
  EXPECT_EQ(Flag(app, "process", "--group-id"), "orderflow-processor");
  EXPECT_EQ(Flag(app, "process", "--trigger"), "1s");
  EXPECT_EQ(Flag(app, "process", "--metrics-listen"), "127.0.0.1:9464");
  EXPECT_EQ(Flag(app, "process", "--compression"), "none");
  EXPECT_EQ(Flag(app, "process", "--partition-by"), "purchase_date");
  EXPECT_EQ(app.get_subcommand("process")->get_option("-X")->as<std::vector<std::string>>(),
            (std::vector<std::string>{"security.protocol=SASL_SSL", "sasl.mechanism=PLAIN"}));
}

TEST_F(SettingsFileTest, ProduceAcceptsEverySettingOfTheExample) {
  CLI::App app;
  int exit_code = 0;
  AddAllCommands(app, exit_code);
  ASSERT_EQ(ParseWithoutRunning(app, {"produce", "--config", path_, "--seed", "7"}), "");
  EXPECT_EQ(Flag(app, "produce", "--topic"), "orders");
  EXPECT_EQ(Flag(app, "produce", "--invalid-mode"), "random");
  EXPECT_EQ(Flag(app, "produce", "--seed"), "7");  // the command line wins
  EXPECT_EQ(app.get_subcommand("produce")->get_option("-X")->as<std::vector<std::string>>(),
            (std::vector<std::string>{"linger.ms=5", "compression.type=lz4"}));
}

TEST_F(SettingsFileTest, EveryOtherCommandTakesTheSameFile) {
  for (const char* command : {"track", "dashboard", "reset", "broker", "report", "demo"}) {
    CLI::App app;
    int exit_code = 0;
    AddAllCommands(app, exit_code);
    EXPECT_EQ(ParseWithoutRunning(app, {command, "--config", path_}), "") << command;
  }
  CLI::App app;
  int exit_code = 0;
  AddAllCommands(app, exit_code);
  EXPECT_EQ(ParseWithoutRunning(app, {"--config", path_, "topic", "describe"}), "");
  EXPECT_EQ(Flag(app, "topic", "--data-dir"), "data");
}

TEST_F(SettingsFileTest, ReportTakesItsDateRange) {
  CLI::App app;
  int exit_code = 0;
  AddAllCommands(app, exit_code);
  ASSERT_EQ(ParseWithoutRunning(app, {"report", "--config", path_, "--until", "2026-11-29"}), "");
  EXPECT_EQ(Flag(app, "report", "--since"), "2026-11-01");
  EXPECT_EQ(Flag(app, "report", "--until"), "2026-11-29");  // the command line wins
}

TEST_F(SettingsFileTest, AMisspelledSettingIsRefused) {
  std::ofstream(path_, std::ios::app) << "trigger-interval = \"1s\"\n";  // inside [produce]
  CLI::App app;
  int exit_code = 0;
  AddAllCommands(app, exit_code);
  EXPECT_EQ(ParseWithoutRunning(app, {"process", "--config", path_}),
            "--config: unknown setting trigger-interval in [produce] (produce has no "
            "--trigger-interval)");
}

}  // namespace
}  // namespace orderflow::cli

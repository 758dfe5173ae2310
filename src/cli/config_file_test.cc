#include "cli/config_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace orderflow::cli {
namespace {

// Two commands shaped like orderflow's (a shared --topic, flags of their own) and a third that
// keeps kafka-topics' --config KEY=VALUE.
struct MiniApp {
  CLI::App app{"mini"};
  std::string process_topic = "orders", trigger = "1s", produce_topic = "orders";
  double rate = 10;
  bool fail_on_data_loss = true;
  std::vector<std::string> properties, topic_configs;
  std::string ran;

  MiniApp() {
    app.require_subcommand(1);
    CLI::App* process = app.add_subcommand("process");
    process->add_option("--topic", process_topic);
    process->add_option("--trigger", trigger);
    process->add_option("-X", properties);
    process->add_flag("--fail-on-data-loss,!--no-fail-on-data-loss", fail_on_data_loss);
    process->callback([this] { ran = "process"; });
    CLI::App* produce = app.add_subcommand("produce");
    produce->add_option("--topic", produce_topic);
    produce->add_option("--events-per-second", rate)->check(CLI::Range(0.0, 1e9));
    produce->callback([this] { ran = "produce"; });
    CLI::App* topic = app.add_subcommand("topic");
    topic->add_option("--config", topic_configs);
    topic->callback([this] { ran = "topic"; });
    AddConfigFileFlag(app);
  }

  // Parses `args`; the CLI11 error's message when it fails, "" when it succeeds.
  std::string Parse(std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());  // CLI11 takes them last-first
    try {
      app.parse(args);
      return "";
    } catch (const CLI::ParseError& e) {
      return e.what();
    }
  }
};

class ConfigFileTest : public testing::Test {
 protected:
  std::string Write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override { std::remove(path_.c_str()); }

 private:
  std::string path_ = testing::TempDir() + "config_file_test_" + std::to_string(getpid()) + ".toml";
};

TEST_F(ConfigFileTest, TopKeysGoToEveryCommandThatHasThemAndTablesToTheirCommand) {
  const std::string file = Write(
      "topic = \"shared\"\n"
      "[process]\n"
      "trigger = \"250ms\"\n"
      "X = [\"linger.ms=1\", \"acks=all\"]\n"
      "fail-on-data-loss = false\n"
      "[produce]\n"
      "events-per-second = 500\n");
  MiniApp process;
  ASSERT_EQ(process.Parse({"process", "--config", file}), "");
  EXPECT_EQ(process.ran, "process");
  EXPECT_EQ(process.process_topic, "shared");
  EXPECT_EQ(process.trigger, "250ms");
  EXPECT_EQ(process.properties, (std::vector<std::string>{"linger.ms=1", "acks=all"}));
  EXPECT_FALSE(process.fail_on_data_loss);
  EXPECT_EQ(process.rate, 10);  // [produce] is not for process

  MiniApp produce;
  ASSERT_EQ(produce.Parse({"--config", file, "produce"}), "");  // the file before the command
  EXPECT_EQ(produce.ran, "produce");
  EXPECT_EQ(produce.produce_topic, "shared");
  EXPECT_EQ(produce.rate, 500);
  EXPECT_EQ(produce.trigger, "1s");
}

TEST_F(ConfigFileTest, TheCommandLineWins) {
  const std::string file = Write("[process]\ntrigger = \"250ms\"\nX = [\"acks=1\"]\n");
  MiniApp mini;
  ASSERT_EQ(mini.Parse({"process", "--trigger", "2s", "--config", file, "-X", "acks=all"}), "");
  EXPECT_EQ(mini.trigger, "2s");
  EXPECT_EQ(mini.properties, (std::vector<std::string>{"acks=all"}));
}

TEST_F(ConfigFileTest, UnknownKeysAndTablesAreUsageErrorsNamingThem) {
  struct Case {
    std::string text, message;
  } cases[] = {
      {"tigger = \"1s\"\n", "--config: unknown setting tigger (no command has --tigger)"},
      {"[process]\nevents-per-second = 5\n",
       "--config: unknown setting events-per-second in [process] (process has no "
       "--events-per-second)"},
      // A typo in another command's table is caught too.
      {"[produce]\ntrigger = \"1s\"\n",
       "--config: unknown setting trigger in [produce] (produce has no --trigger)"},
      {"[procss]\ntrigger = \"1s\"\n",
       "--config: unknown table [procss] (tables are command names, such as [process])"},
      {"[process]\nconfig = \"other.toml\"\n",
       "--config: unknown setting config in [process] (process has no --config)"},
  };
  for (const Case& c : cases) {
    const std::string file = Write(c.text);
    MiniApp mini;
    EXPECT_EQ(mini.Parse({"process", "--config", file}), c.message) << c.text;
    EXPECT_EQ(mini.ran, "") << c.text;
  }
}

TEST_F(ConfigFileTest, BadValuesAndMissingFilesAreUsageErrors) {
  MiniApp bad_value;
  const std::string file = Write("[produce]\nevents-per-second = \"fast\"\n");
  EXPECT_NE(bad_value.Parse({"produce", "--config", file}), "");
  EXPECT_EQ(bad_value.ran, "");
  MiniApp missing;
  EXPECT_NE(missing.Parse({"process", "--config", "/nonexistent/orderflow.toml"})
                .find("/nonexistent/orderflow.toml"),
            std::string::npos);
  EXPECT_EQ(missing.ran, "");
}

TEST_F(ConfigFileTest, TopicKeepsItsOwnConfigAndTakesTheFileBeforeTheCommand) {
  MiniApp own;
  ASSERT_EQ(own.Parse({"topic", "--config", "retention.ms=1000"}), "");
  EXPECT_EQ(own.topic_configs, (std::vector<std::string>{"retention.ms=1000"}));
  const std::string file = Write("[topic]\nconfig = [\"retention.bytes=1\"]\n");
  MiniApp from_file;
  ASSERT_EQ(from_file.Parse({"--config", file, "topic"}), "");
  EXPECT_EQ(from_file.topic_configs, (std::vector<std::string>{"retention.bytes=1"}));
}

}  // namespace
}  // namespace orderflow::cli

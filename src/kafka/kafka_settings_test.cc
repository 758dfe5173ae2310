#include "kafka/kafka_settings.h"

#include <gtest/gtest.h>

namespace orderflow::kafka {
namespace {

TEST(KafkaSettingsTest, ParsesKeyValueProperties) {
  auto p = ParseProperty("compression.type=lz4");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->first, "compression.type");
  EXPECT_EQ(p->second, "lz4");
  auto with_eq = ParseProperty("sasl.jaas.config=a=b");
  ASSERT_TRUE(with_eq.ok());
  EXPECT_EQ(with_eq->second, "a=b");
}

TEST(KafkaSettingsTest, RejectsPropertiesWithoutKeyOrValueSeparator) {
  EXPECT_EQ(ParseProperty("novalue").status().ExitCode(), 2);
  EXPECT_EQ(ParseProperty("=x").status().ExitCode(), 2);
}

TEST(KafkaSettingsTest, MasksSecretsWhenDescribed) {
  EXPECT_EQ(DescribeProperty({"sasl.password", "hunter2"}), "sasl.password=******");
  EXPECT_EQ(DescribeProperty({"ssl.key.password", "x"}), "ssl.key.password=******");
  EXPECT_EQ(DescribeProperty({"sasl.oauthbearer.client.secret", "x"}),
            "sasl.oauthbearer.client.secret=******");
  EXPECT_EQ(DescribeProperty({"ssl.key.location", "/k.pem"}), "ssl.key.location=/k.pem");
  EXPECT_EQ(DescribeProperty({"linger.ms", "5"}), "linger.ms=5");
}

TEST(KafkaSettingsTest, UnknownPropertyIsABadConfigurationNamingIt) {
  KafkaSettings settings{"localhost:9092", {{"no.such.property", "1"}}};
  auto conf = settings.BuildConf({});
  ASSERT_FALSE(conf.ok());
  EXPECT_EQ(conf.status().ExitCode(), 2);
  EXPECT_NE(conf.status().message().find("no.such.property"), std::string::npos);
}

TEST(KafkaSettingsTest, ErrorsNeverShowSecretValues) {
  KafkaSettings settings{"localhost:9092", {{"sasl.password.bogus", "hunter2"}}};
  auto conf = settings.BuildConf({});
  ASSERT_FALSE(conf.ok());
  EXPECT_EQ(conf.status().message().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace orderflow::kafka

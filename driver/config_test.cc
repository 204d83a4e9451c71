#include "driver/config.h"

#include <gtest/gtest.h>

#include "driver/config_toml.h"

namespace nvmesim::driver {
namespace {

TEST(ParseSizeTest, UnitsArePowersOf1024) {
  std::string err;
  EXPECT_EQ(ParseSize("256MB", &err), 256ull << 20);
  EXPECT_EQ(ParseSize("4KiB", &err), 4096u);
  EXPECT_EQ(ParseSize("1 GB", &err), 1ull << 30);
  EXPECT_EQ(ParseSize("512", &err), 512u);
  EXPECT_EQ(ParseSize("2t", &err), 2ull << 40);
  EXPECT_FALSE(ParseSize("12XB", &err).has_value());
  EXPECT_NE(err.find("unknown unit"), std::string::npos);
  EXPECT_FALSE(ParseSize("MB", &err).has_value());
  EXPECT_FALSE(ParseSize("99999999999999999999", &err).has_value());
  EXPECT_FALSE(ParseSize("16777216TB", &err).has_value());
}

TEST(ConfigTest, EmptyDocumentGivesDefaults) {
  auto r = ParseAdvancedNvmeToml("");
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  EXPECT_EQ(r.config.controller_max_count, 32u);
  EXPECT_EQ(r.config.controller_max_namespaces, 2048u);
  EXPECT_EQ(r.config.controller_max_queues, 128u);
  EXPECT_EQ(r.config.multipath_max_paths, 16u);
  EXPECT_EQ(r.config.zns_zone_size, 256ull << 20);
}

TEST(ConfigTest, EveryKeyParses) {
  auto r = ParseAdvancedNvmeToml(R"(
[advanced_nvme]
controller_max_count = 8
controller_max_namespaces = 64
controller_max_queues = 16
controller_max_queue_depth = 4096
queue_count = 8
queue_depth = 65535
queue_intelligent_scheduling = true
queue_ai_optimization = true
queue_adaptive_sizing = true
zns_enabled = true
zns_max_zones = 1000
zns_zone_size = "64MB"
zns_zone_optimization = true
multipath_enabled = true
multipath_max_paths = 4
multipath_load_balancing = "queue_depth"
multipath_failover_enabled = false
ai_optimization_enabled = true
machine_learning_enabled = true
predictive_maintenance = true
real_time_optimization = true
advanced_power_management = true
thermal_monitoring = false
predictive_thermal_management = true
adaptive_power_optimization = true
)");
  // queue_depth 65535 > controller_max_queue_depth 4096 must be the only error.
  ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
  EXPECT_NE(r.errors[0].find("controller_max_queue_depth = 4096"), std::string::npos);
  EXPECT_EQ(r.config.controller_max_count, 8u);
  EXPECT_EQ(r.config.queue_count, 8u);
  EXPECT_TRUE(r.config.zns_enabled);
  EXPECT_EQ(r.config.zns_zone_size, 64ull << 20);
  EXPECT_EQ(r.config.multipath_load_balancing, LoadBalancing::kQueueDepth);
  EXPECT_FALSE(r.config.multipath_failover_enabled);
  EXPECT_FALSE(r.config.thermal_monitoring);
  EXPECT_TRUE(r.config.adaptive_power_optimization);
  EXPECT_EQ(AdvancedNvmeKeys().size(), 25u);
}

TEST(ConfigTest, EveryListedKeyIsRead) {
  // A table is no key's type: each listed key must fail on its type, not as unknown.
  for (std::string_view key : AdvancedNvmeKeys()) {
    auto r = ParseAdvancedNvmeToml("[advanced_nvme]\n" + std::string(key) + " = {}\n");
    ASSERT_EQ(r.errors.size(), 1u) << key;
    EXPECT_EQ(r.errors[0].find("unknown key"), std::string::npos) << r.errors[0];
    EXPECT_NE(r.errors[0].find("got a table"), std::string::npos) << r.errors[0];
    EXPECT_EQ(r.error_keys, std::vector<std::string>{std::string(key)});
  }
}

TEST(ConfigTest, QueueDepthBeyondNvmeIsRefusedWithTheLimit) {
  auto r = ParseAdvancedNvmeToml("[advanced_nvme]\nqueue_depth = 131072\n");
  ASSERT_EQ(r.errors.size(), 1u) << r.ErrorText();
  EXPECT_NE(r.errors[0].find("advanced_nvme.queue_depth = 131072"), std::string::npos);
  EXPECT_NE(r.errors[0].find("65536"), std::string::npos);
  EXPECT_NE(r.errors[0].find("MQES"), std::string::npos);
}

TEST(ConfigTest, UnknownKeyWrongTypeAndNegativeAreErrors) {
  auto r = ParseAdvancedNvmeToml(R"(
[advanced_nvme]
queue_dept = 4
zns_enabled = "yes"
queue_count = -1
zns_zone_size = "3 parsecs"
multipath_load_balancing = "random"
)");
  ASSERT_EQ(r.errors.size(), 5u) << r.ErrorText();
  const std::string all = r.ErrorText();
  EXPECT_NE(all.find("advanced_nvme.queue_dept: unknown key (known keys: controller_max_count, "),
            std::string::npos)
      << all;
  // Each error names its key (the table is read in key order).
  EXPECT_EQ(r.error_keys, (std::vector<std::string>{"multipath_load_balancing", "queue_count",
                                                    "queue_dept", "zns_enabled", "zns_zone_size"}));
  EXPECT_NE(all.find("advanced_nvme.zns_enabled: expected a boolean"), std::string::npos);
  EXPECT_NE(all.find("advanced_nvme.queue_count = -1 must not be negative"), std::string::npos);
  EXPECT_NE(all.find("advanced_nvme.zns_zone_size"), std::string::npos);
  EXPECT_NE(all.find("advanced_nvme.multipath_load_balancing"), std::string::npos);
}

TEST(ConfigTest, LatencyAwareLoadBalancingIsAPolicy) {
  auto r = ParseAdvancedNvmeToml("[advanced_nvme]\nmultipath_load_balancing = \"latency\"\n");
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  EXPECT_EQ(r.config.multipath_load_balancing, LoadBalancing::kLatency);
  EXPECT_STREQ(LoadBalancingName(LoadBalancing::kLatency), "latency");
}

TEST(ConfigTest, SpecLimitsOnEveryBoundedKey) {
  AdvancedNvmeConfig c;
  EXPECT_TRUE(ValidateAdvancedNvmeConfig(c).empty());
  c.queue_depth = 1;
  c.controller_max_queues = 65536;
  c.controller_max_count = 0xFFF1;
  c.multipath_max_paths = 0;
  c.zns_zone_size = 1000;
  const auto e = ValidateAdvancedNvmeConfig(c);
  ASSERT_EQ(e.size(), 5u);
  EXPECT_NE(e[0].find("controller_max_count = 65521 exceeds the limit of 65520"),
            std::string::npos);
  EXPECT_NE(e[1].find("controller_max_queues = 65536 exceeds the limit of 65535"),
            std::string::npos);
  EXPECT_NE(e[2].find("queue_depth = 1 is below the minimum of 2"), std::string::npos);
  EXPECT_NE(e[3].find("multipath_max_paths = 0"), std::string::npos);
  EXPECT_NE(e[4].find("zns_zone_size = 1000"), std::string::npos);
}

TEST(ConfigTest, SyntaxErrorNamesLine) {
  auto r = ParseAdvancedNvmeToml("[advanced_nvme]\nqueue_depth = = 3\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].find("line 2"), std::string::npos) << r.ErrorText();
}

TEST(ConfigTest, SectionMustBeATable) {
  auto r = ParseAdvancedNvmeToml("advanced_nvme = 3\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].find("expected a table"), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::driver

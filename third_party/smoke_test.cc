#include <gtest/gtest.h>
#include <systemc>
#include <tlm>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>
#include <CLI/CLI.hpp>
#include <boost/random/mersenne_twister.hpp>
TEST(Smoke, Links) {
  sc_core::sc_time t(1, sc_core::SC_NS);
  EXPECT_EQ(t.to_seconds() > 0, true);
  auto tbl = toml::parse("a = 1");
  EXPECT_EQ(tbl["a"].value<int>(), 1);
}

#include "harness/report/chrome_trace.h"

#include <sstream>

#include <gtest/gtest.h>

namespace nvmesim::harness {
namespace {

TEST(ChromeTrace, SlicesCountersAndNamedTracks) {
  ChromeTraceWriter w;
  w.Slice("ctrl0", "sq1", "read", 1'500'000, 8'250'000, {{"cid", 7}, {"lba", 4096}});
  w.Slice("ctrl0", "sq2", "write", 2'000'000, 1'000'000);
  w.Slice("ctrl0", "sq1", "read", 12'000'000, 1'000'000);
  w.Counter("link0", "utilisation", 3'000'000, 0.75);
  std::ostringstream os;
  w.Write(os);
  nlohmann::json j = nlohmann::json::parse(os.str());
  const nlohmann::json& ev = j["traceEvents"];
  // Metadata: ctrl0 (pid 1) with threads sq1 (1), sq2 (2); link0 is pid 2.
  int names = 0;
  for (const auto& e : ev) {
    if (e["ph"] == "M" && e["name"] == "process_name") {
      ++names;
      if (e["args"]["name"] == "ctrl0") {
        EXPECT_EQ(e["pid"], 1);
      }
      if (e["args"]["name"] == "link0") {
        EXPECT_EQ(e["pid"], 2);
      }
    }
    if (e["ph"] == "M" && e["name"] == "thread_name" && e["args"]["name"] == "sq2") {
      EXPECT_EQ(e["tid"], 2);
    }
  }
  EXPECT_EQ(names, 2);
  std::vector<nlohmann::json> slices, counters;
  for (const auto& e : ev) {
    if (e["ph"] == "X") slices.push_back(e);
    if (e["ph"] == "C") counters.push_back(e);
  }
  ASSERT_EQ(slices.size(), 3u);
  EXPECT_DOUBLE_EQ(slices[0]["ts"].get<double>(), 1.5);  // us
  EXPECT_DOUBLE_EQ(slices[0]["dur"].get<double>(), 8.25);
  EXPECT_EQ(slices[0]["args"]["cid"], 7);
  EXPECT_EQ(slices[0]["tid"], slices[2]["tid"]);  // same queue, same track
  EXPECT_NE(slices[0]["tid"], slices[1]["tid"]);
  ASSERT_EQ(counters.size(), 1u);
  EXPECT_DOUBLE_EQ(counters[0]["args"]["value"].get<double>(), 0.75);
  EXPECT_EQ(j["displayTimeUnit"], "ns");
  EXPECT_EQ(w.event_count(), 4u);
}

TEST(ChromeTrace, EventLogBecomesInstants) {
  ChromeTraceWriter w;
  w.AddEventLog({{1000, "ctrl0.sq1", "cqe_post", 1, 2, 3}, {2000, "link0", "tlp_mwr", 4, 5, 6}});
  nlohmann::json j = w.ToJson();
  int instants = 0;
  for (const auto& e : j["traceEvents"]) {
    if (e["ph"] == "i") {
      ++instants;
      if (e["name"] == "cqe_post") {
        EXPECT_EQ(e["args"]["c"], 3);
        EXPECT_DOUBLE_EQ(e["ts"].get<double>(), 0.001);
      }
    }
  }
  EXPECT_EQ(instants, 2);
}

}  // namespace
}  // namespace nvmesim::harness

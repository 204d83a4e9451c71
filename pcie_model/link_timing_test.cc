#include "pcie_model/link_timing.h"

#include <gtest/gtest.h>

#include "pcie_model/fidelity.h"
#include "pcie_model/link_config.h"

namespace nvmesim::pcie {
namespace {

TEST(LinkConfigTest, DefaultIsValid) { EXPECT_EQ(ValidateLinkConfig(LinkConfig{}), ""); }

TEST(LinkConfigTest, RejectsOutOfSpecValuesWithClearMessages) {
  LinkConfig c;
  c.generation = 6;
  EXPECT_NE(ValidateLinkConfig(c).find("generation 6 is not 1..5"), std::string::npos);
  c = {};
  c.width = 3;
  EXPECT_NE(ValidateLinkConfig(c).find("width x3 is not x1, x2, x4, x8 or x16"), std::string::npos);
  c = {};
  c.max_payload_size = 96;
  EXPECT_NE(ValidateLinkConfig(c).find("max_payload_size 96 is not 128"), std::string::npos);
  c = {};
  c.max_read_request_size = 8192;
  EXPECT_NE(ValidateLinkConfig(c).find("max_read_request_size 8192 exceeds 4096"),
            std::string::npos);
  c = {};
  c.read_completion_boundary = 32;
  EXPECT_NE(ValidateLinkConfig(c).find("read_completion_boundary 32"), std::string::npos);
  c = {};
  c.device_credits.posted_header = 128;
  EXPECT_NE(ValidateLinkConfig(c).find("device_credits.posted_header = 128 credits exceeds 127"),
            std::string::npos);
  c = {};
  c.max_payload_size = 512;
  c.root_port_credits.posted_data = 16;  // 256 bytes < one 512-byte TLP
  EXPECT_NE(ValidateLinkConfig(c).find("root_port_credits.posted_data = 16"), std::string::npos);
  c = {};
  c.completion_timeout_ps = 1'000'000;
  EXPECT_NE(ValidateLinkConfig(c).find("below 50 us"), std::string::npos);
}

TEST(FidelityTest, Parses) {
  EXPECT_EQ(ParseFidelity("cycle"), Fidelity::kCycle);
  EXPECT_EQ(ParseFidelity("functional"), Fidelity::kFunctional);
  EXPECT_EQ(ParseFidelity("approximate"), Fidelity::kApproximate);
  EXPECT_FALSE(ParseFidelity("fast").has_value());
}

TEST(LinkTimingTest, ByteTimesFollowRateEncodingAndWidth) {
  LinkConfig c;
  // Gen1 x1: 8b/10b, 10 bits of 400 ps per byte.
  EXPECT_DOUBLE_EQ(LinkTiming(c, 1, 1).ps_per_byte(), 4000.0);
  EXPECT_DOUBLE_EQ(LinkTiming(c, 2, 1).ps_per_byte(), 2000.0);
  // Gen3 x8: 128b/130b at 8 GT/s: 8 * 130/128 * 125 ps / 8 lanes.
  EXPECT_DOUBLE_EQ(LinkTiming(c, 3, 8).ps_per_byte(), 8.0 * 130 / 128 * 125.0 / 8);
  // Gen5 x4 = 32 GT/s x 4 x 128/130 / 8 bytes per second.
  EXPECT_NEAR(LinkTiming(c, 5, 4).bytes_per_second(), 32e9 * 4 * 128 / 130 / 8, 1.0);
  EXPECT_NEAR(LinkTiming(c, 4, 16).bytes_per_second(), 16e9 * 16 * 128 / 130 / 8, 1.0);
}

TEST(LinkTimingTest, TlpAndDllpWireBytes) {
  LinkConfig c;
  LinkTiming t(c, 5, 4);
  EXPECT_EQ(t.TlpWireBytes(256, 4), 256u + 16 + 8);
  EXPECT_EQ(t.TlpWireBytes(4, 3), 4u + 12 + 8);
  c.ecrc = true;
  EXPECT_EQ(LinkTiming(c, 5, 4).TlpWireBytes(256, 4), 256u + 16 + 8 + 4);
  EXPECT_EQ(t.DllpTimePs(), t.WireTimePs(8));
  EXPECT_EQ(MemoryHeaderDw(0xFFFFFFFF), 3u);
  EXPECT_EQ(MemoryHeaderDw(0x100000000ull), 4u);
}

TEST(LinkTimingTest, Splitting) {
  EXPECT_EQ(NextChunk(0x1000, 4096, 256), 256u);
  EXPECT_EQ(NextChunk(0x1010, 4096, 256), 240u);
  EXPECT_EQ(NextChunk(0x1000, 100, 256), 100u);
  EXPECT_EQ(ChunkCount(0x1000, 4096, 256), 16u);
  EXPECT_EQ(ChunkCount(0x1010, 4096, 256), 17u);
  EXPECT_EQ(ChunkCount(0x10FF, 2, 256), 2u);
  // Completions: RCB-aligned ends, at most MPS.
  EXPECT_EQ(NextCompletion(0x1000, 512, 256, 64), 256u);
  EXPECT_EQ(NextCompletion(0x1010, 512, 256, 64), 240u);
  EXPECT_EQ(NextCompletion(0x1010, 512, 256, 128), 240u);
  EXPECT_EQ(NextCompletion(0x1030, 512, 128, 128), 80u);
  EXPECT_EQ(NextCompletion(0x1000, 200, 256, 64), 200u);
}

TEST(LinkTimingTest, PostedStreamFormulaMatchesTheIssueArithmetic) {
  LinkConfig c;
  c.max_payload_size = 256;
  LinkTiming t(c, 5, 4);
  const double raw = 32e9 * 4 * 128.0 / 130.0 / 8.0;
  EXPECT_NEAR(t.PostedStreamBytesPerSecond(256, 4, false), raw * 256 / (256 + 24), raw * 1e-6);
  const double dllp_share = 8.0 * (1.0 / 4 + 1.0 / 4);  // 8-byte DLLPs, Ack and UpdateFC per 4 TLPs
  EXPECT_NEAR(t.PostedStreamBytesPerSecond(256, 4, true), raw * 256 / (256 + 24 + dllp_share),
              raw * 1e-4);
}

TEST(LinkTimingTest, ShortReadAndDmaRead) {
  LinkConfig c;
  c.max_payload_size = 256;
  c.max_read_request_size = 512;
  LinkTiming t(c, 5, 4);
  const uint64_t hop = c.propagation_ps + c.tlp_processing_ps;
  EXPECT_EQ(t.ShortReadRoundTripPs(0x1000, 4, 1000),
            t.WireTimePs(20) + hop + 1000 + t.WireTimePs(24) + hop);
  // 4 KiB aligned: 8 requests of 512, 16 completions of 256; the completion
  // direction is the bottleneck once the first one is ready.
  const uint64_t first_ready = t.WireTimePs(20) + hop + 80'000;
  EXPECT_EQ(t.DmaReadPs(0x10000, 4096, 80'000), first_ready + 16 * t.WireTimePs(256 + 20) + hop);
}

TEST(LinkTimingTest, CreditAndReplayFormulas) {
  LinkConfig c;
  LinkTiming t(c, 5, 4);
  FlowControlCredits starved;
  starved.posted_header = 2;
  const double tlp = static_cast<double>(t.TlpTimePs(256, 4));
  const double expected = 256e12 / ((tlp + static_cast<double>(t.CreditLoopPs())) / 2);
  EXPECT_NEAR(t.CreditLimitedBytesPerSecond(256, 4, starved), expected, expected * 1e-9);
  EXPECT_NEAR(t.ReplayLimitedBytesPerSecond(256, 4, 0.0), 256e12 / tlp, 1.0);
  EXPECT_LT(t.ReplayLimitedBytesPerSecond(256, 4, 0.01), 256e12 / tlp * 0.95);
}

}  // namespace
}  // namespace nvmesim::pcie

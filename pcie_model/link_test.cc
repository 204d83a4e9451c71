// Link timing against the analytic formulas (docs/pcie.md, "Timing model").
#include "pcie_model/link.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>

#include "pcie_model/link_test_fixture.h"
#include "tests/support/sim_test.h"

namespace nvmesim::pcie {
namespace {

using testing::End;
using testing::FromPs;
using testing::LinkBench;
using testing::Ps;
using testing::RunThread;
using testing::StreamWrites;

constexpr uint64_t kHigh = 0x100000000ull;  // 64-bit addresses: 4 DW headers

// 32 GT/s x 4 x 128/130 / 8 x 256 / (256 + 24): the issue's arithmetic, by hand.
double IssueFormula(unsigned gen, unsigned width, uint32_t mps) {
  const double gts[] = {0, 2.5e9, 5e9, 8e9, 16e9, 32e9};
  const double enc = gen <= 2 ? 8.0 / 10.0 : 128.0 / 130.0;
  const double raw = gts[gen] * width * enc / 8.0;
  return raw * mps / (mps + 16 + 8);  // 4 DW header + STP/sequence + LCRC
}

void CheckPostedStream(Fidelity f, unsigned gen, unsigned width, uint32_t mps) {
  LinkConfig c;
  c.fidelity = f;
  c.generation = gen;
  c.width = width;
  c.max_payload_size = mps;
  LinkBench b(c);
  double measured = 0;
  RunThread([&] { measured = StreamWrites(b.dev, kHigh, 4096, 4000); });
  const double expected = IssueFormula(gen, width, mps);
  std::printf(
      "posted stream %s gen%u x%u mps %u: measured %.4f GB/s, formula %.4f GB/s (%+.3f%%)\n",
      FidelityName(f), gen, width, mps, measured / 1e9, expected / 1e9,
      100 * (measured / expected - 1));
  EXPECT_NEAR(measured, expected, expected * 0.01)
      << FidelityName(f) << " gen" << gen << " x" << width << " mps " << mps;
  EXPECT_NEAR(measured, b.link.timing().PostedStreamBytesPerSecond(mps, 4, false),
              expected * 0.001);
  const auto& up = b.link.counters(Direction::kUpstream);
  EXPECT_EQ(up.tlps, 4000u * (4096 / mps));
  EXPECT_EQ(up.payload_bytes, 4000u * 4096);
  EXPECT_EQ(up.overhead_bytes, up.tlps * 24);
  EXPECT_EQ(b.host.received_bytes, 4000u * 4096);
  // The receiver's Acks and UpdateFCs ride the other direction: one each per 4 TLPs.
  EXPECT_EQ(b.link.counters(Direction::kDownstream).dllps, up.tlps / 4 * 2);
  EXPECT_NEAR(b.link.Utilisation(Direction::kUpstream, sc_core::sc_time_stamp()), 1.0, 0.001);
}

NVMESIM_SIM_TEST(LinkThroughput, Gen5x4Mps256Approximate) {
  CheckPostedStream(Fidelity::kApproximate, 5, 4, 256);
}
NVMESIM_SIM_TEST(LinkThroughput, Gen5x4Mps256Cycle) {
  CheckPostedStream(Fidelity::kCycle, 5, 4, 256);
}
NVMESIM_SIM_TEST(LinkThroughput, Gen4x4Mps256) { CheckPostedStream(Fidelity::kCycle, 4, 4, 256); }
NVMESIM_SIM_TEST(LinkThroughput, Gen3x8Mps256) {
  CheckPostedStream(Fidelity::kApproximate, 3, 8, 256);
}
NVMESIM_SIM_TEST(LinkThroughput, Gen5x4Mps128) { CheckPostedStream(Fidelity::kCycle, 5, 4, 128); }
NVMESIM_SIM_TEST(LinkThroughput, Gen5x4Mps512) {
  CheckPostedStream(Fidelity::kApproximate, 5, 4, 512);
}
NVMESIM_SIM_TEST(LinkThroughput, Gen2x1Mps256EightBTenB) {
  CheckPostedStream(Fidelity::kCycle, 2, 1, 256);
}

// Both directions saturated: each carries the other's Acks and UpdateFCs.
void CheckBidirectional(Fidelity f) {
  LinkConfig c;
  c.fidelity = f;
  c.ack_every = 1;  // one Ack and one UpdateFC per TLP: 16 DLLP bytes per 280 TLP bytes
  c.update_fc_every = 1;
  LinkBench b(c);
  double down = 0, up = 0;
  sc_core::sc_spawn([&] { down = StreamWrites(b.host, kHigh, 256, 20000); });
  sc_core::sc_spawn([&] { up = StreamWrites(b.dev, kHigh, 256, 20000); });
  sc_core::sc_start();
  const double raw = 32e9 * 4 * 128.0 / 130.0 / 8.0;
  const double expected = raw * 256 / (256 + 24 + 8 + 8);
  std::printf("bidirectional %s: down %.4f up %.4f GB/s, formula %.4f GB/s\n", FidelityName(f),
              down / 1e9, up / 1e9, expected / 1e9);
  EXPECT_NEAR(down, expected, expected * 0.01) << FidelityName(f);
  EXPECT_NEAR(up, expected, expected * 0.01) << FidelityName(f);
  EXPECT_NEAR(up, b.link.timing().PostedStreamBytesPerSecond(256, 4, true), expected * 0.01);
  // Without the DLLPs it would be 5.7 % faster: the test sees the difference.
  EXPECT_LT(up, IssueFormula(5, 4, 256) * 0.96);
}
NVMESIM_SIM_TEST(LinkThroughput, BidirectionalDllpOverheadApproximate) {
  CheckBidirectional(Fidelity::kApproximate);
}
NVMESIM_SIM_TEST(LinkThroughput, BidirectionalDllpOverheadCycle) {
  CheckBidirectional(Fidelity::kCycle);
}

// A long DMA read: completions stream downstream; requests' Acks/UpdateFCs share that direction.
void CheckReadStream(Fidelity f, uint32_t mrrs) {
  LinkConfig c;
  c.fidelity = f;
  c.max_read_request_size = mrrs;
  LinkBench b(c, /*host_latency_ps=*/100'000);
  const uint32_t len = 1 << 20;
  sc_core::sc_time d;
  RunThread([&] {
    d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(b.dev.Access(false, kHigh, len, d), tlm::TLM_OK_RESPONSE);
  });
  const LinkTiming& t = b.link.timing();
  const uint32_t piece = std::min(mrrs, c.max_payload_size);
  const double per_request_ps =
      static_cast<double>(mrrs / piece) * t.TlpWireBytes(piece, 3) * t.ps_per_byte() +
      static_cast<double>(t.DllpTimePs()) * (1.0 / 4 + 1.0 / 4);
  const double expected = mrrs * 1e12 / per_request_ps;
  const double measured = len / d.to_seconds();
  std::printf("read stream %s mrrs %u: measured %.4f GB/s, formula %.4f GB/s\n", FidelityName(f),
              mrrs, measured / 1e9, expected / 1e9);
  EXPECT_NEAR(measured, expected, expected * 0.01) << FidelityName(f) << " mrrs " << mrrs;
  EXPECT_EQ(b.link.counters(Direction::kUpstream).tlps, len / mrrs);
  EXPECT_EQ(b.link.counters(Direction::kDownstream).tlps, len / piece);
  EXPECT_EQ(b.link.counters(Direction::kDownstream).payload_bytes, len);
  EXPECT_EQ(b.dev.buffer[len - 1], 0xA5);
}
NVMESIM_SIM_TEST(LinkRead, StreamMrrs512) { CheckReadStream(Fidelity::kApproximate, 512); }
NVMESIM_SIM_TEST(LinkRead, StreamMrrs128IsSlower) {
  CheckReadStream(Fidelity::kCycle, 128);  // 128-byte completions: 128/148 of the link
}
NVMESIM_SIM_TEST(LinkRead, StreamMrrs4096Cycle) { CheckReadStream(Fidelity::kCycle, 4096); }

// Reads limited by the root port's non-posted header credits: one request per credit loop.
NVMESIM_SIM_TEST(LinkRead, LimitedByNonPostedCredits) {
  LinkConfig c;
  c.fidelity = Fidelity::kCycle;
  c.max_read_request_size = 512;
  c.root_port_credits.non_posted_header = 1;
  LinkBench b(c, 100'000);
  const uint32_t len = 1 << 20;
  sc_core::sc_time d;
  RunThread([&] {
    d = sc_core::SC_ZERO_TIME;
    b.dev.Access(false, kHigh, len, d);
  });
  const LinkTiming& t = b.link.timing();
  const double period_ps = static_cast<double>(t.TlpTimePs(0, 4) + t.CreditLoopPs());
  const double expected = 512e12 / period_ps;
  std::printf("read limited by 1 NP credit: measured %.4f GB/s, formula %.4f GB/s\n",
              len / d.to_seconds() / 1e9, expected / 1e9);
  EXPECT_NEAR(len / d.to_seconds(), expected, expected * 0.01);
  EXPECT_LT(expected, 0.5 * t.bytes_per_second());  // far below the link rate
  const double stall = static_cast<double>(b.link.counters(Direction::kUpstream).credit_stall_ps);
  EXPECT_NEAR(stall, (len / 512 - 1) * static_cast<double>(t.CreditLoopPs()),
              0.01 * (len / 512) * static_cast<double>(t.CreditLoopPs()));
}

// Reads limited by outstanding tags: one request at a time, each a full round trip.
NVMESIM_SIM_TEST(LinkRead, LimitedByOutstandingTags) {
  LinkConfig c;
  c.fidelity = Fidelity::kCycle;
  c.max_read_request_size = 512;
  c.max_outstanding_reads = 1;
  c.ack_every = 255;
  c.update_fc_every = 255;
  LinkBench b(c, 100'000);
  const uint32_t len = 64 * 512;
  sc_core::sc_time d;
  RunThread([&] {
    d = sc_core::SC_ZERO_TIME;
    b.dev.Access(false, kHigh, len, d);
  });
  const LinkTiming& t = b.link.timing();
  const uint64_t round =
      t.TlpTimePs(0, 4) + t.HopPs() + 100'000 + 2 * t.TlpTimePs(256, 3) + t.HopPs();
  EXPECT_EQ(Ps(d), 64 * round);
}

// A posted stream into a receiver with 2 posted header credits: each TLP waits for
// the credit of the TLP two before it: period = (TLP + credit loop) / 2.
NVMESIM_SIM_TEST(LinkCredits, StarvedPostedStreamStallsAsPredicted) {
  LinkConfig c;
  c.fidelity = Fidelity::kCycle;
  c.device_credits.posted_header = 2;
  c.device_credits.posted_data = 64;
  LinkBench b(c);
  const int n = 4000;
  double measured = 0;
  RunThread([&] { measured = StreamWrites(b.host, kHigh, 256, n); });
  const LinkTiming& t = b.link.timing();
  const double expected = t.CreditLimitedBytesPerSecond(256, 4, c.device_credits);
  const double tlp = static_cast<double>(t.TlpTimePs(256, 4));
  const double period = (tlp + static_cast<double>(t.CreditLoopPs())) / 2;
  EXPECT_NEAR(expected, 256e12 / period, 1.0);
  std::printf("2 posted header credits: measured %.4f GB/s, formula %.4f GB/s, stall %.1f us\n",
              measured / 1e9, expected / 1e9,
              b.link.counters(Direction::kDownstream).credit_stall_ps / 1e6);
  EXPECT_NEAR(measured, expected, expected * 0.01);
  EXPECT_LT(measured, 0.3 * t.PostedStreamBytesPerSecond(256, 4, false));
  // Stall per TLP = period - TLP time (after the first two, which find credits).
  const double stall = static_cast<double>(b.link.counters(Direction::kDownstream).credit_stall_ps);
  EXPECT_NEAR(stall, (n - 2) * (period - tlp), 0.01 * n * (period - tlp));
  // Same link with ample credits runs at the link rate.
}

NVMESIM_SIM_TEST(LinkCredits, AmpleCreditsDoNotStall) {
  LinkConfig c;
  c.fidelity = Fidelity::kCycle;
  c.device_credits.posted_header = 64;
  c.device_credits.posted_data = 1024;
  LinkBench b(c);
  double measured = 0;
  RunThread([&] { measured = StreamWrites(b.host, kHigh, 256, 4000); });
  EXPECT_NEAR(measured, IssueFormula(5, 4, 256), IssueFormula(5, 4, 256) * 0.01);
  EXPECT_EQ(b.link.counters(Direction::kDownstream).credit_stall_ps, 0u);
}

// --- Latency: exact analytic sums --------------------------------------------

void CheckMmioRead(Fidelity f) {
  LinkConfig c;
  c.fidelity = f;
  LinkBench b(c, 0, /*dev_latency_ps=*/120'000);
  sc_core::sc_time d;
  RunThread([&] {
    d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(b.host.Access(false, 0xC0001000, 4, d), tlm::TLM_OK_RESPONSE);
  });
  const LinkTiming& t = b.link.timing();
  const uint64_t hop = c.propagation_ps + c.tlp_processing_ps;
  // MRd 3 DW (12 + 8 bytes) + hop + device + CplD 3 DW + 4 bytes (24 bytes) + hop.
  const uint64_t expected = t.WireTimePs(20) + hop + 120'000 + t.WireTimePs(24) + hop;
  std::printf("MMIO 4-byte read %s: %llu ps (analytic %llu ps)\n", FidelityName(f),
              static_cast<unsigned long long>(Ps(d)), static_cast<unsigned long long>(expected));
  EXPECT_EQ(Ps(d), expected) << FidelityName(f);
  EXPECT_EQ(Ps(d), t.ShortReadRoundTripPs(0xC0001000, 4, 120'000));
  EXPECT_EQ(b.dev.last_arrival_ps, t.WireTimePs(20) + hop);
}
NVMESIM_SIM_TEST(LinkLatency, MmioRead4BytesApproximate) { CheckMmioRead(Fidelity::kApproximate); }
NVMESIM_SIM_TEST(LinkLatency, MmioRead4BytesCycle) { CheckMmioRead(Fidelity::kCycle); }

void CheckDmaRead4K(Fidelity f) {
  LinkConfig c;
  c.fidelity = f;
  c.ack_every = 255;  // no DLLP falls inside this one transfer
  c.update_fc_every = 255;
  LinkBench b(c, /*host_latency_ps=*/80'000);
  sc_core::sc_time d;
  RunThread([&] {
    d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(b.dev.Access(false, 0x10000, 4096, d), tlm::TLM_OK_RESPONSE);
  });
  const LinkTiming& t = b.link.timing();
  const uint64_t hop = c.propagation_ps + c.tlp_processing_ps;
  // First MRd (3 DW, 20 bytes) + hop + memory, then the 16 completions of 256
  // bytes (20 bytes overhead each) back to back on the completion direction + hop.
  const uint64_t expected = t.WireTimePs(20) + hop + 80'000 + 16 * t.WireTimePs(276) + hop;
  std::printf("DMA 4 KiB read %s: %llu ps (analytic %llu ps)\n", FidelityName(f),
              static_cast<unsigned long long>(Ps(d)), static_cast<unsigned long long>(expected));
  EXPECT_NEAR(static_cast<double>(Ps(d)), static_cast<double>(expected), 16.0) << FidelityName(f);
  // Approximate rounds the completion block once, the formula per TLP.
  EXPECT_NEAR(static_cast<double>(Ps(d)), static_cast<double>(t.DmaReadPs(0x10000, 4096, 80'000)),
              16.0)
      << FidelityName(f);
  EXPECT_EQ(b.link.counters(Direction::kUpstream).tlps, 8u);
  EXPECT_EQ(b.link.counters(Direction::kDownstream).tlps, 16u);
}
NVMESIM_SIM_TEST(LinkLatency, DmaRead4KiBApproximate) { CheckDmaRead4K(Fidelity::kApproximate); }
NVMESIM_SIM_TEST(LinkLatency, DmaRead4KiBCycle) { CheckDmaRead4K(Fidelity::kCycle); }

NVMESIM_SIM_TEST(LinkLatency, UnalignedReadUsesRcbCompletions) {
  LinkConfig c;
  c.fidelity = Fidelity::kCycle;
  LinkBench b(c);
  RunThread([&] {
    sc_core::sc_time d;
    b.dev.Access(false, 0x10010, 512, d);
  });
  // Requests cut at the 512-byte MRRS boundary: 496 + 16 bytes. Completions of the
  // first end on 64-byte RCB boundaries and carry at most 256: 240 + 256; then 16.
  EXPECT_EQ(b.link.counters(Direction::kUpstream).tlps, 2u);
  EXPECT_EQ(b.link.counters(Direction::kDownstream).tlps, 3u);
  EXPECT_EQ(b.link.counters(Direction::kDownstream).payload_bytes, 512u);
}

NVMESIM_SIM_TEST(LinkFunctional, ZeroTimeSameData) {
  LinkConfig c;
  c.fidelity = Fidelity::kFunctional;
  LinkBench b(c, 100'000, 100'000);
  RunThread([&] {
    sc_core::sc_time d;
    b.dev.Access(true, kHigh, 4096, d);
    EXPECT_EQ(d, sc_core::SC_ZERO_TIME);
    d = sc_core::SC_ZERO_TIME;
    b.host.buffer[0] = 0;
    EXPECT_EQ(b.host.Access(false, 0x1000, 4, d), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(d, FromPs(100'000));  // only the target's own latency
    EXPECT_EQ(b.host.buffer[0], 0xA5);
  });
  EXPECT_EQ(b.link.counters(Direction::kUpstream).tlps, 16u + 1u);
  EXPECT_EQ(b.host.received_bytes, 4096u);
}

// Ordering (2.4.1): a completion must not pass posted writes in the same
// direction. A read of the device issued while its DMA writes are queued
// upstream completes only after them.
NVMESIM_SIM_TEST(LinkOrdering, CompletionDoesNotPassPostedWrites) {
  LinkConfig c;
  LinkBench b(c);
  RunThread([&] {
    sc_core::sc_time w = sc_core::SC_ZERO_TIME;
    b.dev.Access(true, kHigh, 64 * 1024, w);  // leaves the device at w
    sc_core::sc_time r = sc_core::SC_ZERO_TIME;
    b.host.Access(false, 0x1000, 4, r);
    EXPECT_GT(r, w);  // the CplD queued behind 64 KiB of writes
    const LinkTiming& t = b.link.timing();
    EXPECT_EQ(Ps(r), Ps(w) + t.WireTimePs(24) + t.HopPs());
  });
}

NVMESIM_SIM_TEST(LinkConfigCheck, BadConfigurationIsRejected) {
  auto message = [](LinkConfig c) {
    try {
      Link l("l", c);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  LinkConfig c;
  c.generation = 6;
  EXPECT_EQ(message(c),
            "pcie link: generation 6 is not 1..5 (PCIe 5.0 4.2: 2.5, 5.0, 8.0, 16.0, 32.0 GT/s)");
  c = {};
  c.width = 3;
  EXPECT_NE(message(c).find("width x3"), std::string::npos);
  c = {};
  c.max_payload_size = 96;
  EXPECT_NE(message(c).find("max_payload_size 96"), std::string::npos);
  c = {};
  c.max_read_request_size = 8192;
  EXPECT_NE(message(c).find("max_read_request_size 8192 exceeds 4096"), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::pcie

namespace nvmesim::pcie {
namespace {

struct Recorder : spec::TraceSink {
  std::vector<spec::TraceEvent> events;
  void Emit(const spec::TraceEvent& e) override { events.push_back(e); }
};

// Approximate and cycle give the same TLPs, bytes and data for a random mix,
// and times within 1 % when credits and tags do not limit.
NVMESIM_SIM_TEST(LinkFidelity, ApproximateMatchesCycle) {
  LinkConfig ca;
  ca.fidelity = Fidelity::kApproximate;
  LinkConfig cc = ca;
  cc.fidelity = Fidelity::kCycle;
  testing::LinkBench a(ca, 50'000, 30'000, "a");
  testing::LinkBench c(cc, 50'000, 30'000, "c");
  sc_core::sc_time ta, tc;
  auto mix = [](testing::LinkBench& b, sc_core::sc_time& total) {
    uint32_t x = 12345;  // fixed LCG: the same mix on both links
    for (int i = 0; i < 3000; ++i) {
      x = x * 1664525u + 1013904223u;
      const uint64_t addr = kHigh + (x >> 8) % (1 << 19);
      const uint32_t len = 1 + (x >> 3) % 8192;
      sc_core::sc_time d = sc_core::SC_ZERO_TIME;
      switch (x % 4) {
        case 0:
          b.dev.Access(true, addr, len, d);
          break;
        case 1:
          b.dev.Access(false, addr, len, d);
          break;
        case 2:
          b.host.Access(true, 0xC0000000 + (x % 4096), 4, d);
          break;
        default:
          b.host.Access(false, 0xC0000000 + (x % 4096) / 4 * 4, 4, d);
          break;
      }
      sc_core::wait(d);
    }
    total = sc_core::sc_time_stamp();
  };
  sc_core::sc_spawn([&] { mix(a, ta); });
  sc_core::sc_spawn([&] { mix(c, tc); });
  sc_core::sc_start();
  for (Direction d : {Direction::kDownstream, Direction::kUpstream}) {
    EXPECT_EQ(a.link.counters(d).tlps, c.link.counters(d).tlps);
    EXPECT_EQ(a.link.counters(d).payload_bytes, c.link.counters(d).payload_bytes);
    EXPECT_EQ(a.link.counters(d).dllps, c.link.counters(d).dllps);
  }
  EXPECT_EQ(a.host.received_bytes, c.host.received_bytes);
  EXPECT_EQ(a.dev.received, c.dev.received);
  EXPECT_NEAR(ta.to_seconds(), tc.to_seconds(), 0.01 * tc.to_seconds());
}

NVMESIM_SIM_TEST(LinkTrace, OneEventPerTransaction) {
  Recorder rec;
  LinkConfig c;
  End host("host", sc_core::SC_ZERO_TIME), dev("dev", sc_core::SC_ZERO_TIME);
  Link link("link0", c, &rec);
  host.initiator.bind(link.down_target);
  link.down_initiator.bind(dev.target);
  dev.initiator.bind(link.up_target);
  link.up_initiator.bind(host.target);
  RunThread([&] {
    sc_core::wait(sc_core::sc_time(1, sc_core::SC_US));
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    dev.Access(true, kHigh, 512, d);
    d = sc_core::SC_ZERO_TIME;
    host.Access(false, 0x1000, 4, d);
  });
  ASSERT_EQ(rec.events.size(), 2u);
  EXPECT_STREQ(rec.events[0].name, "tlp_mwr");
  EXPECT_STREQ(rec.events[0].source, "link0.up");
  EXPECT_EQ(rec.events[0].time_ps, 1'000'000u);
  EXPECT_EQ(rec.events[0].b, 512u);
  EXPECT_STREQ(rec.events[1].name, "tlp_mrd");
  EXPECT_STREQ(rec.events[1].source, "link0.down");
}

}  // namespace
}  // namespace nvmesim::pcie

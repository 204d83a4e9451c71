// Link faults: link down, retrain, LCRC errors with replay, completion loss.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "pcie_model/link.h"
#include "pcie_model/link_test_fixture.h"
#include "tests/support/sim_test.h"

namespace nvmesim::pcie {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_US;
using testing::FromPs;
using testing::LinkBench;
using testing::Ps;
using testing::RunThread;
using testing::StreamWrites;

constexpr uint64_t kHigh = 0x100000000ull;

void LinkDownMidTransfer(Fidelity f) {
  LinkConfig c;
  c.fidelity = f;
  LinkBench b(c);
  std::vector<std::pair<uint64_t, bool>> changes;
  b.link.SetStateListener([&](const LinkState& s) {
    changes.push_back({Ps(sc_core::sc_time_stamp()), s.up});
  });
  b.link.ScheduleLinkDown(sc_time(2, SC_US), sc_time(100, SC_US));
  RunThread([&] {
    sc_time d = sc_core::SC_ZERO_TIME;
    b.dev.Access(true, kHigh, 64 * 1024, d);  // ~4.6 us of TLPs; the link drops at 2 us
    sc_core::wait(sc_time(3, SC_US));
    // Host read of the removed device: completion timeout, all ones.
    d = sc_core::SC_ZERO_TIME;
    b.host.buffer[0] = 0;
    EXPECT_EQ(b.host.Access(false, 0xC0000000, 4, d), tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(b.host.buffer[0], 0xFF);
    EXPECT_EQ(d, FromPs(c.completion_timeout_ps));
    // Device DMA read: same.
    d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(b.dev.Access(false, kHigh, 4096, d), tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(d, FromPs(c.completion_timeout_ps));
    sc_core::wait(sc_time(110, SC_US) - sc_core::sc_time_stamp());
    d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(b.host.Access(false, 0xC0000000, 4, d), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(b.host.buffer[0], 0xA5);
  });
  if (f == Fidelity::kFunctional) {
    // Zero time: the whole transfer was sent at t = 0, before the fault.
    EXPECT_EQ(b.host.received_bytes, 64u * 1024);
  } else {
    // TLPs that started before 2 us arrived; the rest were lost.
    const uint64_t tlp = b.link.timing().TlpTimePs(256, 4);
    const uint64_t sent = (2'000'000 + tlp - 1) / tlp;
    EXPECT_EQ(b.host.received_bytes, sent * 256) << FidelityName(f);
    // + 1: the device's read request sent while the link was down.
    EXPECT_EQ(b.link.counters(Direction::kUpstream).dropped_tlps, 256 - sent + 1);
  }
  EXPECT_EQ(b.link.counters(Direction::kDownstream).completion_timeouts, 1u);
  EXPECT_EQ(b.link.counters(Direction::kUpstream).completion_timeouts, 1u);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (std::pair<uint64_t, bool>{2'000'000, false}));
  EXPECT_EQ(changes[1], (std::pair<uint64_t, bool>{100'000'000, true}));
}
NVMESIM_SIM_TEST(LinkFault, DownMidTransferApproximate) {
  LinkDownMidTransfer(Fidelity::kApproximate);
}
NVMESIM_SIM_TEST(LinkFault, DownMidTransferCycle) { LinkDownMidTransfer(Fidelity::kCycle); }
NVMESIM_SIM_TEST(LinkFault, DownFunctional) { LinkDownMidTransfer(Fidelity::kFunctional); }

NVMESIM_SIM_TEST(LinkFault, SetLinkDownNowAndUp) {
  LinkConfig c;
  LinkBench b(c);
  RunThread([&] {
    b.link.SetLinkDown(true);
    EXPECT_FALSE(b.link.State().up);
    sc_time d = sc_core::SC_ZERO_TIME;
    b.dev.Access(true, kHigh, 4096, d);
    EXPECT_EQ(b.host.received, 0u);
    EXPECT_EQ(b.link.counters(Direction::kUpstream).dropped_tlps, 16u);
    sc_core::wait(sc_time(1, SC_US));
    b.link.SetLinkDown(false);
    EXPECT_TRUE(b.link.State().up);
    d = sc_core::SC_ZERO_TIME;
    b.dev.Access(true, kHigh, 4096, d);
    EXPECT_EQ(b.host.received_bytes, 4096u);
  });
}

void RetrainChangesBandwidth(Fidelity f) {
  LinkConfig c;
  c.fidelity = f;
  LinkBench b(c);
  double before = 0, after = 0;
  RunThread([&] {
    before = StreamWrites(b.dev, kHigh, 4096, 1000);
    EXPECT_EQ(b.link.Retrain(3, 2), "");
    after = StreamWrites(b.dev, kHigh, 4096, 1000);
  });
  const double gen5x4 = 32e9 * 4 * 128 / 130 / 8 * 256 / 280;
  const double gen3x2 = 8e9 * 2 * 128 / 130 / 8 * 256 / 280;
  std::printf("retrain %s: gen5 x4 %.4f GB/s (formula %.4f), gen3 x2 %.4f GB/s (formula %.4f)\n",
              FidelityName(f), before / 1e9, gen5x4 / 1e9, after / 1e9, gen3x2 / 1e9);
  EXPECT_NEAR(before, gen5x4, gen5x4 * 0.01) << FidelityName(f);
  EXPECT_NEAR(after, gen3x2, gen3x2 * 0.01) << FidelityName(f);
  EXPECT_EQ(b.link.State().generation, 3u);
  EXPECT_EQ(b.link.State().width, 2u);
  EXPECT_EQ(b.link.StateAt(sc_core::SC_ZERO_TIME).generation, 5u);
}
NVMESIM_SIM_TEST(LinkFault, RetrainApproximate) { RetrainChangesBandwidth(Fidelity::kApproximate); }
NVMESIM_SIM_TEST(LinkFault, RetrainCycle) { RetrainChangesBandwidth(Fidelity::kCycle); }

NVMESIM_SIM_TEST(LinkFault, RetrainRejectsHigherThanTrained) {
  LinkConfig c;
  c.generation = 4;
  c.width = 4;
  LinkBench b(c);
  EXPECT_NE(b.link.Retrain(5, 4).find("generation 5 is not 1..4"), std::string::npos);
  EXPECT_NE(b.link.Retrain(4, 8).find("width x8"), std::string::npos);
  EXPECT_NE(b.link.Retrain(4, 3).find("width x3"), std::string::npos);
  EXPECT_EQ(b.link.ScheduleRetrain(sc_time(5, SC_US), 2, 1), "");
  EXPECT_EQ(b.link.StateAt(sc_time(5, SC_US)).generation, 2u);
  EXPECT_EQ(b.link.StateAt(sc_time(4, SC_US)).generation, 4u);
}

struct ReplayRun {
  uint64_t replays = 0;
  uint64_t elapsed_ps = 0;
  double throughput = 0;
};

ReplayRun RunReplay(Fidelity f, uint64_t seed, double p, const std::string& prefix, int n) {
  LinkConfig c;
  c.fidelity = f;
  c.seed = seed;
  auto* b = new LinkBench(c, 0, 0, prefix);  // lives until the process ends
  EXPECT_EQ(b->link.SetLcrcErrorRate(p), "");
  ReplayRun r;
  sc_core::sc_spawn([b, &r, n] {
    const sc_time t0 = sc_core::sc_time_stamp();
    r.throughput = StreamWrites(b->dev, kHigh, 256, n);
    r.elapsed_ps = Ps(sc_core::sc_time_stamp() - t0);
  });
  sc_core::sc_start();
  r.replays = b->link.counters(Direction::kUpstream).replays;
  const LinkTiming& t = b->link.timing();
  // Every Nak costs one TLP time plus the Nak loop, exactly.
  EXPECT_EQ(r.elapsed_ps,
            n * t.TlpTimePs(256, 4) + r.replays * (t.TlpTimePs(256, 4) + t.NakLoopPs()));
  EXPECT_EQ(b->link.counters(Direction::kUpstream).tlps, n + r.replays);
  EXPECT_EQ(b->link.counters(Direction::kDownstream).dllps, n / 4 * 2 + r.replays);  // + Naks
  return r;
}

void ReplayLowersBandwidth(Fidelity f) {
  const int n = 40000;
  const double p = 0.01;
  const ReplayRun r = RunReplay(f, 7, p, "a", n);
  LinkConfig c;
  const LinkTiming t(c);
  const double predicted = t.ReplayLimitedBytesPerSecond(256, 4, p);
  std::printf("LCRC 1%% %s: %llu replays in %d TLPs, %.4f GB/s (formula %.4f GB/s)\n",
              FidelityName(f), static_cast<unsigned long long>(r.replays), n, r.throughput / 1e9,
              predicted / 1e9);
  EXPECT_NEAR(r.throughput, predicted, predicted * 0.01) << FidelityName(f);
  EXPECT_LT(r.throughput, t.PostedStreamBytesPerSecond(256, 4, false) * 0.95);
  const double expected_replays = n * p / (1 - p);
  EXPECT_NEAR(static_cast<double>(r.replays), expected_replays, 4 * std::sqrt(expected_replays));
}
NVMESIM_SIM_TEST(LinkFault, ReplayApproximate) { ReplayLowersBandwidth(Fidelity::kApproximate); }
NVMESIM_SIM_TEST(LinkFault, ReplayCycle) { ReplayLowersBandwidth(Fidelity::kCycle); }

NVMESIM_SIM_TEST(LinkFault, ReplayIsDeterministicPerSeed) {
  // Three links in one simulation: seeds 11, 11, 12.
  LinkConfig c;
  c.fidelity = Fidelity::kCycle;
  c.seed = 11;
  LinkBench a(c, 0, 0, "a");
  LinkBench b(c, 0, 0, "b");
  LinkConfig c3 = c;
  c3.seed = 12;
  LinkBench d(c3, 0, 0, "c");
  for (LinkBench* x : {&a, &b, &d}) {
    EXPECT_EQ(x->link.SetLcrcErrorRate(0.02), "");
    sc_core::sc_spawn([x] { StreamWrites(x->dev, kHigh, 256, 5000); });
  }
  sc_core::sc_start();
  const uint64_t ra = a.link.counters(Direction::kUpstream).replays;
  EXPECT_GT(ra, 0u);
  EXPECT_EQ(b.link.counters(Direction::kUpstream).replays, ra);
  EXPECT_EQ(b.link.counters(Direction::kUpstream).busy_ps,
            a.link.counters(Direction::kUpstream).busy_ps);
  EXPECT_NE(d.link.counters(Direction::kUpstream).replays, ra);
}

NVMESIM_SIM_TEST(LinkFault, ScheduledLcrcWindowEnds) {
  LinkConfig c;
  LinkBench b(c);
  EXPECT_EQ(b.link.ScheduleLcrcErrorRate(sc_core::SC_ZERO_TIME, sc_time(10, SC_US), 0.5), "");
  EXPECT_NE(b.link.SetLcrcErrorRate(1.0), "");
  uint64_t during = 0;
  RunThread([&] {
    StreamWrites(b.dev, kHigh, 256, 200);  // ~3.6 us at 50 % replays... ends inside the window
    during = b.link.counters(Direction::kUpstream).replays;
    sc_core::wait(sc_time(20, SC_US));
    StreamWrites(b.dev, kHigh, 256, 200);
  });
  EXPECT_GT(during, 50u);
  EXPECT_EQ(b.link.counters(Direction::kUpstream).replays, during);
}

NVMESIM_SIM_TEST(LinkFault, CompletionLossGivesTimeout) {
  LinkConfig c;
  LinkBench b(c, 80'000, 0);
  b.link.ScheduleCompletionLoss(sc_core::SC_ZERO_TIME, sc_time(10, SC_US));
  RunThread([&] {
    sc_time d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(b.dev.Access(false, kHigh, 512, d), tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(d, FromPs(c.completion_timeout_ps));
    EXPECT_TRUE(b.link.State().up);
    TlpExtension ext;
    ext.type = TlpType::kMemoryRead;
    d = sc_core::SC_ZERO_TIME;
    b.dev.Access(false, kHigh, 4, d, &ext);
    EXPECT_EQ(ext.completion, CompletionStatus::kCompletionTimeout);
    sc_core::wait(sc_time(20, SC_US));
    d = sc_core::SC_ZERO_TIME;
    b.dev.Access(false, kHigh, 4, d, &ext);
    EXPECT_EQ(ext.completion, CompletionStatus::kSuccessful);
  });
  EXPECT_EQ(b.link.counters(Direction::kUpstream).completion_timeouts, 2u);
}

NVMESIM_SIM_TEST(LinkFault, CompletionLossNowUntilCleared) {
  LinkConfig c;
  LinkBench b(c);
  RunThread([&] {
    b.link.SetCompletionLoss(true);
    sc_time d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(b.host.Access(false, 0xC0000000, 4, d), tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(b.dev.received, 0u);  // the request never reached the completer's answer path
    sc_core::wait(sc_time(1, SC_US));
    b.link.SetCompletionLoss(false);
    d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(b.host.Access(false, 0xC0000000, 4, d), tlm::TLM_OK_RESPONSE);
    // Posted writes are not affected.
    d = sc_core::SC_ZERO_TIME;
    b.link.SetCompletionLoss(true);
    b.host.Access(true, 0xC0000000, 4, d);
    EXPECT_EQ(b.dev.received, 2u);
  });
  EXPECT_EQ(b.link.counters(Direction::kDownstream).completion_timeouts, 1u);
}

}  // namespace
}  // namespace nvmesim::pcie

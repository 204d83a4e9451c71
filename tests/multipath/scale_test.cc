// Sixteen paths with a rolling failure of fifteen, and the latency-aware
// policy against round-robin when one path is twice as slow.
#include <cstdio>

#include "tests/multipath/mp_rig.h"
#include "tests/support/sim_test.h"

namespace nvmesim::tests {
namespace {

namespace mp = driver::multipath;

// 16 controllers of one subsystem (multipath_max_paths = 16); links 0..14
// are pulled one every 250 us while 4 jobs keep QD 128 in flight.
NVMESIM_SIM_TEST(MultipathScale, SixteenPathsRollingFailureOfFifteen) {
  MpRigOptions ro;
  ro.controllers = 16;
  ro.queue_count = 1;
  ro.queue_depth = 128;
  MpRig rig(ro);
  WorkloadOptions wo;
  wo.jobs = 4;
  wo.iodepth = 32;
  wo.ios = 100000;
  std::unique_ptr<VerifyingWorkload> work;
  bool finished = false;
  rig.Start([&](mp::MultipathNamespace& ns) {
    EXPECT_EQ(ns.path_count(), 16);
    work = std::make_unique<VerifyingWorkload>(rig.system(), ns, wo);
    work->Start([&] {
      finished = true;
      rig.system().cpu().Halt();
    });
    for (size_t i = 0; i < 15; ++i) {
      rig.After(250'000 * (i + 1), [&rig, i] { rig.system().link(i).SetLinkDown(true); });
    }
  });
  sc_core::sc_start(sc_core::sc_time(5, sc_core::SC_SEC));
  ASSERT_TRUE(finished);
  const WorkloadResult& w = work->result();
  Report("16 paths, rolling failure of 15", rig, w);
  EXPECT_EQ(w.completed, w.submitted);
  EXPECT_EQ(w.duplicates, 0u);
  EXPECT_EQ(w.failed, 0u);
  EXPECT_EQ(w.mismatches, 0u);
  EXPECT_GT(w.final_verified, 0u);
  const mp::MultipathNamespace& ns = rig.ns();
  for (int i = 0; i < 15; ++i) {
    EXPECT_EQ(ns.path(i).StateName(), std::string("dead")) << i;
    EXPECT_GT(ns.path(i).counters.completed_ok, 0u) << i;  // each carried I/O before it died
  }
  EXPECT_EQ(ns.path(15).StateName(), std::string("live"));
  EXPECT_GT(ns.counters().failovers, 0u);
  EXPECT_LE(ns.counters().failover_max_ns, 5'000'000u);
}

struct PhaseResult {
  uint64_t p99 = 0, p50 = 0, slow_share_permille = 0;
};

// One path's controller costs twice as much per command (command overhead,
// served in order by its engine). The same closed-loop read/write load runs
// first with round-robin, then with the latency-aware policy.
NVMESIM_SIM_TEST(MultipathScale, LatencyAwareBeatsRoundRobinWithASlowPath) {
  MpRigOptions ro;
  ro.controllers = 2;
  ro.command_overhead_ps = {2'000'000, 4'000'000};  // 2 us and 4 us per command
  MpRig rig(ro);
  WorkloadOptions wo;
  wo.jobs = 2;
  wo.iodepth = 16;
  wo.ios = 12000;
  wo.final_verify = false;
  PhaseResult rr, lat;
  std::unique_ptr<VerifyingWorkload> work;
  bool finished = false;
  auto phase = [&](mp::MultipathNamespace& ns, PhaseResult* out, std::function<void()> next) {
    const uint64_t slow0 = ns.path(1).counters.submitted;
    const uint64_t all0 = ns.path(0).counters.submitted + slow0;
    work = std::make_unique<VerifyingWorkload>(rig.system(), ns, wo);
    work->Start([&, out, next, slow0, all0] {
      const WorkloadResult& w = work->result();
      EXPECT_EQ(w.completed, w.submitted);
      EXPECT_EQ(w.failed, 0u);
      EXPECT_EQ(w.mismatches, 0u);
      out->p99 = w.Percentile(99);
      out->p50 = w.Percentile(50);
      const uint64_t slow = rig.ns().path(1).counters.submitted - slow0;
      const uint64_t all =
          rig.ns().path(0).counters.submitted + rig.ns().path(1).counters.submitted - all0;
      out->slow_share_permille = all ? slow * 1000 / all : 0;
      rig.After(0, next);
    });
  };
  rig.Start([&](mp::MultipathNamespace& ns) {
    ns.SetPolicy(mp::Policy::kRoundRobin);
    phase(ns, &rr, [&] {
      bool ok = false;
      const std::string out =
          mp::MultipathConfig(rig.ns(), "policy=latency probe_interval=256", &ok);
      EXPECT_TRUE(ok) << out;
      phase(rig.ns(), &lat, [&] {
        finished = true;
        rig.system().cpu().Halt();
      });
    });
  });
  sc_core::sc_start(sc_core::sc_time(5, sc_core::SC_SEC));
  ASSERT_TRUE(finished);
  std::printf("round-robin: p50 %.1f us p99 %.1f us, slow path share %.1f%%\n", rr.p50 / 1e3,
              rr.p99 / 1e3, rr.slow_share_permille / 10.0);
  std::printf("latency:     p50 %.1f us p99 %.1f us, slow path share %.1f%% (probes %llu)\n",
              lat.p50 / 1e3, lat.p99 / 1e3, lat.slow_share_permille / 10.0,
              (unsigned long long)rig.ns().probes());
  std::printf("latency-aware p99 / round-robin p99 = %.3f\n",
              static_cast<double>(lat.p99) / rr.p99);
  std::printf("%s", mp::MultipathInfo(rig.manager()).c_str());
  // The asserted margin: latency-aware p99 at least 20% below round-robin's.
  EXPECT_LT(lat.p99 * 100, rr.p99 * 80);
  EXPECT_NEAR(static_cast<double>(rr.slow_share_permille), 500.0, 10.0);
  EXPECT_LT(lat.slow_share_permille, 450u);  // the slow path carries less...
  EXPECT_GT(lat.slow_share_permille, 0u);    // ...but still some (probes and balance)
  EXPECT_GT(rig.ns().probes(), 0u);
}

}  // namespace
}  // namespace nvmesim::tests

// Multipath failover end to end: real drivers on controller models of one
// NVM subsystem through PCIe links, the multipath manager over them, and a
// verifying workload (every request exactly once, every block checked).
#include <cstdio>

#include "tests/multipath/mp_rig.h"
#include "tests/support/sim_test.h"

namespace nvmesim::tests {
namespace {

namespace mp = driver::multipath;
using device::AnaState;

void ExpectClean(const WorkloadResult& w) {
  EXPECT_GT(w.submitted, 0u);
  EXPECT_EQ(w.completed, w.submitted) << "lost requests";
  EXPECT_EQ(w.duplicates, 0u);
  EXPECT_EQ(w.refused, 0u);
  EXPECT_EQ(w.failed, 0u);
  EXPECT_EQ(w.mismatches, 0u);
  EXPECT_GT(w.final_verified, 0u);
  EXPECT_EQ(w.final_verified, w.written_blocks == 0 ? 0 : w.final_verified);
}

// Runs `w` on the rig; `at_start` schedules faults once I/O flows.
WorkloadResult Run(MpRig& rig, const WorkloadOptions& wo,
                   std::function<void(mp::MultipathNamespace&)> at_start = nullptr,
                   uint64_t limit_ms = 2000) {
  std::unique_ptr<VerifyingWorkload> work;
  bool finished = false;
  rig.Start([&](mp::MultipathNamespace& ns) {
    work = std::make_unique<VerifyingWorkload>(rig.system(), ns, wo);
    work->Start([&] {
      finished = true;
      rig.system().cpu().Halt();
    });
    if (at_start) at_start(ns);
  });
  sc_core::sc_start(sc_core::sc_time(static_cast<double>(limit_ms), sc_core::SC_MS));
  EXPECT_TRUE(rig.ready());
  EXPECT_TRUE(finished) << "workload did not finish; in flight "
                        << (work ? work->result().submitted - work->result().completed : 0);
  return work ? work->result() : WorkloadResult{};
}

// Issue 8: two host ports x two controllers; the optimized path's link is
// pulled mid-run at QD 128 (4 jobs x 32). Requests it held fail with Host
// Pathing Error once the driver sees the registers read all ones, and each
// is re-queued once on the non-optimized paths.
NVMESIM_SIM_TEST(MultipathE2E, OptimizedLinkPulledAtQd128FourPaths) {
  MpRigOptions ro;
  ro.controllers = 4;
  ro.policy = mp::Policy::kRoundRobin;
  MpRig rig(ro);
  for (int i = 1; i < 4; ++i)
    rig.system().subsystem(0).SetAnaState(1, rig.cntlid(i), AnaState::kNonOptimized);
  WorkloadOptions wo;
  wo.jobs = 4;
  wo.iodepth = 32;
  wo.ios = 24000;
  uint64_t pulled_ns = 0;
  uint64_t moved_at_pull = 0;
  const WorkloadResult w = Run(rig, wo, [&](mp::MultipathNamespace& ns) {
    rig.After(2'000'000, [&] {
      pulled_ns = rig.now_ns();
      moved_at_pull = ns.path(0).inflight;
      rig.system().link(0).SetLinkDown(true);
    });
  });
  Report("optimized link pulled at QD 128, 4 paths", rig, w);
  ExpectClean(w);
  const mp::MultipathNamespace& ns = rig.ns();
  EXPECT_GT(moved_at_pull, 0u);
  EXPECT_EQ(ns.path(0).StateName(), std::string("dead"));
  EXPECT_EQ(ns.path(0).ana, mp::AnaState::kOptimized);
  EXPECT_GE(ns.counters().failovers, moved_at_pull);
  EXPECT_EQ(ns.path(0).counters.moved_off, ns.counters().failovers);
  // Detection: the driver's 1 ms CSTS check; failover after detection: bounded.
  const uint64_t detect_ns = ns.path(0).last_down_ns - pulled_ns;
  std::printf(
      "detection %.1f us, failover after detection max %.1f us mean %.1f us (%llu requests)\n",
      detect_ns / 1e3, ns.counters().failover_max_ns / 1e3,
      ns.counters().failover_samples
          ? ns.counters().failover_total_ns / 1e3 / ns.counters().failover_samples
          : 0.0,
      (unsigned long long)ns.counters().failover_samples);
  EXPECT_LE(detect_ns, 2'000'000u);
  EXPECT_GT(ns.counters().failover_samples, 0u);
  EXPECT_LE(ns.counters().failover_max_ns, 2'000'000u);
  for (int i = 1; i < 4; ++i) EXPECT_GT(ns.path(i).counters.completed_ok, 0u) << i;
}

NVMESIM_SIM_TEST(MultipathE2E, LinkPulledTwoPathsRoundRobin) {
  MpRigOptions ro;
  ro.controllers = 2;
  MpRig rig(ro);
  WorkloadOptions wo;
  wo.ios = 12000;
  const WorkloadResult w = Run(rig, wo, [&](mp::MultipathNamespace&) {
    rig.After(1'000'000, [&] { rig.system().link(1).SetLinkDown(true); });
  });
  Report("link pulled, 2 paths", rig, w);
  ExpectClean(w);
  EXPECT_EQ(rig.ns().path(1).StateName(), std::string("dead"));
  EXPECT_GT(rig.ns().counters().failovers, 0u);
}

// ANA Inaccessible through the path in use and back: failover, then failback.
NVMESIM_SIM_TEST(MultipathE2E, AnaInaccessibleAndBack) {
  MpRigOptions ro;
  ro.controllers = 2;
  ro.policy = mp::Policy::kNuma;  // path 0 (node 0) carries everything while it can
  MpRig rig(ro);
  WorkloadOptions wo;
  wo.ios = 16000;
  uint64_t p0_at_restore = 0, p1_at_off = 0, p1_at_restore = 0;
  const WorkloadResult w = Run(rig, wo, [&](mp::MultipathNamespace& ns) {
    rig.After(1'000'000, [&] {
      p1_at_off = ns.path(1).counters.submitted;
      rig.system().subsystem(0).SetAnaState(1, rig.cntlid(0), AnaState::kInaccessible);
    });
    rig.After(3'000'000, [&] {
      p0_at_restore = ns.path(0).counters.submitted;
      p1_at_restore = ns.path(1).counters.submitted;
      rig.system().subsystem(0).SetAnaState(1, rig.cntlid(0), AnaState::kOptimized);
    });
  });
  Report("ANA inaccessible and back", rig, w);
  ExpectClean(w);
  const mp::MultipathNamespace& ns = rig.ns();
  EXPECT_EQ(p1_at_off, 0u);                                 // before: all on path 0
  EXPECT_GT(p1_at_restore, 0u);                             // during: failover to path 1
  EXPECT_GT(ns.path(0).counters.submitted, p0_at_restore);  // after: failback to path 0
  EXPECT_GE(ns.counters().failbacks, 1u);
  EXPECT_EQ(ns.path(0).ana, mp::AnaState::kOptimized);
  EXPECT_GE(rig.manager().ana_log_reads(), 3u);  // discovery + both notices
}

// ANA Change on the only usable path: I/O waits (within ANATT) and completes.
NVMESIM_SIM_TEST(MultipathE2E, AnaTransitionWaitsWithinAnatt) {
  MpRigOptions ro;
  ro.controllers = 2;
  ro.no_path_timeout_ns = 500'000;  // 0.5 ms: shorter than the transition, ANATT covers it
  MpRig rig(ro);
  rig.system().subsystem(0).SetAnaState(1, rig.cntlid(1), AnaState::kInaccessible);
  WorkloadOptions wo;
  wo.ios = 8000;
  const WorkloadResult w = Run(rig, wo, [&](mp::MultipathNamespace&) {
    rig.After(1'000'000,
              [&] { rig.system().subsystem(0).SetAnaState(1, rig.cntlid(0), AnaState::kChange); });
    rig.After(3'000'000, [&] {
      rig.system().subsystem(0).SetAnaState(1, rig.cntlid(0), AnaState::kOptimized);
    });
  });
  Report("ANA transition within ANATT", rig, w);
  ExpectClean(w);
  EXPECT_GT(rig.ns().counters().waited, 0u);
  EXPECT_EQ(rig.ns().counters().wait_timeouts, 0u);
}

// Controller Fatal Status on one path: the driver resets that controller;
// the other path carries new I/O meanwhile; nothing lost or doubled.
NVMESIM_SIM_TEST(MultipathE2E, ControllerFatalOnOnePath) {
  MpRigOptions ro;
  ro.controllers = 2;
  MpRig rig(ro);
  WorkloadOptions wo;
  wo.ios = 12000;
  const WorkloadResult w = Run(rig, wo, [&](mp::MultipathNamespace&) {
    rig.After(1'000'000, [&] { rig.system().device(0).InjectFatal(); });
  });
  Report("controller fatal on one path", rig, w);
  ExpectClean(w);
  EXPECT_GE(rig.system().driver(0)->stats().resets, 1u);
  EXPECT_GE(rig.ns().path(0).counters.down_events, 1u);
  EXPECT_GE(rig.ns().path(0).counters.up_events, 1u);
  EXPECT_EQ(rig.ns().path(0).StateName(), std::string("live"));
  EXPECT_GT(rig.ns().path(1).counters.completed_ok, 0u);
}

// A host-requested reset of one controller at QD 128: the I/O it held goes
// back to the multipath layer with Command Aborted By Host at once and
// completes on the other path, instead of waiting in that controller for
// its re-initialisation.
NVMESIM_SIM_TEST(MultipathE2E, ResetHandsHeldIoToTheOtherPath) {
  MpRigOptions ro;
  ro.controllers = 2;
  MpRig rig(ro);
  WorkloadOptions wo;
  wo.ios = 12000;
  const WorkloadResult w = Run(rig, wo, [&](mp::MultipathNamespace&) {
    rig.After(1'000'000, [&] { rig.system().driver(0)->Reset([](spec::Status) {}); });
  });
  Report("controller reset on one path", rig, w);
  ExpectClean(w);
  const driver::ControllerStats& st = rig.system().driver(0)->stats();
  EXPECT_EQ(st.resets, 1u);
  EXPECT_GT(st.failed_over_on_reset, 0u);
  EXPECT_EQ(st.requeued_on_reset, 0u);  // nothing waited in the resetting controller
  EXPECT_GE(rig.ns().counters().failovers, st.failed_over_on_reset);
  EXPECT_EQ(rig.ns().path(0).StateName(), std::string("live"));  // back after the reset
}

// NSID 2 starts on controller 0 only. Attached to controller 1 after
// discovery, the Namespace Attribute Changed notice makes that driver rescan
// and the manager gives nvme0n2 a second path, which then carries I/O.
// Detached from controller 0 afterwards, its path goes down for good (it
// does not come back when that controller is reset) and I/O runs on the other.
NVMESIM_SIM_TEST(MultipathE2E, NamespaceAttachedAfterDiscoveryGainsAPath) {
  MpRigOptions ro;
  ro.controllers = 2;
  device::NamespaceConfig extra;
  extra.nsid = 2;
  extra.size_lbas = 1u << 14;
  extra.lba_bytes = 4096;
  extra.ana_group = 1;
  extra.attached = {1};  // CNTLID 1 = controller 0
  ro.extra_namespaces = {extra};
  MpRig rig(ro);
  WorkloadOptions wo;
  wo.ios = 4000;
  mp::MultipathNamespace* ns2 = nullptr;
  int paths_at_discovery = -1;
  spec::Status attach(spec::GenericStatus::kInternalError);
  spec::Status detach(spec::GenericStatus::kInternalError);
  std::unique_ptr<VerifyingWorkload> first, second;
  uint64_t path0_after_first = 0;
  bool reset_done = false, finished = false;
  rig.Start([&](mp::MultipathNamespace&) {
    ns2 = rig.manager().Find(2);
    if (ns2 == nullptr) return rig.system().cpu().Halt();
    paths_at_discovery = ns2->path_count();
    rig.system().driver(0)->namespaces().Attach(2, {rig.cntlid(1)}, true,
                                                [&](spec::Status s) { attach = s; });
    rig.After(2'000'000, [&] {
      first = std::make_unique<VerifyingWorkload>(rig.system(), *ns2, wo);
      first->Start([&] {
        path0_after_first = ns2->path(0).counters.completed_ok;
        rig.system().driver(0)->namespaces().Attach(2, {rig.cntlid(0)}, false,
                                                    [&](spec::Status s) { detach = s; });
        rig.After(2'000'000, [&] {
          rig.system().driver(0)->Reset([&](spec::Status) { reset_done = true; });
          rig.After(2'000'000, [&] {
            second = std::make_unique<VerifyingWorkload>(rig.system(), *ns2, wo);
            second->Start([&] {
              finished = true;
              rig.system().cpu().Halt();
            });
          });
        });
      });
    });
  });
  sc_core::sc_start(sc_core::sc_time(2000.0, sc_core::SC_MS));
  ASSERT_NE(ns2, nullptr);
  ASSERT_TRUE(finished);
  EXPECT_EQ(paths_at_discovery, 1);
  EXPECT_TRUE(attach.ok()) << attach.ToString();
  EXPECT_TRUE(detach.ok()) << detach.ToString();
  EXPECT_TRUE(reset_done);
  ASSERT_EQ(ns2->path_count(), 2);
  EXPECT_EQ(rig.manager().paths_added(), 1u);
  EXPECT_EQ(rig.manager().paths_detached(), 1u);
  ExpectClean(first->result());
  ExpectClean(second->result());
  EXPECT_GT(path0_after_first, 0u);
  EXPECT_GT(ns2->path(1).counters.completed_ok, 0u);  // the joined path carried I/O
  EXPECT_EQ(ns2->path(0).StateName(), std::string("dead"));
  EXPECT_EQ(ns2->path(0).counters.completed_ok, path0_after_first);  // none after the detach
  Report("namespace attached after discovery", rig, second->result());
}

// All four paths down (two links pulled, the other two ANA Inaccessible),
// then one comes back: the waiting I/O completes on it.
NVMESIM_SIM_TEST(MultipathE2E, AllPathsDownThenOneBack) {
  MpRigOptions ro;
  ro.controllers = 4;
  MpRig rig(ro);
  WorkloadOptions wo;
  wo.ios = 10000;
  size_t waiting_at_return = 0;
  const WorkloadResult w = Run(rig, wo, [&](mp::MultipathNamespace& ns) {
    rig.After(1'000'000, [&] {
      rig.system().link(0).SetLinkDown(true);
      rig.system().link(1).SetLinkDown(true);
      rig.system().subsystem(0).SetAnaState(1, rig.cntlid(2), AnaState::kInaccessible);
      rig.system().subsystem(0).SetAnaState(1, rig.cntlid(3), AnaState::kInaccessible);
    });
    rig.After(6'000'000, [&] {
      waiting_at_return = ns.waiting();
      rig.system().subsystem(0).SetAnaState(1, rig.cntlid(3), AnaState::kOptimized);
    });
  });
  Report("all paths down then one back", rig, w);
  ExpectClean(w);
  EXPECT_GT(waiting_at_return, 0u);
  EXPECT_EQ(rig.ns().counters().wait_timeouts, 0u);
  EXPECT_EQ(rig.ns().path(0).StateName(), std::string("dead"));
  EXPECT_EQ(rig.ns().path(1).StateName(), std::string("dead"));
  EXPECT_EQ(rig.ns().path(2).ana, mp::AnaState::kInaccessible);
  EXPECT_GT(rig.ns().path(3).counters.completed_ok, 0u);
}

// LBA Out of Range is the namespace's answer on every path: returned as is.
NVMESIM_SIM_TEST(MultipathE2E, NonPathErrorNotRetriedElsewhere) {
  MpRigOptions ro;
  ro.controllers = 2;
  MpRig rig(ro);
  driver::hal::DmaBuffer buf;
  driver::DataSegment seg;
  driver::BlockResult got;
  bool done = false;
  rig.Start([&](mp::MultipathNamespace& ns) {
    buf = rig.system().dma().Allocate(4096, 4096);
    seg = {buf.bus, 4096};
    driver::BlockRequest r;
    r.op = driver::BlockOp::kRead;
    r.slba = ro.namespace_blocks;  // first LBA past the end (NVM 2.0 Figure 97 NSZE)
    r.blocks = 1;
    r.segments = &seg;
    r.segment_count = 1;
    ASSERT_TRUE(ns.Submit(r, [&](const driver::BlockResult& res) {
                    got = res;
                    done = true;
                    rig.system().cpu().Halt();
                  }).ok());
  });
  sc_core::sc_start(sc_core::sc_time(200, sc_core::SC_MS));
  ASSERT_TRUE(done);
  EXPECT_TRUE(got.status.Is(spec::GenericStatus::kLbaOutOfRange)) << got.status.ToString();
  const mp::MultipathNamespace& ns = rig.ns();
  EXPECT_EQ(ns.path(0).counters.submitted + ns.path(1).counters.submitted, 1u);
  EXPECT_EQ(ns.counters().failovers, 0u);
  EXPECT_EQ(ns.counters().non_path_errors, 1u);
  EXPECT_EQ(rig.system().driver(0)->stats().retries + rig.system().driver(1)->stats().retries, 0u);
}

// Discovery: one subsystem by SUBNQN, one namespace by NSID + NGUID/EUI-64.
NVMESIM_SIM_TEST(MultipathE2E, DiscoveryGroupsControllersAndNamespaces) {
  MpRigOptions ro;
  ro.controllers = 4;
  MpRig rig(ro);
  bool ok = false;
  rig.Start([&](mp::MultipathNamespace&) {
    ok = true;
    rig.system().cpu().Halt();
  });
  sc_core::sc_start(sc_core::sc_time(200, sc_core::SC_MS));
  ASSERT_TRUE(ok);
  ASSERT_EQ(rig.manager().subsystems().size(), 1u);
  EXPECT_EQ(rig.manager().subsystems()[0].subnqn, "nqn.2014-08.org.nvmexpress:nvmesim:mpath");
  EXPECT_EQ(rig.ns().path_count(), 4);
  EXPECT_EQ(rig.manager().identity_mismatches(), 0u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(rig.ns().path(i).desc.cntlid, rig.cntlid(i));
    EXPECT_EQ(rig.ns().path(i).anagrpid, 1u);
  }
  const std::string info = mp::MultipathInfo(rig.manager());
  std::printf("%s", info.c_str());
  EXPECT_NE(info.find("nvme-subsys0 - NQN=nqn.2014-08.org.nvmexpress:nvmesim:mpath"),
            std::string::npos);
  EXPECT_NE(info.find("+- nvme3 pcie"), std::string::npos);
}

}  // namespace
}  // namespace nvmesim::tests

// Failover, failback, waiting and policy rules of one multipath namespace,
// driven through fake paths on a fake clock.
#include "driver/multipath/multipath_namespace.h"

#include <memory>
#include <vector>

#include "driver/multipath/fake_path.h"
#include "driver/multipath/management.h"
#include "gtest/gtest.h"

namespace nvmesim::driver::multipath {
namespace {

using testing::FakePath;

struct Rig {
  explicit Rig(int n, MultipathOptions o = {}, std::vector<AnaState> ana = {}) {
    ns = std::make_unique<MultipathNamespace>("nvme0n1", 1, clock, o);
    for (int i = 0; i < n; ++i) {
      paths.push_back(std::make_unique<FakePath>(&clock));
      PathDescriptor d;
      d.name = "nvme" + std::to_string(i);
      d.cntlid = static_cast<uint16_t>(i + 1);
      d.numa_node = static_cast<uint32_t>(i % 2);
      d.target = paths.back().get();
      ns->AddPath(d, 1, i < static_cast<int>(ana.size()) ? ana[i] : AnaState::kOptimized);
    }
  }
  // Submits one read; results land in `results`.
  spec::Status Read(uint64_t slba = 0) {
    BlockRequest r;
    r.op = BlockOp::kRead;
    r.slba = slba;
    r.blocks = 1;
    return ns->Submit(r, [this](const BlockResult& res) { results.push_back(res); });
  }
  void RunTimers() {
    while (clock.FireNext()) {
    }
  }
  driver::testing::FakeClock clock;
  std::vector<std::unique_ptr<FakePath>> paths;
  std::unique_ptr<MultipathNamespace> ns;
  std::vector<BlockResult> results;
};

const spec::Status kHostPathing(spec::PathStatus::kHostPathingError);
const spec::Status kInaccessible(spec::PathStatus::kAsymmetricAccessInaccessible);
const spec::Status kTransition(spec::PathStatus::kAsymmetricAccessTransition);

TEST(MultipathNamespace, RoundRobinUsesOptimizedPathsOnly) {
  MultipathOptions o;
  o.policy = Policy::kRoundRobin;
  Rig rig(3, o, {AnaState::kOptimized, AnaState::kOptimized, AnaState::kNonOptimized});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[0]->submitted, 5u);
  EXPECT_EQ(rig.paths[1]->submitted, 5u);
  EXPECT_EQ(rig.paths[2]->submitted, 0u);  // non-optimized while optimized exist (8.1.3.2)
}

TEST(MultipathNamespace, NonOptimizedCarriesIoWhenNoOptimizedPathIsLeft) {
  Rig rig(2, {}, {AnaState::kOptimized, AnaState::kNonOptimized});
  rig.ns->SetAnaState(0, AnaState::kInaccessible);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[0]->submitted, 0u);
  EXPECT_EQ(rig.paths[1]->submitted, 4u);
}

TEST(MultipathNamespace, QueueDepthPicksFewestInFlight) {
  MultipathOptions o;
  o.policy = Policy::kQueueDepth;
  Rig rig(3, o);
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[0]->pending.size(), 3u);
  EXPECT_EQ(rig.paths[1]->pending.size(), 3u);
  EXPECT_EQ(rig.paths[2]->pending.size(), 3u);
  rig.paths[1]->CompleteAll();  // path 1 drains: the next three go there
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[1]->pending.size(), 3u);
  EXPECT_EQ(rig.paths[0]->pending.size(), 3u);
}

TEST(MultipathNamespace, NumaPrefersLocalNodeThenPreferredPath) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  o.selector.numa_node = 1;  // paths 1 and 3 sit on node 1
  Rig rig(4, o);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[1]->submitted, 4u);
  bool ok = false;
  MultipathConfig(*rig.ns, "preferred=nvme2", &ok);
  ASSERT_TRUE(ok);
  ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[2]->submitted, 1u);
}

TEST(MultipathNamespace, PathErrorRetriesOnAnotherPathOnce) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  Rig rig(2, o);
  ASSERT_TRUE(rig.Read().ok());
  ASSERT_EQ(rig.paths[0]->pending.size(), 1u);
  rig.paths[0]->CompleteNext(kHostPathing);  // path still live: a transient path error
  EXPECT_TRUE(rig.results.empty());
  ASSERT_EQ(rig.paths[1]->pending.size(), 1u);
  rig.clock.Advance(5000);
  rig.paths[1]->CompleteNext();
  ASSERT_EQ(rig.results.size(), 1u);
  EXPECT_TRUE(rig.results[0].status.ok());
  EXPECT_EQ(rig.ns->counters().failovers, 1u);
  EXPECT_EQ(rig.ns->counters().failover_max_ns, 5000u);  // detection -> success
  EXPECT_EQ(rig.ns->path(0).counters.moved_off, 1u);
}

TEST(MultipathNamespace, AnaInaccessibleFailsOverAndOptimizedFailsBack) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  Rig rig(2, o, {AnaState::kOptimized, AnaState::kNonOptimized});
  ASSERT_TRUE(rig.Read().ok());
  rig.paths[0]->CompleteNext(kInaccessible);
  EXPECT_EQ(rig.ns->path(0).ana, AnaState::kInaccessible);  // learnt from the status
  ASSERT_EQ(rig.paths[1]->pending.size(), 1u);
  rig.paths[1]->CompleteNext();
  ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[1]->pending.size(), 1u);   // new I/O on the non-optimized path
  rig.ns->SetAnaState(0, AnaState::kOptimized);  // failback
  ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[0]->pending.size(), 1u);
  EXPECT_EQ(rig.ns->counters().failbacks, 1u);
}

TEST(MultipathNamespace, TransitionWaitsWithinAnattThenCompletes) {
  MultipathOptions o;
  o.no_path_timeout_ns = 1'000'000;  // 1 ms; ANATT (2 s) is longer and wins
  o.anatt_s = 2;
  Rig rig(1, o);
  ASSERT_TRUE(rig.Read().ok());
  rig.paths[0]->CompleteNext(kTransition);
  EXPECT_EQ(rig.ns->path(0).ana, AnaState::kChange);
  EXPECT_EQ(rig.ns->waiting(), 1u);
  rig.clock.Advance(1'500'000'000);  // 1.5 s: past no_path_timeout, within ANATT
  EXPECT_TRUE(rig.results.empty());
  rig.ns->SetAnaState(0, AnaState::kOptimized);
  rig.RunTimers();
  ASSERT_EQ(rig.paths[0]->pending.size(), 1u);
  rig.paths[0]->CompleteNext();
  ASSERT_EQ(rig.results.size(), 1u);
  EXPECT_TRUE(rig.results[0].status.ok());
}

TEST(MultipathNamespace, TransitionLongerThanAnattFailsWithTransitionStatus) {
  MultipathOptions o;
  o.no_path_timeout_ns = 1'000'000;
  o.anatt_s = 2;
  Rig rig(1, o);
  ASSERT_TRUE(rig.Read().ok());
  rig.paths[0]->CompleteNext(kTransition);
  rig.RunTimers();
  ASSERT_EQ(rig.results.size(), 1u);
  EXPECT_TRUE(rig.results[0].status.Is(kTransition));
  EXPECT_EQ(rig.clock.NowNs(), 2'000'000'000u);  // waited exactly ANATT
  EXPECT_EQ(rig.ns->path(0).ana, AnaState::kInaccessible);
}

TEST(MultipathNamespace, DeadControllerRequeuesEveryInFlightRequestExactlyOnce) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  Rig rig(3, o);
  for (int i = 0; i < 64; ++i) ASSERT_TRUE(rig.Read(static_cast<uint64_t>(i)).ok());
  ASSERT_EQ(rig.paths[0]->pending.size(), 64u);
  rig.paths[0]->live = false;               // link down / removed
  rig.paths[0]->CompleteAll(kHostPathing);  // the driver fails its I/O
  EXPECT_EQ(rig.paths[1]->pending.size() + rig.paths[2]->pending.size(), 64u);
  rig.paths[1]->CompleteAll();
  rig.paths[2]->CompleteAll();
  ASSERT_EQ(rig.results.size(), 64u);
  for (const auto& r : rig.results) EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(rig.ns->counters().failovers, 64u);
  EXPECT_EQ(rig.paths[1]->submitted + rig.paths[2]->submitted, 64u);  // once each, no duplicates
  EXPECT_EQ(rig.ns->path(0).StateName(), std::string("dead"));
}

TEST(MultipathNamespace, NoPathWaitsBoundedThenFails) {
  MultipathOptions o;
  o.no_path_timeout_ns = 3'000'000;
  Rig rig(2, o);
  rig.ns->SetLive(0, false);
  rig.ns->SetLive(1, false);
  ASSERT_TRUE(rig.Read().ok());  // accepted: waits for a path
  EXPECT_EQ(rig.ns->waiting(), 1u);
  rig.RunTimers();
  ASSERT_EQ(rig.results.size(), 1u);
  EXPECT_TRUE(rig.results[0].status.Is(kHostPathing));
  EXPECT_EQ(rig.clock.NowNs(), 3'000'000u);
  EXPECT_EQ(rig.ns->counters().wait_timeouts, 1u);
}

TEST(MultipathNamespace, AllPathsDownThenOneBackCompletesQueuedIo) {
  Rig rig(2);
  rig.ns->SetLive(0, false);
  rig.ns->SetLive(1, false);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(rig.Read().ok());
  rig.clock.Advance(100);
  rig.ns->SetLive(1, true);
  rig.clock.FireNext();  // the drain runs from the loop
  EXPECT_EQ(rig.paths[1]->pending.size(), 10u);
  rig.paths[1]->CompleteAll();
  ASSERT_EQ(rig.results.size(), 10u);
  for (const auto& r : rig.results) EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(rig.ns->waiting(), 0u);
}

TEST(MultipathNamespace, NonPathErrorIsNeverRetriedElsewhere) {
  Rig rig(2);
  ASSERT_TRUE(rig.Read().ok());
  const int first = rig.paths[0]->pending.empty() ? 1 : 0;
  rig.paths[first]->CompleteNext(spec::GenericStatus::kLbaOutOfRange);
  ASSERT_EQ(rig.results.size(), 1u);
  EXPECT_TRUE(rig.results[0].status.Is(spec::GenericStatus::kLbaOutOfRange));
  EXPECT_EQ(rig.paths[1 - first]->submitted, 0u);
  EXPECT_EQ(rig.ns->counters().failovers, 0u);
  EXPECT_EQ(rig.ns->counters().non_path_errors, 1u);
}

TEST(MultipathNamespace, PathStatusWithDnrIsFinal) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  Rig rig(2, o);
  ASSERT_TRUE(rig.Read().ok());
  rig.paths[0]->CompleteNext(spec::Status(spec::PathStatus::kAsymmetricAccessPersistentLoss, true));
  ASSERT_EQ(rig.results.size(), 1u);
  EXPECT_TRUE(rig.results[0].status.dnr);
  EXPECT_EQ(rig.paths[1]->submitted, 0u);
  EXPECT_EQ(rig.ns->path(0).ana, AnaState::kPersistentLoss);
}

TEST(MultipathNamespace, RefusalThatIsNotAPathProblemIsReturnedWithoutCallback) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  Rig rig(2, o);
  rig.paths[0]->refuse = spec::GenericStatus::kInvalidField;
  EXPECT_TRUE(rig.Read().Is(spec::GenericStatus::kInvalidField));
  EXPECT_EQ(rig.paths[1]->submitted, 0u);
  EXPECT_TRUE(rig.results.empty());
  EXPECT_EQ(rig.ns->inflight(), 0u);
}

TEST(MultipathNamespace, PathRefusalGoesToTheNextPath) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  Rig rig(2, o);
  rig.paths[0]->refuse = kHostPathing;
  rig.paths[0]->live = false;
  ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[1]->pending.size(), 1u);
  EXPECT_FALSE(rig.ns->path(0).live);
}

TEST(MultipathNamespace, FailoverDisabledReturnsThePathStatus) {
  MultipathOptions o;
  o.failover_enabled = false;
  o.policy = Policy::kNuma;
  Rig rig(2, o);
  ASSERT_TRUE(rig.Read().ok());
  rig.paths[0]->CompleteNext(kHostPathing);
  ASSERT_EQ(rig.results.size(), 1u);
  EXPECT_TRUE(rig.results[0].status.Is(kHostPathing));
  EXPECT_EQ(rig.paths[1]->submitted, 0u);
}

TEST(MultipathNamespace, ManualFailoverMovesNewIoOffAPath) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  Rig rig(2, o);
  bool ok = false;
  const std::string out = MultipathFailover(*rig.ns, "nvme0", false, &ok);
  ASSERT_TRUE(ok) << out;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[0]->submitted, 0u);
  EXPECT_EQ(rig.paths[1]->submitted, 3u);
  MultipathFailover(*rig.ns, "nvme0", true, &ok);
  ASSERT_TRUE(rig.Read().ok());
  EXPECT_EQ(rig.paths[0]->submitted, 1u);
  EXPECT_FALSE(MultipathFailover(*rig.ns, "nvme9", false, &ok).empty());
  EXPECT_FALSE(ok);
}

TEST(MultipathNamespace, ConfigRejectsBadValuesAndChangesNothing) {
  Rig rig(2);
  bool ok = true;
  std::string out = MultipathConfig(*rig.ns, "policy=latency ewma_shift=12", &ok);
  EXPECT_FALSE(ok);
  EXPECT_NE(out.find("ewma_shift=12"), std::string::npos);
  EXPECT_EQ(rig.ns->policy(), Policy::kRoundRobin);
  out = MultipathConfig(*rig.ns, "policy=queue_depth no_path_timeout_ms=50", &ok);
  EXPECT_TRUE(ok) << out;
  EXPECT_EQ(rig.ns->policy(), Policy::kQueueDepth);
  EXPECT_EQ(rig.ns->options().no_path_timeout_ns, 50'000'000u);
  EXPECT_NE(NamespaceInfo(*rig.ns).find("+- nvme1 pcie"), std::string::npos);
}

TEST(MultipathNamespace, ConfigTurnsFailoverOffAndOn) {
  MultipathOptions o;
  o.policy = Policy::kNuma;
  Rig rig(2, o);
  bool ok = false;
  std::string out = MultipathConfig(*rig.ns, "failover=off", &ok);
  ASSERT_TRUE(ok) << out;
  EXPECT_NE(out.find("failover=off"), std::string::npos) << out;
  // Off: the path error is the request's result, nothing goes to the other path.
  ASSERT_TRUE(rig.Read().ok());
  rig.paths[0]->CompleteNext(kHostPathing);
  ASSERT_EQ(rig.results.size(), 1u);
  EXPECT_TRUE(rig.results[0].status.Is(kHostPathing));
  EXPECT_EQ(rig.paths[1]->submitted, 0u);
  out = MultipathConfig(*rig.ns, "failover=maybe", &ok);
  EXPECT_FALSE(ok);
  EXPECT_NE(out.find("failover=maybe: expected on or off"), std::string::npos) << out;
  EXPECT_FALSE(rig.ns->options().failover_enabled);  // a refused change changes nothing
  out = MultipathConfig(*rig.ns, "failover=on", &ok);
  ASSERT_TRUE(ok) << out;
  EXPECT_TRUE(rig.ns->options().failover_enabled);
}

TEST(MultipathNamespace, AtMostMaxPaths) {
  MultipathOptions o;
  o.max_paths = 16;
  Rig rig(16, o);
  FakePath extra;
  PathDescriptor d;
  d.name = "nvme16";
  d.target = &extra;
  EXPECT_EQ(rig.ns->AddPath(d, 1, AnaState::kOptimized), -1);
  EXPECT_EQ(rig.ns->path_count(), 16);
  o.max_paths = 17;
  EXPECT_NE(ValidateMultipathOptions(o).find("multipath_max_paths = 17"), std::string::npos);
}

// Closed loop at QD 16 over a fast (10 us) and a slow (20 us) serial path.
uint64_t SlowPathShare(Policy policy, uint64_t* probes) {
  MultipathOptions o;
  o.policy = policy;
  o.selector.probe_interval = 64;
  Rig rig(2, o);
  rig.paths[0]->auto_latency_ns = 10'000;
  rig.paths[1]->auto_latency_ns = 20'000;
  uint64_t done = 0;
  std::function<void()> issue = [&] {
    BlockRequest r;
    r.blocks = 1;
    EXPECT_TRUE(rig.ns
                    ->Submit(r,
                             [&](const BlockResult& res) {
                               EXPECT_TRUE(res.status.ok());
                               if (++done < 4000) issue();
                             })
                    .ok());
  };
  for (int i = 0; i < 16; ++i) issue();
  rig.RunTimers();
  EXPECT_GE(done, 4000u);
  *probes = rig.ns->probes();
  return rig.paths[1]->submitted;
}

TEST(MultipathNamespace, LatencyPolicyLearnsTheSlowerPathAndStillProbesIt) {
  uint64_t probes = 0;
  const uint64_t rr = SlowPathShare(Policy::kRoundRobin, &probes);
  const uint64_t lat = SlowPathShare(Policy::kLatency, &probes);
  EXPECT_GT(rr, 1900u);  // half
  // Serial service: the balance point gives the slow path about a third.
  EXPECT_LT(lat, 1600u);
  EXPECT_GT(lat, 0u);
  EXPECT_GT(probes, 0u);
}

}  // namespace
}  // namespace nvmesim::driver::multipath

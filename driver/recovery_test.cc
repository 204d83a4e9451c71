// Recovery corners: timeout -> Abort -> reset, an Abort that succeeds while
// the command never completes, a reset that fails, fatal status that stays
// set, registers reading all ones, retry rules (DNR, CRD, limits), path
// errors, reset on request, and namespace-changed events.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "driver/controller.h"
#include "driver/internal/nvme_defs.h"
#include "driver/testing/driver_rig.h"
#include "spec/opcodes.h"
#include "spec/registers.h"

namespace nvmesim::driver {
namespace {

using ::testing::_;
using testing::AbortMode;
using ::testing::AnyNumber;
using testing::Booted;
using testing::FakeControllerConfig;
using testing::FastOptions;

constexpr uint8_t kRead = static_cast<uint8_t>(spec::NvmOpcode::kRead);
constexpr uint8_t kAbort = static_cast<uint8_t>(spec::AdminOpcode::kAbort);

struct Reader {
  explicit Reader(Booted& b) : b(b) {
    buf = b.Buffer(1);
    seg = {buf.bus, 4096};
  }
  // Submits a one-page read; the result lands in `result`.
  void Submit(uint64_t slba = 0) {
    BlockRequest r;
    r.op = BlockOp::kRead;
    r.slba = slba;
    r.blocks = 8;
    r.segments = &seg;
    r.segment_count = 1;
    ASSERT_TRUE(b.ctrl
                    ->Submit(r,
                             [this](const BlockResult& res) {
                               result = res;
                               ++completions;
                             })
                    .ok());
  }
  Booted& b;
  hal::DmaBuffer buf;
  DataSegment seg;
  BlockResult result;
  int completions = 0;
};

// Swallows the first `n` reads the device sees.
auto SwallowReads(int n) {
  auto left = std::make_shared<int>(n);
  return [left](uint16_t qid, const spec::Sqe& s) {
    if (qid == 0 || s.opcode != kRead || *left == 0) return false;
    --*left;
    return true;
  };
}

TEST(Recovery, TimeoutSendsAbortAndTheAbortedCommandIsRetried) {
  Booted b;
  b.rig.dev.swallow = SwallowReads(1);
  b.rig.dev.abort_mode = AbortMode::kCompleteCommand;
  Reader r(b);
  r.Submit();
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  EXPECT_TRUE(r.result.status.ok()) << r.result.status.ToString();
  EXPECT_EQ(r.result.retries, 1u);
  EXPECT_GE(r.result.latency_ns, 1'000'000'000u);  // waited the 1 s I/O timeout
  EXPECT_EQ(b.ctrl->stats().aborts_sent, 1u);
  EXPECT_EQ(b.ctrl->stats().aborts_succeeded, 1u);
  EXPECT_EQ(b.ctrl->stats().resets, 0u);
  EXPECT_EQ(b.rig.dev.CountOpcode(0, kAbort), 1u);
  const auto& abort =
      std::find_if(b.rig.dev.received().begin(), b.rig.dev.received().end(),
                   [](const auto& x) { return x.qid == 0 && x.sqe.opcode == kAbort; });
  const uint16_t read_cid =
      std::find_if(b.rig.dev.received().begin(), b.rig.dev.received().end(), [](const auto& x) {
        return x.sqe.opcode == kRead;
      })->sqe.cid;
  EXPECT_EQ(abort->sqe.cdw10, (uint32_t{read_cid} << 16) | 1u);  // CID 31:16, SQID 15:0
}

TEST(Recovery, AbortSucceedsButCommandNeverCompletesEscalatesToReset) {
  Booted b;
  b.rig.dev.swallow = SwallowReads(1);
  b.rig.dev.abort_mode = AbortMode::kAbortedButNeverComplete;
  Reader r(b);
  r.Submit();
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  EXPECT_TRUE(r.result.status.ok()) << r.result.status.ToString() << b.rig.log.Dump();
  EXPECT_EQ(b.ctrl->stats().aborts_succeeded, 1u);
  EXPECT_EQ(b.ctrl->stats().resets, 1u);
  EXPECT_EQ(b.ctrl->stats().requeued_on_reset, 1u);
  EXPECT_EQ(b.rig.dev.enables(), 2u);
  EXPECT_EQ(b.ctrl->state(), ControllerState::kReady);
  EXPECT_GE(r.result.latency_ns, 2'000'000'000u);  // timeout, then one more period
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kWarning, "still not complete after Abort"), 1u);
}

TEST(Recovery, AbortNotPerformedAlsoEscalates) {
  Booted b;
  b.rig.dev.swallow = SwallowReads(1);
  b.rig.dev.abort_mode = AbortMode::kNotAborted;
  Reader r(b);
  r.Submit();
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  EXPECT_TRUE(r.result.status.ok());
  EXPECT_EQ(b.ctrl->stats().aborts_succeeded, 0u);
  EXPECT_EQ(b.ctrl->stats().resets, 1u);
}

TEST(Recovery, ResetThatFailsEndsInFailedAndFailsIoPromptly) {
  FakeControllerConfig cfg;
  cfg.to = 1;
  Booted b(cfg);
  b.rig.dev.swallow = SwallowReads(1);
  b.rig.dev.abort_mode = AbortMode::kAbortedButNeverComplete;
  Reader r(b);
  r.Submit();
  // After the first timeout, the controller stops coming back.
  b.rig.RunUntil([&] { return b.ctrl->stats().aborts_sent == 1; });
  b.rig.dev.SetNeverReady(true);
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  EXPECT_TRUE(r.result.status.Is(spec::PathStatus::kHostPathingError))
      << r.result.status.ToString();
  EXPECT_EQ(b.ctrl->state(), ControllerState::kFailed);
  const uint32_t max = FastOptions().max_reset_attempts;
  EXPECT_EQ(b.ctrl->stats().resets, max);
  EXPECT_EQ(b.rig.dev.enables(), 1u + max);
  EXPECT_FALSE(b.rig.clock.has_timers()) << "no timer may keep a dead controller going";
  EXPECT_TRUE(b.ctrl->Submit(BlockRequest{}, nullptr).Is(spec::PathStatus::kHostPathingError));
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kError, "giving up after 3 consecutive resets"), 1u);
}

TEST(Recovery, FatalStatusThatStaysSetDoesNotLoopForever) {
  FakeControllerConfig cfg;
  cfg.to = 1;
  Booted b(cfg);
  const uint32_t max = FastOptions().max_reset_attempts;
  // Every reset is one disable and one enable write of CC; a bounded number.
  EXPECT_CALL(b.rig.mmio, Write32(_, _)).Times(AnyNumber());
  EXPECT_CALL(b.rig.mmio, Write32(spec::kRegCc, _)).Times(2 * max);
  b.rig.dev.swallow = SwallowReads(1);
  Reader r(b);
  r.Submit();
  b.rig.RunUntil([&] { return b.rig.dev.held() == 1; });
  b.rig.dev.SetFatal(true, /*sticky=*/true);
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  b.rig.RunUntil([] { return false; });  // everything left runs out
  EXPECT_EQ(b.ctrl->state(), ControllerState::kFailed);
  EXPECT_FALSE(r.result.status.ok());
  EXPECT_EQ(b.ctrl->stats().resets, max);
  EXPECT_FALSE(b.rig.clock.has_timers());
  EXPECT_GE(b.rig.log.Count(hal::LogLevel::kError, "CSTS.CFS"), 1u) << b.rig.log.Dump();
  // Detected by the health check, not by waiting out the command timeout.
  EXPECT_LT(b.rig.log.Count(hal::LogLevel::kWarning, "timeout: q1"), 1u);
}

TEST(Recovery, TransientFatalStatusRecoversAndRetriesInFlightIo) {
  Booted b;
  b.rig.dev.swallow = SwallowReads(1);
  Reader r(b);
  r.Submit();
  b.rig.RunUntil([&] { return b.rig.dev.held() == 1; });
  b.rig.dev.SetFatal(true, /*sticky=*/false);  // cleared by the reset
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  EXPECT_TRUE(r.result.status.ok()) << r.result.status.ToString();
  EXPECT_EQ(r.result.retries, 1u);
  EXPECT_EQ(b.ctrl->stats().resets, 1u);
  EXPECT_EQ(b.ctrl->state(), ControllerState::kReady);
}

TEST(Recovery, AllOnesRegistersMeanGoneAndIoFailsWithoutWaiting) {
  Booted b;
  b.rig.dev.swallow = SwallowReads(10);
  Reader r(b);
  r.Submit();
  b.rig.RunUntil([&] { return b.rig.dev.held() == 1; });
  b.rig.dev.SetGone(true);
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  EXPECT_TRUE(r.result.status.Is(spec::PathStatus::kHostPathingError));
  EXPECT_LT(r.result.latency_ns, 1'000'000'000u);  // before the 1 s I/O timeout
  EXPECT_EQ(b.ctrl->state(), ControllerState::kRemoved);
  EXPECT_EQ(b.ctrl->stats().resets, 0u);
  EXPECT_FALSE(b.rig.clock.has_timers());
  EXPECT_TRUE(b.ctrl->Submit(BlockRequest{}, nullptr).Is(spec::PathStatus::kHostPathingError));
  EXPECT_EQ(b.rig.log.Count(hal::LogLevel::kError, "all ones"), 1u);
}

TEST(Recovery, ReprobeAfterRemovalBringsTheControllerBack) {
  Booted b;
  int reinits = 0;
  b.ctrl->AddReinitListener([&] { ++reinits; });
  std::vector<PathEventKind> events;
  b.ctrl->SetPathEventHandler([&](const PathEvent& e) { events.push_back(e.kind); });
  // Refused while the controller is fine, and the answer comes later.
  spec::Status refused;
  bool refused_seen = false;
  b.ctrl->Reprobe([&](spec::Status s) {
    refused = s;
    refused_seen = true;
  });
  EXPECT_FALSE(refused_seen);
  b.rig.RunFor(1000);
  EXPECT_TRUE(refused.Is(spec::GenericStatus::kCommandSequenceError));
  Reader r(b);
  b.rig.dev.SetGone(true);
  r.Submit();
  ASSERT_TRUE(b.rig.RunUntil([&] { return b.ctrl->state() == ControllerState::kRemoved; }));
  // Still gone: the re-probe meets all ones and the controller stays removed.
  spec::Status first(spec::GenericStatus::kInternalError);
  b.ctrl->Reprobe([&](spec::Status s) { first = s; });
  b.rig.RunFor(1'000'000);
  EXPECT_TRUE(first.Is(spec::PathStatus::kHostPathingError)) << first.ToString();
  EXPECT_EQ(b.ctrl->state(), ControllerState::kRemoved);
  // Back: a second re-probe brings it up, I/O flows, layers re-program.
  b.rig.dev.SetGone(false);
  spec::Status second(spec::GenericStatus::kInternalError);
  b.ctrl->Reprobe([&](spec::Status s) { second = s; });
  ASSERT_TRUE(b.rig.RunUntil([&] { return second.ok(); })) << second.ToString();
  EXPECT_EQ(b.ctrl->state(), ControllerState::kReady);
  EXPECT_EQ(b.ctrl->stats().reprobes, 2u);
  EXPECT_EQ(reinits, 1);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back(), PathEventKind::kControllerReady);
  const int before = r.completions;
  r.Submit();
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == before + 1; }));
  EXPECT_TRUE(r.result.status.ok()) << r.result.status.ToString();
}

TEST(Recovery, GoneAtStartFailsStart) {
  testing::TestRig rig;
  rig.dev.SetGone(true);
  Controller c(rig.platform, FastOptions());
  spec::Status st;
  bool done = false;
  c.Start([&](spec::Status s) {
    st = s;
    done = true;
  });
  EXPECT_TRUE(done);  // decided on the first register read
  EXPECT_EQ(c.state(), ControllerState::kRemoved);
  EXPECT_FALSE(st.ok());
}

TEST(Recovery, TimeoutStormResetsAtOnce) {
  auto opt = FastOptions();
  opt.timeout_storm_threshold = 4;
  Booted b({}, opt);
  b.rig.dev.swallow = SwallowReads(6);
  std::vector<std::unique_ptr<Reader>> readers;
  for (int i = 0; i < 6; ++i) {
    readers.push_back(std::make_unique<Reader>(b));
    readers.back()->Submit(8 * i);
  }
  ASSERT_TRUE(b.rig.RunUntil([&] {
    for (auto& r : readers)
      if (r->completions == 0) return false;
    return true;
  }));
  EXPECT_EQ(b.ctrl->stats().resets, 1u);
  EXPECT_EQ(b.ctrl->stats().requeued_on_reset, 6u);
  for (auto& r : readers) EXPECT_TRUE(r->result.status.ok());
  EXPECT_LT(b.rig.clock.NowNs(), 2'000'000'000u);  // did not wait for Abort periods
}

TEST(Recovery, AdminTimeoutResets) {
  Booted b;
  b.rig.dev.swallow = [](uint16_t qid, const spec::Sqe& s) {
    return qid == 0 && s.opcode == static_cast<uint8_t>(spec::AdminOpcode::kGetFeatures);
  };
  bool done = false;
  spec::Cqe got;
  ASSERT_TRUE(
      b.ctrl
          ->SubmitAdmin(spec::Sqe{.opcode = static_cast<uint8_t>(spec::AdminOpcode::kGetFeatures)},
                        [&](const spec::Cqe& c) {
                          got = c;
                          done = true;
                        })
          .ok());
  ASSERT_TRUE(b.rig.RunUntil([&] { return done; }));
  EXPECT_TRUE(got.status_value().Is(spec::PathStatus::kCommandAbortedByHost));
  EXPECT_EQ(b.ctrl->stats().resets, 1u);
  b.rig.RunUntil([&] { return b.ctrl->state() == ControllerState::kReady; });
  EXPECT_EQ(b.ctrl->state(), ControllerState::kReady);
}

TEST(Recovery, ResetOnRequestReissuesInFlightIo) {
  Booted b;
  b.rig.dev.swallow = SwallowReads(1);
  Reader r(b);
  r.Submit();
  b.rig.RunUntil([&] { return b.rig.dev.held() == 1; });
  bool reset_done = false;
  b.ctrl->Reset([&](spec::Status s) { reset_done = s.ok(); });
  ASSERT_TRUE(b.rig.RunUntil([&] { return reset_done && r.completions == 1; }));
  EXPECT_TRUE(r.result.status.ok());
  EXPECT_EQ(r.result.retries, 1u);
  EXPECT_LT(r.result.latency_ns, 1'000'000'000u);
  EXPECT_EQ(b.rig.dev.enables(), 2u);
}

// A reset asked for from inside the bring-up callback belongs to the next
// bring-up: its callback must not run until the controller is ready again.
TEST(Recovery, ResetRequestedFromTheReadyCallbackWaitsForTheNextBringUp) {
  testing::TestRig rig(testing::FakeControllerConfig{}, 32);
  Controller ctrl(rig.platform, FastOptions());
  bool reset_done = false;
  uint32_t enables_when_reset_done = 0;
  ctrl.Start([&](spec::Status s) {
    ASSERT_TRUE(s.ok());
    ctrl.Reset([&](spec::Status r) {
      reset_done = r.ok();
      enables_when_reset_done = rig.dev.enables();
    });
  });
  ASSERT_TRUE(rig.RunUntil([&] { return reset_done; }));
  EXPECT_EQ(enables_when_reset_done, 2u);  // the second bring-up had run
  EXPECT_EQ(ctrl.state(), ControllerState::kReady);
}

TEST(RetryRules, DnrIsFinalAndOtherErrorsRetryUpToTheLimit) {
  Booted b;
  b.rig.dev.fail_with = [](uint16_t qid, const spec::Sqe& s) -> std::optional<spec::Status> {
    if (qid == 0 || s.opcode != kRead) return std::nullopt;
    if (s.cdw10 == 0) return spec::Status(spec::GenericStatus::kLbaOutOfRange, true);
    return spec::Status(spec::MediaStatus::kUnrecoveredReadError);
  };
  Reader dnr(b);
  dnr.Submit(0);
  ASSERT_TRUE(b.rig.RunUntil([&] { return dnr.completions == 1; }));
  EXPECT_TRUE(dnr.result.status.Is(spec::GenericStatus::kLbaOutOfRange));
  EXPECT_TRUE(dnr.result.status.dnr);
  EXPECT_EQ(dnr.result.retries, 0u);
  Reader media(b);
  media.Submit(8);
  ASSERT_TRUE(b.rig.RunUntil([&] { return media.completions == 1; }));
  EXPECT_TRUE(media.result.status.Is(spec::MediaStatus::kUnrecoveredReadError));
  EXPECT_STREQ(media.result.status_name(), "Unrecovered Read Error");
  EXPECT_EQ(media.result.retries, FastOptions().max_retries);
}

TEST(RetryRules, CommandRetryDelayWaitsCrdt) {
  Booted b;  // CRDT1 = 1, CRDT2 = 2 (x 100 ms)
  auto failed = std::make_shared<bool>(false);
  b.rig.dev.fail_with = [failed](uint16_t qid, const spec::Sqe& s) -> std::optional<spec::Status> {
    if (qid == 0 || s.opcode != kRead || *failed) return std::nullopt;
    *failed = true;
    spec::Status st(spec::GenericStatus::kNamespaceNotReady);
    st.crd = 2;
    return st;
  };
  Reader r(b);
  r.Submit();
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  EXPECT_TRUE(r.result.status.ok());
  EXPECT_EQ(r.result.retries, 1u);
  EXPECT_GE(r.result.latency_ns, 200'000'000u);
  EXPECT_LT(r.result.latency_ns, 300'000'000u);
}

TEST(RetryRules, PathErrorGoesToTheMultipathLayer) {
  Booted b;
  std::vector<PathEvent> events;
  b.ctrl->SetPathEventHandler([&](const PathEvent& e) { events.push_back(e); });
  b.rig.dev.fail_with = [](uint16_t qid, const spec::Sqe& s) -> std::optional<spec::Status> {
    if (qid == 0 || s.opcode != kRead) return std::nullopt;
    return spec::Status(spec::PathStatus::kAsymmetricAccessTransition);
  };
  Reader r(b);
  r.Submit();
  ASSERT_TRUE(b.rig.RunUntil([&] { return r.completions == 1; }));
  EXPECT_TRUE(r.result.status.Is(spec::PathStatus::kAsymmetricAccessTransition));
  EXPECT_EQ(r.result.retries, 0u);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, PathEventKind::kPathStatus);
  EXPECT_EQ(events[0].nsid, 1u);
}

TEST(Namespaces, NamespaceChangedNoticeTriggersRescan) {
  Booted b;
  b.rig.RunFor(1000);
  ASSERT_EQ(b.ctrl->namespaces().table().size(), 1u);
  std::vector<uint32_t> added;
  b.ctrl->namespaces().SetChangeHandler([&](const NamespaceInfo& ns, bool present) {
    if (present) added.push_back(ns.nsid);
  });
  b.rig.dev.AddNamespace(5);
  // Notice (type 2h), Namespace Attribute Changed (00h), log page 04h.
  ASSERT_TRUE(b.rig.dev.TriggerAsyncEvent(2u | (0u << 8) | (4u << 16)));
  b.rig.RunFor(1'000'000);
  EXPECT_EQ(b.ctrl->namespaces().table().size(), 2u);
  ASSERT_NE(b.ctrl->namespaces().Find(5), nullptr);
  EXPECT_EQ(added, std::vector<uint32_t>{5});
  EXPECT_EQ(b.ctrl->stats().async_events, 1u);
  EXPECT_EQ(b.rig.dev.CountOpcode(0, static_cast<uint8_t>(spec::AdminOpcode::kGetLogPage)), 1u);
  // Re-armed: four requests outstanding again.
  EXPECT_EQ(b.rig.dev.CountOpcode(0, static_cast<uint8_t>(spec::AdminOpcode::kAsyncEventRequest)),
            5u);
}

TEST(Namespaces, CommandSetFromIdentificationDescriptors) {
  FakeControllerConfig cfg;
  cfg.nsids = {1, 2};
  Booted b(cfg);
  ASSERT_EQ(b.ctrl->namespaces().table().size(), 2u);
  EXPECT_EQ(b.ctrl->namespaces().Find(1)->csi, 0u);
  b.rig.dev.SetZoned(2);
  b.ctrl->namespaces().Scan(nullptr);
  b.rig.RunFor(1'000'000);
  EXPECT_EQ(b.ctrl->namespaces().Find(2)->csi, 2u);
  EXPECT_EQ(b.ctrl->namespaces().Find(1)->csi, 0u);
  // A controller that refuses CNS 03h: the namespace stays NVM, the scan succeeds.
  b.rig.dev.fail_with = [](uint16_t qid, const spec::Sqe& s) -> std::optional<spec::Status> {
    if (qid == 0 && s.opcode == static_cast<uint8_t>(spec::AdminOpcode::kIdentify) &&
        (s.cdw10 & 0xFF) == 3) {
      return spec::Status(spec::GenericStatus::kInvalidField, true);
    }
    return std::nullopt;
  };
  bool ok = false;
  b.ctrl->namespaces().Scan([&](spec::Status s) { ok = s.ok(); });
  b.rig.RunFor(1'000'000);
  EXPECT_TRUE(ok);
  EXPECT_EQ(b.ctrl->namespaces().Find(2)->csi, 0u);
}

TEST(Namespaces, CreateAttachDetachDelete) {
  Booted b;
  NamespaceManager& nm = b.ctrl->namespaces();
  uint32_t nsid = 0;
  spec::Status st(spec::GenericStatus::kInternalError);
  nm.Create({.nsze = 1024, .ncap = 1024}, [&](spec::Status s, uint32_t id) {
    st = s;
    nsid = id;
  });
  b.rig.RunFor(1'000'000);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(nsid, 2u);
  st = spec::GenericStatus::kInternalError;
  nm.Attach(nsid, {1}, true, [&](spec::Status s) { st = s; });
  b.rig.RunFor(1'000'000);
  EXPECT_FALSE(st.ok());  // the fake does not implement attachment: status passed through
  EXPECT_TRUE(st.Is(spec::GenericStatus::kInvalidOpcode));
  bool empty_list = false;
  nm.Attach(nsid, {}, false, [&](spec::Status s) {
    empty_list = s.Is(spec::CommandSpecificStatus::kControllerListInvalid);
  });
  EXPECT_TRUE(empty_list);
  st = spec::GenericStatus::kInternalError;
  nm.Delete(nsid, [&](spec::Status s) { st = s; });
  b.rig.RunFor(1'000'000);
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(b.rig.dev.NamespaceData(nsid), nullptr);
}

}  // namespace
}  // namespace nvmesim::driver

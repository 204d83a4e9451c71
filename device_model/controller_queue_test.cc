// Queue management, phase tags, doorbell abuse, reset with commands in
// flight, and the completion-path fault hooks.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <stdexcept>
#include <vector>

#include "device_model/controller.h"
#include "device_model/test_host.h"
#include "spec/registers.h"
#include "tests/support/sim_test.h"

namespace nvmesim::device {
namespace {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;
using testing::MakeSqe;
using testing::TestHost;

struct Bench {
  explicit Bench(ControllerConfig cfg = {}, SubsystemConfig scfg = {})
      : sub(scfg), ctrl("ctrl", cfg, sub), host("host", ctrl) {
    host.ConfigurePcie();
    EXPECT_TRUE(host.Enable());
  }
  Subsystem sub;
  NvmeController ctrl;
  TestHost host;
};

// Places `n` one-block reads of NSID 1 in I/O SQ 1, each into its own 4 KiB
// host buffer, without ringing the doorbell.
void QueueReads(Bench& b, int n) {
  const uint64_t buf = b.host.Alloc(4096 * static_cast<uint64_t>(n));
  for (int i = 0; i < n; ++i) {
    spec::Sqe s = MakeSqe(0x02, 1);
    s.prp1 = buf + 4096 * static_cast<uint64_t>(i);
    b.host.Submit(1, s, false);
  }
}

spec::Sqe CreateCq(uint16_t qid, uint32_t entries, uint64_t base, uint16_t iv, bool pc = true) {
  spec::Sqe s = MakeSqe(0x05);
  s.prp1 = base;
  s.cdw10 = ((entries - 1) << 16) | qid;
  s.cdw11 = (uint32_t{iv} << 16) | 0x2 | (pc ? 1u : 0u);
  return s;
}
spec::Sqe CreateSq(uint16_t qid, uint32_t entries, uint64_t base, uint16_t cqid) {
  spec::Sqe s = MakeSqe(0x01);
  s.prp1 = base;
  s.cdw10 = ((entries - 1) << 16) | qid;
  s.cdw11 = (uint32_t{cqid} << 16) | 0x1;
  return s;
}

NVMESIM_SIM_TEST(ControllerQueues, CreateErrors) {
  ControllerConfig cfg;
  cfg.max_queue_entries = 256;
  cfg.max_io_queues = 4;
  cfg.msix_vectors = 5;
  Bench b(cfg);
  TestHost& h = b.host;
  const uint64_t mem = h.Alloc(64 * 4096);
  EXPECT_TRUE(
      h.AdminStatus(CreateCq(0, 16, mem, 1)).Is(CommandSpecificStatus::kInvalidQueueIdentifier));
  EXPECT_TRUE(
      h.AdminStatus(CreateCq(5, 16, mem, 1)).Is(CommandSpecificStatus::kInvalidQueueIdentifier));
  EXPECT_TRUE(h.AdminStatus(CreateCq(1, 1, mem, 1)).Is(CommandSpecificStatus::kInvalidQueueSize));
  EXPECT_TRUE(h.AdminStatus(CreateCq(1, 257, mem, 1)).Is(CommandSpecificStatus::kInvalidQueueSize));
  EXPECT_TRUE(
      h.AdminStatus(CreateCq(1, 16, mem, 5)).Is(CommandSpecificStatus::kInvalidInterruptVector));
  EXPECT_TRUE(
      h.AdminStatus(CreateCq(1, 16, mem, 1, false)).Is(GenericStatus::kInvalidField));  // CQR
  EXPECT_TRUE(h.AdminStatus(CreateCq(1, 16, mem + 8, 1)).Is(GenericStatus::kPrpOffsetInvalid));
  EXPECT_TRUE(
      h.AdminStatus(CreateCq(1, 16, testing::kBar0Base, 1)).Is(GenericStatus::kDataTransferError));
  ASSERT_TRUE(h.AdminStatus(CreateCq(1, 16, mem, 1)).ok());
  EXPECT_TRUE(
      h.AdminStatus(CreateCq(1, 16, mem, 1)).Is(CommandSpecificStatus::kInvalidQueueIdentifier));
  EXPECT_TRUE(h.AdminStatus(CreateSq(1, 16, mem + 4096, 0))
                  .Is(CommandSpecificStatus::kCompletionQueueInvalid));
  EXPECT_TRUE(h.AdminStatus(CreateSq(1, 16, mem + 4096, 2))
                  .Is(CommandSpecificStatus::kCompletionQueueInvalid));
  EXPECT_TRUE(
      h.AdminStatus(CreateSq(1, 1000, mem + 4096, 1)).Is(CommandSpecificStatus::kInvalidQueueSize));
  EXPECT_TRUE(h.AdminStatus(CreateSq(0, 16, mem + 4096, 1))
                  .Is(CommandSpecificStatus::kInvalidQueueIdentifier));
  EXPECT_TRUE(h.AdminStatus(CreateSq(1, 16, testing::kBar0Base + 0x1000, 1))
                  .Is(GenericStatus::kDataTransferError));
  ASSERT_TRUE(h.AdminStatus(CreateSq(1, 16, mem + 4096, 1)).ok());
  // Delete CQ with an SQ attached: Invalid Queue Deletion.
  spec::Sqe dcq = MakeSqe(0x04);
  dcq.cdw10 = 1;
  EXPECT_TRUE(h.AdminStatus(dcq).Is(CommandSpecificStatus::kInvalidQueueDeletion));
  spec::Sqe dsq = MakeSqe(0x00);
  dsq.cdw10 = 0;
  EXPECT_TRUE(h.AdminStatus(dsq).Is(CommandSpecificStatus::kInvalidQueueIdentifier));
  dsq.cdw10 = 3;
  EXPECT_TRUE(h.AdminStatus(dsq).Is(CommandSpecificStatus::kInvalidQueueIdentifier));
  dsq.cdw10 = 1;
  EXPECT_TRUE(h.AdminStatus(dsq).ok());
  EXPECT_TRUE(h.AdminStatus(dcq).ok());
  dcq.cdw10 = 0;
  EXPECT_TRUE(h.AdminStatus(dcq).Is(CommandSpecificStatus::kInvalidQueueIdentifier));
}

NVMESIM_SIM_TEST(ControllerQueues, NumberOfQueuesFeature) {
  Bench b;
  spec::Sqe s = MakeSqe(0x09);
  s.cdw10 = 0x07;
  s.cdw11 = 0xFFFF0003;
  EXPECT_TRUE(b.host.AdminStatus(s).Is(GenericStatus::kInvalidField));
  s.cdw11 = (1u << 16) | 1u;  // 2 SQs, 2 CQs
  spec::Cqe c = b.host.Admin(s);
  ASSERT_TRUE(c.status_value().ok());
  EXPECT_EQ(c.dw0, (1u << 16) | 1u);
  EXPECT_TRUE(b.host.CreateIoQueues(2, 8, 1).ok());
  EXPECT_TRUE(b.host.CreateIoQueues(3, 8, 1).Is(CommandSpecificStatus::kInvalidQueueIdentifier));
  // After I/O queues exist: Command Sequence Error.
  EXPECT_TRUE(b.host.AdminStatus(s).Is(GenericStatus::kCommandSequenceError));
  spec::Sqe g = MakeSqe(0x0A);
  g.cdw10 = 0x07;
  EXPECT_EQ(b.host.Admin(g).dw0, (1u << 16) | 1u);
}

NVMESIM_SIM_TEST(ControllerQueues, PhaseTagWrapsOnSmallQueue) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 4, 1).ok());
  // 4-entry queues: at most 3 outstanding; run 20 commands through.
  int seen = 0;
  std::set<bool> phases;
  for (int round = 0; round < 10; ++round) {
    b.host.Submit(1, MakeSqe(0x00, 1));
    b.host.Submit(1, MakeSqe(0x00, 1));
    for (int k = 0; k < 2; ++k) {
      auto c = b.host.Wait(1);
      ASSERT_TRUE(c.has_value());
      EXPECT_TRUE(c->status_value().ok());
      phases.insert(c->phase());
      ++seen;
    }
  }
  EXPECT_EQ(seen, 20);
  EXPECT_EQ(phases.size(), 2u);  // both phase values were used
}

NVMESIM_SIM_TEST(ControllerQueues, HostTrustingSqhdFillsQueue) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 8, 1).ok());
  // The host submits only when SQHD from the last CQE says there is room.
  uint32_t sq_head = 0;
  int done = 0;
  for (int iter = 0; iter < 200 && done < 100; ++iter) {
    auto& q = b.host.queue(1);
    while ((q.sq_tail + 1) % q.sq_size != sq_head) b.host.Submit(1, MakeSqe(0x00, 1), false);
    b.host.RingSq(1);
    b.host.Run(200);
    while (auto c = b.host.Poll(1)) {
      EXPECT_TRUE(c->status_value().ok());
      EXPECT_EQ(c->sq_id, 1);
      sq_head = c->sq_head;
      ++done;
    }
  }
  EXPECT_GE(done, 100);
  EXPECT_EQ(b.ctrl.stats().doorbell_errors, 0u);
}

NVMESIM_SIM_TEST(ControllerQueues, CompletionQueueFullHoldsCompletions) {
  Bench b;
  // CQ of 4 entries (3 usable), SQ of 16.
  const uint64_t cq = b.host.Alloc(4096), sq = b.host.Alloc(4096);
  std::memset(b.host.Mem(cq), 0, 4096);
  ASSERT_TRUE(b.host.AdminStatus(CreateCq(1, 4, cq, 1)).ok());
  ASSERT_TRUE(b.host.AdminStatus(CreateSq(1, 16, sq, 1)).ok());
  auto& q = b.host.queue(1);
  q = {};
  q.qid = 1;
  q.sq_base = sq;
  q.cq_base = cq;
  q.sq_size = 16;
  q.cq_size = 4;
  for (int i = 0; i < 10; ++i) b.host.Submit(1, MakeSqe(0x00, 1), false);
  b.host.RingSq(1);
  b.host.Run(2000);
  EXPECT_EQ(b.ctrl.stats().completions_posted, 2u /* create cq, sq */ + 3u /* CQ full */);
  int got = 0;
  for (int i = 0; i < 50 && got < 10; ++i) {
    if (auto c = b.host.Poll(1)) {
      ++got;
    } else {
      b.host.Run(200);
    }
  }
  EXPECT_EQ(got, 10);
}

NVMESIM_SIM_TEST(ControllerQueues, DoorbellAbuseBecomesAsyncEvents) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 8, 1).ok());
  const uint16_t aer = b.host.Submit(0, MakeSqe(0x0C));
  const uint8_t d = b.ctrl.config().doorbell_stride;
  b.host.Write32(spec::SqTailDoorbellOffset(9, d), 1);  // no such SQ
  auto c = b.host.Wait(0);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->cid, aer);
  EXPECT_EQ(c->dw0 & 7u, 0u);            // Error status
  EXPECT_EQ((c->dw0 >> 8) & 0xFF, 0u);   // Write to Invalid Doorbell Register
  EXPECT_EQ((c->dw0 >> 16) & 0xFF, 1u);  // Error Information log
  // Further errors of the same type wait until the host reads the log.
  b.host.Submit(0, MakeSqe(0x0C));
  b.host.Write32(spec::SqTailDoorbellOffset(1, d), 8);     // tail == size: invalid value
  b.host.Write32(spec::CqHeadDoorbellOffset(1, d), 5);     // releases unposted entries
  b.host.Write32(spec::CqHeadDoorbellOffset(7, d), 0);     // no such CQ
  b.host.Write32(spec::kRegDoorbellBase + 2, 0xFFFFFFFF);  // between doorbells
  b.host.Run(1000);
  EXPECT_FALSE(b.host.Poll(0).has_value());
  EXPECT_EQ(b.ctrl.stats().doorbell_errors, 4u);
  spec::Sqe log = MakeSqe(0x02);
  const uint64_t buf = b.host.Alloc(4096);
  log.prp1 = buf;
  log.cdw10 = 0x01 | (((4096 / 4) - 1) << 16);
  ASSERT_TRUE(b.host.AdminStatus(log).ok());  // unmasks error events
  c = b.host.Wait(0);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->dw0 & 7u, 0u);
  EXPECT_EQ((c->dw0 >> 8) & 0xFF, 1u);  // Invalid Doorbell Write Value
  // The queue still works.
  EXPECT_TRUE(b.host.Io(1, MakeSqe(0x00, 1)).status_value().ok());
}

NVMESIM_SIM_TEST(ControllerQueues, ResetWithCommandsInFlight) {
  FixedMediaTiming slow(50'000'000, 50'000'000);  // 50 us per read/write
  ControllerConfig cfg;
  cfg.media = &slow;
  Bench b(cfg);
  ASSERT_TRUE(b.host.CreateIoQueues(1, 32, 1).ok());
  QueueReads(b, 8);
  b.host.RingSq(1);
  b.host.Run(5000);  // fetched and executing
  const uint64_t posted_before = b.ctrl.stats().completions_posted;
  spec::CcRegister cc{b.host.Read32(spec::kRegCc)};
  b.host.Write32(spec::kRegCc, cc.set_en(0).raw);
  ASSERT_TRUE(b.host.WaitReady(false));
  b.host.Run(200'000);  // well past the media time
  // No stale completion lands in host memory after the reset; every
  // in-flight command is accounted for.
  EXPECT_EQ(b.ctrl.stats().completions_posted, posted_before);
  EXPECT_EQ(b.ctrl.stats().commands_aborted_by_reset, 8u);
  EXPECT_FALSE(b.host.Poll(1, false).has_value());
}

// Reads whose media times end 10, 10.3, 10.6 and 12 us after they start.
class SteppedMedia final : public MediaTiming {
 public:
  uint64_t LatencyPs(const MediaOp& op, uint64_t) override {
    if (op.kind != MediaOp::Kind::kRead) return 0;
    static constexpr uint64_t kSteps[] = {10'000'000, 10'300'000, 10'600'000, 12'000'000};
    return kSteps[next_++ % 4];
  }

 private:
  size_t next_ = 0;
};

// Arrival times (ps) of the I/O vector's MSI-X messages for four reads
// executed together, with the given completion window.
std::vector<uint64_t> MsiTimes(uint64_t window_ps) {
  SteppedMedia media;
  ControllerConfig cfg;
  cfg.media = &media;
  cfg.completion_window_ps = window_ps;
  Bench b(cfg);
  EXPECT_TRUE(b.host.CreateIoQueues(1, 32, 1).ok());
  QueueReads(b, 4);
  b.host.msis.clear();
  b.host.RingSq(1);
  b.host.Run(20'000);
  int done = 0;
  while (auto c = b.host.Poll(1, false)) {
    EXPECT_TRUE(c->status_value().ok());
    ++done;
  }
  EXPECT_EQ(done, 4);
  std::vector<uint64_t> t;
  for (const auto& m : b.host.msis) {
    if (m.data == 1) t.push_back(m.at_ps);
  }
  return t;
}

NVMESIM_SIM_TEST(ControllerQueues, WithoutACompletionWindowEachCompletionIsSignalledOnTime) {
  const std::vector<uint64_t> t = MsiTimes(0);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1] - t[0], 300'000u);
  EXPECT_EQ(t[2] - t[0], 600'000u);
  EXPECT_EQ(t[3] - t[0], 2'000'000u);
}

NVMESIM_SIM_TEST(ControllerQueues, CompletionWindowSignalsTheLastCompletionOfTheWindow) {
  // A 1 us window opened by the first completion: its interrupt waits for the
  // third (never earlier than a completion it announces); the fourth, 1.4 us
  // after the third, is signalled on its own.
  const std::vector<uint64_t> t = MsiTimes(1'000'000);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1] - t[0], 1'400'000u);
}

NVMESIM_SIM_TEST(ControllerQueues, CompletionWindowBeyondTheQuantumIsRejected) {
  Subsystem sub{SubsystemConfig{}};
  ControllerConfig cfg;
  cfg.completion_window_ps = kEngineQuantumPs + 1;
  EXPECT_THROW(NvmeController("ctrl", cfg, sub), std::invalid_argument);
}

NVMESIM_SIM_TEST(ControllerQueues, DeleteSqAbortsInFlightCommands) {
  FixedMediaTiming slow(50'000'000, 50'000'000);
  ControllerConfig cfg;
  cfg.media = &slow;
  Bench b(cfg);
  ASSERT_TRUE(b.host.CreateIoQueues(1, 32, 1).ok());
  QueueReads(b, 4);
  b.host.RingSq(1);
  b.host.Run(2000);
  spec::Sqe dsq = MakeSqe(0x00);
  dsq.cdw10 = 1;
  ASSERT_TRUE(b.host.AdminStatus(dsq).ok());
  int aborted = 0;
  while (auto c = b.host.Poll(1, false)) {
    EXPECT_TRUE(c->status_value().Is(GenericStatus::kAbortedSqDeleted));
    ++aborted;
  }
  EXPECT_EQ(aborted, 4);
}

NVMESIM_SIM_TEST(ControllerQueues, CompletionFaultHooks) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 32, 1).ok());
  b.ctrl.faults().DropCompletion(1);
  b.host.Submit(1, MakeSqe(0x00, 1));
  EXPECT_FALSE(b.host.Wait(1, 20).has_value());
  EXPECT_EQ(b.ctrl.stats().completions_dropped, 1u);
  b.ctrl.faults().DuplicateCompletion(1);
  const uint16_t cid = b.host.Submit(1, MakeSqe(0x00, 1));
  auto c1 = b.host.Wait(1), c2 = b.host.Wait(1);
  ASSERT_TRUE(c1 && c2);
  EXPECT_EQ(c1->cid, cid);
  EXPECT_EQ(c2->cid, cid);
  b.ctrl.faults().CorruptCompletion(1);
  const uint16_t cid3 = b.host.Submit(1, MakeSqe(0x00, 1));
  auto c3 = b.host.Wait(1);
  ASSERT_TRUE(c3);
  EXPECT_NE(c3->cid, cid3);
  b.ctrl.faults().DelayCompletion(30'000'000);  // 30 us
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  b.host.Submit(1, MakeSqe(0x00, 1));
  auto c4 = b.host.Wait(1);
  ASSERT_TRUE(c4);
  EXPECT_GE(sc_core::sc_time_stamp() - t0, sc_core::sc_time(30, sc_core::SC_US));
}

NVMESIM_SIM_TEST(ControllerQueues, HungQueueAndAbort) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 32, 1).ok());
  b.ctrl.HangQueue(1, true);
  const uint16_t cid = b.host.Submit(1, MakeSqe(0x00, 1));
  EXPECT_FALSE(b.host.Wait(1, 20).has_value());
  spec::Sqe ab = MakeSqe(0x08);
  ab.cdw10 = (uint32_t{cid} << 16) | 1u;
  spec::Cqe r = b.host.Admin(ab);
  EXPECT_TRUE(r.status_value().ok());
  EXPECT_EQ(r.dw0 & 1u, 0u);  // aborted
  auto c = b.host.Wait(1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cid, cid);
  EXPECT_TRUE(c->status_value().Is(GenericStatus::kAbortedByRequest));
  // Abort of an unknown command: DW0 bit 0 = 1.
  ab.cdw10 = (uint32_t{0x777} << 16) | 1u;
  EXPECT_EQ(b.host.Admin(ab).dw0 & 1u, 1u);
}

NVMESIM_SIM_TEST(ControllerQueues, MaskedVectorPendsUntilUnmasked) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 32, 2).ok());
  const uint32_t ctl = b.ctrl.msix_table_offset() + 16 * 2 + 12;
  b.host.Write32(ctl, 1);  // mask vector 2
  b.host.Io(1, MakeSqe(0x00, 1));
  EXPECT_EQ(b.host.MsiCount(2), 0u);
  EXPECT_TRUE(b.ctrl.pcie().Pending(2));
  b.host.Write32(ctl, 0);
  EXPECT_EQ(b.host.MsiCount(2), 1u);
  EXPECT_FALSE(b.ctrl.pcie().Pending(2));
}

NVMESIM_SIM_TEST(ControllerQueues, InterruptCoalescing) {
  Bench b;
  ASSERT_TRUE(b.host.CreateIoQueues(1, 64, 3).ok());
  spec::Sqe f = MakeSqe(0x09);
  f.cdw10 = 0x08;
  f.cdw11 = (2u << 8) | 3u;  // threshold 4 entries, time 200 us
  ASSERT_TRUE(b.host.AdminStatus(f).ok());
  // One at a time: no interrupt until the 4th entry.
  for (int i = 0; i < 3; ++i) {
    b.host.Submit(1, MakeSqe(0x00, 1));
    b.host.Run(1000);
  }
  EXPECT_EQ(b.host.MsiCount(3), 0u);
  b.host.Submit(1, MakeSqe(0x00, 1));
  b.host.Run(1000);
  EXPECT_EQ(b.host.MsiCount(3), 1u);
  // Below the threshold: the aggregation time sends it.
  b.host.Submit(1, MakeSqe(0x00, 1));
  b.host.Run(1000);
  EXPECT_EQ(b.host.MsiCount(3), 1u);
  b.host.Run(250'000);
  EXPECT_EQ(b.host.MsiCount(3), 2u);
  // Vector with coalescing disabled (Interrupt Vector Configuration CD).
  spec::Sqe iv = MakeSqe(0x09);
  iv.cdw10 = 0x09;
  iv.cdw11 = (1u << 16) | 3u;
  ASSERT_TRUE(b.host.AdminStatus(iv).ok());
  b.host.Submit(1, MakeSqe(0x00, 1));
  b.host.Run(1000);
  EXPECT_EQ(b.host.MsiCount(3), 3u);
}

// Deterministic pseudo-random SQEs (xorshift, fixed seed): every one ends
// in a completion, nothing outside the scratch buffers changes, and the
// controller keeps working.
NVMESIM_SIM_TEST(ControllerQueues, RandomSqesAlwaysComplete) {
  ControllerConfig cfg;
  cfg.mdts = 3;
  Bench b(cfg);
  ASSERT_TRUE(b.host.CreateIoQueues(1, 64, 1).ok());
  const uint64_t scratch = b.host.Alloc(1 << 20);
  const uint64_t guard = b.host.Alloc(4096);  // must stay poisoned
  uint64_t x = 0x9E3779B97F4A7C15ull;
  auto rnd = [&]() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  auto pointer = [&]() -> uint64_t {
    switch (rnd() % 6) {
      case 0:
        return scratch + (rnd() % (1 << 20)) / 2;
      case 1:
        return scratch + ((rnd() % 128) << 12);
      case 2:
        return testing::kBar0Base + (rnd() % b.ctrl.bar0_size());
      case 3:
        return rnd();
      case 4:
        return 0;
      default:
        return scratch + (rnd() % 64) * 4096 + (rnd() % 4) * 8;
    }
  };
  const uint8_t admin_ops[] = {0x02, 0x06, 0x08, 0x0A, 0x10, 0x11, 0x18, 0x7F, 0xFF, 0x81};
  for (int i = 0; i < 600; ++i) {
    const bool admin = (rnd() % 4) == 0;
    spec::Sqe s;
    s.opcode = admin ? admin_ops[rnd() % sizeof admin_ops] : static_cast<uint8_t>(rnd() % 0x20);
    s.flags = static_cast<uint8_t>(rnd() % 8 == 0 ? rnd() : (rnd() % 4 == 0 ? 0x40 : 0));
    s.cid = static_cast<uint16_t>(i);
    s.nsid = rnd() % 3 == 0 ? static_cast<uint32_t>(rnd()) : 1;
    s.prp1 = pointer();
    s.prp2 = pointer();
    s.cdw10 = static_cast<uint32_t>(rnd() % 2 ? rnd() : rnd() % 4096);
    s.cdw11 = static_cast<uint32_t>(rnd() % 2 ? rnd() : 0);
    s.cdw12 = static_cast<uint32_t>(rnd() % 2 ? rnd() : rnd() % 64);
    s.cdw13 = static_cast<uint32_t>(rnd() % 4 ? 0 : rnd());
    if (s.flags & 0x40) {
      spec::SglDescriptor d;
      d.address = pointer();
      d.length = static_cast<uint32_t>(rnd() % 3 == 0 ? rnd() : (rnd() % 8) * 16);
      d.identifier = static_cast<uint8_t>(rnd() % 3 == 0 ? rnd() : (rnd() % 4) << 4);
      s.set_sgl(d);
    }
    const uint16_t q = admin ? 0 : 1;
    b.host.Submit(q, s);
    auto c = b.host.Wait(q, 100);
    ASSERT_TRUE(c.has_value()) << "sqe " << i << " opcode " << int(s.opcode);
    EXPECT_EQ(c->cid, s.cid);
  }
  for (int k = 0; k < 4096; ++k) ASSERT_EQ(b.host.Mem(guard)[k], testing::kPoison);
  EXPECT_EQ(b.host.Read32(spec::kRegCsts) & 3u, 1u);  // ready, not fatal
  std::vector<uint8_t> out;
  EXPECT_TRUE(b.host.ReadLbas(1, 1, 0, 1, 4096, &out).ok());
}

NVMESIM_SIM_TEST(ControllerQueues, ShutdownCompletesInFlightCommands) {
  FixedMediaTiming slow(20'000'000, 20'000'000);
  ControllerConfig cfg;
  cfg.media = &slow;
  Bench b(cfg);
  ASSERT_TRUE(b.host.CreateIoQueues(1, 16, 1).ok());
  QueueReads(b, 4);
  b.host.RingSq(1);
  b.host.Run(1000);
  spec::CcRegister cc{b.host.Read32(spec::kRegCc)};
  b.host.Write32(spec::kRegCc, cc.set_shn(1).raw);
  b.host.Run(10'000);
  EXPECT_EQ(spec::CstsRegister{b.host.Read32(spec::kRegCsts)}.shst(), 2u);
  int done = 0;
  while (auto c = b.host.Poll(1, false)) {
    EXPECT_TRUE(c->status_value().ok());
    ++done;
  }
  EXPECT_EQ(done, 4);
}

}  // namespace
}  // namespace nvmesim::device

#include "harness/runner/job_runner.h"

#include "driver/zoned/zns_sqe.h"

#include <algorithm>
#include <span>
#include <utility>

namespace nvmesim::harness {

namespace {
constexpr size_t kMaxFailures = 1024;
constexpr size_t kMaxMismatches = 64;

IoDirection DirectionOf(IoOp op) {
  switch (op) {
    case IoOp::kRead:
      return IoDirection::kRead;
    case IoOp::kWrite:
    case IoOp::kZoneAppend:
      return IoDirection::kWrite;
    case IoOp::kTrim:
    case IoOp::kZoneReset:
      return IoDirection::kTrim;
    case IoOp::kFlush:
      return IoDirection::kFlush;
  }
  return IoDirection::kRead;
}
}  // namespace

JobRunner::JobRunner(const JobSpec& job, uint32_t instance, const JobTarget& target,
                     driver::hal::DmaMemory& dma, driver::hal::Clock& clock, uint64_t seed,
                     uint64_t* write_generation)
    : job_(job),
      target_(target),
      dma_(dma),
      clock_(clock),
      write_generation_(write_generation),
      generator_(job, target.geometry, seed) {
  record_.name = job.name;
  record_.instance = instance;
  record_.stats = JobStats(job.name);
  record_.stats.options["rw"] = RwModeName(job.rw);
  record_.stats.options["bs"] = std::to_string(job.bs);
  record_.stats.options["iodepth"] = std::to_string(job.iodepth);
  const uint64_t buffer_bytes = job_.MaxBlockSize();
  for (uint32_t i = 0; i < std::max<uint32_t>(1, job_.iodepth); ++i) {
    auto slot = std::make_unique<Slot>();
    slot->buffer = dma_.Allocate(buffer_bytes, 4096);
    if (!slot->buffer.valid()) break;  // fewer slots: the job runs at a lower depth
    slot->segment = {slot->buffer.bus, static_cast<uint32_t>(slot->buffer.size)};
    slots_.push_back(std::move(slot));
  }
}

JobRunner::~JobRunner() {
  for (auto& s : slots_) {
    if (!s->busy) dma_.Free(s->buffer);  // a buffer still owned by the driver is leaked, not freed
  }
}

void JobRunner::Start(std::function<void()> on_done) {
  on_done_ = std::move(on_done);
  started_ = true;
  const uint64_t start_ns = clock_.NowNs();
  record_.stats.Start(start_ns * 1000);
  if (job_.runtime_ps != 0) {
    deadline_ns_ = start_ns + job_.runtime_ps / 1000;
    clock_.StartTimer(job_.runtime_ps / 1000, [this] { Stop(); });
  }
  if (slots_.empty()) {
    exhausted_ = true;
    MaybeFinish();
    return;
  }
  Pump();
}

void JobRunner::Stop() {
  stopping_ = true;
  MaybeFinish();
}

bool JobRunner::HasInFlightOverlap(uint64_t lba, uint64_t nlb) const {
  const uint64_t end = lba + std::max<uint64_t>(nlb, 1);
  for (const auto& s : slots_) {
    if (!s->busy || s->io.op == IoOp::kFlush) continue;
    const uint64_t sf = s->io.lba, se = s->io.lba + std::max<uint64_t>(s->io.nlb, 1);
    if (lba < se && sf < end) return true;
  }
  return false;
}

bool JobRunner::OverlapsInFlight(const IoRequest& io) const {
  if (io.op == IoOp::kFlush) return false;
  if (target_.peers == nullptr) return HasInFlightOverlap(io.lba, io.nlb);
  for (const JobRunner* peer : *target_.peers) {
    if (peer->HasInFlightOverlap(io.lba, io.nlb)) return true;
  }
  return false;
}

void JobRunner::Kick() {
  if (started_ && waiting_on_overlap_ && !finished_) Pump();
}

JobRunner::Slot* JobRunner::FreeSlot() {
  for (auto& s : slots_) {
    if (!s->busy) return s.get();
  }
  return nullptr;
}

void JobRunner::Pump() {
  if (pumping_) return;  // completions inside Submit never happen (HAL contract), but be safe
  pumping_ = true;
  if (target_.controller) target_.controller->BeginBatch();
  while (!stopping_ && !exhausted_) {
    if (deadline_ns_ != 0 && clock_.NowNs() >= deadline_ns_) {
      stopping_ = true;
      break;
    }
    Slot* slot = FreeSlot();
    if (slot == nullptr) break;
    if (!pending_) pending_ = generator_.Next();
    if (!pending_) {
      exhausted_ = true;
      break;
    }
    // Verifying jobs never put an I/O in flight while it overlaps one already in
    // flight (fio's serialize_overlap): two overlapping requests may complete in
    // another order than they executed (different queues or paths), and then no
    // oracle could tell which data landed last. The request waits for the overlap
    // to complete.
    waiting_on_overlap_ = job_.verify != VerifyMode::kNone && OverlapsInFlight(*pending_);
    if (waiting_on_overlap_) {
      ++record_.overlap_waits;
      break;
    }
    const IoRequest io = *pending_;
    pending_.reset();
    Issue(*slot, io);
  }
  if (target_.controller) target_.controller->EndBatch();
  pumping_ = false;
  MaybeFinish();
}

void JobRunner::Issue(Slot& slot, const IoRequest& io) {
  driver::BlockRequest req;
  req.nsid = target_.nsid;
  req.slba = io.lba;
  req.blocks = io.nlb;
  req.queue = target_.queue;
  const uint32_t lba_size = target_.geometry.lba_size;
  slot.io = io;
  slot.segment.length = io.nlb * lba_size;
  if ((io.op == IoOp::kZoneAppend || io.op == IoOp::kZoneReset) && target_.controller != nullptr) {
    IssueZoneCommand(slot, io);
    return;
  }
  switch (io.op) {
    case IoOp::kRead:
      req.op = driver::BlockOp::kRead;
      req.segments = &slot.segment;
      req.segment_count = 1;
      // Poison: a read that moves no data fails verification instead of passing on stale bytes.
      std::fill_n(slot.buffer.cpu, slot.segment.length, uint8_t{0xA5});
      break;
    case IoOp::kWrite:
    case IoOp::kZoneAppend:  // appends run as writes until the zoned manager drives them
      req.op = driver::BlockOp::kWrite;
      req.segments = &slot.segment;
      req.segment_count = 1;
      slot.stamp = {++*write_generation_, generator_.seed()};
      FillBlocks(std::span<uint8_t>(slot.buffer.cpu, slot.segment.length), io.lba, io.nlb, lba_size,
                 slot.stamp,
                 job_.verify == VerifyMode::kPattern ? std::span<const uint8_t>(job_.verify_pattern)
                                                     : std::span<const uint8_t>());
      if (target_.oracle) target_.oracle->WriteSubmitted(io.lba, io.nlb, slot.stamp);
      break;
    case IoOp::kTrim:
    case IoOp::kZoneReset:
      req.op = driver::BlockOp::kDeallocate;
      break;
    case IoOp::kFlush:
      req.op = driver::BlockOp::kFlush;
      if (target_.oracle) slot.flush_token = target_.oracle->FlushSubmitted();
      break;
  }
  slot.busy = true;
  slot.callback_seen = false;
  slot.submit_ns = clock_.NowNs();
  ++record_.submitted;
  ++in_flight_;
  Slot* sp = &slot;
  const spec::Status accepted =
      target_.submit(req, [this, sp](const driver::BlockResult& r) { OnComplete(*sp, r); });
  if (!accepted.ok()) {
    // Refused up front: no callback will come. Count it as a failed request of its own.
    --in_flight_;
    --record_.submitted;
    ++record_.refused;
    ++record_.statuses[accepted.ToString()];
    if (record_.failures.size() < kMaxFailures) {
      record_.failures.push_back({io.lba, io.nlb, io.op, accepted, clock_.NowNs()});
    }
    if (io.op == IoOp::kWrite && target_.oracle)
      target_.oracle->WriteFailed(io.lba, io.nlb, slot.stamp);
    slot.busy = false;
    stopping_ = true;  // the controller cannot take work: end the job rather than spin
    return;
  }
  if (on_submit_) on_submit_();
}

// Zone Append and Zone Management Send (Reset) go out as raw I/O commands
// through the driver (ZNS 1.1 Zone Append, Zone Management Send).
void JobRunner::IssueZoneCommand(Slot& slot, const IoRequest& io) {
  spec::Sqe sqe{};
  const driver::DataSegment* segments = nullptr;
  uint32_t count = 0;
  if (io.op == IoOp::kZoneAppend) {
    sqe = driver::zoned::ZoneAppendSqe(target_.nsid, io.lba, io.nlb);
    // Stamped before the LBA is known: with the zone start; the oracle maps it.
    slot.stamp = {++*write_generation_, generator_.seed()};
    FillBlocks(std::span<uint8_t>(slot.buffer.cpu, slot.segment.length), io.lba, io.nlb,
               target_.geometry.lba_size, slot.stamp);
    segments = &slot.segment;
    count = 1;
  } else {
    sqe = driver::zoned::ZoneSendSqe(target_.nsid, io.lba, spec::ZoneSendAction::kReset);
  }
  slot.busy = true;
  slot.callback_seen = false;
  slot.submit_ns = clock_.NowNs();
  ++record_.submitted;
  ++in_flight_;
  Slot* sp = &slot;
  const spec::Status accepted = target_.controller->SubmitIo(
      target_.queue, sqe, segments, count,
      [this, sp](const driver::BlockResult& r) { OnComplete(*sp, r); });
  if (!accepted.ok()) {
    --in_flight_;
    --record_.submitted;
    ++record_.refused;
    ++record_.statuses[accepted.ToString()];
    if (record_.failures.size() < kMaxFailures) {
      record_.failures.push_back({io.lba, io.nlb, io.op, accepted, clock_.NowNs()});
    }
    slot.busy = false;
    stopping_ = true;
    return;
  }
  if (on_submit_) on_submit_();
}

void JobRunner::OnComplete(Slot& slot, const driver::BlockResult& result) {
  if (!slot.busy || slot.callback_seen) {
    ++record_.duplicate_callbacks;
    return;
  }
  slot.callback_seen = true;
  slot.busy = false;
  --in_flight_;
  ++record_.completed;
  record_.retries += result.retries;
  const uint64_t now = clock_.NowNs();
  record_.stats.Finish(now * 1000);
  const IoRequest& io = slot.io;
  const uint32_t lba_size = target_.geometry.lba_size;
  record_.stats.Record(DirectionOf(io.op), uint64_t{io.nlb} * lba_size, result.latency_ns,
                       result.status);
  if (result.status.ok()) {
    record_.last_success_ns = now;
    if (target_.oracle) {
      switch (io.op) {
        case IoOp::kRead:
          if (job_.verify != VerifyMode::kNone && job_.do_verify) {
            if (auto mismatch = target_.oracle->VerifyRead(
                    std::span<const uint8_t>(slot.buffer.cpu, slot.segment.length), io.lba,
                    io.nlb)) {
              ++record_.mismatch_count;
              if (record_.mismatches.size() < kMaxMismatches)
                record_.mismatches.push_back(*mismatch);
            }
          }
          break;
        case IoOp::kWrite:
          target_.oracle->WriteCompleted(io.lba, io.nlb, slot.stamp, !target_.volatile_write_cache);
          break;
        case IoOp::kZoneAppend: {
          // The assigned LBA is in completion DW0 (low) and DW1 (high) (ZNS 1.1 Zone Append).
          const uint64_t assigned =
              target_.controller != nullptr ? (uint64_t{result.dw1} << 32) | result.dw0 : io.lba;
          if (target_.controller != nullptr) {
            target_.oracle->AppendCompleted(assigned, io.nlb, io.lba, slot.stamp,
                                            !target_.volatile_write_cache);
          } else {
            target_.oracle->WriteCompleted(io.lba, io.nlb, slot.stamp,
                                           !target_.volatile_write_cache);
          }
          break;
        }
        case IoOp::kTrim:
        case IoOp::kZoneReset:
          target_.oracle->TrimCompleted(io.lba, std::max<uint32_t>(io.nlb, 1),
                                        !target_.volatile_write_cache);
          break;
        case IoOp::kFlush:
          target_.oracle->FlushCompleted(slot.flush_token);
          break;
      }
    }
  } else {
    ++record_.statuses[result.status.ToString()];
    if (record_.failures.size() < kMaxFailures) {
      record_.failures.push_back({io.lba, io.nlb, io.op, result.status, now});
    }
    if (target_.oracle) {
      if (io.op == IoOp::kWrite || io.op == IoOp::kZoneAppend) {
        target_.oracle->WriteFailed(io.lba, io.nlb, slot.stamp);
      } else if (io.op == IoOp::kTrim || io.op == IoOp::kZoneReset) {
        target_.oracle->TrimFailed(io.lba, io.nlb);
      }
    }
  }
  if (on_complete_) on_complete_({io.op, io.lba, io.nlb, slot.submit_ns, now, result.status});
  Pump();
}

void JobRunner::MaybeFinish() {
  if (finished_ || in_flight_ != 0 || !(stopping_ || exhausted_)) return;
  finished_ = true;
  if (on_done_) {
    auto done = std::move(on_done_);
    done();
  }
}

}  // namespace nvmesim::harness

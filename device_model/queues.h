// Submission and completion queue state held by the controller (NVMe Base
// 2.0 section 3.3: circular queues, head/tail, phase tag).
#pragma once

#include <cstdint>
#include <vector>

#include "device_model/arbiter.h"
#include "spec/command.h"

namespace nvmesim::device {

struct SubmissionQueue {
  bool valid = false;
  uint16_t qid = 0;
  uint64_t base = 0;  // host bus address of entry 0 (physically contiguous)
  uint32_t size = 0;  // entries (1's based)
  uint32_t head = 0;  // next entry the controller fetches
  uint32_t tail = 0;  // last tail doorbell value
  uint16_t cqid = 0;
  QueuePriority prio = QueuePriority::kMedium;
  bool hung = false;    // fault: commands are fetched but never completed
  bool broken = false;  // an SQE fetch failed: no more fetches until deleted

  uint32_t Available() const { return tail >= head ? tail - head : size - head + tail; }
};

struct CompletionQueue {
  bool valid = false;
  uint16_t qid = 0;
  uint64_t base = 0;
  uint32_t size = 0;
  uint32_t head = 0;  // last head doorbell value
  uint32_t tail = 0;  // next slot the controller writes
  bool phase = true;  // phase tag of the current pass (starts at 1, Base 2.0 4.2.4)
  bool irq_enabled = true;
  uint16_t vector = 0;
  uint32_t sq_refs = 0;  // SQs that complete here (Delete I/O CQ needs 0)
  // CQEs waiting for room (CQ full): kept in order, bounded by the SQs' sizes.
  std::vector<spec::Cqe> backlog;
  size_t backlog_head = 0;

  bool Full() const { return (tail + 1) % size == head; }
  bool HasBacklog() const { return backlog_head < backlog.size(); }
};

}  // namespace nvmesim::device

// Driver-internal bookkeeping of one caller request and of one NVMe command.
// Both live in pools owned by the controller and are recycled, never freed
// on the I/O path.
#pragma once

#include <cstdint>
#include <functional>

#include "driver/block.h"
#include "driver/hal/hal.h"
#include "spec/command.h"
#include "spec/status.h"

namespace nvmesim::driver::internal {

// One caller request; an MDTS split turns it into several commands.
struct Request {
  BlockCallback done;
  uint64_t submit_ns = 0;
  uint32_t outstanding = 0;  // commands not yet finished
  uint32_t commands = 0;
  uint32_t retries = 0;
  uint32_t dw0 = 0, dw1 = 0;  // of the last successful completion
  spec::Status status;
  // For IoHooks: data bytes, direction, queue, admission time (0: not yet).
  uint64_t bytes = 0;
  uint64_t admit_ns = 0;
  uint32_t token = 0;  // IoHooks::OnIssued's
  uint16_t qid = 0;
  bool write = false;
  bool admitted = false;
  Request* next_free = nullptr;
};

inline constexpr uint16_t kNoSlot = 0xFFFF;

// One NVMe command from build to completion, across retries.
struct Command {
  spec::Sqe sqe;
  Request* request = nullptr;                         // block I/O parent
  std::function<void(const spec::Cqe&)> on_complete;  // internal/admin commands
  uint16_t queue = 0;                                 // queue pair index (0 = admin)
  uint16_t slot = kNoSlot;                            // slot while in flight
  uint32_t retries = 0;
  uint64_t submit_ns = 0;     // of the current attempt
  uint64_t deadline_ns = 0;   // timeout of the current attempt
  uint64_t timeout_ns = 0;    // per-attempt budget
  bool abort_sent = false;    // an Abort was issued for the current attempt
  bool retry_allowed = true;  // internal commands that must not repeat set false
  hal::Clock::TimerId retry_timer = hal::Clock::kNoTimer;  // CRD delay
  hal::DmaBuffer list_page;  // PRP list / SGL segment / DSM or Copy ranges
  // Intrusive list: in flight on a queue (submit order) or waiting.
  Command* prev = nullptr;
  Command* next = nullptr;
};

// Doubly linked intrusive FIFO of commands.
class CommandList {
 public:
  bool empty() const { return head_ == nullptr; }
  Command* front() const { return head_; }
  uint32_t size() const { return size_; }
  void PushBack(Command* c) {
    c->next = nullptr;
    c->prev = tail_;
    if (tail_)
      tail_->next = c;
    else
      head_ = c;
    tail_ = c;
    ++size_;
  }
  void PushFront(Command* c) {
    c->prev = nullptr;
    c->next = head_;
    if (head_)
      head_->prev = c;
    else
      tail_ = c;
    head_ = c;
    ++size_;
  }
  void Remove(Command* c) {
    if (c->prev)
      c->prev->next = c->next;
    else
      head_ = c->next;
    if (c->next)
      c->next->prev = c->prev;
    else
      tail_ = c->prev;
    c->prev = c->next = nullptr;
    --size_;
  }
  Command* PopFront() {
    Command* c = head_;
    if (c) Remove(c);
    return c;
  }

 private:
  Command* head_ = nullptr;
  Command* tail_ = nullptr;
  uint32_t size_ = 0;
};

}  // namespace nvmesim::driver::internal

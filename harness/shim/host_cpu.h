// The simulated host CPU: one SystemC method process that runs driver work — interrupt
// handlers, timer callbacks, workload steps — one task at a time, in
// (simulated time, sequence) order. Driver code never runs concurrently with
// itself and is never entered from inside a HAL call (the hal.h contract).
//
// Time inside a task: MMIO transactions annotate their delay onto the CPU's
// local time offset (loosely-timed temporal decoupling). When a task ends the
// CPU waits out that offset, so a non-posted MMIO read stalls the CPU for
// its round trip while a posted doorbell write costs the CPU nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include <systemc>

#include "pcie_model/sim_time.h"

namespace nvmesim::harness {

class HostCpu : public sc_core::sc_module {
 public:
  using Task = std::function<void()>;
  using TaskId = uint64_t;

  SC_HAS_PROCESS(HostCpu);
  explicit HostCpu(sc_core::sc_module_name name);

  // Runs `task` on this CPU at (current CPU time + delay). Safe to call from
  // any SystemC process (device context, another task). Returns an id for Cancel.
  TaskId Post(sc_core::sc_time delay, Task task);
  // Runs `task` at an absolute simulated time (not before the CPU's present).
  TaskId PostAt(sc_core::sc_time when, Task task);
  // True when the task was still queued and is now removed.
  bool Cancel(TaskId id);

  // The CPU's notion of now: kernel time plus the running task's local offset.
  sc_core::sc_time Now() const { return clock_.Now() + local_offset_; }
  // The running task's local time offset; MMIO passes it as the b_transport delay.
  sc_core::sc_time& local_offset() { return local_offset_; }

  // Stops the loop after the running task; queued tasks stay unrun.
  void Halt();
  bool halted() const { return halted_; }

  uint64_t tasks_run() const { return tasks_run_; }
  size_t tasks_queued() const { return queue_.size(); }

 private:
  void Run();

  struct Entry {
    uint64_t time_ps;
    uint64_t seq;
    TaskId id;
    Task task;
  };
  // Heap order: the entry that runs last sorts first ((time, seq) is unique).
  static bool RunsLater(const Entry& a, const Entry& b) {
    return a.time_ps != b.time_ps ? a.time_ps > b.time_ps : a.seq > b.seq;
  }

  // Makes sure the CPU wakes no later than `at_ps`.
  void Arm(uint64_t at_ps);

  // Binary min-heap on (time, seq): the front runs next. A few entries are
  // queued at a time (interrupts, timers), so Cancel searches it linearly.
  std::vector<Entry> queue_;
  // Two wake-up alarms, so that an interrupt due in a few hundred ns does not
  // cancel the pending wake-up for a driver timer due much later: the kernel
  // keeps a cancelled timed notification queued until its time, and one per
  // interrupt would grow its event queue and the cost of every insertion.
  struct Alarm {
    sc_core::sc_event event;
    uint64_t at_ps = 0;
    bool armed = false;
  };
  Alarm alarms_[2];
  pcie::PsClock clock_;  // kernel time, read in place
  sc_core::sc_time local_offset_ = sc_core::SC_ZERO_TIME;
  uint64_t busy_until_ps_ = 0;  // the last task's MMIO time ends here; no task starts before
  uint64_t next_seq_ = 0;
  TaskId next_id_ = 1;
  uint64_t tasks_run_ = 0;
  bool halted_ = false;
};

}  // namespace nvmesim::harness

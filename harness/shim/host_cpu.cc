#include "harness/shim/host_cpu.h"

#include <algorithm>

namespace nvmesim::harness {

namespace {
uint64_t Ps(const sc_core::sc_time& t) {
  return static_cast<uint64_t>(t.value());  // the kernel's resolution is 1 ps (see HostCpu ctor)
}
}  // namespace

HostCpu::HostCpu(sc_core::sc_module_name name) : sc_module(name) {
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS)) {
    SC_REPORT_FATAL("nvmesim/host_cpu", "the simulation time resolution must be 1 ps");
  }
  SC_METHOD(Run);
}

HostCpu::TaskId HostCpu::Post(sc_core::sc_time delay, Task task) {
  return PostAt(Now() + delay, std::move(task));
}

HostCpu::TaskId HostCpu::PostAt(sc_core::sc_time when, Task task) {
  const TaskId id = next_id_++;
  queue_.push_back(Entry{Ps(when), next_seq_++, id, std::move(task)});
  std::push_heap(queue_.begin(), queue_.end(), RunsLater);
  // Wake the CPU when the task is due (an earlier pending wake-up stands).
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  wake_.notify(when > now ? when - now : sc_core::SC_ZERO_TIME);
  return id;
}

bool HostCpu::Cancel(TaskId id) {
  auto it = std::find_if(queue_.begin(), queue_.end(), [id](const Entry& e) { return e.id == id; });
  if (it == queue_.end()) return false;
  if (it != queue_.end() - 1) *it = std::move(queue_.back());
  queue_.pop_back();
  std::make_heap(queue_.begin(), queue_.end(), RunsLater);
  return true;
}

void HostCpu::Halt() {
  halted_ = true;
  wake_.notify(sc_core::SC_ZERO_TIME);
}

void HostCpu::Run() {
  // An SC_METHOD: every return names what resumes it (next_trigger), so the
  // CPU costs no coroutine switch per task. Tasks never wait themselves.
  while (!halted_) {
    if (queue_.empty()) {
      next_trigger(wake_);
      return;
    }
    const uint64_t now_ps = Ps(sc_core::sc_time_stamp());
    if (queue_.front().time_ps > now_ps) {
      // Sleep until the task is due, but wake for anything posted earlier meanwhile
      // (an interrupt that arrives before a timeout must run first).
      next_trigger(sc_core::sc_time::from_value(queue_.front().time_ps - now_ps), wake_);
      return;
    }
    {
      // Scoped so the closure is destroyed before the CPU sleeps: a CPU that never
      // resumes (the simulation stopped) must not keep a task's captures alive.
      std::pop_heap(queue_.begin(), queue_.end(), RunsLater);
      Task task = std::move(queue_.back().task);
      queue_.pop_back();
      local_offset_ = sc_core::SC_ZERO_TIME;
      task();
    }
    ++tasks_run_;
    if (local_offset_ != sc_core::SC_ZERO_TIME) {
      const sc_core::sc_time spent = local_offset_;
      local_offset_ = sc_core::SC_ZERO_TIME;
      next_trigger(spent);  // the CPU was busy (e.g. stalled on an MMIO read) for this long
      return;
    }
  }
}

}  // namespace nvmesim::harness

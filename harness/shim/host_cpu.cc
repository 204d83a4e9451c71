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
  sensitive << alarms_[0].event << alarms_[1].event;  // where every sleep ends
}

HostCpu::TaskId HostCpu::Post(sc_core::sc_time delay, Task task) {
  return PostAt(Now() + delay, std::move(task));
}

HostCpu::TaskId HostCpu::PostAt(sc_core::sc_time when, Task task) {
  const TaskId id = next_id_++;
  queue_.push_back(Entry{Ps(when), next_seq_++, id, std::move(task)});
  std::push_heap(queue_.begin(), queue_.end(), RunsLater);
  Arm(Ps(when));  // wake the CPU when the task is due
  return id;
}

void HostCpu::Arm(uint64_t at_ps) {
  const uint64_t now_ps = clock_.NowPs();
  if (at_ps < busy_until_ps_) at_ps = busy_until_ps_;  // nothing runs while the CPU is busy
  if (at_ps < now_ps) at_ps = now_ps;
  Alarm* spare = nullptr;
  for (Alarm& a : alarms_) {
    if (a.armed && a.at_ps <= at_ps) return;  // an earlier wake-up stands; Run re-arms then
    if (!a.armed) spare = &a;
  }
  if (spare == nullptr) {
    // Both armed later: move the nearer one, keep the far one (a timer) in place.
    spare = alarms_[0].at_ps < alarms_[1].at_ps ? &alarms_[0] : &alarms_[1];
  }
  // A disarmed alarm may still hold a notification for this time step (Run
  // already ran); left pending it would swallow the new, later one.
  spare->event.cancel();
  spare->armed = true;
  spare->at_ps = at_ps;
  if (at_ps == now_ps) {
    spare->event.notify(sc_core::SC_ZERO_TIME);
  } else {
    spare->event.notify(sc_core::sc_time::from_value(at_ps - now_ps));
  }
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
  Arm(0);
}

void HostCpu::Run() {
  // An SC_METHOD: every return names what resumes it (next_trigger), so the
  // CPU costs no coroutine switch per task. Tasks never wait themselves.
  {
    // Alarms due by now have fired or fire in this time step, after this run:
    // either way this run serves them (a late one is a harmless spare wake-up).
    const uint64_t now_ps = clock_.NowPs();
    for (Alarm& a : alarms_) {
      if (a.armed && a.at_ps <= now_ps) a.armed = false;
    }
  }
  while (!halted_) {
    if (queue_.empty()) {
      next_trigger();  // static sensitivity: either alarm
      return;
    }
    const uint64_t now_ps = clock_.NowPs();
    const uint64_t ready_ps = std::max(queue_.front().time_ps, busy_until_ps_);
    if (ready_ps > now_ps) {
      // Sleep until the task is due and the CPU free, but wake for anything posted
      // earlier meanwhile (an interrupt that arrives before a timeout must run first).
      Arm(ready_ps);
      next_trigger();  // static sensitivity: either alarm
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
      // The CPU was busy (e.g. stalled on an MMIO read) for this long: the next task
      // starts no earlier. No wake-up of its own: an idle CPU just sleeps on.
      busy_until_ps_ = clock_.NowPs() + Ps(local_offset_);
      local_offset_ = sc_core::SC_ZERO_TIME;
    }
  }
}

}  // namespace nvmesim::harness

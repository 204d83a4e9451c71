// Deterministic in-memory HAL backends for driver tests and benchmarks:
// virtual-time clock with one-shot timers, DMA memory with its own bus
// address space, MSI-X-like interrupts, and a log that keeps every line.
// A Loop ties them to a device model (FakeNvmeController) and runs callbacks
// only from its own loop, as the HAL contract requires.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "driver/hal/hal.h"

namespace nvmesim::driver::testing {

class FakeClock final : public hal::Clock {
 public:
  uint64_t NowNs() override { return now_; }
  TimerId StartTimer(uint64_t delay_ns, Callback callback) override;
  void CancelTimer(TimerId id) override;
  // Fires the earliest timer (advancing time to it). False when none.
  bool FireNext();
  bool has_timers() const { return !timers_.empty(); }
  uint64_t next_deadline() const;
  void Advance(uint64_t ns) { now_ += ns; }
  size_t pending() const { return timers_.size(); }

 private:
  uint64_t now_ = 0;
  TimerId next_id_ = 1;
  std::map<std::pair<uint64_t, TimerId>, Callback> timers_;  // (deadline, id)
  std::map<TimerId, uint64_t> deadline_of_;
};

class FakeDma final : public hal::DmaMemory {
 public:
  ~FakeDma() override;
  hal::DmaBuffer Allocate(size_t size, size_t align) override;
  void Free(const hal::DmaBuffer& buffer) override;
  // CPU pointer for [bus, bus + len) when it lies inside one allocation.
  uint8_t* Translate(uint64_t bus, uint64_t len) const;
  size_t live_allocations() const { return regions_.size(); }
  void FailAllocations(bool fail) { fail_ = fail; }

 private:
  struct Region {
    uint8_t* cpu;
    size_t size;
    void* raw;
  };
  std::map<uint64_t, Region> regions_;  // by bus address
  uint64_t next_bus_ = 0x1'0000'0000ull;
  bool fail_ = false;
};

class FakeInterrupts final : public hal::Interrupts {
 public:
  explicit FakeInterrupts(uint32_t available = 32) : available_(available) {}
  uint32_t Allocate(uint32_t count) override;
  void SetHandler(uint32_t vector, Handler handler) override;
  void Mask(uint32_t vector) override;
  void Unmask(uint32_t vector) override;
  // Device side: marks a vector pending.
  void Raise(uint32_t vector);
  // Calls the handler of one pending unmasked vector. False when none.
  bool DeliverOne();
  uint64_t delivered() const { return delivered_; }
  uint32_t granted() const { return granted_; }

 private:
  uint32_t available_;
  uint32_t granted_ = 0;
  std::vector<Handler> handlers_;
  std::vector<bool> pending_, masked_;
  uint64_t delivered_ = 0;
};

class FakeLog final : public hal::Log {
 public:
  void Write(hal::LogLevel level, std::string_view message) override;
  void Trace(const spec::TraceEvent& event) override;
  // Lines at or above `level` containing `needle`.
  size_t Count(hal::LogLevel level, std::string_view needle) const;
  std::string Dump() const;
  size_t traces(std::string_view name) const;
  void set_echo(bool echo) { echo_ = echo; }

 private:
  std::vector<std::pair<hal::LogLevel, std::string>> lines_;
  std::map<std::string, size_t> trace_counts_;
  bool echo_ = false;
};

}  // namespace nvmesim::driver::testing

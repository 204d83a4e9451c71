#include "driver/testing/fake_platform.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nvmesim::driver::testing {

hal::Clock::TimerId FakeClock::StartTimer(uint64_t delay_ns, Callback callback) {
  const TimerId id = next_id_++;
  timers_.emplace(std::make_pair(now_ + delay_ns, id), std::move(callback));
  deadline_of_[id] = now_ + delay_ns;
  return id;
}

void FakeClock::CancelTimer(TimerId id) {
  auto it = deadline_of_.find(id);
  if (it == deadline_of_.end()) return;
  timers_.erase({it->second, id});
  deadline_of_.erase(it);
}

uint64_t FakeClock::next_deadline() const {
  return timers_.empty() ? UINT64_MAX : timers_.begin()->first.first;
}

bool FakeClock::FireNext() {
  if (timers_.empty()) return false;
  auto it = timers_.begin();
  const uint64_t when = it->first.first;
  const TimerId id = it->first.second;
  Callback cb = std::move(it->second);
  timers_.erase(it);
  deadline_of_.erase(id);
  if (when > now_) now_ = when;
  cb();
  return true;
}

FakeDma::~FakeDma() {
  for (auto& [bus, r] : regions_) std::free(r.raw);
}

hal::DmaBuffer FakeDma::Allocate(size_t size, size_t align) {
  if (fail_ || size == 0) return {};
  if (align < 16) align = 16;
  void* raw = std::malloc(size + align);
  if (raw == nullptr) return {};
  const uintptr_t p = (reinterpret_cast<uintptr_t>(raw) + align - 1) & ~(uintptr_t{align} - 1);
  uint8_t* cpu = reinterpret_cast<uint8_t*>(p);
  std::memset(cpu, 0, size);
  next_bus_ = (next_bus_ + align - 1) & ~(uint64_t{align} - 1);
  const uint64_t bus = next_bus_;
  // Leave a one-page hole between regions so overruns do not translate.
  next_bus_ += size + 4096;
  regions_[bus] = {cpu, size, raw};
  return {cpu, bus, size};
}

void FakeDma::Free(const hal::DmaBuffer& buffer) {
  auto it = regions_.find(buffer.bus);
  if (it == regions_.end()) return;
  std::free(it->second.raw);
  regions_.erase(it);
}

uint8_t* FakeDma::Translate(uint64_t bus, uint64_t len) const {
  auto it = regions_.upper_bound(bus);
  if (it == regions_.begin()) return nullptr;
  --it;
  const uint64_t off = bus - it->first;
  if (off > it->second.size || len > it->second.size - off) return nullptr;
  return it->second.cpu + off;
}

uint32_t FakeInterrupts::Allocate(uint32_t count) {
  granted_ = count < available_ ? count : available_;
  handlers_.assign(granted_, nullptr);
  pending_.assign(granted_, false);
  masked_.assign(granted_, false);
  return granted_;
}

void FakeInterrupts::SetHandler(uint32_t vector, Handler handler) {
  if (vector < handlers_.size()) handlers_[vector] = std::move(handler);
}
void FakeInterrupts::Mask(uint32_t vector) {
  if (vector < masked_.size()) masked_[vector] = true;
}
void FakeInterrupts::Unmask(uint32_t vector) {
  if (vector < masked_.size()) masked_[vector] = false;
}
void FakeInterrupts::Raise(uint32_t vector) {
  if (vector < pending_.size()) pending_[vector] = true;
}

bool FakeInterrupts::DeliverOne() {
  for (uint32_t v = 0; v < pending_.size(); ++v) {
    if (pending_[v] && !masked_[v]) {
      pending_[v] = false;
      ++delivered_;
      if (handlers_[v]) {
        Handler h = handlers_[v];  // the handler may replace itself
        h();
      }
      return true;
    }
  }
  return false;
}

void FakeLog::Write(hal::LogLevel level, std::string_view message) {
  lines_.emplace_back(level, std::string(message));
  if (echo_)
    std::fprintf(stderr, "[%s] %.*s\n", hal::LogLevelName(level), static_cast<int>(message.size()),
                 message.data());
}

void FakeLog::Trace(const spec::TraceEvent& event) { ++trace_counts_[event.name]; }

size_t FakeLog::Count(hal::LogLevel level, std::string_view needle) const {
  size_t n = 0;
  for (const auto& [l, s] : lines_) {
    if (l >= level && s.find(needle) != std::string::npos) ++n;
  }
  return n;
}

std::string FakeLog::Dump() const {
  std::string out;
  for (const auto& [l, s] : lines_) out += std::string(hal::LogLevelName(l)) + ": " + s + "\n";
  return out;
}

size_t FakeLog::traces(std::string_view name) const {
  auto it = trace_counts_.find(std::string(name));
  return it == trace_counts_.end() ? 0 : it->second;
}

}  // namespace nvmesim::driver::testing

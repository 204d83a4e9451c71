#include "harness/report/trace_hasher.h"

#include <cstdio>

namespace nvmesim::harness {
namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ULL;  // xxHash64 primes
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kP3 = 0x165667B19E3779F9ULL;

inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline uint64_t Round(uint64_t acc, uint64_t w) { return Rotl(acc + w * kP2, 31) * kP1; }

}  // namespace

uint64_t TraceHasher::HashString(const char* text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  if (text == nullptr) return h;
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(text); *p != 0; ++p) {
    h ^= *p;
    h *= 0x100000001B3ULL;
  }
  return h;
}

void TraceHasher::Emit(const spec::TraceEvent& e) {
  uint64_t acc = acc_;
  acc = Round(acc, e.time_ps);
  acc = Round(acc, HashString(e.source));
  acc = Round(acc, HashString(e.name));
  acc = Round(acc, e.a);
  acc = Round(acc, e.b);
  acc = Round(acc, e.c);
  acc_ = acc;
  ++count_;
  if (keep_log_) {
    log_.push_back(
        LoggedEvent{e.time_ps, e.source ? e.source : "", e.name ? e.name : "", e.a, e.b, e.c});
  }
  if (forward_ != nullptr) forward_->Emit(e);
}

uint64_t TraceHasher::Hash() const {
  uint64_t h = acc_ ^ (count_ * kP3);
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

std::string TraceHasher::HexHash() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(Hash()));
  return buf;
}

void TraceHasher::Reset() {
  acc_ = kSeed;
  count_ = 0;
  log_.clear();
}

}  // namespace nvmesim::harness

// A 128-bit little-endian counter or capacity as it appears in Identify and
// log page data (TNVMCAP, NVMCAP, SMART "Data Units Read" ...). Base 2.0 §1.5
// (conventions: multi-byte values are little endian). The project runs on
// little-endian hosts only; command.h asserts that.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nvmesim::spec {

struct Uint128 {
  uint64_t lo = 0;  // bytes 7:0
  uint64_t hi = 0;  // bytes 15:8

  static constexpr Uint128 From(uint64_t v) { return Uint128{v, 0}; }
  constexpr bool operator==(const Uint128&) const = default;
  // Adds with carry into the upper half; returns *this.
  constexpr Uint128& Add(uint64_t v) {
    const uint64_t old = lo;
    lo += v;
    if (lo < old) ++hi;
    return *this;
  }
  // The value saturated to 64 bits (for printing and comparisons).
  constexpr uint64_t Saturated64() const { return hi != 0 ? ~uint64_t{0} : lo; }
};
static_assert(sizeof(Uint128) == 16);
static_assert(offsetof(Uint128, lo) == 0);
static_assert(offsetof(Uint128, hi) == 8);

}  // namespace nvmesim::spec

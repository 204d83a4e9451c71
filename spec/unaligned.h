// Little-endian integers at offsets the spec does not align (SMART/Health
// Composite Temperature at byte 1, Timestamp's 48-bit value). Stored as bytes
// so the enclosing struct keeps its natural alignment and no packed member
// is ever bound to a reference. Base 2.0 §1.5: multi-byte fields are little
// endian.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nvmesim::spec {

template <size_t N>
struct UnalignedLe {
  static_assert(N >= 1 && N <= 8);
  uint8_t bytes[N] = {};

  constexpr uint64_t value() const {
    uint64_t v = 0;
    for (size_t i = N; i-- > 0;) v = (v << 8) | bytes[i];
    return v;
  }
  constexpr void set(uint64_t v) {
    for (size_t i = 0; i < N; ++i) {
      bytes[i] = static_cast<uint8_t>(v & 0xFF);
      v >>= 8;
    }
  }
  constexpr UnalignedLe& operator=(uint64_t v) {
    set(v);
    return *this;
  }
  constexpr operator uint64_t() const { return value(); }  // NOLINT: reads like the integer
};

using UnalignedLe16 = UnalignedLe<2>;
using UnalignedLe48 = UnalignedLe<6>;
static_assert(sizeof(UnalignedLe16) == 2 && alignof(UnalignedLe16) == 1);
static_assert(sizeof(UnalignedLe48) == 6 && alignof(UnalignedLe48) == 1);

}  // namespace nvmesim::spec

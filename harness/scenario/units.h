// Sizes and durations written by people: "4k", "256MiB", "1GB", "200us", "1.5ms", "2s".
// Pure functions, no I/O. Durations are simulated time in picoseconds (SystemC's resolution).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nvmesim::harness {

inline constexpr uint64_t kPsPerNs = 1000;
inline constexpr uint64_t kPsPerUs = 1000 * kPsPerNs;
inline constexpr uint64_t kPsPerMs = 1000 * kPsPerUs;
inline constexpr uint64_t kPsPerSecond = 1000 * kPsPerMs;

// How suffixes of sizes are read. Today both styles read every suffix as a power of 1024:
// k/K/KB/KiB = 2^10, m/M/MB/MiB = 2^20, g/G/GB/GiB = 2^30, t/T/TB/TiB = 2^40, p/P/PB/PiB = 2^50;
// a bare number is bytes. This matches the driver's [advanced_nvme] sizes (same file) and fio's
// default kb_base=1024 for k/KB - fio's compatibility mode reads the IEC forms (KiB) as powers
// of 1000, which nvmesim does not copy. The style stays in the signature so job files and
// scenarios can diverge later without touching callers.
enum class SizeStyle { kScenario, kFio };

// Parses "4096", "4k", "256MiB", "1GB", "1.5g" (a fraction is allowed when the result is a whole
// number of bytes). Returns nullopt and sets *error (what was expected) on failure or overflow.
std::optional<uint64_t> ParseSize(std::string_view text, SizeStyle style, std::string* error);

// Parses "200us", "1.5ms", "2s", "10ns", "500ps", "1m" (minutes), "1h". A bare number uses
// `bare_unit_ps` when it is non-zero (fio's runtime= is in seconds) and is an error otherwise.
// Fractions must resolve to a whole number of picoseconds.
std::optional<uint64_t> ParseDuration(std::string_view text, uint64_t bare_unit_ps,
                                      std::string* error);

// "4 KiB", "1 GiB", "1000000000 B" — exact: the largest binary unit that divides the value.
std::string FormatSize(uint64_t bytes);
// "200 us", "1.5 ms", "2 s" — shortest exact decimal in the largest unit not above the value.
std::string FormatDuration(uint64_t ps);

}  // namespace nvmesim::harness

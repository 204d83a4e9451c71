// The run's trace hash: a spec::TraceSink that folds every event, in order, into a 64-bit hash
// of its content (time, source and name text, arguments) - never of pointers - so the same run
// gives the same hash on every platform. It can also keep the event log (for the Perfetto
// trace) and forward each event to another sink.
//
// "nvmesim trace hash v1": strings are hashed with 64-bit FNV-1a over their bytes; each event
// contributes the words (time_ps, fnv(source), fnv(name), a, b, c) through the xxHash64 round
// acc = rotl(acc + w * P2, 31) * P1; Hash() finishes with the event count and xxHash64's
// avalanche. Little-endian byte order is fixed by construction (values, not memory, are mixed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spec/trace.h"

namespace nvmesim::harness {

struct LoggedEvent {
  uint64_t time_ps = 0;
  std::string source;
  std::string name;
  uint64_t a = 0, b = 0, c = 0;
};

class TraceHasher : public spec::TraceSink {
 public:
  explicit TraceHasher(bool keep_log = false) : keep_log_(keep_log) {}

  void Emit(const spec::TraceEvent& event) override;

  uint64_t Hash() const;        // of every event so far; emitting may continue
  std::string HexHash() const;  // 16 lower-case hex digits
  uint64_t event_count() const { return count_; }

  void set_keep_log(bool keep) { keep_log_ = keep; }
  const std::vector<LoggedEvent>& log() const { return log_; }
  // Every event is passed on to `next` after hashing (may be null).
  void set_forward(spec::TraceSink* next) { forward_ = next; }
  void Reset();

  static uint64_t HashString(const char* text);  // FNV-1a 64 of the bytes up to NUL

 private:
  uint64_t acc_ = kSeed;
  uint64_t count_ = 0;
  bool keep_log_;
  std::vector<LoggedEvent> log_;
  spec::TraceSink* forward_ = nullptr;
  static constexpr uint64_t kSeed = 0x6E766D6573696D31ULL;  // "nvmesim1"
};

}  // namespace nvmesim::harness

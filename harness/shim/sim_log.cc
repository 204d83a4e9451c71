#include "harness/shim/sim_log.h"

#include <cinttypes>
#include <cstdio>

namespace nvmesim::harness {

void SimLog::Write(driver::hal::LogLevel level, std::string_view message) {
  const uint64_t now_ns = static_cast<uint64_t>(cpu_.Now().value() / 1000);
  if (lines_ != nullptr) lines_->push_back({now_ns, level, source_, std::string(message)});
  if (echo_ != nullptr && level >= echo_level_) {
    // The driver names its controller itself ("nvme0: ..."): not twice.
    const bool named = message.size() > source_.size() + 1 &&
                       message.compare(0, source_.size(), source_) == 0 &&
                       message[source_.size()] == ':';
    std::fprintf(echo_, "[%10.3f us] %-7s %s%s%.*s\n", static_cast<double>(now_ns) / 1000.0,
                 driver::hal::LogLevelName(level), named ? "" : source_.c_str(), named ? "" : ": ",
                 static_cast<int>(message.size()), message.data());
  }
}

void SimLog::Trace(const spec::TraceEvent& event) {
  if (trace_ == nullptr) return;
  spec::TraceEvent stamped = event;
  if (stamped.time_ps == 0) stamped.time_ps = static_cast<uint64_t>(cpu_.Now().value());
  trace_->Emit(stamped);
}

}  // namespace nvmesim::harness

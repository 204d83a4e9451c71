// hal::Log for the simulator: log lines stamped with simulated time, kept for
// the report and echoed at or above a level; trace events forwarded in order
// to the run's trace sink (the event log behind the trace hash).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "driver/hal/hal.h"
#include "harness/shim/host_cpu.h"
#include "spec/trace.h"

namespace nvmesim::harness {

struct LogLine {
  uint64_t time_ns;
  driver::hal::LogLevel level;
  std::string source;
  std::string message;
};

class SimLog final : public driver::hal::Log {
 public:
  // `echo` receives lines at or above `echo_level` as they happen (may be null).
  SimLog(HostCpu& cpu, std::string source, spec::TraceSink* trace, std::vector<LogLine>* lines,
         driver::hal::LogLevel echo_level, std::FILE* echo)
      : cpu_(cpu),
        source_(std::move(source)),
        trace_(trace),
        lines_(lines),
        echo_level_(echo_level),
        echo_(echo) {}

  void Write(driver::hal::LogLevel level, std::string_view message) override;
  void Trace(const spec::TraceEvent& event) override;

 private:
  HostCpu& cpu_;
  std::string source_;
  spec::TraceSink* trace_;
  std::vector<LogLine>* lines_;
  driver::hal::LogLevel echo_level_;
  std::FILE* echo_;
};

}  // namespace nvmesim::harness

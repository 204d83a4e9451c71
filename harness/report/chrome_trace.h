// Chrome / Perfetto trace JSON ("Trace Event Format"): slices on named tracks (a command on its
// queue), counters (link utilisation, queue depth, temperature) and instants, with process and
// thread names. Perfetto's UI and chrome://tracing open the file. Timestamps are simulated
// time, written in microseconds with picosecond precision. Output order is insertion order;
// track ids are assigned in order of first use, so the file is deterministic.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/report/trace_hasher.h"

namespace nvmesim::harness {

class ChromeTraceWriter {
 public:
  using Args = std::vector<std::pair<std::string, nlohmann::json>>;

  // A complete slice ("ph":"X") on track `thread` of `process` (e.g. "ctrl0", "sq3").
  void Slice(const std::string& process, const std::string& thread, const std::string& name,
             uint64_t start_ps, uint64_t duration_ps, const Args& args = {});
  // A counter sample ("ph":"C"): one counter track per (process, name).
  void Counter(const std::string& process, const std::string& name, uint64_t time_ps, double value);
  // An instant ("ph":"i", thread scope).
  void Instant(const std::string& process, const std::string& thread, const std::string& name,
               uint64_t time_ps, const Args& args = {});
  // Every logged event as an instant on its source's track ("ctrl0.sq3" -> process "ctrl0",
  // thread "ctrl0.sq3"), with a, b, c as args.
  void AddEventLog(const std::vector<LoggedEvent>& log);

  size_t event_count() const { return events_.size(); }
  nlohmann::json ToJson() const;
  void Write(std::ostream& out) const;

  static double PsToUs(uint64_t ps) { return static_cast<double>(ps) / 1e6; }

 private:
  int Pid(const std::string& process);
  int Tid(int pid, const std::string& thread);

  std::vector<nlohmann::json> metadata_;
  std::vector<nlohmann::json> events_;
  std::map<std::string, int> pids_;
  std::map<std::pair<int, std::string>, int> tids_;
};

}  // namespace nvmesim::harness

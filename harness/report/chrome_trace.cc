#include "harness/report/chrome_trace.h"

namespace nvmesim::harness {

using nlohmann::json;

int ChromeTraceWriter::Pid(const std::string& process) {
  auto it = pids_.find(process);
  if (it != pids_.end()) return it->second;
  int pid = static_cast<int>(pids_.size()) + 1;
  pids_.emplace(process, pid);
  metadata_.push_back({{"name", "process_name"},
                       {"ph", "M"},
                       {"pid", pid},
                       {"tid", 0},
                       {"args", {{"name", process}}}});
  metadata_.push_back({{"name", "process_sort_index"},
                       {"ph", "M"},
                       {"pid", pid},
                       {"tid", 0},
                       {"args", {{"sort_index", pid}}}});
  return pid;
}

int ChromeTraceWriter::Tid(int pid, const std::string& thread) {
  auto key = std::make_pair(pid, thread);
  auto it = tids_.find(key);
  if (it != tids_.end()) return it->second;
  int tid = static_cast<int>(tids_.size()) + 1;
  tids_.emplace(key, tid);
  metadata_.push_back({{"name", "thread_name"},
                       {"ph", "M"},
                       {"pid", pid},
                       {"tid", tid},
                       {"args", {{"name", thread}}}});
  return tid;
}

namespace {
json ArgsJson(const ChromeTraceWriter::Args& args) {
  json a = json::object();
  for (const auto& [k, v] : args) a[k] = v;
  return a;
}
}  // namespace

void ChromeTraceWriter::Slice(const std::string& process, const std::string& thread,
                              const std::string& name, uint64_t start_ps, uint64_t duration_ps,
                              const Args& args) {
  int pid = Pid(process);
  int tid = Tid(pid, thread);
  json e = {{"name", name},
            {"ph", "X"},
            {"pid", pid},
            {"tid", tid},
            {"ts", PsToUs(start_ps)},
            {"dur", PsToUs(duration_ps)}};
  if (!args.empty()) e["args"] = ArgsJson(args);
  events_.push_back(std::move(e));
}

void ChromeTraceWriter::Counter(const std::string& process, const std::string& name,
                                uint64_t time_ps, double value) {
  int pid = Pid(process);
  events_.push_back({{"name", name},
                     {"ph", "C"},
                     {"pid", pid},
                     {"tid", 0},
                     {"ts", PsToUs(time_ps)},
                     {"args", {{"value", value}}}});
}

void ChromeTraceWriter::Instant(const std::string& process, const std::string& thread,
                                const std::string& name, uint64_t time_ps, const Args& args) {
  int pid = Pid(process);
  int tid = Tid(pid, thread);
  json e = {{"name", name}, {"ph", "i"},  {"s", "t"},
            {"pid", pid},   {"tid", tid}, {"ts", PsToUs(time_ps)}};
  if (!args.empty()) e["args"] = ArgsJson(args);
  events_.push_back(std::move(e));
}

void ChromeTraceWriter::AddEventLog(const std::vector<LoggedEvent>& log) {
  for (const LoggedEvent& e : log) {
    std::string process = e.source.substr(0, e.source.find('.'));
    Instant(process.empty() ? "trace" : process, e.source.empty() ? "trace" : e.source, e.name,
            e.time_ps, {{"a", e.a}, {"b", e.b}, {"c", e.c}});
  }
}

json ChromeTraceWriter::ToJson() const {
  json events = json::array();
  for (const json& m : metadata_) events.push_back(m);
  for (const json& e : events_) events.push_back(e);
  return {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ns"}};
}

void ChromeTraceWriter::Write(std::ostream& out) const { out << ToJson().dump() << "\n"; }

}  // namespace nvmesim::harness

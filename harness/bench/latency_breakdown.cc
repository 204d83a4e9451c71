#include "harness/bench/latency_breakdown.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

namespace nvmesim::harness {

namespace {

constexpr size_t kStages = 11;
const char* const kStage[kStages] = {
    "driver submit (SQE, PRP, SQ tail)",
    "doorbell MMIO to the link",
    "link down: doorbell TLP",
    "controller: doorbell to SQE fetch",
    "SQE fetch (read round trip)",
    "controller: checks (+ write data DMA)",
    "firmware on an embedded core (+ wait)",
    "media: DRAM buffer / NAND",
    "controller: media done to CQE",
    "CQE + MSI-X up the link",
    "interrupt to completion callback",
};
const char* const kHops[kStages] = {
    "submit -> driver sq_doorbell",
    "-> link.down tlp_mwr",
    "-> ctrl sq_doorbell",
    "-> link.up tlp_mrd",
    "-> ctrl cmd",
    "-> media call",
    "-> firmware done",
    "-> media latency ends",
    "-> ctrl cqe_post",
    "-> root complex msi",
    "-> callback",
};

bool Is(const RecordedEvent& e, const std::string& source, const char* name) {
  return std::strcmp(e.name, name) == 0 && e.source == source;
}

}  // namespace

std::vector<LatencyBreakdown> BreakDownLatency(const BenchResult& r, const std::string& controller,
                                               const std::string& link) {
  // Events by time (device and link events carry their own local times).
  std::vector<RecordedEvent> ev = r.events;
  std::stable_sort(ev.begin(), ev.end(), [](const RecordedEvent& a, const RecordedEvent& b) {
    return a.time_ps < b.time_ps;
  });
  const std::string down = link + ".down", up = link + ".up";
  auto first = [&](uint64_t from, uint64_t until, auto pred) -> const RecordedEvent* {
    auto it = std::lower_bound(ev.begin(), ev.end(), from,
                               [](const RecordedEvent& e, uint64_t t) { return e.time_ps < t; });
    for (; it != ev.end() && it->time_ps <= until; ++it) {
      if (pred(*it)) return &*it;
    }
    return nullptr;
  };
  std::vector<RecordedRequest> reqs = r.requests;
  std::stable_sort(
      reqs.begin(), reqs.end(),
      [](const RecordedRequest& a, const RecordedRequest& b) { return a.submit_ps < b.submit_ps; });
  std::map<std::pair<std::string, int>, LatencyBreakdown> out;
  std::map<std::pair<std::string, int>, std::vector<double>> sums;
  for (size_t i = 0; i < reqs.size(); ++i) {
    const RecordedRequest& q = reqs[i];
    if (q.op != IoOp::kRead && q.op != IoOp::kWrite) continue;
    const auto key = std::make_pair(q.job, static_cast<int>(q.op));
    LatencyBreakdown& b = out[key];
    b.job = q.job;
    b.op = q.op;
    const bool overlaps = (i > 0 && reqs[i - 1].complete_ps > q.submit_ps) ||
                          (i + 1 < reqs.size() && reqs[i + 1].submit_ps < q.complete_ps);
    if (!q.ok || overlaps) {
      ++b.skipped;
      continue;
    }
    // The clock the job reads is in ns: the hops are searched from the submit's ns.
    const uint64_t s = q.submit_ps, end = q.complete_ps + 999;
    uint64_t t[kStages + 1];
    t[0] = s;
    const RecordedEvent* db = first(s, end, [&](const RecordedEvent& e) {
      return std::strcmp(e.name, "sq_doorbell") == 0 && controller != e.source;
    });
    const RecordedEvent* tlp =
        db ? first(db->time_ps, end, [&](const RecordedEvent& e) { return Is(e, down, "tlp_mwr"); })
           : nullptr;
    const RecordedEvent* cdb =
        tlp ? first(tlp->time_ps, end,
                    [&](const RecordedEvent& e) { return Is(e, controller, "sq_doorbell"); })
            : nullptr;
    const RecordedEvent* fetch =
        cdb ? first(cdb->time_ps, end, [&](const RecordedEvent& e) { return Is(e, up, "tlp_mrd"); })
            : nullptr;
    const uint64_t qid = cdb ? cdb->a : 0;
    const RecordedEvent* cmd =
        fetch
            ? first(fetch->time_ps, end,
                    [&](const RecordedEvent& e) { return Is(e, controller, "cmd") && e.a == qid; })
            : nullptr;
    // A command of another queue (the driver's admin commands) in the same window shares
    // the engine and the link: such a request is skipped.
    const RecordedEvent* other = first(
        s, end, [&](const RecordedEvent& e) { return Is(e, controller, "cmd") && e.a != qid; });
    const RecordedMediaCall* mc = nullptr;
    if (cmd) {
      auto it =
          std::lower_bound(r.media_calls.begin(), r.media_calls.end(), cmd->time_ps,
                           [](const RecordedMediaCall& m, uint64_t v) { return m.now_ps < v; });
      if (it != r.media_calls.end() && it->now_ps <= end) mc = &*it;
    }
    const RecordedEvent* cqe = mc ? first(cmd->time_ps, end,
                                          [&](const RecordedEvent& e) {
                                            return Is(e, controller, "cqe_post") && e.a == qid;
                                          })
                                  : nullptr;
    const RecordedEvent* msi =
        cqe ? first(cqe->time_ps, end,
                    [&](const RecordedEvent& e) { return std::strcmp(e.name, "msi") == 0; })
            : nullptr;
    if (!msi || other != nullptr) {
      ++b.skipped;
      continue;
    }
    t[1] = db->time_ps;
    t[2] = tlp->time_ps;
    t[3] = cdb->time_ps;
    t[4] = fetch->time_ps;
    t[5] = cmd->time_ps;
    t[6] = mc->now_ps;
    t[7] = std::min(mc->firmware_done_ps, mc->now_ps + mc->latency_ps);
    t[8] = mc->now_ps + mc->latency_ps;
    t[9] = cqe->time_ps;
    t[10] = msi->time_ps;
    t[11] = q.complete_ps;
    std::vector<double>& sum = sums[key];
    sum.resize(kStages + 1);
    for (size_t k = 0; k < kStages; ++k) {
      sum[k] += static_cast<double>(static_cast<int64_t>(t[k + 1] - t[k])) / 1e3;
    }
    sum[kStages] += static_cast<double>(q.complete_ps - q.submit_ps) / 1e3;
    ++b.requests;
  }
  std::vector<LatencyBreakdown> result;
  for (auto& [key, b] : out) {
    const std::vector<double>& sum = sums[key];
    if (b.requests > 0) {
      const double n = static_cast<double>(b.requests);
      for (size_t k = 0; k < kStages; ++k) b.rows.push_back({kStage[k], kHops[k], sum[k] / n});
      b.mean_latency_ns = sum[kStages] / n;
    }
    result.push_back(std::move(b));
  }
  return result;
}

std::string FormatLatencyBreakdown(const std::vector<LatencyBreakdown>& all) {
  std::string out;
  char line[256];
  for (const LatencyBreakdown& b : all) {
    std::snprintf(line, sizeof line,
                  "\nLatency breakdown: job %s, %s, %zu requests (%zu skipped), mean %.1f ns\n",
                  b.job.c_str(), b.op == IoOp::kRead ? "read" : "write", b.requests, b.skipped,
                  b.mean_latency_ns);
    out += line;
    if (b.requests == 0) continue;
    std::snprintf(line, sizeof line, "  %-40s %-30s %10s %6s\n", "stage", "ends at", "mean ns",
                  "%");
    out += line;
    double total = 0;
    for (const BreakdownRow& r : b.rows) {
      total += r.mean_ns;
      std::snprintf(line, sizeof line, "  %-40s %-30s %10.1f %6.1f\n", r.stage.c_str(),
                    r.hops.c_str(), r.mean_ns,
                    b.mean_latency_ns > 0 ? 100 * r.mean_ns / b.mean_latency_ns : 0.0);
      out += line;
    }
    std::snprintf(line, sizeof line, "  %-40s %-30s %10.1f %6.1f\n", "total", "", total,
                  b.mean_latency_ns > 0 ? 100 * total / b.mean_latency_ns : 0.0);
    out += line;
    // The job reads time as the driver does, in whole ns; every hop between is in ps.
    out +=
        "  (submit and callback are read from the driver's ns clock: the first and last rows\n"
        "   carry its rounding, less than 1 ns either way)\n";
  }
  return out;
}

}  // namespace nvmesim::harness

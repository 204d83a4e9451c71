#include "driver/multipath/multipath_namespace.h"

#include <algorithm>
#include <utility>

namespace nvmesim::driver::multipath {

namespace {
constexpr uint64_t kNsPerSecond = 1'000'000'000ull;

bool IsPathStatus(const spec::Status& s) { return s.type == spec::StatusCodeType::kPathRelated; }

uint64_t DataBytes(const BlockRequest& r) {
  if (r.op != BlockOp::kRead && r.op != BlockOp::kWrite && r.op != BlockOp::kCompare) return 0;
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < r.segment_count && r.segments != nullptr; ++i)
    bytes += r.segments[i].length;
  return bytes;
}
}  // namespace

const char* AnaStateName(AnaState s) {
  switch (s) {
    case AnaState::kOptimized:
      return "optimized";
    case AnaState::kNonOptimized:
      return "non-optimized";
    case AnaState::kInaccessible:
      return "inaccessible";
    case AnaState::kPersistentLoss:
      return "persistent-loss";
    case AnaState::kChange:
      return "change";
  }
  return "reserved";
}

std::string ValidateMultipathOptions(const MultipathOptions& o) {
  if (o.max_paths < 1 || o.max_paths > static_cast<uint32_t>(kMaxPaths)) {
    return "multipath_max_paths = " + std::to_string(o.max_paths) + ": must be 1.." +
           std::to_string(kMaxPaths) + " (paths of one multipath namespace)";
  }
  if (o.selector.ewma_shift < 1 || o.selector.ewma_shift > 8) {
    return "ewma_shift = " + std::to_string(o.selector.ewma_shift) + ": must be 1..8";
  }
  if (o.selector.preferred_path >= static_cast<int>(o.max_paths)) {
    return "preferred_path = " + std::to_string(o.selector.preferred_path) +
           ": must be below multipath_max_paths (" + std::to_string(o.max_paths) + ")";
  }
  if (o.no_path_timeout_ns == 0) return "no_path_timeout = 0: must be at least 1 ns";
  if (o.max_path_retries == 0) return "max_path_retries = 0: must be at least 1";
  return "";
}

struct MultipathNamespace::Req {
  BlockRequest request;
  BlockCallback done;
  uint64_t submit_ns = 0;
  uint64_t detect_ns = 0;    // first path failure seen
  bool failed_over = false;  // detect_ns is set
  uint64_t deadline_ns = 0;  // while waiting for a path
  uint32_t tried = 0;        // paths that failed this request since the last state change
  uint32_t path_retries = 0;
  uint32_t driver_retries = 0;
  uint32_t commands = 0;
  spec::Status last_path_status = spec::Status(spec::PathStatus::kHostPathingError);
};

const char* MultipathNamespace::PathView::StateName() const {
  if (!live) return "dead";
  if (disabled) return "disabled";
  return "live";
}

bool MultipathNamespace::PathView::usable() const {
  return live && !disabled && (ana == AnaState::kOptimized || ana == AnaState::kNonOptimized);
}

MultipathNamespace::MultipathNamespace(std::string name, uint32_t nsid, hal::Clock& clock,
                                       MultipathOptions options)
    : name_(std::move(name)), nsid_(nsid), clock_(clock), options_(options) {
  selector_.SetPolicy(options_.policy);
  selector_.SetParams(options_.selector);
  alive_ = std::make_shared<bool>(true);
}

MultipathNamespace::~MultipathNamespace() {
  *alive_ = false;
  if (wait_timer_ != hal::Clock::kNoTimer) clock_.CancelTimer(wait_timer_);
}

int MultipathNamespace::AddPath(const PathDescriptor& d, uint32_t anagrpid, AnaState ana) {
  if (paths_.size() >= options_.max_paths) return -1;
  PathView v;
  v.desc = d;
  v.anagrpid = anagrpid;
  v.ana = ana;
  v.live = d.target != nullptr && d.target->Live();
  paths_.push_back(v);
  change_since_ns_.push_back(0);
  const int i = static_cast<int>(paths_.size()) - 1;
  selector_.SetPathCount(i + 1);
  selector_.slot(i).numa_node = d.numa_node;
  selector_.slot(i).tier = 2;
  UpdateTier(i, /*initial=*/true);
  return i;
}

int MultipathNamespace::FindPath(const std::string& name) const {
  for (size_t i = 0; i < paths_.size(); ++i) {
    if (paths_[i].desc.name == name) return static_cast<int>(i);
  }
  return -1;
}

MultipathNamespace::Req* MultipathNamespace::NewReq() {
  if (req_free_.empty()) {
    req_store_.push_back(std::make_unique<Req>());
    return req_store_.back().get();
  }
  Req* r = req_free_.back();
  req_free_.pop_back();
  *r = Req{};
  return r;
}

void MultipathNamespace::FreeReq(Req* r) {
  r->done = nullptr;
  req_free_.push_back(r);
}

spec::Status MultipathNamespace::Submit(const BlockRequest& request, BlockCallback done) {
  if (paths_.empty()) return spec::PathStatus::kHostPathingError;
  Req* r = NewReq();
  r->request = request;
  r->request.nsid = nsid_;
  r->done = std::move(done);
  r->submit_ns = clock_.NowNs();
  // First attempt inline so a request the driver refuses outright (a bad
  // field, not a path problem) is refused here too, without a callback.
  for (;;) {
    const int p = selector_.Select(r->tried);
    if (p < 0) break;
    PathView& pv = paths_[static_cast<size_t>(p)];
    const uint64_t sent = clock_.NowNs();
    const uint32_t before = selector_.slot(p).inflight;
    const spec::Status st =
        pv.desc.target->Submit(r->request, [this, r, p, sent, before](const BlockResult& res) {
          OnPathDone(r, p, sent, before, res);
        });
    if (st.ok()) {
      selector_.OnSubmit(p);
      pv.inflight = selector_.slot(p).inflight;
      ++pv.counters.submitted;
      ++inflight_;
      ++counters_.submitted;
      return st;
    }
    if (!IsPathStatus(st)) {
      ++pv.counters.other_errors;
      FreeReq(r);
      return st;
    }
    ++pv.counters.path_errors;
    r->last_path_status = st;
    r->tried |= 1u << p;
    PathFailed(p);
  }
  if (!options_.failover_enabled) {
    const spec::Status st = r->last_path_status;
    FreeReq(r);
    return st;
  }
  ++counters_.submitted;
  ++inflight_;
  Park(r);
  return spec::Status::Ok();
}

// Sends a request that is already accepted (a failover or a waiting one).
void MultipathNamespace::Dispatch(Req* r) {
  for (;;) {
    const int p = selector_.Select(r->tried);
    if (p < 0) {
      if (!options_.failover_enabled) return Finish(r, r->last_path_status);
      return Park(r);
    }
    PathView& pv = paths_[static_cast<size_t>(p)];
    const uint64_t sent = clock_.NowNs();
    const uint32_t before = selector_.slot(p).inflight;
    const spec::Status st =
        pv.desc.target->Submit(r->request, [this, r, p, sent, before](const BlockResult& res) {
          OnPathDone(r, p, sent, before, res);
        });
    if (st.ok()) {
      selector_.OnSubmit(p);
      pv.inflight = selector_.slot(p).inflight;
      ++pv.counters.submitted;
      return;
    }
    if (!IsPathStatus(st)) {
      ++pv.counters.other_errors;
      ++counters_.non_path_errors;
      return Finish(r, st);
    }
    ++pv.counters.path_errors;
    r->last_path_status = st;
    r->tried |= 1u << p;
    PathFailed(p);
  }
}

void MultipathNamespace::OnPathDone(Req* r, int p, uint64_t sent_ns, uint32_t inflight_before,
                                    const BlockResult& result) {
  PathView& pv = paths_[static_cast<size_t>(p)];
  const uint64_t now = clock_.NowNs();
  const spec::Status& st = result.status;
  r->driver_retries += result.retries;
  r->commands += result.commands;
  if (st.ok()) {
    selector_.OnComplete(p, now - sent_ns, inflight_before);
  } else {
    PathSlot& s = selector_.slot(p);
    if (s.inflight > 0) --s.inflight;
  }
  pv.inflight = selector_.slot(p).inflight;
  pv.service_ns = selector_.service_ns(p);

  if (st.ok()) {
    ++pv.counters.completed_ok;
    pv.counters.bytes += DataBytes(r->request);
    if (r->failed_over) {
      const uint64_t t = now - r->detect_ns;
      ++counters_.failover_samples;
      counters_.failover_total_ns += t;
      counters_.failover_max_ns = std::max(counters_.failover_max_ns, t);
    }
    return Finish(r, st);
  }
  if (!IsPathStatus(st)) {
    // Not a path problem: the same command would meet the same answer on any
    // path, so it is never retried elsewhere.
    ++pv.counters.other_errors;
    ++counters_.non_path_errors;
    return Finish(r, st);
  }
  ++pv.counters.path_errors;
  // ANA statuses tell the path's state directly (Base 2.0 8.1.3, Figure 103).
  if (st.Is(spec::PathStatus::kAsymmetricAccessInaccessible)) {
    SetAnaState(p, AnaState::kInaccessible);
  } else if (st.Is(spec::PathStatus::kAsymmetricAccessTransition)) {
    SetAnaState(p, AnaState::kChange);
  } else if (st.Is(spec::PathStatus::kAsymmetricAccessPersistentLoss)) {
    SetAnaState(p, AnaState::kPersistentLoss);
  } else {
    PathFailed(p);
  }
  // DNR: the controller says the command fails on every controller of the
  // subsystem (Base 2.0 4.2.3, Figure 99: DNR); no other path is tried.
  if (st.dnr || !options_.failover_enabled || r->path_retries >= options_.max_path_retries) {
    return Finish(r, st);
  }
  r->last_path_status = st;
  r->tried |= 1u << p;
  ++r->path_retries;
  if (!r->failed_over) r->detect_ns = now, r->failed_over = true;
  ++pv.counters.moved_off;
  ++counters_.failovers;
  Dispatch(r);
}

void MultipathNamespace::PathFailed(int p) {
  PathView& pv = paths_[static_cast<size_t>(p)];
  const bool live = pv.desc.target->Live();
  if (live != pv.live) SetLive(p, live);
}

uint64_t MultipathNamespace::WaitBoundNs() const {
  uint64_t bound = options_.no_path_timeout_ns;
  const uint64_t now = clock_.NowNs();
  for (size_t i = 0; i < paths_.size(); ++i) {
    if (paths_[i].ana != AnaState::kChange || !paths_[i].live) continue;
    // A path in ANA Change may come back within ANATT (Base 2.0 8.1.3.5, Figure 275).
    const uint64_t end = change_since_ns_[i] + uint64_t{options_.anatt_s} * kNsPerSecond;
    if (end > now) bound = std::max(bound, end - now);
  }
  return bound;
}

void MultipathNamespace::Park(Req* r) {
  r->deadline_ns = clock_.NowNs() + WaitBoundNs();
  ++counters_.waited;
  waiting_.push_back(r);
  ArmWaitTimer();
}

void MultipathNamespace::ArmWaitTimer() {
  if (waiting_.empty()) return;
  uint64_t earliest = UINT64_MAX;
  for (const Req* r : waiting_) earliest = std::min(earliest, r->deadline_ns);
  if (wait_timer_ != hal::Clock::kNoTimer) {
    if (wait_timer_at_ <= earliest) return;
    clock_.CancelTimer(wait_timer_);
  }
  const uint64_t now = clock_.NowNs();
  wait_timer_at_ = earliest;
  std::weak_ptr<bool> alive = alive_;
  wait_timer_ = clock_.StartTimer(earliest > now ? earliest - now : 0, [this, alive] {
    if (alive.expired() || !*alive.lock()) return;
    wait_timer_ = hal::Clock::kNoTimer;
    OnWaitTimer();
  });
}

void MultipathNamespace::OnWaitTimer() {
  const uint64_t now = clock_.NowNs();
  // A transition that outlasts ANATT: the path is treated as inaccessible
  // until the controller reports a new state.
  for (size_t i = 0; i < paths_.size(); ++i) {
    if (paths_[i].ana == AnaState::kChange &&
        now >= change_since_ns_[i] + uint64_t{options_.anatt_s} * kNsPerSecond) {
      SetAnaState(static_cast<int>(i), AnaState::kInaccessible);
    }
  }
  std::deque<Req*> keep;
  std::vector<Req*> expired;
  for (Req* r : waiting_) {
    if (r->deadline_ns <= now) {
      expired.push_back(r);
    } else {
      keep.push_back(r);
    }
  }
  waiting_.swap(keep);
  for (Req* r : expired) {
    ++counters_.wait_timeouts;
    Finish(r, r->last_path_status);
  }
  ArmWaitTimer();
}

void MultipathNamespace::DrainWaiting() {
  if (waiting_.empty() || draining_) return;
  draining_ = true;
  // From the platform's loop, never from inside the event that made a path usable.
  std::weak_ptr<bool> alive = alive_;
  clock_.StartTimer(0, [this, alive] {
    if (alive.expired() || !*alive.lock()) return;
    draining_ = false;
    std::deque<Req*> batch;
    batch.swap(waiting_);
    for (Req* r : batch) {
      r->tried = 0;
      Dispatch(r);
    }
    if (wait_timer_ != hal::Clock::kNoTimer && waiting_.empty()) {
      clock_.CancelTimer(wait_timer_);
      wait_timer_ = hal::Clock::kNoTimer;
    }
  });
}

void MultipathNamespace::Finish(Req* r, const spec::Status& status) {
  BlockResult result;
  result.status = status;
  result.latency_ns = clock_.NowNs() - r->submit_ns;
  result.retries = r->driver_retries + r->path_retries;
  result.commands = r->commands;
  ++counters_.completed;
  if (!status.ok()) ++counters_.failed;
  --inflight_;
  BlockCallback done = std::move(r->done);
  FreeReq(r);
  if (done) done(result);
}

void MultipathNamespace::SetAnaState(int p, AnaState s) {
  PathView& pv = paths_.at(static_cast<size_t>(p));
  if (s == AnaState::kChange && pv.ana != AnaState::kChange) {
    change_since_ns_[static_cast<size_t>(p)] = clock_.NowNs();
  }
  pv.ana = s;
  UpdateTier(p);
}

void MultipathNamespace::SetLive(int p, bool live) {
  paths_.at(static_cast<size_t>(p)).live = live;
  UpdateTier(p);
}

void MultipathNamespace::RefreshLiveness() {
  for (size_t i = 0; i < paths_.size(); ++i) {
    const bool live = paths_[i].desc.target->Live();
    if (live != paths_[i].live) SetLive(static_cast<int>(i), live);
  }
}

void MultipathNamespace::SetDisabled(int p, bool disabled) {
  paths_.at(static_cast<size_t>(p)).disabled = disabled;
  UpdateTier(p);
}

void MultipathNamespace::UpdateTier(int p, bool initial) {
  const PathView& pv = paths_[static_cast<size_t>(p)];
  uint8_t tier = 2;
  if (pv.live && !pv.disabled) {
    if (pv.ana == AnaState::kOptimized) tier = 0;
    if (pv.ana == AnaState::kNonOptimized) tier = 1;
  }
  PathSlot& slot = selector_.slot(p);
  const uint8_t old = slot.tier;
  if (old == tier) return;
  slot.tier = tier;
  selector_.Refresh();
  PathView& view = paths_[static_cast<size_t>(p)];
  PathCounters& c = view.counters;
  if (initial) return;
  if (old < 2 && tier == 2) ++c.down_events, view.last_down_ns = clock_.NowNs();
  if (old == 2 && tier < 2) {
    ++c.up_events;
    view.last_up_ns = clock_.NowNs();
    selector_.ResetLearning(p);  // what it learnt before the outage is stale
  }
  // Failback: an optimized path is back; I/O returns to it by policy.
  if (tier == 0) ++counters_.failbacks;
  if (tier < 2) DrainWaiting();
}

}  // namespace nvmesim::driver::multipath

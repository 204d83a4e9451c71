#include "harness/mgmt_optimizer.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "driver/optimizer/performance_predictor.h"
#include "harness/bench/steady_state.h"

namespace nvmesim::harness {

namespace {

std::string Fmt(const char* f, double a = 0, double b = 0, double c = 0, double d = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a, b, c, d);
  return buf;
}

struct LoadResult {
  uint64_t ios = 0;
  double seconds = 0;
  double iops = 0;
  double mean_us = 0;
  double p99_us = 0;
  double bandwidth_bps = 0;
  spec::Status status;
};

// A closed-loop workload on one controller: `queue_depth` requests in
// flight (or fewer when `depth_cap` says so), random LBAs, reads with
// probability read_percent. Deterministic (own LCG).
class LoadLoop : public std::enable_shared_from_this<LoadLoop> {
 public:
  using Observer =
      std::function<void(uint32_t bytes, bool write, uint32_t inflight, double latency_us)>;

  LoadLoop(SimSystem& system, driver::Controller& ctrl, std::vector<uint32_t> sizes,
           uint32_t queue_depth, uint32_t read_percent, uint64_t ios, uint64_t seed)
      : system_(system),
        ctrl_(ctrl),
        sizes_(std::move(sizes)),
        depth_(queue_depth),
        read_percent_(read_percent),
        ios_(ios),
        lcg_(seed) {}

  void set_observer(Observer o) { observer_ = std::move(o); }
  void set_depth_cap(std::function<uint32_t()> cap) { cap_ = std::move(cap); }
  // Issues nothing more; the loop finishes when the commands in flight are done.
  void Stop() { ios_ = std::min(ios_, issued_); }
  // LBAs only below `blocks` (0: the whole namespace); in order from LBA 0
  // instead of at random when `sequential`.
  void set_range(uint64_t blocks, bool sequential) {
    range_blocks_ = blocks;
    sequential_ = sequential;
  }

  void Start(std::function<void(const LoadResult&)> done) {
    done_ = std::move(done);
    const driver::NamespaceInfo* ns = ctrl_.namespaces().Find(1);
    if (ns == nullptr || ns->nsze == 0) {
      LoadResult r;
      r.status = spec::GenericStatus::kInvalidNamespaceOrFormat;
      done_(r);
      return;
    }
    lba_ = ns->lba_size;
    uint32_t largest = 0;
    for (uint32_t s : sizes_) largest = std::max(largest, s);
    blocks_total_ = range_blocks_ ? std::min<uint64_t>(range_blocks_, ns->nsze) : ns->nsze;
    slots_.resize(depth_);
    for (Slot& s : slots_) {
      s.buf = system_.dma().Allocate(largest, 4096);
      s.seg = {s.buf.bus, largest};
    }
    start_ns_ = system_.clock().NowNs();
    Fill();
  }

 private:
  struct Slot {
    driver::hal::DmaBuffer buf;
    driver::DataSegment seg;
    bool busy = false;
  };

  uint64_t Next() {
    lcg_ = lcg_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return lcg_ >> 17;
  }

  void Fill() {
    const uint32_t cap = cap_ ? std::max<uint32_t>(1, std::min(cap_(), depth_)) : depth_;
    for (size_t i = 0; i < slots_.size() && inflight_ < cap && issued_ < ios_; ++i) {
      if (!slots_[i].busy) Issue(i);
    }
    if (inflight_ == 0 && issued_ >= ios_) Finish();
  }

  void Issue(size_t i) {
    Slot& s = slots_[i];
    const uint32_t bytes = sizes_[issued_ % sizes_.size()];
    const uint32_t blocks = std::max<uint32_t>(1, bytes / lba_);
    driver::BlockRequest req;
    const bool write = Next() % 100 >= read_percent_;
    req.op = write ? driver::BlockOp::kWrite : driver::BlockOp::kRead;
    req.nsid = 1;
    req.blocks = blocks;
    const uint64_t slots = std::max<uint64_t>(1, blocks_total_ / blocks);
    req.slba = (sequential_ ? (issued_ % slots) : (Next() % slots)) * blocks;
    req.queue = static_cast<uint16_t>(i);
    s.seg.length = blocks * lba_;
    req.segments = &s.seg;
    req.segment_count = 1;
    s.busy = true;
    ++issued_;
    const uint32_t inflight = ++inflight_;
    auto self = shared_from_this();
    const spec::Status st = ctrl_.Submit(
        req, [self, i, bytes = blocks * lba_, write, inflight](const driver::BlockResult& r) {
          self->OnDone(i, bytes, write, inflight, r);
        });
    if (!st.ok()) {
      s.busy = false;
      --inflight_;
      failure_ = st;
      issued_ = ios_;  // stop
    }
  }

  void OnDone(size_t i, uint32_t bytes, bool write, uint32_t inflight,
              const driver::BlockResult& r) {
    slots_[i].busy = false;
    --inflight_;
    if (!r.status.ok() && failure_.ok()) failure_ = r.status;
    if (r.status.ok()) {
      const double us = static_cast<double>(r.latency_ns) / 1000.0;
      latencies_.push_back(us);
      bytes_ += bytes;
      if (observer_) observer_(bytes, write, inflight, us);
    }
    Fill();
  }

  void Finish() {
    if (finished_) return;
    finished_ = true;
    LoadResult r;
    r.status = failure_;
    r.ios = latencies_.size();
    r.seconds = static_cast<double>(system_.clock().NowNs() - start_ns_) / 1e9;
    if (!latencies_.empty() && r.seconds > 0) {
      r.iops = static_cast<double>(r.ios) / r.seconds;
      r.bandwidth_bps = static_cast<double>(bytes_) / r.seconds;
      double sum = 0;
      for (double v : latencies_) sum += v;
      r.mean_us = sum / static_cast<double>(r.ios);
      const size_t k = std::min(latencies_.size() - 1, latencies_.size() * 99 / 100);
      std::nth_element(latencies_.begin(), latencies_.begin() + static_cast<std::ptrdiff_t>(k),
                       latencies_.end());
      r.p99_us = latencies_[k];
    }
    for (Slot& s : slots_) system_.dma().Free(s.buf);
    // Report from a fresh task, outside the completion that ended the loop.
    auto done = std::move(done_);
    system_.cpu().Post(sc_core::SC_ZERO_TIME, [done, r] { done(r); });
  }

  SimSystem& system_;
  driver::Controller& ctrl_;
  std::vector<uint32_t> sizes_;
  uint32_t depth_;
  uint32_t read_percent_;
  uint64_t ios_;
  uint64_t lcg_;
  Observer observer_;
  std::function<uint32_t()> cap_;
  std::function<void(const LoadResult&)> done_;
  std::vector<Slot> slots_;
  std::vector<double> latencies_;
  uint32_t lba_ = 512;
  uint64_t blocks_total_ = 0, range_blocks_ = 0;
  bool sequential_ = false;
  uint64_t issued_ = 0, bytes_ = 0;
  uint32_t inflight_ = 0;
  uint64_t start_ns_ = 0;
  spec::Status failure_;
  bool finished_ = false;
};

std::string WorkloadLine(const WorkloadOptions& w) {
  return "workload: bs=" + std::to_string(w.block_bytes) + " qd=" + std::to_string(w.queue_depth) +
         " read=" + std::to_string(w.read_percent) + "% ios=" + std::to_string(w.ios) + "\n";
}

std::string LoadLine(const char* label, const LoadResult& r) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%-10s %llu I/Os in %.3f ms: %.0f IOPS  %.1f MB/s  mean %.1f us  p99 %.1f us\n",
                label, static_cast<unsigned long long>(r.ios), r.seconds * 1e3, r.iops,
                r.bandwidth_bps / 1e6, r.mean_us, r.p99_us);
  return buf;
}

std::string EpochTable(const driver::advanced::AdvancedFeatures& adv) {
  std::string out = "epoch   time(ms)        IOPS    p99(us)   mean(us)  setting\n";
  size_t n = 0;
  for (const driver::advanced::EpochRecord& e : adv.epochs()) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%5zu %10.1f %11.0f %10.1f %10.1f  ", n++,
                  static_cast<double>(e.time_ns) / 1e6, e.metrics.iops, e.metrics.p99_us,
                  e.metrics.mean_us);
    out += buf + driver::optimizer::DescribeKnobs(e.knobs) + "\n";
  }
  return out;
}

// nvme-performance-predict. The prediction and the measurement are both of
// the steady state of a workload, after SNIA's Performance Test
// Specification: the device is brought to a defined state first, then the
// workload runs in rounds until its figures stop moving, and only the last
// rounds count.
//  - Defined state: an active range (the first 1 GiB of namespace 1, all of
//    it when smaller) is written in full, in order, before anything else,
//    so reads find data wherever they land. For a workload with writes,
//    each phase (every rung, the measurement) then starts after a preconditioning burst of 64 MiB
//    of 128 KiB random writes at QD 32, more than a DRAM write buffer holds (16 MiB on the target
//    profile), so the buffer is full whatever ran before. From there a workload that writes faster
//    than the media drains keeps it full, and a slower one drains it in its own rounds.
//  - Steady state: rounds of about 1 ms of simulated time (the model's rate
//    for the rung; 1000 to 4000 I/Os; the measurement's rounds hold at least
//    --ios / 5 I/Os) until both the rounds' IOPS and their p99 meet the PTS
//    criterion over the last 5 rounds (`CheckSteadyState`: range within 20 % of the
//    average, drift of the fitted line within 10 %), or a round limit. A
//    rung teaches the model the completions of its last 5 rounds; the
//    measurement reports its last 5 rounds.
// Calibration runs the predictor's fixed ladder (1, 2, 4, ..., 256) at the
// described size and mix, then once the rungs `RefinementDepths` adds where
// the learnt tail changes fast; it never runs at the depth asked for.
struct Completion {
  uint32_t bytes = 0;
  bool write = false;
  uint32_t inflight = 0;
  double us = 0;
};

struct PhaseResult {
  spec::Status status;
  uint64_t ios = 0;                // issued, the fill of the depth included
  size_t rounds = 0;               // completed rounds
  bool steady = false;             // the criterion held (else: the round limit ended it)
  std::vector<Completion> window;  // the completions of the last rounds
  double iops = 0, mean_us = 0, p99_us = 0, bandwidth_bps = 0;  // over the window
};

constexpr SteadyStateCriteria kSteady{};  // SNIA PTS: 5 rounds, 20 % range, 10 % drift

// One workload at one depth in rounds until steady (see above). The first
// `depth` completions are not counted: they were submitted before the loop
// reached its depth.
class SteadyPhase : public std::enable_shared_from_this<SteadyPhase> {
 public:
  SteadyPhase(SimSystem& system, driver::Controller& ctrl, uint32_t bytes, uint32_t depth,
              uint32_t read_percent, uint64_t round_ios, size_t max_rounds, uint64_t range_blocks,
              uint64_t seed)
      : system_(system),
        ctrl_(ctrl),
        bytes_(bytes),
        depth_(depth),
        read_percent_(read_percent),
        round_ios_(round_ios),
        max_rounds_(max_rounds),
        range_blocks_(range_blocks),
        seed_(seed) {}

  void Start(std::function<void(const PhaseResult&)> done) {
    done_ = std::move(done);
    loop_ = std::make_shared<LoadLoop>(system_, ctrl_, std::vector<uint32_t>{bytes_}, depth_,
                                       read_percent_, depth_ + round_ios_ * max_rounds_, seed_);
    loop_->set_range(range_blocks_, false);
    loop_->set_observer(
        [self = shared_from_this()](uint32_t bytes, bool write, uint32_t inflight, double us) {
          self->OnCompletion(Completion{bytes, write, inflight, us});
        });
    loop_->Start([self = shared_from_this()](const LoadResult& r) { self->Finish(r); });
  }

 private:
  struct Round {
    std::vector<Completion> done;
    double seconds = 0;
  };

  void OnCompletion(const Completion& c) {
    if (stopped_) return;
    const uint64_t now = system_.clock().NowNs();
    if (++seen_ <= depth_) {
      round_start_ns_ = now;
      return;
    }
    current_.done.push_back(c);
    if (current_.done.size() < round_ios_) return;
    current_.seconds = static_cast<double>(now - round_start_ns_) / 1e9;
    round_start_ns_ = now;
    std::vector<double> lat;
    lat.reserve(current_.done.size());
    for (const Completion& d : current_.done) lat.push_back(d.us);
    iops_.push_back(current_.seconds > 0 ? lat.size() / current_.seconds : 0.0);
    p99_.push_back(P99(lat));
    rounds_.push_back(std::move(current_));
    current_ = Round{};
    if (rounds_.size() > kSteady.window) rounds_.erase(rounds_.begin());
    steady_ = CheckSteadyState(iops_, kSteady).reached && CheckSteadyState(p99_, kSteady).reached;
    if (steady_ || iops_.size() >= max_rounds_) {
      stopped_ = true;
      loop_->Stop();
    }
  }

  static double P99(std::vector<double>& v) {
    if (v.empty()) return 0;
    const size_t k = std::min(v.size() - 1, v.size() * 99 / 100);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
  }

  void Finish(const LoadResult& r) {
    PhaseResult out;
    out.status = r.status;
    out.ios = r.ios;
    out.rounds = iops_.size();
    out.steady = steady_;
    double seconds = 0, sum = 0, bytes = 0;
    std::vector<double> lat;
    for (const Round& rd : rounds_) {
      seconds += rd.seconds;
      for (const Completion& c : rd.done) {
        out.window.push_back(c);
        lat.push_back(c.us);
        sum += c.us;
        bytes += c.bytes;
      }
    }
    if (!lat.empty() && seconds > 0) {
      out.iops = static_cast<double>(lat.size()) / seconds;
      out.bandwidth_bps = bytes / seconds;
      out.mean_us = sum / static_cast<double>(lat.size());
      out.p99_us = P99(lat);
    } else if (out.status.ok()) {
      out.status = spec::GenericStatus::kInternalError;  // too few I/Os for one round
    }
    loop_.reset();
    auto done = std::move(done_);
    done(out);
  }

  SimSystem& system_;
  driver::Controller& ctrl_;
  uint32_t bytes_, depth_, read_percent_;
  uint64_t round_ios_;
  size_t max_rounds_;
  uint64_t range_blocks_;
  uint64_t seed_;
  std::function<void(const PhaseResult&)> done_;
  std::shared_ptr<LoadLoop> loop_;
  uint64_t seen_ = 0, round_start_ns_ = 0;
  Round current_;
  std::vector<Round> rounds_;  // the last kSteady.window
  std::vector<double> iops_, p99_;
  bool steady_ = false, stopped_ = false;
};

class PredictRun : public std::enable_shared_from_this<PredictRun> {
 public:
  PredictRun(const WorkloadOptions& w, SimSystem& system, driver::Controller& ctrl, uint64_t seed,
             MgmtDone done)
      : w_(w), system_(system), ctrl_(ctrl), seed_(seed), done_(std::move(done)) {
    d_.block_bytes = w.block_bytes;
    d_.queue_depth = w.queue_depth;
    d_.read_fraction = w.read_percent / 100.0;
    const auto& ladder = driver::optimizer::CalibrationDepths();
    order_.assign(ladder.begin(), ladder.end());
  }

  void Start() {
    start_ns_ = system_.clock().NowNs();
    const driver::NamespaceInfo* ns = ctrl_.namespaces().Find(1);
    if (ns == nullptr || ns->nsze == 0 || ns->lba_size == 0)
      return done_("namespace 1 is not usable\n", spec::GenericStatus::kInvalidNamespaceOrFormat);
    range_blocks_ = std::min<uint64_t>(ns->nsze, kActiveRangeBytes / ns->lba_size);
    range_bytes_ = range_blocks_ * ns->lba_size;
    // The active range written once, in order, so that reads find data
    // wherever they land (a read of a never-written block costs the media
    // nothing, and the share of written blocks would otherwise grow with
    // everything the command runs).
    const uint64_t ios = std::max<uint64_t>(1, range_bytes_ / kPreconditionBytes);
    auto loop =
        std::make_shared<LoadLoop>(system_, ctrl_, std::vector<uint32_t>{kPreconditionBytes},
                                   kPreconditionDepth, 0, ios, seed_ + 999);
    loop->set_range(range_blocks_, true);
    fill_ios_ = ios;
    loop->Start([self = shared_from_this()](const LoadResult& r) {
      if (!r.status.ok())
        return self->done_("preconditioning failed: " + r.status.ToString() + "\n", r.status);
      self->Rung(0);
    });
  }

 private:
  static constexpr uint64_t kActiveRangeBytes = uint64_t{1} << 30;
  static constexpr double kRoundSeconds = 1e-3;
  static constexpr double kRoundMinIos = 1000, kRoundMaxIos = 4000;
  static constexpr size_t kMaxRungRounds = 20, kMaxMeasureRounds = 40;
  static constexpr uint32_t kPreconditionBytes = 128 * 1024, kPreconditionDepth = 32;
  static constexpr uint64_t kPreconditionTotal = uint64_t{64} << 20;

  bool writes() const { return w_.read_percent < 100; }

  // The defined starting state of a phase (see above); nothing for pure reads.
  void Precondition(std::function<void()> next) {
    if (!writes()) return next();
    const uint64_t ios = kPreconditionTotal / kPreconditionBytes;
    auto loop =
        std::make_shared<LoadLoop>(system_, ctrl_, std::vector<uint32_t>{kPreconditionBytes},
                                   kPreconditionDepth, 0, ios, seed_ + 1000 + phases_);
    loop->set_range(range_blocks_, false);
    precondition_ios_ += ios;
    loop->Start([self = shared_from_this(), next](const LoadResult& r) {
      if (!r.status.ok())
        return self->done_("preconditioning failed: " + r.status.ToString() + "\n", r.status);
      next();
    });
  }

  uint64_t RoundIos(uint32_t depth) const {
    driver::optimizer::WorkloadDescription at = d_;
    at.queue_depth = depth;
    const driver::optimizer::PerformancePrediction guess = model_.Predict(at);
    const double want = guess.valid ? guess.iops * kRoundSeconds : 0.0;
    return static_cast<uint64_t>(std::clamp(want, kRoundMinIos, kRoundMaxIos));
  }

  void Rung(size_t k) {
    if (k == order_.size() && !refined_) {
      // Adaptive refinement, once: rungs where the learnt tail changes fast.
      refined_ = true;
      refinement_ = model_.RefinementDepths(driver::optimizer::kRefineTailStep);
      order_.insert(order_.end(), refinement_.begin(), refinement_.end());
    }
    if (k == order_.size()) return Precondition([self = shared_from_this()] { self->Measure(); });
    Precondition([self = shared_from_this(), k] { self->RunRung(k); });
  }

  void RunRung(size_t k) {
    const uint32_t depth = order_[k];
    auto phase = std::make_shared<SteadyPhase>(system_, ctrl_, w_.block_bytes, depth,
                                               w_.read_percent, RoundIos(depth), kMaxRungRounds,
                                               range_blocks_, seed_ + 16 + phases_++);
    phase->Start([self = shared_from_this(), k](const PhaseResult& r) {
      if (!r.status.ok())
        return self->done_("calibration failed: " + r.status.ToString() + "\n", r.status);
      self->calibration_ios_ += r.ios;
      self->steady_rungs_ += r.steady ? 1 : 0;
      char line[160];
      std::snprintf(line, sizeof line,
                    "  QD %u: %s after %zu rounds: %.0f IOPS  mean %.1f us  p99 %.1f us\n",
                    self->order_[k], r.steady ? "steady" : "not steady", r.rounds, r.iops,
                    r.mean_us, r.p99_us);
      self->rung_lines_ += line;
      for (const Completion& c : r.window) self->model_.Observe(c.bytes, c.write, c.inflight, c.us);
      self->Rung(k + 1);
    });
  }

  void Measure() {
    prediction_ = model_.Predict(d_);
    const uint64_t round = std::max<uint64_t>(RoundIos(w_.queue_depth), w_.ios / kSteady.window);
    auto phase = std::make_shared<SteadyPhase>(system_, ctrl_, w_.block_bytes, w_.queue_depth,
                                               w_.read_percent, round, kMaxMeasureRounds,
                                               range_blocks_, seed_ + 2);
    measure_round_ = round;
    phase->Start([self = shared_from_this()](const PhaseResult& m) { self->Report(m); });
  }

  void Report(const PhaseResult& m) {
    if (!m.status.ok()) return done_("measurement failed: " + m.status.ToString() + "\n", m.status);
    driver::optimizer::PerformancePrediction meas;
    meas.iops = m.iops;
    meas.mean_us = m.mean_us;
    meas.p99_us = m.p99_us;
    meas.bandwidth_bps = m.bandwidth_bps;
    meas.valid = true;
    const size_t ladder = order_.size() - refinement_.size();
    std::string out = "performance prediction (model learnt from " +
                      std::to_string(calibration_ios_) + " calibration I/Os at QD";
    for (size_t i = 0; i < ladder; ++i) out += (i == 0 ? " " : ", ") + std::to_string(order_[i]);
    out += refinement_.empty() ? "; no refinement" : "; refined at QD";
    for (size_t i = ladder; i < order_.size(); ++i)
      out += (i == ladder ? " " : ", ") + std::to_string(order_[i]);
    out += "; same size and mix; " + std::to_string(steady_rungs_) + " of " +
           std::to_string(order_.size()) + " rungs steady)\n";
    out +=
        Fmt("refinement: a rung between neighbouring rungs whose p99 / mean differ by more "
            "than %.0f %%\n",
            100 * driver::optimizer::kRefineTailStep);
    out += "meaning: steady state at this workload on an active range of the first " +
           std::to_string(range_bytes_ >> 20) +
           " MiB, written in full first (SNIA PTS: IOPS and p99 of the last 5 rounds within 20 % "
           "of their average, drift within 10 %)";
    out += writes() ? "; each phase after " + std::to_string(kPreconditionTotal >> 20) +
                          " MiB of 128 KiB preconditioning writes"
                    : "";
    out += "; preconditioning I/Os: " + std::to_string(fill_ios_) + " fill + " +
           std::to_string(precondition_ios_) + " before phases\n";
    out += rung_lines_;
    const double demand = model_.DemandUs(w_.block_bytes, d_.read_fraction);
    out +=
        Fmt("model: service %.1f us (read) / %.1f us (write) at this size; bottleneck %.3f "
            "us per command at this mix (%.0f IOPS saturated)\n",
            model_.ServiceUs(w_.block_bytes, false), model_.ServiceUs(w_.block_bytes, true), demand,
            demand > 0 ? 1e6 / demand : 0.0);
    const driver::optimizer::DepthProfile pr = model_.ProfileAt(w_.queue_depth);
    out += "depth profile at QD " + std::to_string(w_.queue_depth);
    out += Fmt(" (from QD %.1f and %.1f): mean x %.3f of the bound, p99 / mean %.3f\n",
               pr.lower_depth, pr.upper_depth, pr.mean_factor, pr.tail_ratio);
    out += "measurement: " + std::string(m.steady ? "steady" : "NOT steady") + " after " +
           std::to_string(m.rounds) + " rounds of " + std::to_string(measure_round_) +
           " I/Os; figures over the last " + std::to_string(m.window.size()) + " I/Os\n";
    out += driver::optimizer::FormatPrediction(d_, prediction_, &meas);
    out += Fmt("simulated time: %.1f ms\n",
               static_cast<double>(system_.clock().NowNs() - start_ns_) / 1e6);
    done_(out, prediction_.valid ? spec::Status::Ok()
                                 : spec::Status(spec::GenericStatus::kInternalError));
  }

  WorkloadOptions w_;
  SimSystem& system_;
  driver::Controller& ctrl_;
  uint64_t seed_;
  MgmtDone done_;
  std::vector<uint32_t> order_;
  driver::optimizer::PerformancePredictor model_;
  driver::optimizer::WorkloadDescription d_;
  driver::optimizer::PerformancePrediction prediction_;
  uint64_t calibration_ios_ = 0, precondition_ios_ = 0, measure_round_ = 0;
  size_t steady_rungs_ = 0;
  uint64_t phases_ = 0;
  uint64_t range_blocks_ = 0, range_bytes_ = 0, fill_ios_ = 0, start_ns_ = 0;
  bool refined_ = false;
  std::vector<uint32_t> refinement_;  // rungs added after the ladder
  std::string rung_lines_;            // one per rung: how it ended, its window's figures
};

void RunPerformancePredict(const WorkloadOptions& w, SimSystem& system, driver::Controller& ctrl,
                           uint64_t seed, MgmtDone done) {
  std::make_shared<PredictRun>(w, system, ctrl, seed, std::move(done))->Start();
}

}  // namespace

std::string CheckWorkloadOptions(const WorkloadOptions& w, uint32_t lba_bytes) {
  if (w.block_bytes < 512 || w.block_bytes > (1u << 20) || w.block_bytes % 512 != 0 ||
      (lba_bytes != 0 && w.block_bytes % lba_bytes != 0)) {
    return "--bs " + std::to_string(w.block_bytes) + ": expected a multiple of the " +
           std::to_string(lba_bytes ? lba_bytes : 512) + "-byte logical block, 512..1048576";
  }
  if (w.queue_depth < 1 || w.queue_depth > 1024) {
    return "--qd " + std::to_string(w.queue_depth) + ": expected 1..1024";
  }
  if (w.read_percent > 100) {
    return "--read-pct " + std::to_string(w.read_percent) + ": expected 0..100";
  }
  if (w.ios < 1 || w.ios > 10'000'000) {
    return "--ios " + std::to_string(w.ios) + ": expected 1..10000000";
  }
  if (w.goal != "latency" && w.goal != "throughput") {
    return "--goal " + w.goal + ": expected latency or throughput";
  }
  if (!(w.target_p99_us >= 0 && w.target_p99_us <= 1e9)) {  // NaN fails too
    return "--target-p99 " + std::to_string(w.target_p99_us) + ": expected 0..1e9 us";
  }
  return "";
}

bool IsOptimizerCommand(const std::string& c) {
  return c == "nvme-ai-optimize" || c == "nvme-adaptive-tune" || c == "nvme-performance-predict" ||
         c == "nvme-predictive-stats";
}

void EnableFeaturesFor(const std::string& c, const WorkloadOptions& w, SimSystemSpec& spec) {
  driver::AdvancedNvmeConfig& cfg = spec.driver.config;
  driver::optimizer::OptimizerSettings& os = spec.advanced.optimizer_settings;
  if (c == "nvme-ai-optimize" || c == "nvme-adaptive-tune") {
    cfg.ai_optimization_enabled = true;
    cfg.machine_learning_enabled = true;
    if (c == "nvme-adaptive-tune") cfg.queue_adaptive_sizing = true;
    if (w.goal == "throughput") os.goal.kind = driver::optimizer::TunerGoalKind::kThroughput;
    if (w.target_p99_us > 0) os.goal.p99_target_us = w.target_p99_us;
    // A management run is short: tune every 10 ms unless the scenario says otherwise.
    if (os.epoch_ns == driver::optimizer::OptimizerSettings{}.epoch_ns) os.epoch_ns = 10'000'000;
  } else if (c == "nvme-predictive-stats") {
    cfg.predictive_maintenance = true;
  }
}

void RunOptimizerCommand(const std::string& c, const WorkloadOptions& w, SimSystem& system,
                         size_t index, MgmtDone done) {
  driver::Controller& ctrl = *system.driver(index);
  driver::advanced::AdvancedFeatures* adv = system.advanced(index);
  const driver::NamespaceInfo* ns = ctrl.namespaces().Find(1);
  if (std::string e = CheckWorkloadOptions(w, ns ? ns->lba_size : 0); !e.empty()) {
    done(e + "\n", spec::GenericStatus::kInvalidField);
    return;
  }
  const uint64_t seed = 0x5EED0000u + index;
  if (c == "nvme-performance-predict") {
    RunPerformancePredict(w, system, ctrl, seed, std::move(done));
    return;
  }
  if (c == "nvme-ai-optimize" || c == "nvme-adaptive-tune") {
    if (adv == nullptr || adv->optimizer() == nullptr) {
      done("the optimizer is not running on this controller\n",
           spec::GenericStatus::kInternalError);
      return;
    }
    auto load = std::make_shared<LoadLoop>(system, ctrl, std::vector<uint32_t>{w.block_bytes},
                                           w.queue_depth, w.read_percent, w.ios, seed);
    if (c == "nvme-adaptive-tune") load->set_depth_cap([adv] { return adv->knobs().queue_depth; });
    const driver::optimizer::TunerKnobs initial = adv->options().initial_knobs;
    load->Start([c, adv, w, initial, done](const LoadResult& r) {
      if (!r.status.ok()) return done("workload failed: " + r.status.ToString() + "\n", r.status);
      std::string out = c == "nvme-ai-optimize"
                            ? "AI optimization (coalescing / queue depth tuner)\n"
                            : "adaptive tuning, epoch by epoch\n";
      out += WorkloadLine(w);
      out += LoadLine("overall:", r);
      if (c == "nvme-ai-optimize") {
        out += adv->optimizer()->FormatTuning(initial);
        out += "changes applied: " + std::to_string(adv->stats().knob_changes) +
               " (Set Features 08h sent " + std::to_string(adv->stats().coalescing_sets) + ")\n";
        if (!adv->epochs().empty()) {
          const auto& first = adv->epochs().front().metrics;
          const auto& last = adv->epochs().back().metrics;
          out += Fmt("first epoch: %.0f IOPS p99 %.1f us; last epoch: %.0f IOPS p99 %.1f us\n",
                     first.iops, first.p99_us, last.iops, last.p99_us);
        }
        // The run's tail after the last epoch: how the final setting did.
        if (const auto tail = adv->OpenEpoch(); tail && !adv->epochs().empty()) {
          out += Fmt("after the last epoch: %.0f IOPS p99 %.1f us\n", tail->iops, tail->p99_us);
        }
      } else {
        out += EpochTable(*adv);
        out += "now: " + driver::optimizer::DescribeKnobs(adv->knobs()) + "\n";
      }
      done(out, spec::Status::Ok());
    });
    return;
  }
  if (c == "nvme-predictive-stats") {
    if (adv == nullptr || adv->optimizer() == nullptr) {
      done("predictive maintenance is not running on this controller\n",
           spec::GenericStatus::kInternalError);
      return;
    }
    auto load = std::make_shared<LoadLoop>(system, ctrl, std::vector<uint32_t>{w.block_bytes},
                                           w.queue_depth, w.read_percent, w.ios, seed);
    load->Start([adv, done](const LoadResult& r) {
      if (!r.status.ok()) return done("workload failed: " + r.status.ToString() + "\n", r.status);
      std::string out = adv->optimizer()->FormatPredictiveStats();
      if (adv->stats().maintenance_warning_s >= 0) {
        out += Fmt("first warning at %.3f s simulated\n", adv->stats().maintenance_warning_s);
      }
      done(out, spec::Status::Ok());
    });
    return;
  }
  done("unknown command " + c + "\n", spec::GenericStatus::kInvalidField);
}

void RunThermalLoad(const WorkloadOptions& w, SimSystem& system, size_t index, MgmtDone done) {
  driver::Controller& ctrl = *system.driver(index);
  driver::advanced::AdvancedFeatures* adv = system.advanced(index);
  auto load = std::make_shared<LoadLoop>(system, ctrl, std::vector<uint32_t>{w.block_bytes},
                                         w.queue_depth, w.read_percent, w.ios, 0x7E4A0000u + index);
  load->Start([adv, &system, index, w, done](const LoadResult& r) {
    if (!r.status.ok()) return done("workload failed: " + r.status.ToString() + "\n", r.status);
    std::string out = WorkloadLine(w) + LoadLine("workload:", r);
    out += adv->thermal()->FormatStats(true);
    if (device::thermal::ThermalModel* tm = system.thermal(index)) {
      const device::thermal::ThermalStats& s = tm->stats();
      out += Fmt("device: throttled %.3f s  energy %.3f J  APST entries %.0f  wake-ups %.0f\n",
                 static_cast<double>(s.throttled_ps) / 1e12, s.energy_joules,
                 static_cast<double>(s.apst_transitions), static_cast<double>(s.wakeups));
    }
    done(out, spec::Status::Ok());
  });
}

}  // namespace nvmesim::harness

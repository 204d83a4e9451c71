#include "harness/bench/bench_run.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>

#include "device_model/media/profile_loader.h"
#include "harness/report/trace_hasher.h"
#include "harness/runner/counters.h"
#include "harness/runner/scenario_to_system.h"
#include "harness/system/sim_system.h"
#include "harness/workload/data_oracle.h"

namespace nvmesim::harness {

namespace media = device::media;
using sc_core::sc_time;

double BenchSample::Iops() const {
  const double s = Seconds();
  return s > 0 ? static_cast<double>(read_ios + write_ios) / s : 0;
}
double BenchSample::ReadIops() const {
  const double s = Seconds();
  return s > 0 ? static_cast<double>(read_ios) / s : 0;
}
double BenchSample::WriteIops() const {
  const double s = Seconds();
  return s > 0 ? static_cast<double>(write_ios) / s : 0;
}
double BenchSample::BandwidthBytesPerSecond() const {
  const double s = Seconds();
  return s > 0 ? static_cast<double>(read_bytes + write_bytes) / s : 0;
}
double BenchSample::WriteAmplification() const {
  return host_units ? static_cast<double>(host_units + gc_units + pad_units) /
                          static_cast<double>(host_units)
                    : 1.0;
}
double BenchSample::LinkUtilisation(bool upstream) const {
  const uint64_t span = end_ps - start_ps;
  return span
             ? static_cast<double>(upstream ? up_busy_ps : down_busy_ps) / static_cast<double>(span)
             : 0;
}

namespace {
// 0.2 -> "20 %", 0.0737 -> "7.37 %".
std::string Percent(double fraction) {
  char b[32];
  std::snprintf(b, sizeof b, "%g %%", fraction * 100);
  return b;
}
}  // namespace

std::string ScaleMediaCapacity(media::MediaProfile& p, uint64_t user_bytes) {
  if (p.unlimited) return "--media-capacity: the profile " + p.name + " has unlimited media";
  const uint32_t pages = p.nand.pages_per_program;
  p.nand.t_erase_ns = std::max<uint64_t>(
      1, static_cast<uint64_t>(p.nand.t_erase_ns) * pages / p.nand.pages_per_block);
  p.nand.pages_per_block = pages;
  p.nand.blocks_per_plane = 8;
  const media::Geometry one = media::DeriveGeometry(p);
  const double superblock_user =
      static_cast<double>(one.user_bytes) / static_cast<double>(one.superblocks);
  const uint64_t blocks =
      static_cast<uint64_t>(static_cast<double>(user_bytes) / superblock_user + 0.999999);
  // The smallest pool the FTL accepts: spare superblocks >= gc_high + 1.
  uint64_t min_blocks = 8;
  while (true) {
    p.nand.blocks_per_plane = static_cast<uint32_t>(min_blocks);
    if (media::ValidateProfile(p).empty()) break;
    if (++min_blocks > (uint64_t{1} << 20)) return "--media-capacity: no valid geometry";
  }
  const media::Geometry small = media::DeriveGeometry(p);
  if (blocks > (uint64_t{1} << 20)) {
    return "--media-capacity: " + std::to_string(user_bytes) + " bytes needs more than 2^20 blocks";
  }
  if (blocks < min_blocks) {
    return "--media-capacity: " + std::to_string(user_bytes) + " bytes is below the smallest " +
           "capacity profile " + p.name + " allows at over-provisioning " +
           Percent(p.ftl.over_provisioning) + " and gc_high_superblocks " +
           std::to_string(p.ftl.gc_high_superblocks) + ": " + std::to_string(small.user_bytes) +
           " bytes";
  }
  p.nand.blocks_per_plane = static_cast<uint32_t>(blocks);
  if (std::string e = media::ValidateProfile(p); !e.empty()) return "--media-capacity: " + e;
  return "";
}

namespace {

uint64_t NowPs() { return static_cast<uint64_t>(sc_core::sc_time_stamp().value()); }

uint64_t MixSeed(uint64_t seed, uint64_t a, uint64_t b) {  // SplitMix64
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (a * 1315423911ULL + b + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Running totals the samples are differences of.
struct Totals {
  uint64_t read_ios = 0, write_ios = 0, read_bytes = 0, write_bytes = 0;
  uint64_t host_units = 0, gc_units = 0, pad_units = 0, erased = 0;
  uint64_t down_busy = 0, up_busy = 0;
};

// Keeps the events of the measured phase (behind the trace hasher).
class EventRecorder : public spec::TraceSink {
 public:
  void Emit(const spec::TraceEvent& e) override {
    if (on && events.size() < cap) events.push_back({e.time_ps, e.source, e.name, e.a, e.b, e.c});
  }
  bool on = false;
  size_t cap = 0;
  std::vector<RecordedEvent> events;
};

// The media model seen through a recorder: every latency it hands the controller.
class RecordingMedia : public device::MediaTiming {
 public:
  RecordingMedia(std::shared_ptr<device::MediaTiming> inner, const media::MediaModel* model,
                 const EventRecorder& recorder, std::vector<RecordedMediaCall>& calls, size_t cap)
      : inner_(std::move(inner)), model_(model), recorder_(recorder), calls_(calls), cap_(cap) {}
  uint64_t LatencyPs(const device::MediaOp& op, uint64_t now_ps) override {
    const uint64_t l = inner_->LatencyPs(op, now_ps);
    if (recorder_.on && calls_.size() < cap_) {
      const uint64_t fw = model_ ? model_->LastFirmwareDonePs() : now_ps;
      calls_.push_back({now_ps, l, fw, static_cast<uint8_t>(op.kind)});
    }
    return l;
  }

 private:
  std::shared_ptr<device::MediaTiming> inner_;
  const media::MediaModel* model_;  // null for zero-cost media
  const EventRecorder& recorder_;
  std::vector<RecordedMediaCall>& calls_;
  size_t cap_;
};

class Bench {
 public:
  Bench(const ScenarioSpec& s, const BenchOptions& o) : scenario_(s), options_(o) {}
  BenchResult Execute();

 private:
  Totals Now() const;
  BenchSample Diff(const Totals& a, const Totals& b, uint64_t start, uint64_t end) const;
  void StartPhase(const std::string& phase);
  void CloseInterval();
  void Tick(uint64_t generation);
  // Runs `job` (numjobs instances) to the end, then `next`.
  void RunJobs(const std::vector<JobSpec>& jobs, std::function<void()> next);
  void FobRound();
  void Fill();
  void Round();
  void Measure();
  void Finish(const std::string& error);
  JobSpec PhaseJob(const std::string& name, RwMode rw, uint64_t bs, uint64_t io_size,
                   uint64_t seed) const;

  const ScenarioSpec& scenario_;
  BenchOptions options_;
  BenchResult result_;
  TraceHasher hasher_{false};
  EventRecorder recorder_;
  std::unique_ptr<SimSystem> system_;
  std::shared_ptr<media::MediaModel> media_;
  std::unique_ptr<DataOracle> oracle_;
  std::vector<std::unique_ptr<JobRunner>> running_;
  std::vector<JobRunner*> peers_;
  std::vector<std::unique_ptr<JobRunner>> done_;  // kept alive: callbacks may still hold them
  JobTargetInfo target_;
  uint64_t write_generation_ = 0;
  size_t jobs_left_ = 0;
  Totals totals_;  // host I/O counted at completion
  Totals interval_from_;
  uint64_t interval_start_ps_ = 0;
  uint64_t tick_generation_ = 0;
  std::string phase_;
  bool finished_ = false;
  bool measuring_ = false;
};

Totals Bench::Now() const {
  Totals t = totals_;
  if (media_) {
    const media::MediaStats s = media_->Stats();
    t.host_units = s.ftl.host_units;
    t.gc_units = s.ftl.gc_units;
    t.pad_units = s.ftl.pad_units;
    t.erased = s.ftl.erased_superblocks;
  }
  t.down_busy = system_->link(0).counters(pcie::Direction::kDownstream).busy_ps;
  t.up_busy = system_->link(0).counters(pcie::Direction::kUpstream).busy_ps;
  return t;
}

BenchSample Bench::Diff(const Totals& a, const Totals& b, uint64_t start, uint64_t end) const {
  BenchSample s;
  s.phase = phase_;
  s.start_ps = start;
  s.end_ps = end;
  s.read_ios = b.read_ios - a.read_ios;
  s.write_ios = b.write_ios - a.write_ios;
  s.read_bytes = b.read_bytes - a.read_bytes;
  s.write_bytes = b.write_bytes - a.write_bytes;
  s.host_units = b.host_units - a.host_units;
  s.gc_units = b.gc_units - a.gc_units;
  s.pad_units = b.pad_units - a.pad_units;
  s.erased_superblocks = b.erased - a.erased;
  s.down_busy_ps = b.down_busy - a.down_busy;
  s.up_busy_ps = b.up_busy - a.up_busy;
  return s;
}

void Bench::CloseInterval() {
  const uint64_t now = NowPs();
  if (now > interval_start_ps_) {
    const Totals t = Now();
    result_.intervals.push_back(Diff(interval_from_, t, interval_start_ps_, now));
    if (!result_.knee_interval && result_.intervals.back().gc_units > 0) {
      result_.knee_interval = result_.intervals.size() - 1;
    }
    interval_from_ = t;
  }
  interval_start_ps_ = now;
}

void Bench::Tick(uint64_t generation) {
  if (finished_ || generation != tick_generation_) return;
  CloseInterval();
  system_->cpu().Post(sc_time::from_value(options_.interval_ps),
                      [this, generation] { Tick(generation); });
}

void Bench::StartPhase(const std::string& phase) {
  if (!phase_.empty()) CloseInterval();
  interval_from_ = Now();
  interval_start_ps_ = NowPs();
  phase_ = phase;
  const uint64_t g = ++tick_generation_;
  system_->cpu().Post(sc_time::from_value(options_.interval_ps), [this, g] { Tick(g); });
}

JobSpec Bench::PhaseJob(const std::string& name, RwMode rw, uint64_t bs, uint64_t io_size,
                        uint64_t seed) const {
  JobSpec j;
  j.name = name;
  j.file = "--precondition";
  j.rw = rw;
  j.bs = bs;
  j.iodepth = options_.precondition.queue_depth;
  j.io_size = io_size;
  j.randseed = seed;
  j.target_namespace = "ns1";
  j.host = "host0";
  return j;
}

void Bench::RunJobs(const std::vector<JobSpec>& jobs, std::function<void()> next) {
  for (auto& r : running_) done_.push_back(std::move(r));
  running_.clear();
  peers_.clear();
  for (size_t ji = 0; ji < jobs.size(); ++ji) {
    const JobSpec& job = jobs[ji];
    if (std::string e = IoGenerator::Check(job, target_.target.geometry); !e.empty()) {
      Finish(job.file + ":" + std::to_string(job.line) + ": job " + job.name + ": " + e);
      return;
    }
    for (uint32_t inst = 0; inst < std::max<uint32_t>(1, job.numjobs); ++inst) {
      JobTarget t = target_.target;
      t.oracle = oracle_.get();
      t.queue = static_cast<uint16_t>(running_.size());
      t.peers = &peers_;
      const uint64_t seed =
          job.randseed ? MixSeed(*job.randseed, 0, inst) : MixSeed(result_.seed, ji, inst);
      try {
        running_.push_back(std::make_unique<JobRunner>(job, inst, t, system_->dma(),
                                                       system_->clock(), seed, &write_generation_));
      } catch (const std::exception& e) {
        Finish(job.file + ":" + std::to_string(job.line) + ": job " + job.name + ": " + e.what());
        return;
      }
      peers_.push_back(running_.back().get());
    }
  }
  jobs_left_ = running_.size();
  auto done = std::make_shared<std::function<void()>>(std::move(next));
  if (running_.empty()) {
    system_->cpu().Post(sc_core::SC_ZERO_TIME, [done] { (*done)(); });
    return;
  }
  for (auto& j : running_) {
    JobRunner* runner = j.get();
    const uint32_t lba = target_.target.geometry.lba_size;
    runner->SetHooks(nullptr, [this, runner, lba](const CompletionEvent& e) {
      const uint64_t bytes = uint64_t{e.nlb} * lba;
      if (e.op == IoOp::kRead) {
        ++totals_.read_ios;
        totals_.read_bytes += bytes;
      } else if (e.op == IoOp::kWrite || e.op == IoOp::kZoneAppend) {
        ++totals_.write_ios;
        totals_.write_bytes += bytes;
      }
      if (recorder_.on && result_.requests.size() < options_.max_events) {
        result_.requests.push_back(
            {runner->record().name, e.op, e.submit_ns * 1000, e.complete_ns * 1000, e.status.ok()});
      }
      for (JobRunner* peer : peers_) {
        if (peer != runner && peer->waiting_on_overlap()) {
          system_->cpu().Post(sc_core::SC_ZERO_TIME, [peer] { peer->Kick(); });
        }
      }
    });
    system_->cpu().Post(sc_time::from_value(runner->job().startdelay_ps), [this, runner, done] {
      runner->Start([this, done] {
        if (--jobs_left_ == 0 && !finished_) {
          // Leave the completion callback before starting the next phase.
          system_->cpu().Post(sc_core::SC_ZERO_TIME, [done] { (*done)(); });
        }
      });
    });
  }
}

void Bench::FobRound() {
  StartPhase("fob");
  const uint64_t start = NowPs();
  const Totals before = Now();
  const PreconditionOptions& p = options_.precondition;
  RunJobs({PhaseJob("fob", RwMode::kRandWrite, 4096, p.round_bytes, MixSeed(result_.seed, 1, 0))},
          [this, start, before] {
            BenchSample r = Diff(before, Now(), start, NowPs());
            r.phase = "fob";
            result_.rounds.push_back(r);
            result_.fob_iops = r.WriteIops();
            Fill();
          });
}

void Bench::Fill() {
  StartPhase("fill");
  result_.fill_start_ps = NowPs();
  const PreconditionOptions& p = options_.precondition;
  result_.fill_bytes = result_.namespace_bytes / (128 * 1024) * (128 * 1024) * p.fill_passes;
  RunJobs({PhaseJob("fill", RwMode::kWrite, 128 * 1024, result_.fill_bytes, 1)}, [this] {
    result_.fill_end_ps = NowPs();
    StartPhase("precondition");
    Round();
  });
}

void Bench::Round() {
  const uint32_t index = static_cast<uint32_t>(result_.rounds.size());  // FOB is round 0
  const uint64_t start = NowPs();
  const Totals before = Now();
  const PreconditionOptions& p = options_.precondition;
  RunJobs(
      {PhaseJob("precondition", RwMode::kRandWrite, 4096, p.round_bytes,
                MixSeed(result_.seed, 2, index))},
      [this, start, before, index] {
        BenchSample r = Diff(before, Now(), start, NowPs());
        r.phase = "precondition";
        r.index = index;
        result_.rounds.push_back(r);
        if (!result_.knee_round && r.gc_units > 0) result_.knee_round = result_.rounds.size() - 1;
        std::vector<double> iops;
        for (size_t i = 1; i < result_.rounds.size(); ++i) {
          iops.push_back(result_.rounds[i].WriteIops());
        }
        result_.steady = CheckSteadyState(iops, options_.precondition.criteria);
        // Steady state must also be past the knee: every round of the window relocated data
        // (on a profile whose media does GC at all).
        bool past_knee = true;
        if (media_ && result_.steady.reached) {
          for (size_t i = result_.steady.first_round + 1; i < result_.rounds.size(); ++i) {
            past_knee &= result_.rounds[i].gc_units > 0;
          }
        }
        if ((result_.steady.reached && past_knee) || index >= options_.precondition.max_rounds) {
          result_.steady.reached = result_.steady.reached && past_knee;
          uint64_t host = 0, nand = 0;
          for (size_t i = result_.steady.first_round + 1; i < result_.rounds.size(); ++i) {
            host += result_.rounds[i].host_units;
            nand += result_.rounds[i].host_units + result_.rounds[i].gc_units +
                    result_.rounds[i].pad_units;
          }
          result_.steady_iops = result_.steady.average;
          result_.steady_wa = host ? static_cast<double>(nand) / static_cast<double>(host) : 1;
          result_.preconditioned = true;
          Measure();
          return;
        }
        Round();
      });
}

void Bench::Measure() {
  StartPhase("measure");
  measuring_ = true;
  result_.measure_start_ps = NowPs();
  recorder_.on = options_.record_events;
  RunJobs(scenario_.jobs, [this] { Finish(""); });
}

void Bench::Finish(const std::string& error) {
  if (finished_) return;
  if (!phase_.empty()) CloseInterval();
  finished_ = true;
  if (!error.empty() && result_.error.empty()) result_.error = error;
  result_.simulated_ps = NowPs();
  system_->cpu().Halt();
  sc_core::sc_stop();
}

BenchResult Bench::Execute() {
  result_.seed = scenario_.info.seed;
  result_.fidelity = FidelityName(scenario_.info.fidelity);
  result_.namespace_bytes = scenario_.namespaces.at(0).size_bytes;
  result_.refused = true;  // until the system is built, every error is a refused request
  SystemBuild build = BuildSystemSpec(scenario_, scenario_.info.fidelity);
  if (!build.ok()) {
    for (const auto& e : build.errors) result_.error += (result_.error.empty() ? "" : "\n") + e;
    return result_;
  }
  // The media: the controller's profile, loaded here (scaled when asked) so the bench can
  // read the FTL's counters while it runs.
  const std::string& profile_path = scenario_.controllers.at(0).profile_resolved;
  if (!profile_path.empty()) {
    media::ProfileLoad l = media::LoadProfile(profile_path);
    if (!l.ok()) {
      result_.error = l.error;
      return result_;
    }
    if (options_.media_capacity_bytes != 0) {
      if (std::string e = ScaleMediaCapacity(l.profile, options_.media_capacity_bytes);
          !e.empty()) {
        result_.error = e;
        return result_;
      }
    }
    if (!l.profile.unlimited) {
      media_ = std::make_shared<media::MediaModel>(l.profile);
      build.spec.controllers.at(0).media = media_;
      result_.has_media = true;
      result_.user_capacity_bytes = media_->UserCapacityBytes();
      if (result_.namespace_bytes > result_.user_capacity_bytes) {
        result_.error = "--size: the namespace (" + std::to_string(result_.namespace_bytes) +
                        " bytes) is larger than the media's user capacity (" +
                        std::to_string(result_.user_capacity_bytes) +
                        " bytes); use --media-capacity or a smaller --size";
        return result_;
      }
    } else if (options_.precondition.enabled) {
      result_.error = "--precondition: profile " + l.profile.name + " has unlimited media";
      return result_;
    }
  } else if (options_.precondition.enabled) {
    result_.error = "--precondition needs --profile with NAND media";
    return result_;
  }
  if (options_.precondition.round_bytes == 0) {
    options_.precondition.round_bytes =
        std::max<uint64_t>(4096, result_.namespace_bytes / 4 / 4096 * 4096);
  }
  for (auto& c : build.spec.controllers) c.link.seed = result_.seed;
  build.spec.trace = &hasher_;
  recorder_.cap = options_.max_events;
  if (options_.record_events) {
    hasher_.set_forward(&recorder_);
    std::shared_ptr<device::MediaTiming>& m = build.spec.controllers.at(0).media;
    if (!m) m = std::make_shared<media::UnlimitedMedia>();
    m = std::make_shared<RecordingMedia>(m, media_.get(), recorder_, result_.media_calls,
                                         options_.max_events);
  }
  try {
    system_ = std::make_unique<SimSystem>(build.spec);
  } catch (const std::exception& e) {
    result_.error = scenario_.path + ": cannot build the system: " + e.what();
    return result_;
  }
  result_.refused = false;
  system_->Boot([this](spec::Status s) {
    if (!s.ok()) {
      Finish("driver bring-up failed: " + s.ToString());
      return;
    }
    result_.booted = true;
    target_ = ResolveJobTarget(scenario_, *system_,
                               scenario_.jobs.empty() ? JobSpec{} : scenario_.jobs[0]);
    if (!target_.error.empty() && target_.target.controller == nullptr) {
      Finish(target_.error);
      return;
    }
    target_.error.clear();
    oracle_ = std::make_unique<DataOracle>(target_.target.geometry.lba_size);
    if (options_.precondition.enabled) {
      FobRound();
    } else {
      Measure();
    }
  });
  sc_core::sc_start(sc_time::from_value(scenario_.info.time_limit_ps));
  result_.simulated_ps = NowPs();
  if (!finished_ && result_.error.empty()) {
    result_.error = "simulated time limit of " +
                    std::to_string(scenario_.info.time_limit_ps / 1'000'000'000'000) +
                    " s reached before the bench ended";
  }
  if (measuring_) {
    for (auto& j : running_) result_.jobs.push_back(j->record());
  }
  if (media_) result_.media = media_->Stats();
  result_.events = std::move(recorder_.events);
  result_.trace_hash = hasher_.HexHash();
  result_.trace_events = hasher_.event_count();
  bool complete = true;
  for (const JobRecord& r : result_.jobs) {
    complete &= r.completed == r.submitted && r.duplicate_callbacks == 0 &&
                r.stats.total_errors() == 0 && r.mismatch_count == 0;
  }
  result_.passed = result_.booted && result_.error.empty() && complete;
  return std::move(result_);
}

}  // namespace

BenchResult RunBench(const ScenarioSpec& scenario, const BenchOptions& options) {
  Bench bench(scenario, options);
  return bench.Execute();
}

}  // namespace nvmesim::harness

#include "tests/multipath/mp_rig.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "gtest/gtest.h"

namespace nvmesim::tests {

namespace mp = driver::multipath;
constexpr uint32_t kBlock = 4096;

uint64_t WorkloadResult::Percentile(double p) const {
  if (latencies_ns.empty()) return 0;
  std::vector<uint64_t> v = latencies_ns;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size()));
  if (i >= v.size()) i = v.size() - 1;
  return v[i];
}

struct VerifyingWorkload::Slot {
  driver::hal::DmaBuffer buf;
  driver::DataSegment seg;
  uint64_t lba = 0;
  uint32_t version = 0;
  bool write = false;
  bool busy = false;
  bool verify_pass = false;
};

namespace {
uint64_t Word(uint64_t lba, uint32_t version, uint64_t i) {
  return (lba << 20) ^ (uint64_t{version} << 44) ^ (i * 0x9E3779B97F4A7C15ull) ^ 0x5A5A;
}
void Stamp(uint8_t* p, uint64_t lba, uint32_t version) {
  for (uint64_t i = 0; i < kBlock / 8; ++i) {
    const uint64_t w = Word(lba, version, i);
    std::memcpy(p + 8 * i, &w, 8);
  }
}
bool Check(const uint8_t* p, uint64_t lba, uint32_t version) {
  for (uint64_t i = 0; i < kBlock / 8; ++i) {
    uint64_t w;
    std::memcpy(&w, p + 8 * i, 8);
    if (w != Word(lba, version, i)) return false;
  }
  return true;
}
}  // namespace

VerifyingWorkload::VerifyingWorkload(harness::SimSystem& system, mp::MultipathNamespace& ns,
                                     WorkloadOptions options)
    : system_(system), ns_(ns), o_(options), rng_(options.seed * 0x2545F4914F6CDD1Dull + 1) {
  const uint64_t lbas = uint64_t{o_.jobs} * o_.blocks_per_job;
  version_.assign(lbas, 0);
  busy_.assign(lbas, 0);
  unknown_.assign(lbas, 0);
  for (uint32_t i = 0; i < o_.jobs * o_.iodepth; ++i) {
    auto s = std::make_unique<Slot>();
    s->buf = system_.dma().Allocate(kBlock, kBlock);
    s->seg = {s->buf.bus, kBlock};
    slots_.push_back(std::move(s));
  }
}

VerifyingWorkload::~VerifyingWorkload() {
  for (auto& s : slots_) {
    if (s->buf.valid()) system_.dma().Free(s->buf);
  }
}

uint64_t VerifyingWorkload::Next() {  // xorshift64*: deterministic on every platform
  rng_ ^= rng_ >> 12;
  rng_ ^= rng_ << 25;
  rng_ ^= rng_ >> 27;
  return rng_ * 0x2545F4914F6CDD1Dull;
}

void VerifyingWorkload::Start(std::function<void()> done) {
  done_ = std::move(done);
  Pump();
}

void VerifyingWorkload::Pump() {
  for (size_t k = 0; k < slots_.size(); ++k) {
    Slot& s = *slots_[k];
    if (s.busy) continue;
    const uint32_t job = static_cast<uint32_t>(k / o_.iodepth);
    if (!verifying_) {
      if (stop_ || issued_ >= o_.ios) continue;
      const bool write = Next() % 100 < o_.write_percent;
      uint64_t lba = job * o_.blocks_per_job + Next() % o_.blocks_per_job;
      for (uint64_t n = 0; busy_[lba] && n < o_.blocks_per_job; ++n) {
        lba = job * o_.blocks_per_job + (lba + 1 - job * o_.blocks_per_job) % o_.blocks_per_job;
      }
      if (busy_[lba]) continue;
      ++issued_;
      Issue(s, write, lba);
    } else {
      while (verify_next_ < version_.size() &&
             (version_[verify_next_] == 0 || unknown_[verify_next_] || busy_[verify_next_])) {
        ++verify_next_;
      }
      if (verify_next_ >= version_.size()) break;
      s.verify_pass = true;
      Issue(s, false, verify_next_++);
    }
  }
  if (in_flight_ == 0) {
    if (!verifying_ && o_.final_verify) {
      verifying_ = true;
      return Pump();
    }
    Finish();
  }
}

void VerifyingWorkload::Issue(Slot& s, bool write, uint64_t lba) {
  s.busy = true;
  s.write = write;
  s.lba = lba;
  busy_[lba] = 1;
  driver::BlockRequest r;
  r.op = write ? driver::BlockOp::kWrite : driver::BlockOp::kRead;
  r.slba = lba;
  r.blocks = 1;
  r.queue = static_cast<uint16_t>(lba % 7);
  r.segments = &s.seg;
  r.segment_count = 1;
  if (write) {
    s.version = version_[lba] + 1;
    Stamp(s.buf.cpu, lba, s.version);
  } else {
    s.version = version_[lba];
    std::memset(s.buf.cpu, 0xA5, kBlock);
  }
  ++result_.submitted;
  ++in_flight_;
  Slot* sp = &s;
  const spec::Status st =
      ns_.Submit(r, [this, sp](const driver::BlockResult& res) { OnDone(*sp, res); });
  if (!st.ok()) {
    --in_flight_;
    ++result_.refused;
    s.busy = false;
    busy_[lba] = 0;
    if (result_.failures.size() < 8) result_.failures.push_back("refused: " + st.ToString());
  }
}

void VerifyingWorkload::OnDone(Slot& s, const driver::BlockResult& r) {
  if (!s.busy) {
    ++result_.duplicates;
    return;
  }
  s.busy = false;
  busy_[s.lba] = 0;
  --in_flight_;
  ++result_.completed;
  if (!r.status.ok()) {
    ++result_.failed;
    if (s.write) unknown_[s.lba] = 1;
    if (result_.failures.size() < 8) {
      result_.failures.push_back("lba " + std::to_string(s.lba) + ": " + r.status.ToString());
    }
  } else if (s.write) {
    version_[s.lba] = s.version;
    unknown_[s.lba] = 0;
    ++result_.written_blocks;
  } else if (s.version != 0 && !unknown_[s.lba]) {
    if (Check(s.buf.cpu, s.lba, s.version)) {
      ++result_.verified_blocks;
      if (s.verify_pass) ++result_.final_verified;
    } else {
      ++result_.mismatches;
      if (result_.failures.size() < 8) {
        result_.failures.push_back("lba " + std::to_string(s.lba) + ": data mismatch");
      }
    }
  }
  if (r.status.ok() && !s.verify_pass) result_.latencies_ns.push_back(r.latency_ns);
  s.verify_pass = false;
  Pump();
}

void VerifyingWorkload::Finish() {
  if (finished_) return;
  finished_ = true;
  if (done_) done_();
}

MpRig::MpRig(const MpRigOptions& options) : options_(options) {
  harness::SimSystemSpec spec;
  spec.fidelity = pcie::Fidelity::kApproximate;
  device::SubsystemConfig sub;
  sub.nqn = "nqn.2014-08.org.nvmexpress:nvmesim:mpath";
  sub.namespaces[0].size_lbas = options.namespace_blocks;
  sub.namespaces[0].lba_bytes = kBlock;
  sub.namespaces[0].ana_group = 1;
  for (const device::NamespaceConfig& n : options.extra_namespaces) sub.namespaces.push_back(n);
  spec.subsystems.push_back(sub);
  for (int i = 0; i < options.controllers; ++i) {
    harness::SimControllerSpec c;
    c.device.name = "ctrl" + std::to_string(i);
    c.device.cntlid = cntlid(i);
    c.device.max_io_queues = 4;
    c.device.msix_vectors = 5;
    if (static_cast<size_t>(i) < options.command_overhead_ps.size()) {
      c.device.command_overhead_ps = options.command_overhead_ps[static_cast<size_t>(i)];
    }
    spec.controllers.push_back(c);
  }
  spec.driver.config.queue_count = options.queue_count;
  spec.driver.config.queue_depth = options.queue_depth;
  spec.driver.watchdog_interval_ns = options.watchdog_ns;
  spec.driver.io_timeout_ns = options.io_timeout_ns;
  spec.driver.admin_timeout_ns = 10 * options.io_timeout_ns;
  spec.echo = nullptr;
  system_ = std::make_unique<harness::SimSystem>(spec);
}

MpRig::~MpRig() = default;

void MpRig::After(uint64_t delay_ns, std::function<void()> fn) {
  system_->cpu().Post(sc_core::sc_time(static_cast<double>(delay_ns), sc_core::SC_NS),
                      std::move(fn));
}

void MpRig::Start(std::function<void(mp::MultipathNamespace&)> ready) {
  system_->Boot([this, ready = std::move(ready)](spec::Status s) {
    if (!s.ok()) {
      ADD_FAILURE() << "boot: " << s.ToString();
      system_->cpu().Halt();
      return;
    }
    mp::MultipathOptions o;
    o.policy = options_.policy;
    o.no_path_timeout_ns = options_.no_path_timeout_ns;
    manager_ = std::make_unique<mp::MultipathManager>(system_->clock(), o);
    for (int i = 0; i < options_.controllers; ++i) {
      mp::ControllerPort port;
      port.controller = system_->driver(static_cast<size_t>(i));
      port.name = "nvme" + std::to_string(i);
      char bdf[32];
      std::snprintf(bdf, sizeof bdf, "0000:%02x:00.0",
                    system_->function(static_cast<size_t>(i)).bus);
      port.address = bdf;
      port.numa_node = static_cast<uint32_t>(i % 2);
      manager_->AddController(port);
    }
    manager_->Discover([this, ready](spec::Status st) {
      if (!st.ok()) {
        ADD_FAILURE() << "discovery: " << st.ToString();
        system_->cpu().Halt();
        return;
      }
      ns_ = manager_->Find(1);
      if (ns_ == nullptr) {
        ADD_FAILURE() << "no multipath namespace for NSID 1";
        system_->cpu().Halt();
        return;
      }
      ready_ = true;
      ready(*ns_);
    });
  });
}

void Report(const char* title, MpRig& rig, const WorkloadResult& w) {
  std::printf("=== %s\n", title);
  std::printf(
      "requests %llu completed %llu failed %llu duplicates %llu refused %llu mismatches %llu "
      "verified %llu (final pass %llu)\n",
      (unsigned long long)w.submitted, (unsigned long long)w.completed,
      (unsigned long long)w.failed, (unsigned long long)w.duplicates, (unsigned long long)w.refused,
      (unsigned long long)w.mismatches, (unsigned long long)w.verified_blocks,
      (unsigned long long)w.final_verified);
  std::printf("latency p50 %.1f us p99 %.1f us\n", w.Percentile(50) / 1e3, w.Percentile(99) / 1e3);
  std::printf("%s", mp::MultipathInfo(rig.manager()).c_str());
  for (const auto& f : w.failures) std::printf("  failure: %s\n", f.c_str());
  std::fflush(stdout);
}

}  // namespace nvmesim::tests

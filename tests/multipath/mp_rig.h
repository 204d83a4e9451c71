// End-to-end multipath rig: one host, N controllers of one NVM subsystem each
// behind its own PCIe link (SimSystem), one real driver per controller, the
// multipath manager over them, and a verifying workload: `jobs` jobs keep
// `iodepth` requests each in flight on disjoint LBA ranges, every write
// stamps its blocks (LBA, version), every read checks the stamp, each
// request must complete exactly once, and a final pass reads back every
// block ever written.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "driver/multipath/management.h"
#include "driver/multipath/manager.h"
#include "harness/system/sim_system.h"

namespace nvmesim::tests {

struct MpRigOptions {
  int controllers = 2;
  driver::multipath::Policy policy = driver::multipath::Policy::kRoundRobin;
  uint64_t no_path_timeout_ns = 200'000'000;
  uint64_t namespace_blocks = 1 << 16;        // 4 KiB blocks
  std::vector<uint64_t> command_overhead_ps;  // per controller (empty = 0)
  uint32_t queue_count = 2;
  uint32_t queue_depth = 256;
  uint64_t watchdog_ns = 1'000'000;  // driver timeout scan / CSTS check
  uint64_t io_timeout_ns = 5'000'000;
  // Namespaces beside NSID 1 (e.g. attached to some controllers only).
  std::vector<device::NamespaceConfig> extra_namespaces;
};

struct WorkloadOptions {
  uint32_t jobs = 4;
  uint32_t iodepth = 32;  // per job
  uint64_t ios = 20000;   // total requests before the final verify pass
  uint32_t write_percent = 50;
  uint64_t blocks_per_job = 4096;  // LBA range each job owns
  uint64_t seed = 1;
  bool final_verify = true;
};

struct WorkloadResult {
  uint64_t submitted = 0, completed = 0, duplicates = 0, refused = 0;
  uint64_t failed = 0, mismatches = 0, verified_blocks = 0, written_blocks = 0;
  uint64_t final_verified = 0;
  std::vector<std::string> failures;   // first few failure texts
  std::vector<uint64_t> latencies_ns;  // every successful request of the main phase
  uint64_t Percentile(double p) const;
};

class VerifyingWorkload {
 public:
  VerifyingWorkload(harness::SimSystem& system, driver::multipath::MultipathNamespace& ns,
                    WorkloadOptions options);
  ~VerifyingWorkload();
  // Runs the main phase then the verify pass; `done` once nothing is in flight.
  void Start(std::function<void()> done);
  const WorkloadResult& result() const { return result_; }
  uint64_t completed() const { return result_.completed; }
  // Stops issuing after the in-flight ones finish (the verify pass still runs).
  void Stop() { stop_ = true; }

 private:
  struct Slot;
  void Pump();
  void Issue(Slot& s, bool write, uint64_t lba);
  void OnDone(Slot& s, const driver::BlockResult& r);
  void Finish();
  uint64_t Next();

  harness::SimSystem& system_;
  driver::multipath::MultipathNamespace& ns_;
  WorkloadOptions o_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<uint32_t> version_;  // per LBA: last successfully written version
  std::vector<uint8_t> busy_;      // per LBA: a request is in flight
  std::vector<uint8_t> unknown_;   // per LBA: a failed write left it undefined
  uint64_t issued_ = 0;
  uint64_t rng_;
  uint64_t verify_next_ = 0;  // final pass cursor over all LBAs
  bool verifying_ = false;
  bool stop_ = false;
  bool finished_ = false;
  uint64_t in_flight_ = 0;
  std::function<void()> done_;
  WorkloadResult result_;
};

class MpRig {
 public:
  explicit MpRig(const MpRigOptions& options);
  ~MpRig();
  // Boots every driver, discovers paths; `ready` runs on the host CPU with the
  // multipath namespace of NSID 1 (test fails if anything went wrong).
  void Start(std::function<void(driver::multipath::MultipathNamespace&)> ready);
  harness::SimSystem& system() { return *system_; }
  driver::multipath::MultipathManager& manager() { return *manager_; }
  driver::multipath::MultipathNamespace& ns() { return *ns_; }
  uint16_t cntlid(int i) const { return static_cast<uint16_t>(i + 1); }
  // Absolute simulated ns of the CPU now.
  uint64_t now_ns() { return system_->clock().NowNs(); }
  // Runs `fn` on the host CPU `delay_ns` from now.
  void After(uint64_t delay_ns, std::function<void()> fn);
  bool ready() const { return ready_; }

 private:
  MpRigOptions options_;
  std::unique_ptr<harness::SimSystem> system_;
  std::unique_ptr<driver::multipath::MultipathManager> manager_;
  driver::multipath::MultipathNamespace* ns_ = nullptr;
  bool ready_ = false;
};

// Prints the workload and multipath figures (visible in the test log).
void Report(const char* title, MpRig& rig, const WorkloadResult& w);

}  // namespace nvmesim::tests

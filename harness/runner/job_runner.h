// Runs one instance of a workload job against a driver controller: keeps
// `iodepth` requests in flight through the block API, stamps every block it
// writes, verifies every block it reads against the namespace's data oracle,
// and records what happened (latencies, statuses, mismatches) in simulated
// time. Runs entirely on the host CPU (driver callbacks); never blocks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/controller.h"
#include "driver/hal/hal.h"
#include "harness/report/job_stats.h"
#include "harness/workload/data_oracle.h"
#include "harness/workload/io_generator.h"
#include "harness/workload/job_spec.h"
#include "harness/workload/stamps.h"
#include "spec/opcodes.h"
#include "spec/status.h"
#include "spec/zns.h"

namespace nvmesim::harness {

struct JobRecord {
  std::string name;
  uint32_t instance = 0;
  JobStats stats;  // per direction: I/Os, bytes, latency histogram, errors
  uint64_t submitted = 0;
  uint64_t completed = 0;            // callbacks received (exactly once per submitted request)
  uint64_t duplicate_callbacks = 0;  // a request completed twice (a driver bug if ever non-zero)
  uint64_t refused = 0;              // Submit() refused the request (no callback owed);
                                     // listed in `failures` with the refusal status
  uint64_t retries = 0;
  std::map<std::string, uint64_t> statuses;  // failing status name -> count (incl. refused)
  struct Failure {
    uint64_t lba;
    uint32_t nlb;
    IoOp op;
    spec::Status status;
    uint64_t time_ns;
  };
  std::vector<Failure> failures;          // the first 1024 failed requests
  std::vector<StampMismatch> mismatches;  // the first 64 verification failures
  uint64_t mismatch_count = 0;
  uint64_t last_success_ns = 0;
  uint64_t overlap_waits = 0;  // a verifying job held an I/O until an overlapping one finished
};

// One finished request, for the runner's fault triggers and recovery measurement.
struct CompletionEvent {
  IoOp op;
  uint64_t lba;
  uint32_t nlb;
  uint64_t submit_ns;
  uint64_t complete_ns;
  spec::Status status;
};

struct JobTarget {
  // Where requests go: a controller's block API, or a multipath namespace's
  // (same contract: success when accepted, the callback later, never inside).
  std::function<spec::Status(const driver::BlockRequest&, driver::BlockCallback)> submit;
  driver::Controller* controller = nullptr;  // doorbell batching when set (single path)
  uint32_t nsid = 1;
  TargetGeometry geometry;
  DataOracle* oracle = nullptr;  // shared by every job on the namespace
  bool volatile_write_cache = false;
  uint16_t queue = 0;  // I/O queue index (modulo the queues created)
  // Every job instance on the same namespace (this one included): verifying jobs
  // keep overlapping I/O out of flight across all of them.
  const std::vector<class JobRunner*>* peers = nullptr;
};

class JobRunner {
 public:
  JobRunner(const JobSpec& job, uint32_t instance, const JobTarget& target,
            driver::hal::DmaMemory& dma, driver::hal::Clock& clock, uint64_t seed,
            uint64_t* write_generation);
  ~JobRunner();

  // Hooks (optional): after each accepted submission; after each completion.
  void SetHooks(std::function<void()> on_submit,
                std::function<void(const CompletionEvent&)> on_complete) {
    on_submit_ = std::move(on_submit);
    on_complete_ = std::move(on_complete);
  }

  // Starts submitting; `on_done` runs once when the job has nothing left in flight and
  // nothing more to send (its I/O count / size reached, runtime over, or Stop()).
  void Start(std::function<void()> on_done);
  // Stops submitting new requests; in-flight ones still complete.
  void Stop();
  // A peer's request completed: submit again if this job was waiting on an overlap.
  void Kick();
  bool waiting_on_overlap() const { return waiting_on_overlap_; }
  // True when [lba, lba+nlb) overlaps a request this job has in flight.
  bool HasInFlightOverlap(uint64_t lba, uint64_t nlb) const;
  // The job's runtime (if any) ends at this absolute time.
  bool finished() const { return finished_; }
  uint64_t in_flight() const { return in_flight_; }
  const JobRecord& record() const { return record_; }
  const JobSpec& job() const { return job_; }
  const std::vector<JobRunner*>* peers() const { return target_.peers; }

 private:
  struct Slot {
    driver::hal::DmaBuffer buffer;
    driver::DataSegment segment;
    IoRequest io;
    WriteStamp stamp;
    uint64_t flush_token = 0;
    uint64_t submit_ns = 0;
    bool busy = false;
    bool callback_seen = false;
  };
  void Pump();
  void Issue(Slot& slot, const IoRequest& io);
  void IssueZoneCommand(Slot& slot, const IoRequest& io);
  void OnComplete(Slot& slot, const driver::BlockResult& result);
  void MaybeFinish();
  Slot* FreeSlot();
  bool OverlapsInFlight(const IoRequest& io) const;

  JobSpec job_;
  JobTarget target_;
  driver::hal::DmaMemory& dma_;
  driver::hal::Clock& clock_;
  uint64_t* write_generation_;
  IoGenerator generator_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::optional<IoRequest> pending_;  // drawn from the generator, not yet issued
  JobRecord record_;
  std::function<void()> on_done_;
  std::function<void()> on_submit_;
  std::function<void(const CompletionEvent&)> on_complete_;
  uint64_t in_flight_ = 0;
  uint64_t deadline_ns_ = 0;  // 0 = none
  bool stopping_ = false;
  bool exhausted_ = false;
  bool finished_ = false;
  bool pumping_ = false;
  bool started_ = false;
  bool waiting_on_overlap_ = false;
};

}  // namespace nvmesim::harness

// The controller manager: bring-up, I/O submission, completion, timeouts,
// recovery and shutdown of one NVMe controller, as an explicit asynchronous
// state machine driven by HAL timers and interrupts (never blocking).
//
// Bring-up (base 2.0 3.5.1, "Controller Initialization"): read CAP/VS ->
// disable, wait CSTS.RDY=0 -> admin queue (AQA/ASQ/ACQ) -> enable, wait
// CSTS.RDY=1 (each wait bounded by CAP.TO, 500 ms units) -> Identify
// Controller -> Set Features Number of Queues -> Async Event Configuration /
// Keep Alive / Interrupt Coalescing -> create I/O CQs and SQs -> scan
// namespaces -> arm Asynchronous Event Requests -> ready.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "driver/block.h"
#include "driver/config.h"
#include "driver/data_pointer.h"
#include "driver/hal/hal.h"
#include "driver/internal/command.h"
#include "driver/namespace_manager.h"
#include "driver/queue_pair.h"
#include "driver/seams.h"
#include "spec/command.h"
#include "spec/status.h"

namespace nvmesim::driver {

enum class ControllerState : uint8_t {
  kIdle,            // constructed, Start() not called
  kDisabling,       // CC.EN <- 0 written, waiting for CSTS.RDY = 0
  kEnabling,        // admin queue programmed, CC.EN <- 1, waiting for CSTS.RDY = 1
  kIdentifying,     // Identify Controller
  kSettingQueues,   // Set Features Number of Queues
  kConfiguring,     // Async Event Configuration, Keep Alive, Interrupt Coalescing
  kCreatingQueues,  // Create I/O CQ/SQ pairs
  kScanningNamespaces,
  kReady,         // I/O flows
  kShuttingDown,  // deleting queues, CC.SHN <- 01b, waiting for CSTS.SHST = 10b
  kShutdown,      // shutdown complete
  kFailed,        // gave up (init failed too often, fatal status stays set)
  kRemoved,       // registers read all ones: the device is gone
};
const char* ControllerStateName(ControllerState s);

struct ControllerOptions {
  AdvancedNvmeConfig config;                      // queue_count, queue_depth, limits
  const char* name = "nvme0";                     // log prefix and trace source (static string)
  uint32_t admin_queue_entries = 64;              // 2..4096 (AQA 12-bit 0-based, base 3.1.3.8)
  uint64_t admin_timeout_ns = 60'000'000'000ull;  // per admin command
  uint64_t io_timeout_ns = 30'000'000'000ull;     // per I/O command attempt
  uint32_t max_retries = 5;                       // resubmissions per command
  uint32_t max_reset_attempts = 3;                // consecutive failed recoveries before kFailed
  uint32_t timeout_storm_threshold = 16;          // expired commands in one scan -> reset at once
  uint64_t register_poll_ns = 1'000'000;          // CSTS poll period while waiting
  uint64_t watchdog_interval_ns = 500'000'000;    // timeout scan period while commands fly
  uint64_t health_check_interval_ns = 0;          // CSTS check when idle; 0 = only while busy
  uint32_t max_transfer_bytes = 1u << 20;         // driver cap, further clamped by MDTS
  bool prefer_sgl = false;                        // use SGLs whenever the controller offers them
  bool use_interrupts = true;                     // false: completions only through Poll()
  uint32_t async_event_requests = 4;              // clamped to AERL + 1
  uint32_t keep_alive_ms = 0;                     // 0: Keep Alive Timer not set
  uint8_t coalescing_threshold = 0;               // Interrupt Coalescing THR (0-based); with time
  uint8_t coalescing_time_100us = 0;              // 0 and 0: feature not set
};

// Everything learnt from the controller, for reports and tests.
struct ControllerInfo {
  uint64_t cap = 0;
  uint32_t vs = 0;
  uint32_t page_size = 4096;  // CC.MPS in bytes
  uint8_t dstrd = 0;
  uint64_t ready_timeout_ns = 0;  // CAP.TO * 500 ms
  uint16_t vid = 0, cntlid = 0;
  std::string serial, model, firmware;
  uint8_t mdts = 0;
  uint64_t max_transfer_bytes = 0;  // per command after MDTS and driver cap
  uint32_t nn = 0;
  uint16_t oacs = 0, oncs = 0;
  uint32_t oaes = 0;
  uint8_t acl = 0, aerl = 0;
  uint16_t crdt[3] = {0, 0, 0};
  uint16_t kas = 0;
  uint32_t rtd3e_us = 0;
  SglSupport sgls = SglSupport::kNone;
  uint32_t io_queues_requested = 0, io_queues_granted = 0, io_queues = 0;
  uint32_t queue_depth_requested = 0, queue_depth = 0;
  uint32_t interrupt_vectors = 0;
};

struct ControllerStats {
  uint64_t resets = 0;
  uint64_t init_failures = 0;
  uint64_t timeouts = 0;
  uint64_t aborts_sent = 0;
  uint64_t aborts_succeeded = 0;  // Abort completed with "command aborted"
  uint64_t retries = 0;
  uint64_t path_errors = 0;
  uint64_t async_events = 0;
  uint64_t requeued_on_reset = 0;
  uint64_t failed_on_reset = 0;
  uint64_t failed_over_on_reset = 0;  // block I/O handed back to the multipath layer
  uint64_t reprobes = 0;              // bring-ups after removal (Reprobe)
};

class Controller : public AdminChannel {
 public:
  using DoneCallback = std::function<void(spec::Status)>;

  Controller(const hal::Platform& platform, ControllerOptions options);
  ~Controller() override;
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Begins bring-up; `on_ready` runs once, with success when I/O may flow or
  // with the reason bring-up gave up.
  void Start(DoneCallback on_ready);
  // Normal shutdown (base 2.0 3.6.1): delete I/O queues, CC.SHN = 01b, wait
  // for CSTS.SHST = 10b. Commands still queued are failed.
  void Shutdown(DoneCallback on_done);
  // Controller reset on request: in-flight commands are re-issued or failed
  // by the retry rules, then the controller is re-initialised.
  void Reset(DoneCallback on_done);
  // Bring-up again after the controller was removed (registers read all
  // ones) or given up on, e.g. when hotplug saw its link come back: the
  // same bring-up as a reset, with a fresh reset budget. `on_done` runs once
  // with the outcome; the multipath layer sees kControllerReady on success.
  // Refused (Command Sequence Error, callback run later) in any other state.
  void Reprobe(DoneCallback on_done);

  // Block API. Returns success when accepted (the callback will run later,
  // never from inside this call), or the reason it was refused (no callback).
  spec::Status Submit(const BlockRequest& request, BlockCallback done);
  // Any I/O command (e.g. Zone Append) with an optional data buffer; the
  // driver sets CID and data pointer and applies timeouts and retry rules.
  spec::Status SubmitIo(uint16_t queue, const spec::Sqe& sqe, const DataSegment* segments,
                        uint32_t segment_count, BlockCallback done);
  // AdminChannel: an admin command; the CQE goes to `done` (status inside).
  spec::Status SubmitAdmin(const spec::Sqe& sqe, std::function<void(const spec::Cqe&)> done,
                           uint64_t timeout_ns = 0) override;
  hal::DmaMemory* dma() override { return platform_.dma; }
  hal::Log* log() override { return platform_.log; }

  // Reaps every queue (polling mode, or to drain early). Returns CQEs consumed.
  uint32_t Poll();
  // Doorbell batching: between Begin and End, SQ tail doorbells are written
  // once per queue at End.
  void BeginBatch() { ++batch_depth_; }
  void EndBatch();

  ControllerState state() const { return state_; }
  const ControllerInfo& info() const { return info_; }
  const ControllerStats& stats() const { return stats_; }
  uint32_t io_queue_count() const { return info_.io_queues; }
  // qid 0 is the admin queue, 1..io_queue_count() the I/O queues.
  const QueueStats* queue_stats(uint16_t qid) const;
  const QueuePair* queue(uint16_t qid) const;
  NamespaceManager& namespaces() { return namespaces_; }

  // Seams for the multipath and zoned layers.
  void SetPathEventHandler(PathEventHandler handler) { path_handler_ = std::move(handler); }
  // The primary async-event listener (replaces the previous primary one).
  void SetAsyncEventHandler(std::function<void(uint32_t dw0)> handler) {
    async_handler_ = std::move(handler);
  }
  // Further listeners: every one sees every event, after the primary one.
  void AddAsyncEventListener(std::function<void(uint32_t dw0)> listener) {
    async_listeners_.push_back(std::move(listener));
  }
  // Called each time the controller becomes ready again after a reset or
  // recovery (not at first bring-up): features the layers set are back at
  // their defaults on the device and must be programmed again.
  void AddReinitListener(std::function<void()> listener) {
    reinit_listeners_.push_back(std::move(listener));
  }
  // Gate and observer of block I/O (thermal admission, optimizer samples);
  // null removes them. Not owned; must outlive the controller or be removed.
  void SetIoHooks(IoHooks* hooks) { hooks_ = hooks; }
  // Requests held back by the IoHooks gate.
  uint32_t gated_commands() const { return gated_.size(); }
  // Software queue depth (the block layer's nr_requests): at most `limit`
  // commands in flight on each I/O queue; the rest wait in the driver, in
  // order. 0 = only the queue size limits. The admin queue is not limited.
  // Takes effect at once: a raised limit submits waiting commands now, a
  // lowered one lets the commands already in flight finish.
  void SetIoDepthLimit(uint32_t limit);
  uint32_t io_depth_limit() const { return io_depth_limit_; }

 private:
  using Command = internal::Command;
  using Request = internal::Request;

  // controller_init.cc
  void Enter(ControllerState s);
  void BeginInit();
  void StartDisable();
  void PollReady(bool want_ready);
  void SetupAdminQueueAndEnable();
  void IdentifyController();
  void SetNumberOfQueues();
  void Configure(int step);
  void CreateQueues(uint16_t qid, bool sq);
  void ScanNamespaces();
  void BecomeReady();
  void ArmAsyncEvents();
  void OnAsyncEvent(const spec::Cqe& cqe);
  void KeepAliveTick();
  void ShutdownStep(int step, uint16_t qid);
  void PollShutdown(uint64_t deadline);
  void InitFailed(spec::Status status, const std::string& why);
  bool AllocateIoQueues();
  uint16_t VectorOf(uint16_t qid) const;

  // controller_io.cc
  Command* NewCommand();
  void FreeCommand(Command* cmd);
  Request* NewRequest();
  void FreeRequest(Request* r);
  spec::Status BuildData(Command* cmd, const DataSegment* seg, uint32_t count, uint64_t offset,
                         uint64_t length);
  void Issue(Command* cmd);
  void SubmitNow(Command* cmd, QueuePair& q);
  void ReapQueue(uint16_t qid);
  void DrainWaiting(uint16_t qid);
  // Room for one more command on `q` now: a free CID and SQ entry, and
  // under the software depth limit for an I/O queue.
  bool CanIssue(const QueuePair& q) const;
  void OnCqe(Command* cmd, const spec::Cqe& cqe);
  void FinishCommand(Command* cmd, const spec::Status& status);
  void RetryLater(Command* cmd, uint64_t delay_ns);
  void OnInterrupt(uint32_t vector);
  bool IoAccepting() const;
  // IoHooks: false when the request is held back (its commands wait in gated_).
  bool GateRequest(internal::CommandList& built, Request* r, uint64_t bytes, bool write,
                   uint16_t qid);
  void ReleaseGated();
  void ArmGate(uint64_t at_ns);
  void AbandonBuilt(internal::CommandList& built, Request* r);

  // controller_recovery.cc
  void ArmWatchdog();
  void WatchdogTick();
  bool CheckRegistersGone(uint32_t value);
  void SendAbort(Command* cmd);
  void BeginReset(const char* reason);
  void Removed();
  void GiveUp(const spec::Status& status, const std::string& why);
  // Starts a new epoch and cancels the state, watchdog and keep-alive timers.
  void StopTimers();
  // Fails every command and every waiter of a controller that is gone or given up.
  void EndDeadPath(const spec::Status& status);
  void RecoverCommands(bool keep_retryable, spec::Status fail);
  void FailParked(const spec::Status& status);

  void Logf(hal::LogLevel level, const std::string& message);
  void Trace(const char* name, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0);
  uint32_t ReadCsts();

  hal::Platform platform_;
  ControllerOptions options_;
  ControllerState state_ = ControllerState::kIdle;
  ControllerInfo info_;
  ControllerStats stats_;
  NamespaceManager namespaces_;
  PathEventHandler path_handler_;
  std::function<void(uint32_t)> async_handler_;
  std::vector<std::function<void(uint32_t)>> async_listeners_;
  std::vector<std::function<void()>> reinit_listeners_;
  IoHooks* hooks_ = nullptr;
  internal::CommandList gated_;  // held back by hooks_->AdmitAt, submission order
  DoneCallback on_ready_;
  DoneCallback on_shutdown_;
  std::vector<DoneCallback> on_reset_;

  std::vector<std::unique_ptr<QueuePair>> queues_;  // [0] admin, [1..] I/O
  std::vector<internal::CommandList> waiting_;      // per queue: no CID or SQ slot yet
  std::vector<uint8_t> vector_of_;                  // per queue: interrupt vector
  internal::CommandList parked_;                    // I/O held during recovery
  internal::CommandList delayed_;                   // waiting for a CRD retry delay
  std::vector<uint16_t> dirty_;                     // queues with deferred doorbells

  std::vector<std::unique_ptr<Command>> command_store_;
  std::vector<Command*> command_free_;
  std::vector<std::unique_ptr<Request>> request_store_;
  Request* request_free_ = nullptr;

  hal::DmaBuffer identify_page_;
  hal::DmaBuffer log_page_;
  uint32_t batch_depth_ = 0;
  uint32_t io_depth_limit_ = 0;  // 0 = none (SetIoDepthLimit)
  uint32_t aer_outstanding_ = 0;
  uint32_t aborts_in_flight_ = 0;
  uint32_t reset_attempts_ = 0;  // consecutive, cleared by a successful I/O
  uint64_t epoch_ = 0;           // bumped at every (re)initialisation
  bool started_once_ = false;
  bool reset_pending_ = false;
  hal::Clock::TimerId state_timer_ = hal::Clock::kNoTimer;
  hal::Clock::TimerId watchdog_timer_ = hal::Clock::kNoTimer;
  hal::Clock::TimerId keep_alive_timer_ = hal::Clock::kNoTimer;
  hal::Clock::TimerId gate_timer_ = hal::Clock::kNoTimer;
  uint64_t state_deadline_ns_ = 0;
};

}  // namespace nvmesim::driver

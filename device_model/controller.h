// The NVMe 2.0 controller model: a PCIe function whose BAR0 holds the
// controller registers, doorbells and the MSI-X table, with an SQ/CQ engine
// driven by SystemC events (one SC_METHOD engine per controller, never a
// thread per command). DMA and MSI-X leave through `pcie_initiator`
// (b_transport, timing on the annotated delay); config and BAR0 accesses
// arrive on `pcie_target`. See docs/device-model.md.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include <array>
#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "device_model/arbiter.h"
#include "device_model/command_set.h"
#include "device_model/config.h"
#include "device_model/data_transfer.h"
#include "device_model/faults.h"
#include "device_model/health.h"
#include "device_model/media_timing.h"
#include "device_model/pcie_function.h"
#include "device_model/queues.h"
#include "device_model/subsystem.h"
#include "device_model/timed_queue.h"
#include "pcie_model/fw_target.h"
#include "pcie_model/sim_time.h"
#include "spec/command.h"
#include "spec/registers.h"
#include "spec/status.h"
#include "spec/trace.h"

namespace nvmesim::device {

// Counters the harness and tests read.
struct ControllerStats {
  uint64_t commands_fetched = 0;
  uint64_t completions_posted = 0;
  uint64_t interrupts_sent = 0;
  uint64_t dma_errors = 0;                 // DMA refused (outside memory, own BAR, UR/CA)
  uint64_t dma_direct = 0;                 // DMA done through a DMI grant (functional fidelity)
  uint64_t doorbell_errors = 0;            // invalid doorbell register / value
  uint64_t commands_aborted_by_reset = 0;  // in flight when the controller reset
  uint64_t completions_dropped = 0;        // fault hook
  uint64_t completions_duplicated = 0;     // fault hook
  uint64_t completions_corrupted = 0;      // fault hook
  uint64_t engine_activations = 0;
  uint64_t resets = 0;
};

class NvmeController : public sc_core::sc_module,
                       public SubsystemListener,
                       private DmaPort,
                       private IoServices {
 public:
  tlm::tlm_target_socket<> pcie_target;
  tlm_utils::simple_initiator_socket<NvmeController> pcie_initiator;

  SC_HAS_PROCESS(NvmeController);
  // Throws std::invalid_argument when ValidateControllerConfig() fails.
  NvmeController(sc_core::sc_module_name name, const ControllerConfig& cfg, Subsystem& subsystem);
  ~NvmeController() override;

  const ControllerConfig& config() const { return cfg_; }
  uint16_t cntlid() const { return cfg_.cntlid; }
  Subsystem& subsystem() { return subsystem_; }
  const ControllerStats& stats() const { return stats_; }
  Health& health() { return health_; }
  PcieFunction& pcie() { return *pcie_; }

  // BAR0 layout: registers, doorbells, then the MSI-X table and PBA.
  uint64_t bar0_size() const { return bar0_size_; }
  uint32_t msix_table_offset() const { return msix_table_offset_; }
  uint32_t msix_pba_offset() const { return msix_pba_offset_; }

  // Register values as the host would read them (for tests and tracing).
  uint64_t cap() const { return cap_.raw; }
  uint32_t cc() const { return cc_.raw; }
  uint32_t csts() const { return csts_.raw; }

  // Fault hooks (see faults.h for what each does).
  FaultHooks& faults() { return faults_; }
  void InjectFatal();      // CSTS.CFS = 1, engine stops
  void InjectPowerLoss();  // cache lost, controller off until reset
  void SetTemperatureOverride(bool on, uint16_t kelvin);
  void SetAnaState(uint32_t group, AnaState state);  // for this controller's path
  void HangQueue(uint16_t sqid, bool hung);          // fetch but never complete
  // Media error on [slba, slba + nlb) of a namespace: reads end in
  // Unrecovered Read Error until cleared (nlb 0 clears the namespace's list).
  void InjectMediaError(uint32_t nsid, uint64_t slba, uint64_t nlb);

  // I/O for namespaces of command set `csi` (2 = Zoned) goes to `handler`
  // (not owned; null removes). The NVM command set (0) is built in.
  void RegisterCommandSet(uint8_t csi, IoCommandSetHandler* handler);
  // Queues an asynchronous event (Base 2.0 5.2; DW0 layout Figure 146) on
  // behalf of a command set or a fault hook (e.g. ZNS Zone Descriptor Changed).
  void RaiseAsyncEvent(uint8_t type, uint8_t info, uint8_t log_page) {
    QueueAsyncEvent(type, info, log_page);
  }

  // SubsystemListener
  void OnNamespaceAttributeChanged(uint32_t nsid) override;
  void OnAnaChange() override;
  void OnSubsystemReset() override;

 private:
  // ---- TLM entry points (controller_pcie.cc)
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& p);
  bool DmaRead(uint64_t addr, void* dst, uint64_t len) override;
  bool DmaWrite(uint64_t addr, const void* src, uint64_t len) override;
  bool Dma(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, uint64_t len);
  // TLM-2.0 DMI: host memory regions the path offered for direct access
  // (the link grants them only at functional fidelity with no fault ahead).
  bool DmaDirect(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, uint64_t len);
  void LearnDmi(tlm::tlm_generic_payload& p);
  void InvalidateDmi(sc_dt::uint64 start, sc_dt::uint64 end);
  void SendMsix(uint16_t vector);
  void SendReleased(const std::vector<MsixMessage>& released, sc_core::sc_time& delay);

  // ---- registers (controller_registers.cc)
  uint64_t RegisterRead(uint32_t offset, unsigned size);
  void RegisterWrite(uint32_t offset, unsigned size, uint64_t value);
  void DoorbellWrite(uint32_t offset, uint32_t value);
  void WriteCc(uint32_t value);
  void StateProcess();  // SC_METHOD: enable/disable/shutdown transitions
  void Reset(bool subsystem_reset);
  bool StartController();

  // ---- engine (controller_engine.cc)
  void EngineProcess();      // SC_METHOD
  void CompletionProcess();  // SC_METHOD: timed completions
  void CoalesceProcess();    // SC_METHOD: interrupt coalescing time
  void KeepAliveProcess();   // SC_METHOD
  void ThermalProcess();     // SC_METHOD: thermal model ticks and events
  struct Timed {             // a completion waiting for its time (or held by a fault)
    uint64_t due_ps;
    uint64_t seq;
    uint16_t sqid;
    uint16_t cqid;
    spec::Cqe cqe;
    bool aborted;
  };
  struct Command {
    spec::Sqe sqe;
    uint16_t sqid = 0;
    uint32_t dw0 = 0;
    uint32_t dw1 = 0;
    bool deferred = false;  // completion posted later (AER, held by fault)
    uint64_t media_ps = 0;  // extra latency before the completion
    uint64_t bytes = 0;     // host data moved (thermal activity)
  };
  void Execute(Command& c);
  // ---- thermal model glue (controller_thermal.cc)
  void ThermalPoll();
  void ThermalThrottle(Command& c);
  bool ThermalSetFeature(uint8_t fid, Command& c, spec::Status* st);
  bool ThermalGetFeature(uint8_t fid, uint8_t sel, Command& c, spec::Status* st);
  void Complete(const Command& c, const spec::Status& s);
  void PostCqe(uint16_t cqid, spec::Cqe cqe, bool from_fault_path = false);
  bool WriteCqe(CompletionQueue& cq, const spec::Cqe& cqe);
  void DrainBacklog(CompletionQueue& cq);
  void RaiseInterrupt(CompletionQueue& cq);
  void FlushInterrupts();
  void AbortAllInFlight(bool by_reset);
  void PushTimed(const Timed& t);
  Timed PopTimed();
  void CompleteInFlightForSq(uint16_t sqid, const spec::Status& s);
  uint64_t NowPs() const override;
  // Inline test, out-of-line emit: most runs of a benchmark trace nothing.
  void Trace(const char* event, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) {
    if (cfg_.trace) EmitTrace(event, a, b, c);
  }
  void EmitTrace(const char* event, uint64_t a, uint64_t b, uint64_t c);
  void ScheduleEngine();
  void UpdateAvail(uint16_t qid);

  // ---- admin (controller_admin.cc, controller_identify.cc, controller_features.cc,
  //      controller_logs.cc)
  spec::Status ExecuteAdmin(Command& c);
  spec::Status CreateIoCq(const spec::Sqe& s);
  spec::Status CreateIoSq(const spec::Sqe& s);
  spec::Status DeleteIoCq(const spec::Sqe& s);
  spec::Status DeleteIoSq(const spec::Sqe& s);
  spec::Status Identify(Command& c);
  spec::Status GetLogPage(Command& c);
  spec::Status SetFeatures(Command& c);
  spec::Status GetFeatures(Command& c);
  spec::Status AsyncEventRequest(Command& c);
  spec::Status Abort(Command& c);
  spec::Status KeepAlive(Command& c);
  spec::Status NamespaceManagement(Command& c);
  spec::Status NamespaceAttachment(Command& c);
  spec::Status FormatNvm(Command& c);
  spec::Status FirmwareDownload(Command& c);
  spec::Status FirmwareCommit(Command& c);
  // Moves `len` bytes of a device buffer to the command's data pointer.
  spec::Status ToHostBuffer(const spec::Sqe& s, const void* data, uint64_t len, bool allow_bucket);
  // IoServices (also used by the built-in commands)
  spec::Status ToHost(const spec::Sqe& s, const void* data, uint64_t len) override {
    return ToHostBuffer(s, data, len, true);
  }
  spec::Status FromHost(const spec::Sqe& s, void* data, uint64_t len) override;
  spec::Status CheckMdts(uint64_t bytes) const override;
  void AddMediaTime(const MediaOp& op) override;
  void AddLatencyPs(uint64_t ps) override { pending_media_ps_ += ps; }
  bool WriteCacheEnabled() const override { return vwc_enabled_; }
  void QueueAsyncEvent(uint8_t type, uint8_t info, uint8_t log_page);
  void DeliverAsyncEvents();

  // ---- NVM command set (controller_nvm.cc)
  spec::Status ExecuteIo(Command& c);
  spec::Status ReadWrite(Command& c, bool write);
  spec::Status NvmSimple(Command& c);  // Flush, Write Zeroes, DSM, Compare, WUC, Verify, Copy
  spec::Status PathStatus(const Namespace& ns) const;
  spec::Status ResolveNamespace(uint32_t nsid, Namespace** ns);

  // ---- configuration and sub-blocks
  ControllerConfig cfg_;
  Subsystem& subsystem_;
  ZeroMediaTiming zero_media_;
  MediaTiming* media_;
  std::unique_ptr<PcieFunction> pcie_;
  FaultHooks faults_;
  Health health_;
  ControllerStats stats_;
  Arbiter arbiter_;
  std::array<IoCommandSetHandler*, 256> command_sets_{};
  uint64_t pending_media_ps_ = 0;  // AddMediaTime() during the current command
  uint64_t throttle_free_ps_ = 0;  // thermal throttling pacer: next free instant

  // ---- registers (Base 2.0 Figure 33)
  spec::CapRegister cap_;
  spec::CcRegister cc_;
  spec::CstsRegister csts_;
  spec::AqaRegister aqa_;
  uint64_t asq_ = 0, acq_ = 0;
  uint32_t intms_ = 0;
  uint64_t bar0_size_ = 0;
  uint32_t doorbell_end_ = 0;
  uint32_t msix_table_offset_ = 0, msix_pba_offset_ = 0;
  uint64_t page_size_ = 4096;

  // ---- controller state
  enum class State { kDisabled, kEnabling, kReady, kDisabling, kShutdown, kFatal, kOff };
  State state_ = State::kDisabled;
  bool enable_pending_ = false, disable_pending_ = false, shutdown_pending_ = false;
  sc_core::sc_event state_event_;

  // ---- queues
  std::vector<SubmissionQueue> sqs_;  // index = qid, 0 = admin
  std::vector<CompletionQueue> cqs_;
  std::vector<uint32_t> sq_avail_;  // per qid, for the arbiter
  uint16_t nsqa_ = 0, ncqa_ = 0;    // Number of Queues allocated (0's based)
  bool io_queues_created_ = false;

  // ---- engine
  sc_core::sc_event engine_event_;
  sc_core::sc_event completion_event_;
  sc_core::sc_event coalesce_event_;
  sc_core::sc_event keep_alive_event_;
  sc_core::sc_event thermal_event_;
  thermal::ThermalModel* thermal_ = nullptr;
  bool in_engine_ = false;
  bool defer_irqs_ = false;  // interrupts raised now go out at the activation's end
  sc_core::sc_time local_;   // temporal-decoupling offset within an activation
  pcie::PsClock ps_clock_;
  // pcie_target's forward interface: calls b_transport / transport_dbg directly.
  pcie::FwTarget<NvmeController, &NvmeController::b_transport, nullptr,
                 &NvmeController::transport_dbg>
      pcie_fw_{*this};
  std::vector<spec::Sqe> fetch_buf_;
  std::vector<DmaSegment> segs_;
  std::vector<uint8_t> bounce_;       // data staging buffer (sized once to MDTS)
  std::vector<uint8_t> log_scratch_;  // Get Log Page assembly
  tlm::tlm_generic_payload dma_payload_;
  struct DmiWindow {
    uint64_t start = 1, end = 0;  // empty
    uint8_t* ptr = nullptr;
    sc_core::sc_time read_latency;
  };
  // Direct-mapped by the 4 KiB page of an address: a queue's DMA touches a
  // few hundred buffers (each its own region) over and over.
  static constexpr size_t kDmiSlots = 1024;
  static size_t DmiSlot(uint64_t addr) { return (addr >> 12) & (kDmiSlots - 1); }
  std::vector<DmiWindow> dmi_ = std::vector<DmiWindow>(kDmiSlots);
  bool dmi_seen_ = false;    // a grant was ever learnt (never, below functional fidelity)
  TimedQueue<Timed> timed_;  // due first, then in posting order
  std::vector<Timed> held_;  // hung-queue fault: fetched, never completed
  uint64_t timed_seq_ = 0;

  // ---- interrupts
  std::vector<uint8_t> irq_pending_;  // per vector, set while an engine run posts
  std::vector<uint16_t> irq_list_;    // vectors with irq_pending_ set
  std::vector<uint32_t> coalesce_count_;
  std::vector<uint8_t> coalesce_disable_;         // Interrupt Vector Configuration CD bit
  uint8_t coalesce_thr_ = 0, coalesce_time_ = 0;  // Interrupt Coalescing (Figure 324)
  bool coalesce_armed_ = false;

  // ---- features (Base 2.0 5.27.1)
  ArbitrationSettings arb_;
  uint8_t power_state_ = 0;
  uint16_t temp_threshold_over_ = 0, temp_threshold_under_ = 0;
  uint32_t error_recovery_ = 0;
  bool vwc_enabled_ = false;
  uint32_t async_event_config_ = 0;
  uint32_t apst_ = 0;
  uint64_t timestamp_ms_ = 0, timestamp_set_ps_ = 0;
  bool timestamp_set_ = false;
  uint32_t kato_ms_ = 0;
  uint64_t last_keep_alive_ps_ = 0;
  std::array<uint8_t, 512> host_behavior_{};
  uint32_t io_command_set_profile_ = 0;

  // ---- async events (Base 2.0 5.2)
  std::vector<uint16_t> aer_cids_;     // outstanding AER commands
  std::vector<uint32_t> event_queue_;  // DW0 of events not yet reported
  uint32_t masked_event_types_ = 0;    // bit per type, masked until the log is read
  bool deliver_events_after_ = false;
  bool executing_ = false;            // inside Execute(): events wait for its completion
  std::vector<uint32_t> changed_ns_;  // Changed Namespace List log

  // ---- firmware (Base 2.0 5.11-5.12)
  std::vector<std::string> fw_slots_;  // index 0 = slot 1
  uint8_t fw_active_slot_ = 1;
  uint8_t fw_next_slot_ = 0;  // activate at next reset
  std::vector<uint8_t> fw_image_;
};

}  // namespace nvmesim::device

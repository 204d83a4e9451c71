// NvmeController construction and its PCIe side: config and BAR0 accesses
// arriving on pcie_target, DMA and MSI-X leaving on pcie_initiator.
#include "device_model/controller.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "device_model/tlp_bridge.h"

namespace nvmesim::device {

namespace {
uint64_t RoundUpPow2(uint64_t v) {
  uint64_t p = 1;
  while (p < v) p <<= 1;
  return p;
}
}  // namespace

NvmeController::NvmeController(sc_core::sc_module_name name, const ControllerConfig& cfg,
                               Subsystem& subsystem)
    : sc_core::sc_module(name),
      pcie_target("pcie_target"),
      pcie_initiator("pcie_initiator"),
      cfg_(cfg),
      subsystem_(subsystem),
      media_(cfg.media ? cfg.media : &zero_media_),
      arbiter_(cfg.max_io_queues) {
  const std::string err = ValidateControllerConfig(cfg);
  if (!err.empty()) throw std::invalid_argument("ControllerConfig: " + err);
  pcie_target.bind(pcie_fw_);
  pcie_initiator.register_invalidate_direct_mem_ptr(this, &NvmeController::InvalidateDmi);

  // BAR0 layout: registers 0h-FFFh, doorbells from 1000h at the configured
  // stride (PCIe Transport 1.0 3.1.2), then MSI-X table and PBA, each on a
  // 4 KiB boundary (PCIe 5.0 7.7.2: table and PBA may share a BAR).
  const uint32_t stride = spec::DoorbellStrideBytes(cfg.doorbell_stride);
  doorbell_end_ = spec::kRegDoorbellBase + 2u * (uint32_t{cfg.max_io_queues} + 1) * stride;
  msix_table_offset_ = (doorbell_end_ + 0xFFFu) & ~0xFFFu;
  msix_pba_offset_ = (msix_table_offset_ + uint32_t{cfg.msix_vectors} * 16u + 0xFFFu) & ~0xFFFu;
  bar0_size_ = RoundUpPow2(std::max<uint64_t>(msix_pba_offset_ + 0x1000u, 0x4000u));
  pcie::ConfigSpaceConfig pc;
  pc.vendor_id = pc.subsystem_vendor_id = cfg.vendor_id;
  pc.bar0_size = bar0_size_;
  pc.msix_vectors = cfg.msix_vectors;
  pc.msix_table_offset = msix_table_offset_;
  pc.msix_pba_offset = msix_pba_offset_;
  pcie_ = std::make_unique<PcieFunction>(pc);

  // CAP (Base 2.0 Figure 36).
  cap_.set_mqes(cfg.max_queue_entries - 1);
  cap_.set_cqr(1);  // queues are physically contiguous (no PRP-list queues)
  cap_.set_ams(cfg.weighted_round_robin ? spec::kCapAmsWeightedRoundRobin : 0);
  cap_.set_to(cfg.timeout_500ms);
  cap_.set_dstrd(cfg.doorbell_stride);
  cap_.set_nssrs(cfg.nssr_support ? 1 : 0);
  cap_.set_css(spec::kCapCssNvm | spec::kCapCssIoCommandSets);
  cap_.set_mpsmin(cfg.mpsmin);
  cap_.set_mpsmax(cfg.mpsmax);

  sqs_.resize(size_t{cfg.max_io_queues} + 1);
  cqs_.resize(size_t{cfg.max_io_queues} + 1);
  sq_avail_.assign(size_t{cfg.max_io_queues} + 1, 0);
  irq_pending_.assign(cfg.msix_vectors, 0);
  coalesce_count_.assign(cfg.msix_vectors, 0);
  coalesce_disable_.assign(cfg.msix_vectors, 0);
  fetch_buf_.resize(64);
  // Staging buffer for one command's data: MDTS bounds it (2^MDTS pages of
  // CAP.MPSMIN, Figure 275); without MDTS we stage 2 MiB at a time.
  const uint64_t min_page = uint64_t{1} << (12 + cfg.mpsmin);
  bounce_.resize(cfg.mdts ? (min_page << cfg.mdts) : (uint64_t{2} << 20));
  segs_.reserve(1024);
  held_.reserve(64);
  aer_cids_.reserve(16);
  fw_slots_.assign(cfg.firmware_slots, "");
  fw_slots_[0] = cfg.firmware;
  health_.temperature_kelvin = cfg.ambient_kelvin;
  temp_threshold_over_ = cfg.warning_kelvin;
  nsqa_ = ncqa_ = static_cast<uint16_t>(cfg.max_io_queues - 1);
  local_ = sc_core::SC_ZERO_TIME;

  dma_payload_.set_byte_enable_ptr(nullptr);
  dma_payload_.set_byte_enable_length(0);
  dma_payload_.set_dmi_allowed(false);

  subsystem_.RegisterController(cfg.cntlid, this);

  SC_METHOD(EngineProcess);
  sensitive << engine_event_;
  dont_initialize();
  SC_METHOD(CompletionProcess);
  sensitive << completion_event_;
  dont_initialize();
  SC_METHOD(StateProcess);
  sensitive << state_event_;
  dont_initialize();
  SC_METHOD(CoalesceProcess);
  sensitive << coalesce_event_;
  dont_initialize();
  SC_METHOD(KeepAliveProcess);
  sensitive << keep_alive_event_;
  dont_initialize();
  thermal_ = cfg.thermal;
  SC_METHOD(ThermalProcess);
  sensitive << thermal_event_;
  dont_initialize();
  if (thermal_) thermal_event_.notify(sc_core::SC_ZERO_TIME);
}

NvmeController::~NvmeController() { subsystem_.UnregisterController(cfg_.cntlid); }

uint64_t NvmeController::NowPs() const { return ps_clock_.ToPs(ps_clock_.Now() + local_); }

void NvmeController::EmitTrace(const char* event, uint64_t a, uint64_t b, uint64_t c) {
  spec::TraceEvent e;
  e.time_ps = NowPs();
  e.source = name();
  e.name = event;
  e.a = a;
  e.b = b;
  e.c = c;
  cfg_.trace->Emit(e);
}

// ---------------------------------------------------------------- target side

void NvmeController::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const uint64_t len = p.get_data_length();
  uint8_t* data = p.get_data_ptr();
  p.set_response_status(tlm::TLM_OK_RESPONSE);
  if (IsConfigRequest(p)) {
    const uint32_t off = static_cast<uint32_t>(p.get_address());
    if (len == 0 || len > 4 || p.get_address() + len > 4096) {
      p.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
      MarkUnsupportedRequest(p);
      return;
    }
    if (p.is_read()) {
      const uint32_t v = pcie_->ConfigRead(off, static_cast<unsigned>(len));
      std::memcpy(data, &v, len);
    } else {
      uint32_t v = 0;
      std::memcpy(&v, data, len);
      pcie_->ConfigWrite(off, static_cast<unsigned>(len), v);
      if (pcie_->TakeFlrRequest()) {
        // Function Level Reset (PCIe 5.0 6.6.2): the controller resets with it.
        Trace("flr");
        Reset(true);
        csts_.set_nssro(0);
        disable_pending_ = enable_pending_ = shutdown_pending_ = false;
        pcie_->ResetFunction();
        return;
      }
      std::vector<MsixMessage> released;
      pcie_->ReleasePending(released);
      SendReleased(released, delay);
    }
    return;
  }
  const uint64_t base = pcie_->Bar0Base();
  const uint64_t addr = p.get_address();
  if (!pcie_->MemorySpaceEnabled() || addr < base || len == 0 || len > bar0_size_ ||
      addr - base > bar0_size_ - len) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    MarkUnsupportedRequest(p);
    return;
  }
  const uint32_t off = static_cast<uint32_t>(addr - base);
  if (p.is_read()) {
    // Any size and alignment reads back the bytes of the covered registers.
    for (uint64_t i = 0; i < len;) {
      const uint32_t o = off + static_cast<uint32_t>(i);
      const uint32_t dw = o & ~3u;
      uint64_t v = pcie_->IsMsixOffset(dw) ? pcie_->MsixRead(dw, 4) : RegisterRead(dw, 4);
      for (uint32_t b = o - dw; b < 4 && i < len; ++b, ++i)
        data[i] = static_cast<uint8_t>(v >> (8 * b));
    }
    return;
  }
  uint64_t v = 0;
  std::memcpy(&v, data, std::min<uint64_t>(len, 8));
  if (pcie_->IsMsixOffset(off)) {
    if ((len == 4 || len == 8) && (off % len) == 0) {
      std::vector<MsixMessage> released;
      pcie_->MsixWrite(off, static_cast<unsigned>(len), v, released);
      SendReleased(released, delay);
    } else {
      Trace("mmio_bad_write", off, len);
    }
    return;
  }
  // Registers are written as naturally aligned dwords; a qword write is two
  // dword writes, low half first (Base 2.0 3.1.3: 64-bit properties).
  if ((len != 4 && len != 8) || (off % 4) != 0) {
    Trace("mmio_bad_write", off, len);
    return;
  }
  // Work a register write causes (CQEs for a drained backlog, an async
  // event completion, an MSI-X) happens at the write's annotated time.
  const bool outer = !in_engine_;
  const sc_core::sc_time saved = local_;
  if (outer) local_ = delay;
  RegisterWrite(off, 4, static_cast<uint32_t>(v));
  if (len == 8) RegisterWrite(off + 4, 4, static_cast<uint32_t>(v >> 32));
  if (outer) {
    delay = local_;
    local_ = saved;
  }
}

unsigned NvmeController::transport_dbg(tlm::tlm_generic_payload& p) {
  const uint64_t len = p.get_data_length();
  if (!p.is_read() || IsConfigRequest(p)) return 0;
  const uint64_t base = pcie_->Bar0Base();
  const uint64_t addr = p.get_address();
  if (addr < base || addr - base >= bar0_size_ || len > 8) return 0;
  const uint32_t off = static_cast<uint32_t>(addr - base);
  uint8_t* data = p.get_data_ptr();
  for (uint64_t i = 0; i < len; ++i) {
    const uint32_t o = off + static_cast<uint32_t>(i);
    const uint64_t v = RegisterRead(o & ~3u, 4);
    data[i] = static_cast<uint8_t>(v >> (8 * (o & 3u)));
  }
  return static_cast<unsigned>(len);
}

// ---------------------------------------------------------------- initiator side

bool NvmeController::Dma(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, uint64_t len) {
  if (len == 0) return true;
  const uint64_t bar = pcie_->Bar0Base();
  // Reject before the wire: wrap-around, bus mastering off, or aimed at our
  // own BAR0 (registers, doorbells, MSI-X table): no peer-to-peer to self.
  if (addr + (len - 1) < addr || !pcie_->BusMasterEnabled() ||
      (bar != 0 && addr < bar + bar0_size_ && addr + len > bar)) {
    ++stats_.dma_errors;
    Trace("dma_refused", addr, len);
    return false;
  }
  if (dmi_seen_ && DmaDirect(cmd, addr, data, len)) return true;
  tlm::tlm_generic_payload& p = dma_payload_;
  p.set_dmi_allowed(false);
  p.set_command(cmd);
  p.set_address(addr);
  p.set_data_ptr(data);
  p.set_data_length(static_cast<unsigned>(len));
  p.set_streaming_width(static_cast<unsigned>(len));
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  if (cmd == tlm::TLM_WRITE_COMMAND) {
    // Posted writes (data, CQEs, MSI-X) do not stall the controller: the link
    // orders them in its transmit FIFO and accounts their serialisation, so
    // the engine goes on at its own time (PCIe 5.0 2.4.1 ordering).
    sc_core::sc_time d = local_;
    pcie_initiator->b_transport(p, d);
  } else {
    pcie_initiator->b_transport(p, local_);  // non-posted: wait for the completion
  }
  const bool ok = p.is_response_ok() && TakeCompletionOk(p);
  if (!ok) {
    ++stats_.dma_errors;
    Trace("dma_error", addr, len);
  } else if (p.is_dmi_allowed()) {
    LearnDmi(p);
  }
  return ok;
}

bool NvmeController::DmaDirect(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, uint64_t len) {
  const DmiWindow& w = dmi_[DmiSlot(addr)];
  if (addr >= w.start && addr + (len - 1) <= w.end) {
    uint8_t* host = w.ptr + (addr - w.start);
    if (cmd == tlm::TLM_WRITE_COMMAND) {
      std::memcpy(host, data, len);  // posted: the engine does not wait
    } else {
      std::memcpy(data, host, len);
      local_ += w.read_latency;  // what the memory's completion would have cost
    }
    ++stats_.dma_direct;
    return true;
  }
  return false;
}

void NvmeController::LearnDmi(tlm::tlm_generic_payload& p) {
  tlm::tlm_dmi dmi;
  if (!pcie_initiator->get_direct_mem_ptr(p, dmi) || !dmi.is_read_write_allowed()) return;
  dmi_seen_ = true;
  DmiWindow& w = dmi_[DmiSlot(p.get_address())];
  w.start = dmi.get_start_address();
  w.end = dmi.get_end_address();
  w.ptr = dmi.get_dmi_ptr();
  w.read_latency = dmi.get_read_latency();
}

void NvmeController::InvalidateDmi(sc_dt::uint64 start, sc_dt::uint64 end) {
  for (DmiWindow& w : dmi_) {
    if (w.start <= end && start <= w.end) w = DmiWindow{};
  }
}

bool NvmeController::DmaRead(uint64_t addr, void* dst, uint64_t len) {
  // Transfers larger than the TLM length field are split (host pages are far smaller).
  uint8_t* d = static_cast<uint8_t*>(dst);
  while (len > 0) {
    const uint64_t n = std::min<uint64_t>(len, 1u << 30);
    if (!Dma(tlm::TLM_READ_COMMAND, addr, d, n)) return false;
    addr += n;
    d += n;
    len -= n;
  }
  return true;
}

bool NvmeController::DmaWrite(uint64_t addr, const void* src, uint64_t len) {
  uint8_t* s = const_cast<uint8_t*>(static_cast<const uint8_t*>(src));
  while (len > 0) {
    const uint64_t n = std::min<uint64_t>(len, 1u << 30);
    if (!Dma(tlm::TLM_WRITE_COMMAND, addr, s, n)) return false;
    addr += n;
    s += n;
    len -= n;
  }
  return true;
}

void NvmeController::SendReleased(const std::vector<MsixMessage>& released,
                                  sc_core::sc_time& delay) {
  const sc_core::sc_time saved = local_;  // may run inside an engine activation
  for (const MsixMessage& m : released) {
    local_ = delay;
    if (DmaWrite(m.addr, &m.data, 4)) ++stats_.interrupts_sent;
    delay = local_;
  }
  local_ = saved;
}

void NvmeController::SendMsix(uint16_t vector) {
  const MsixMessage m = pcie_->Signal(vector);
  if (!m.send) {
    Trace("msix_pending", vector);
    return;
  }
  // MSI-X is a posted memory write of the message data (PCIe 5.0 6.1.4).
  if (DmaWrite(m.addr, &m.data, 4)) {
    ++stats_.interrupts_sent;
    Trace("msix", vector, m.addr, m.data);
  }
}

}  // namespace nvmesim::device

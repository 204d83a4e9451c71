#include "pcie_model/root_complex.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace nvmesim::pcie {
namespace {

constexpr uint64_t kEcamSize = uint64_t(256) << 20;  // 256 buses x 32 devices x 8 functions x 4 KiB

bool Later(const auto& a, const auto& b) {
  return a.at_ps != b.at_ps ? a.at_ps > b.at_ps : a.seq > b.seq;
}

}  // namespace

RootPort::RootPort(sc_core::sc_module_name name, RootComplex& rc, unsigned index)
    : sc_core::sc_module(name),
      downstream("downstream"),
      upstream("upstream"),
      rc_(rc),
      index_(index) {
  upstream.bind(upstream_fw_);
}

void RootPort::Upstream(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  rc_.Upstream(index_, trans, delay);
}

bool RootPort::GetDmi(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  return rc_.GetDmi(index_, trans, dmi);
}

RootComplex::RootComplex(sc_core::sc_module_name name, const RootComplexConfig& config,
                         spec::TraceSink* trace)
    : sc_core::sc_module(name), cpu_target("cpu_target"), config_(config), trace_(trace) {
  cpu_target.bind(cpu_fw_);
  for (unsigned i = 0; i < config.ports; ++i) {
    const std::string n = "port" + std::to_string(i);
    ports_.push_back(std::make_unique<RootPort>(n.c_str(), *this, i));
  }
  windows_.resize(config.ports);
  dmi_granted_.assign(config.ports, false);
  memory_.SetUnmapObserver(
      [this](uint64_t base, uint64_t size) { RevokeDmi(base, base + (size - 1)); });
  read_latency_ = Ps(config.memory_read_latency_ps);
  write_latency_ = Ps(config.memory_write_latency_ps);
  cpu_latency_ = Ps(config.cpu_access_latency_ps);
  config_ext_ = new TlpExtension;
  config_payload_.set_extension(config_ext_);
  SC_HAS_PROCESS(RootComplex);
  SC_METHOD(DeliverMsis);
  sensitive << msi_event_;
  dont_initialize();
}

RootComplex::~RootComplex() = default;  // config_payload_ frees config_ext_

std::string RootComplex::SetPortWindow(unsigned port, uint64_t base, uint64_t size) {
  std::ostringstream os;
  if (port >= windows_.size()) {
    os << "root complex: port " << port << " does not exist (" << windows_.size() << " ports)";
    return os.str();
  }
  if (size && base + size < base) return "root complex: window wraps past 2^64";
  for (unsigned i = 0; size && i < windows_.size(); ++i) {
    const Window& w = windows_[i];
    if (i != port && w.size && base < w.base + w.size && w.base < base + size) {
      os << "root complex: window of port " << port << " overlaps port " << i;
      return os.str();
    }
  }
  if (size && base < config_.ecam_base + kEcamSize && config_.ecam_base < base + size) {
    return "root complex: window overlaps the ECAM region";
  }
  windows_[port] = Window{base, size};
  return "";
}

uint64_t RootComplex::EcamAddress(unsigned bus, unsigned device, unsigned function,
                                  uint32_t reg) const {
  return config_.ecam_base +
         (uint64_t(bus) << 20 | uint64_t(device) << 15 | uint64_t(function) << 12 | (reg & 0xFFF));
}

void RootComplex::FillOnes(tlm::tlm_generic_payload& trans) {
  if (trans.is_read() && trans.get_data_ptr()) {
    std::memset(trans.get_data_ptr(), 0xFF, trans.get_data_length());
  }
}

void RootComplex::CpuTransport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t addr = trans.get_address();
  const uint64_t len = trans.get_data_length();
  delay += cpu_latency_;
  if (addr >= config_.ecam_base && addr - config_.ecam_base < kEcamSize) {
    ConfigAccess(trans, delay);
    return;
  }
  for (unsigned i = 0; i < windows_.size(); ++i) {
    const Window& w = windows_[i];
    if (w.size && addr >= w.base && len <= w.size && addr - w.base <= w.size - len) {
      if (trans.is_read())
        ++counters_.mmio_reads;
      else
        ++counters_.mmio_writes;
      trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      ports_[i]->downstream->b_transport(trans, delay);
      if (trans.is_read() && !trans.is_response_ok()) {
        // The root port answers a failed read with all ones (2.3.2, 6.2.3.2.5).
        ++counters_.mmio_failed_reads;
        FillOnes(trans);
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
      }
      delay += cpu_latency_;
      return;
    }
  }
  // Nothing decodes the address: master abort, reads return all ones.
  ++counters_.master_aborts;
  FillOnes(trans);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void RootComplex::ConfigAccess(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t off = trans.get_address() - config_.ecam_base;
  const unsigned bus = static_cast<unsigned>(off >> 20);
  const unsigned device = (off >> 15) & 0x1F;
  const unsigned function = (off >> 12) & 0x7;
  const uint32_t reg = off & 0xFFF;
  const unsigned len = trans.get_data_length();
  const bool read = trans.is_read();
  if (read)
    ++counters_.config_reads;
  else
    ++counters_.config_writes;
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  // Port i leads to bus i + 1; only device 0 function 0 exists behind a root port
  // (7.3.1: a downstream port forwards only Device 0 type 0 requests).
  if (bus < 1 || bus > ports_.size() || device != 0 || function != 0 || len == 0 || len > 4 ||
      (reg & 3) + len > 4) {
    FillOnes(trans);
    return;
  }
  tlm::tlm_generic_payload& p = config_payload_;
  p.set_command(trans.get_command());
  p.set_address(reg);
  p.set_data_ptr(trans.get_data_ptr());
  p.set_data_length(len);
  p.set_streaming_width(len);
  p.set_byte_enable_ptr(nullptr);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  config_ext_->type = read ? TlpType::kConfigRead : TlpType::kConfigWrite;
  config_ext_->requester_id = 0;  // the root complex: bus 0, device 0, function 0
  config_ext_->completion = CompletionStatus::kSuccessful;
  ports_[bus - 1]->downstream->b_transport(p, delay);
  if (read && !p.is_response_ok()) {
    ++counters_.mmio_failed_reads;
    FillOnes(trans);  // 2.3.2: a failed configuration read returns all ones
  }
}

void RootComplex::Upstream(unsigned port, tlm::tlm_generic_payload& trans,
                           sc_core::sc_time& delay) {
  const uint64_t addr = trans.get_address();
  const uint64_t len = trans.get_data_length();
  const bool write = trans.is_write();
  auto arrival_ps = [&] { return ToPs(ps_clock_.Now() + delay); };
  if (write && addr >= kMsiWindowBase && addr <= kMsiWindowEnd) {
    if (len != 4 || !trans.get_data_ptr()) {
      // An MSI is one DWORD (6.1.4.3); anything else to the window is malformed.
      ++counters_.unsupported_requests;
      SetCompletion(trans, CompletionStatus::kUnsupportedRequest);
      return;
    }
    uint32_t data = 0;
    std::memcpy(&data, trans.get_data_ptr(), 4);
    ++counters_.msi_messages;
    const uint64_t at = arrival_ps() + config_.msi_latency_ps;
    if (msi_sink_) {
      TraceMsi(at, port, addr, data);
      msi_sink_(port, addr, data, at);
      trans.set_response_status(tlm::TLM_OK_RESPONSE);
      return;
    }
    msi_queue_.push_back(PendingMsi{at, msi_seq_++, port, addr, data});
    std::push_heap(msi_queue_.begin(), msi_queue_.end(),
                   [](const PendingMsi& a, const PendingMsi& b) { return Later(a, b); });
    const uint64_t cur = ps_clock_.NowPs();
    msi_event_.notify(Ps(msi_queue_.front().at_ps - cur));
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  uint8_t* mem = memory_.Translate(addr, len);
  if (!mem || !trans.get_data_ptr()) {
    // Outside every region the host mapped: Unsupported Request (2.3.1), nothing touched.
    ++counters_.unsupported_requests;
    const uint64_t now_ps = arrival_ps();
    if (dma_faults_.size() < 1024) dma_faults_.push_back(DmaFault{port, addr, len, write, now_ps});
    if (trace_) {
      spec::TraceEvent e;
      e.time_ps = now_ps;
      e.source = name();
      e.name = "dma_unsupported_request";
      e.a = addr;
      e.b = len;
      e.c = write;
      trace_->Emit(e);
    }
    if (!write && trans.get_data_ptr()) std::memset(trans.get_data_ptr(), 0xFF, len);
    SetCompletion(trans, CompletionStatus::kUnsupportedRequest);
    return;
  }
  trans.set_dmi_allowed(true);  // plain host memory: a DMI grant is on offer
  if (write) {
    std::memcpy(mem, trans.get_data_ptr(), len);
    ++counters_.dma_writes;
    counters_.dma_write_bytes += len;
    delay += write_latency_;
  } else {
    std::memcpy(trans.get_data_ptr(), mem, len);
    ++counters_.dma_reads;
    counters_.dma_read_bytes += len;
    delay += read_latency_;
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool RootComplex::GetDmi(unsigned port, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  const uint64_t addr = trans.get_address();
  if (addr >= kMsiWindowBase && addr <= kMsiWindowEnd) return false;  // messages, not memory
  HostMemory::Extent e;
  if (!memory_.RegionOf(addr, 1, &e)) return false;
  if (e.base <= kMsiWindowEnd && e.base + (e.size - 1) >= kMsiWindowBase) return false;
  dmi.set_dmi_ptr(e.bytes);
  dmi.set_start_address(e.base);
  dmi.set_end_address(e.base + e.size - 1);
  dmi.allow_read_write();
  dmi.set_read_latency(read_latency_);
  dmi.set_write_latency(write_latency_);
  dmi_granted_.at(port) = true;
  return true;
}

void RootComplex::RevokeAllDmi() {
  RevokeDmi(0, ~uint64_t{0});  // every address
  dmi_granted_.assign(dmi_granted_.size(), false);
}

void RootComplex::RevokeDmi(uint64_t first, uint64_t last) {
  for (size_t i = 0; i < ports_.size(); ++i) {
    if (dmi_granted_[i]) ports_[i]->upstream->invalidate_direct_mem_ptr(first, last);
  }
}

void RootComplex::TraceMsi(uint64_t at_ps, unsigned port, uint64_t address, uint32_t data) {
  if (!trace_) return;
  spec::TraceEvent e;
  e.time_ps = at_ps;
  e.source = name();
  e.name = "msi";
  e.a = port;
  e.b = address;
  e.c = data;
  trace_->Emit(e);
}

void RootComplex::DeliverMsis() {
  const uint64_t cur = ToPs(sc_core::sc_time_stamp());
  auto later = [](const PendingMsi& a, const PendingMsi& b) { return Later(a, b); };
  while (!msi_queue_.empty() && msi_queue_.front().at_ps <= cur) {
    std::pop_heap(msi_queue_.begin(), msi_queue_.end(), later);
    const PendingMsi m = msi_queue_.back();
    msi_queue_.pop_back();
    TraceMsi(cur, m.port, m.address, m.data);
    if (msi_handler_) msi_handler_(m.port, m.address, m.data);
  }
  if (!msi_queue_.empty()) {
    msi_event_.notify(Ps(msi_queue_.front().at_ps - cur));
  }
}

}  // namespace nvmesim::pcie

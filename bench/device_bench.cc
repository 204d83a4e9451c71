// Simulation speed of the NVMe controller model: 4 KiB reads driven through
// BAR0 doorbells with a zero-cost host (host memory as a plain TLM target,
// no link model, media timing off). Prints commands per host second.
#include <benchmark/benchmark.h>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstring>
#include <memory>
#include <vector>

#include "device_model/controller.h"
#include "pcie_model/enumerator.h"
#include "pcie_model/link.h"
#include "pcie_model/root_complex.h"
#include "spec/command.h"
#include "spec/registers.h"

namespace {

using nvmesim::device::ControllerConfig;
using nvmesim::device::NvmeController;
using nvmesim::device::Subsystem;
using nvmesim::device::SubsystemConfig;

constexpr uint64_t kBar = 0xF000'0000ull;
constexpr uint64_t kMem = 0x1000'0000ull;
constexpr uint64_t kMsi = 0xFEE0'0000ull;

struct Host : sc_core::sc_module {
  tlm_utils::simple_target_socket<Host> dma;
  tlm_utils::simple_initiator_socket<Host> mmio;
  std::vector<uint8_t> mem;
  uint64_t next = kMem;
  uint64_t msis = 0;
  tlm::tlm_generic_payload p;
  uint32_t word = 0;

  Host(sc_core::sc_module_name n, NvmeController& c)
      : sc_module(n), dma("dma"), mmio("mmio"), mem(64u << 20) {
    dma.register_b_transport(this, &Host::Transport);
    mmio.bind(c.pcie_target);
    c.pcie_initiator.bind(dma);
  }
  void Transport(tlm::tlm_generic_payload& t, sc_core::sc_time&) {
    const uint64_t a = t.get_address();
    if (a >= kMsi) {
      ++msis;
    } else if (t.is_read()) {
      std::memcpy(t.get_data_ptr(), &mem[a - kMem], t.get_data_length());
    } else {
      std::memcpy(&mem[a - kMem], t.get_data_ptr(), t.get_data_length());
    }
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  uint64_t Alloc(uint64_t n) {
    next = (next + 4095) & ~uint64_t{4095};
    const uint64_t at = next;
    next += n;
    std::memset(&mem[at - kMem], 0, n);
    return at;
  }
  uint8_t* At(uint64_t bus) { return &mem[bus - kMem]; }
  void Access(bool write, uint64_t off, uint32_t* v) {
    p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    p.set_address(kBar + off);
    p.set_data_ptr(reinterpret_cast<uint8_t*>(v));
    p.set_data_length(4);
    p.set_streaming_width(4);
    p.set_byte_enable_ptr(nullptr);
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    mmio->b_transport(p, d);
  }
  void W32(uint32_t off, uint32_t v) { Access(true, off, &v); }
  uint32_t R32(uint32_t off) {
    uint32_t v = 0;
    Access(false, off, &v);
    return v;
  }
};

// One elaborated model per process (SystemC cannot elaborate twice).
struct Model {
  static constexpr uint32_t kDepth = 1024;
  Subsystem sub{SubsystemConfig{}};
  std::unique_ptr<NvmeController> ctrl;
  std::unique_ptr<Host> host;
  uint64_t sq = 0, cq = 0, bufs = 0;
  uint32_t tail = 0, head = 0;
  bool phase = true;
  uint16_t cid = 0;

  Model() {
    ControllerConfig cfg;
    cfg.max_io_queues = 4;
    cfg.msix_vectors = 5;
    ctrl = std::make_unique<NvmeController>("ctrl", cfg, sub);
    host = std::make_unique<Host>("host", *ctrl);
  }

  bool up = false;
  void Up() {
    up = true;
    auto& f = ctrl->pcie();
    f.ConfigWrite(0x10, 4, static_cast<uint32_t>(kBar));
    f.ConfigWrite(0x14, 4, 0);
    f.ConfigWrite(0x04, 2, 0x6);
    f.ConfigWrite(0x52, 2, 0x8000 | f.ConfigRead(0x52, 2));
    for (uint16_t v = 0; v < 5; ++v) {
      const uint32_t e = ctrl->msix_table_offset() + 16u * v;
      host->W32(e, static_cast<uint32_t>(kMsi + 4 * v));
      host->W32(e + 4, 0);
      host->W32(e + 8, v);
      host->W32(e + 12, 0);
    }
    const uint64_t asq = host->Alloc(4096), acq = host->Alloc(4096);
    host->W32(nvmesim::spec::kRegAqa, (15u << 16) | 15u);
    host->W32(nvmesim::spec::kRegAsq, static_cast<uint32_t>(asq));
    host->W32(nvmesim::spec::kRegAsq + 4, 0);
    host->W32(nvmesim::spec::kRegAcq, static_cast<uint32_t>(acq));
    host->W32(nvmesim::spec::kRegAcq + 4, 0);
    nvmesim::spec::CcRegister cc;
    cc.set_en(1).set_iosqes(6).set_iocqes(4);
    host->W32(nvmesim::spec::kRegCc, cc.raw);
    sc_core::sc_start(10, sc_core::SC_US);
    // Create I/O CQ 1 and SQ 1 of kDepth entries through the admin queue.
    cq = host->Alloc(kDepth * 16);
    sq = host->Alloc(kDepth * 64);
    nvmesim::spec::Sqe s;
    s.opcode = 0x05;
    s.cid = 1;
    s.prp1 = cq;
    s.cdw10 = ((kDepth - 1) << 16) | 1;
    s.cdw11 = (1u << 16) | 3;
    std::memcpy(host->At(asq), &s, 64);
    s.opcode = 0x01;
    s.cid = 2;
    s.prp1 = sq;
    s.cdw11 = (1u << 16) | 1;
    std::memcpy(host->At(asq + 64), &s, 64);
    host->W32(nvmesim::spec::SqTailDoorbellOffset(0, 0), 2);
    sc_core::sc_start(10, sc_core::SC_US);
    bufs = host->Alloc(uint64_t{kDepth} * 4096);
  }

  // Submits `n` 4 KiB reads, runs the model, reaps the completions.
  uint64_t Batch(uint32_t n) {
    if (!up) Up();
    for (uint32_t i = 0; i < n; ++i) {
      nvmesim::spec::Sqe s;
      s.opcode = 0x02;
      s.nsid = 1;
      s.cid = cid++;
      s.prp1 = bufs + uint64_t{tail} * 4096;
      s.cdw10 = (tail * 8) & 0xFFFF;
      std::memcpy(host->At(sq + uint64_t{tail} * 64), &s, 64);
      tail = (tail + 1) % kDepth;
    }
    host->W32(nvmesim::spec::SqTailDoorbellOffset(1, 0), tail);
    sc_core::sc_start(1, sc_core::SC_NS);
    uint64_t done = 0;
    for (;;) {
      nvmesim::spec::Cqe c;
      std::memcpy(&c, host->At(cq + uint64_t{head} * 16), 16);
      if (c.phase() != phase) break;
      if (++head == kDepth) {
        head = 0;
        phase = !phase;
      }
      ++done;
    }
    host->W32(nvmesim::spec::CqHeadDoorbellOffset(1, 0), head);
    return done;
  }
};

Model& TheModel() {
  static Model m;
  return m;
}

void BM_Read4K(benchmark::State& state) {
  Model& m = TheModel();
  const uint32_t batch = static_cast<uint32_t>(state.range(0));
  uint64_t commands = 0;
  for (auto _ : state) commands += m.Batch(batch);
  if (commands == 0) state.SkipWithError("no completions");
  state.SetItemsProcessed(static_cast<int64_t>(commands));
  state.counters["cmds_per_host_s"] =
      benchmark::Counter(static_cast<double>(commands), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Read4K)->Arg(1)->Arg(32)->Arg(256)->Arg(1023);

// The same reads through pcie_model: root complex, a Gen5 x4 link in the
// default (approximate) fidelity, host memory in the root complex.
struct LinkedModel {
  static constexpr uint32_t kDepth = 1024;
  static constexpr uint64_t kHost = 0x1'0000'0000ull;
  Subsystem sub{SubsystemConfig{}};
  std::unique_ptr<nvmesim::pcie::RootComplex> rc;
  std::unique_ptr<nvmesim::pcie::Link> link;
  std::unique_ptr<NvmeController> ctrl;
  std::unique_ptr<nvmesim::pcie::Enumerator> en;
  uint8_t* mem = nullptr;
  uint64_t bar = 0;
  uint32_t tail = 0, head = 0;
  bool phase = true;
  uint16_t cid = 0;
  uint64_t msis = 0;
  // host layout: admin SQ 0, admin CQ 4K, I/O CQ 8K (16K), I/O SQ 64K (64K), data 1M..
  static constexpr uint64_t kAsq = 0, kAcq = 0x1000, kCq = 0x2000, kSq = 0x10000, kData = 0x100000;

  LinkedModel() {
    rc = std::make_unique<nvmesim::pcie::RootComplex>("rc_l");
    link = std::make_unique<nvmesim::pcie::Link>("link_l", nvmesim::pcie::LinkConfig{});
    ControllerConfig cfg;
    cfg.name = "ctrl_l";
    cfg.max_io_queues = 4;
    cfg.msix_vectors = 5;
    ctrl = std::make_unique<NvmeController>("ctrl_l", cfg, sub);
    rc->port(0).downstream.bind(link->down_target);
    link->down_initiator.bind(ctrl->pcie_target);
    ctrl->pcie_initiator.bind(link->up_target);
    link->up_initiator.bind(rc->port(0).upstream);
    rc->SetMsiHandler([this](unsigned, uint64_t, uint32_t) { ++msis; });
  }

  bool up = false;
  void Up() {
    up = true;
    mem = rc->memory().Map(kHost, 8u << 20);
    std::memset(mem, 0, 8u << 20);
    en = std::make_unique<nvmesim::pcie::Enumerator>(*rc);
    const auto r = en->Enumerate(0);
    bar = r.function.bar0_base;
    for (uint16_t v = 0; v < 5; ++v) en->ProgramMsixVector(r.function, v, kMsi + 4 * v, v);
    en->SetMsixControl(r.function, true, false);
    en->MemWrite(bar + nvmesim::spec::kRegAqa, 4, (15u << 16) | 15u);
    en->MemWrite(bar + nvmesim::spec::kRegAsq, 8, kHost + kAsq);
    en->MemWrite(bar + nvmesim::spec::kRegAcq, 8, kHost + kAcq);
    nvmesim::spec::CcRegister cc;
    cc.set_en(1).set_iosqes(6).set_iocqes(4);
    en->MemWrite(bar + nvmesim::spec::kRegCc, 4, cc.raw);
    sc_core::sc_start(20, sc_core::SC_US);
    nvmesim::spec::Sqe s;
    s.opcode = 0x05;
    s.cid = 1;
    s.prp1 = kHost + kCq;
    s.cdw10 = ((kDepth - 1) << 16) | 1;
    s.cdw11 = (1u << 16) | 3;
    std::memcpy(mem + kAsq, &s, 64);
    s.opcode = 0x01;
    s.cid = 2;
    s.prp1 = kHost + kSq;
    s.cdw11 = (1u << 16) | 1;
    std::memcpy(mem + kAsq + 64, &s, 64);
    en->MemWrite(bar + nvmesim::spec::SqTailDoorbellOffset(0, 0), 4, 2);
    sc_core::sc_start(50, sc_core::SC_US);
  }

  uint64_t Batch(uint32_t n) {
    if (!up) Up();
    for (uint32_t i = 0; i < n; ++i) {
      nvmesim::spec::Sqe s;
      s.opcode = 0x02;
      s.nsid = 1;
      s.cid = cid++;
      s.prp1 = kHost + kData + uint64_t{tail} * 4096;
      s.cdw10 = (tail * 8) & 0xFFFF;
      std::memcpy(mem + kSq + uint64_t{tail} * 64, &s, 64);
      tail = (tail + 1) % kDepth;
    }
    en->MemWrite(bar + nvmesim::spec::SqTailDoorbellOffset(1, 0), 4, tail);
    uint64_t done = 0;
    for (int guard = 0; done < n && guard < 100000; ++guard) {
      sc_core::sc_start(2, sc_core::SC_US);
      for (;;) {
        nvmesim::spec::Cqe c;
        std::memcpy(&c, mem + kCq + uint64_t{head} * 16, 16);
        if (c.phase() != phase) break;
        if (++head == kDepth) {
          head = 0;
          phase = !phase;
        }
        ++done;
      }
    }
    en->MemWrite(bar + nvmesim::spec::CqHeadDoorbellOffset(1, 0), 4, head);
    return done;
  }
};

LinkedModel& TheLinkedModel() {
  static LinkedModel m;
  return m;
}

void BM_Read4KThroughLink(benchmark::State& state) {
  LinkedModel& m = TheLinkedModel();
  const uint32_t batch = static_cast<uint32_t>(state.range(0));
  uint64_t commands = 0;
  const sc_core::sc_time t0 = sc_core::sc_time_stamp();
  for (auto _ : state) commands += m.Batch(batch);
  if (commands == 0) state.SkipWithError("no completions");
  state.SetItemsProcessed(static_cast<int64_t>(commands));
  state.counters["cmds_per_host_s"] =
      benchmark::Counter(static_cast<double>(commands), benchmark::Counter::kIsRate);
  const double sim_s = (sc_core::sc_time_stamp() - t0).to_seconds();
  state.counters["sim_iops"] = sim_s > 0 ? static_cast<double>(commands) / sim_s : 0;
}
BENCHMARK(BM_Read4KThroughLink)->Arg(32)->Arg(256);

}  // namespace

int main(int argc, char** argv) {
  // SystemC elaborates once per process: build both models before any sc_start.
  TheModel();
  TheLinkedModel();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}

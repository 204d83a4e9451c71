// Simulation speed of the NVMe controller model: 4 KiB reads driven through
// BAR0 doorbells with a zero-cost host (host memory as a plain TLM target,
// no link model, media timing off). Prints commands per host second.
#include <benchmark/benchmark.h>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>
#include <memory>
#include <vector>

#include "device_model/controller.h"
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

  Host(sc_core::sc_module_name n, NvmeController& c) : sc_module(n), dma("dma"), mmio("mmio"), mem(64u << 20) {
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

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}

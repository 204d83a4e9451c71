// Simulation speed of the PCIe model (pcie_model): root complex + link + a
// minimal endpoint, at each fidelity. Prints simulated TLPs per host second
// and, for the NVMe-like mix, commands per host second.
//
// The NVMe-like mix is what one 4 KiB read costs on the link: SQ doorbell
// (MWr 4 B down), SQE fetch (MRd 64 B up + CplD down), data (MWr 4 KiB up),
// CQE (MWr 16 B up), MSI-X (MWr 4 B up), CQ doorbell (MWr 4 B down).
#include <benchmark/benchmark.h>

#include <systemc>
#include <tlm>

#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "pcie_model/enumerator.h"
#include "pcie_model/link.h"
#include "pcie_model/root_complex.h"
#include "pcie_model/test_endpoint.h"

namespace {

using nvmesim::pcie::Direction;
using nvmesim::pcie::Enumerator;
using nvmesim::pcie::Fidelity;
using nvmesim::pcie::Link;
using nvmesim::pcie::LinkConfig;
using nvmesim::pcie::RootComplex;
using nvmesim::pcie::RootComplexConfig;
using nvmesim::pcie::TestEndpoint;

constexpr uint64_t kMem = 0x1'0000'0000ull;  // 64-bit DMA addresses: 4 DW headers

struct Stack {
  std::unique_ptr<RootComplex> rc;
  std::unique_ptr<Link> link;
  std::unique_ptr<TestEndpoint> ep;
  uint64_t bar = 0;
  sc_core::sc_time local;  // temporal decoupling: synchronise every kQuantum operations
  int pending = 0;
  tlm::tlm_generic_payload mmio;
  uint32_t word = 0;
  std::array<uint8_t, 4096> data{};
  uint64_t msis = 0;

  Stack(const std::string& tag, Fidelity f) {
    LinkConfig lc;
    lc.fidelity = f;
    rc = std::make_unique<RootComplex>(("rc_" + tag).c_str(), RootComplexConfig{});
    link = std::make_unique<Link>(("link_" + tag).c_str(), lc);
    ep = std::make_unique<TestEndpoint>(("ep_" + tag).c_str());
    rc->port(0).downstream.bind(link->down_target);
    link->down_initiator.bind(ep->pcie_target);
    ep->pcie_initiator.bind(link->up_target);
    link->up_initiator.bind(rc->port(0).upstream);
    rc->memory().Map(kMem, 1 << 20);
    rc->SetMsiHandler([this](unsigned, uint64_t, uint32_t) { ++msis; });
  }
  void Enumerate() {
    Enumerator e(*rc);
    const auto r = e.Enumerate(0);
    bar = r.function.bar0_base;
    e.ProgramMsixVector(r.function, 1, 0xFEE00000, 0x41);
    e.SetMsixControl(r.function, true, false);
  }
  void Sync() {
    if (++pending < 64) return;
    pending = 0;
    sc_core::sc_start(local);
    local = sc_core::SC_ZERO_TIME;
  }
  void MmioWrite(uint64_t off) {
    mmio.set_command(tlm::TLM_WRITE_COMMAND);
    mmio.set_address(bar + off);
    mmio.set_data_ptr(reinterpret_cast<uint8_t*>(&word));
    mmio.set_data_length(4);
    mmio.set_streaming_width(4);
    mmio.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    rc->CpuTransport(mmio, local);
  }
  void MmioRead(uint64_t off) {
    mmio.set_command(tlm::TLM_READ_COMMAND);
    mmio.set_address(bar + off);
    mmio.set_data_ptr(reinterpret_cast<uint8_t*>(&word));
    mmio.set_data_length(4);
    mmio.set_streaming_width(4);
    mmio.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    rc->CpuTransport(mmio, local);
  }
  uint64_t Tlps() const {
    return link->counters(Direction::kDownstream).tlps + link->counters(Direction::kUpstream).tlps;
  }
};

struct Model {
  std::array<std::unique_ptr<Stack>, 3> stacks;
  Model() {
    // Functional stacks synchronise with zero-time sc_start() calls.
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                            sc_core::SC_DO_NOTHING);
    stacks[0] = std::make_unique<Stack>("functional", Fidelity::kFunctional);
    stacks[1] = std::make_unique<Stack>("approximate", Fidelity::kApproximate);
    stacks[2] = std::make_unique<Stack>("cycle", Fidelity::kCycle);
    for (auto& s : stacks) s->Enumerate();
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_US));
  }
};

Stack& Get(int fidelity) {
  static Model model;  // SystemC elaborates once per process
  return *model.stacks[fidelity];
}

void Report(benchmark::State& state, Stack& s, uint64_t tlps0, uint64_t ops) {
  state.counters["TLPs_per_host_s"] =
      benchmark::Counter(static_cast<double>(s.Tlps() - tlps0), benchmark::Counter::kIsRate);
  state.counters["ops_per_host_s"] =
      benchmark::Counter(static_cast<double>(ops), benchmark::Counter::kIsRate);
  state.SetLabel(nvmesim::pcie::FidelityName(static_cast<Fidelity>(state.range(0))));
}

void BM_DmaWrite4KiB(benchmark::State& state) {
  Stack& s = Get(static_cast<int>(state.range(0)));
  const uint64_t t0 = s.Tlps();
  uint64_t ops = 0;
  for (auto _ : state) {
    s.ep->DmaWrite(kMem + (ops & 127) * 4096, s.data.data(), 4096, s.local);
    s.Sync();
    ++ops;
  }
  Report(state, s, t0, ops);
}

void BM_DmaRead4KiB(benchmark::State& state) {
  Stack& s = Get(static_cast<int>(state.range(0)));
  const uint64_t t0 = s.Tlps();
  uint64_t ops = 0;
  for (auto _ : state) {
    s.ep->DmaRead(kMem + (ops & 127) * 4096, s.data.data(), 4096, s.local);
    s.Sync();
    ++ops;
  }
  Report(state, s, t0, ops);
}

void BM_MmioRead4(benchmark::State& state) {
  Stack& s = Get(static_cast<int>(state.range(0)));
  const uint64_t t0 = s.Tlps();
  uint64_t ops = 0;
  for (auto _ : state) {
    s.MmioRead(0x1C);
    s.Sync();
    ++ops;
  }
  Report(state, s, t0, ops);
}

void BM_NvmeReadCommandMix(benchmark::State& state) {
  Stack& s = Get(static_cast<int>(state.range(0)));
  const uint64_t t0 = s.Tlps();
  uint64_t ops = 0;
  for (auto _ : state) {
    const uint64_t slot = ops & 127;
    s.MmioWrite(0x1000);                                                     // SQ tail doorbell
    s.ep->DmaRead(kMem + 0x80000 + slot * 64, s.data.data(), 64, s.local);   // SQE fetch
    s.ep->DmaWrite(kMem + slot * 4096, s.data.data(), 4096, s.local);        // data
    s.ep->DmaWrite(kMem + 0x90000 + slot * 16, s.data.data(), 16, s.local);  // CQE
    s.ep->SignalMsix(1, s.local);                                            // interrupt
    s.MmioWrite(0x1004);                                                     // CQ head doorbell
    s.Sync();
    ++ops;
  }
  Report(state, s, t0, ops);
  state.counters["commands_per_host_s"] =
      benchmark::Counter(static_cast<double>(ops), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_DmaWrite4KiB)->DenseRange(0, 2);
BENCHMARK(BM_DmaRead4KiB)->DenseRange(0, 2);
BENCHMARK(BM_MmioRead4)->DenseRange(0, 2);
BENCHMARK(BM_NvmeReadCommandMix)->DenseRange(0, 2);

}  // namespace

BENCHMARK_MAIN();

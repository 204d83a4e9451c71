// Root complex, enumeration, MSI-X delivery and the DMA window, end to end
// through a Link to a TestEndpoint.
#ifndef SC_INCLUDE_DYNAMIC_PROCESSES
#define SC_INCLUDE_DYNAMIC_PROCESSES
#endif
#include "pcie_model/root_complex.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "pcie_model/enumerator.h"
#include "pcie_model/link.h"
#include "pcie_model/test_endpoint.h"
#include "spec/pcie.h"
#include "tests/support/sim_test.h"

namespace nvmesim::pcie {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_US;

uint64_t Ps(const sc_time& t) { return t.value(); }

struct System {
  RootComplex rc;
  Link link;
  TestEndpoint ep;
  explicit System(const LinkConfig& lc = {}, const RootComplexConfig& rcc = {})
      : rc("rc", rcc), link("link", lc), ep("ep", ConfigSpaceConfig{}, 20'000) {
    rc.port(0).downstream.bind(link.down_target);
    link.down_initiator.bind(ep.pcie_target);
    ep.pcie_initiator.bind(link.up_target);
    link.up_initiator.bind(rc.port(0).upstream);
  }
};

void Run(std::function<void()> body) {
  sc_core::sc_spawn(std::move(body));
  sc_core::sc_start();
}

NVMESIM_SIM_TEST(RootComplexTest, EnumeratesLikeAHost) {
  System s;
  EnumerationResult r;
  Run([&] {
    Enumerator e(s.rc);
    r = e.Enumerate(0, 256, 1024);
    EXPECT_GT(e.elapsed(), sc_time(1, SC_US));  // ~30 config round trips of ~0.2 us
  });
  ASSERT_EQ(r.error, "");
  const EnumeratedFunction& f = r.function;
  EXPECT_EQ(f.vendor_id, 0x1B36);
  EXPECT_EQ(f.class_code, spec::kNvmeClassCode);
  EXPECT_EQ(f.bar0_size, 0x4000u);
  EXPECT_EQ(f.bar0_base, 0xC0000000u);
  EXPECT_EQ(s.ep.config().Bar0Base(), 0xC0000000u);
  EXPECT_TRUE(s.ep.config().MemorySpaceEnabled());
  EXPECT_TRUE(s.ep.config().BusMasterEnabled());
  EXPECT_EQ(s.ep.config().MaxPayloadSize(), 256u);
  EXPECT_EQ(s.ep.config().MaxReadRequestSize(), 1024u);
  EXPECT_EQ(f.msix_cap, ConfigSpace::kMsixCapOffset);
  EXPECT_EQ(f.pcie_cap, ConfigSpace::kPcieCapOffset);
  EXPECT_EQ(f.pm_cap, ConfigSpace::kPmCapOffset);
  EXPECT_EQ(f.msix_vectors, 65);
  EXPECT_EQ(f.msix_table_offset, 0x2000u);
  EXPECT_EQ(f.msix_pba_offset, 0x3000u);
  EXPECT_EQ(f.link_generation, 5u);
  EXPECT_EQ(f.link_width, 4u);
  // Command off, BAR0/1 all ones, restore, assign (6), Device Control, Command on.
  EXPECT_EQ(s.ep.counters().config_writes, 9u);
}

NVMESIM_SIM_TEST(RootComplexTest, MmioAndAbsentFunctions) {
  System s;
  Run([&] {
    Enumerator e(s.rc);
    ASSERT_EQ(e.Enumerate(0).error, "");
    e.MemWrite(0xC0000000 + 0x14, 4, 0x00460001);
    EXPECT_EQ(e.MemRead(0xC0000000 + 0x14, 4), 0x00460001u);
    uint32_t v = 0;
    std::memcpy(&v, s.ep.bar0() + 0x14, 4);
    EXPECT_EQ(v, 0x00460001u);
    // Bus 2 (no port), device 1 behind port 0: all ones.
    EXPECT_EQ(e.MemRead(s.rc.EcamAddress(2, 0, 0, 0), 4), 0xFFFFFFFFu);
    EXPECT_EQ(e.MemRead(s.rc.EcamAddress(1, 1, 0, 0), 4), 0xFFFFFFFFu);
    // Nothing decodes this address: master abort, all ones.
    EXPECT_EQ(e.MemRead(0x90000000, 4), 0xFFFFFFFFu);
    EXPECT_EQ(s.rc.counters().master_aborts, 1u);
    // Port window without memory decode in the device: UR, all ones.
    e.ConfigWrite(0, spec::kCfgCommand, 2, spec::kCommandBusMaster);
    EXPECT_EQ(e.MemRead(0xC0000000, 4), 0xFFFFFFFFu);
    EXPECT_EQ(s.ep.counters().unsupported, 1u);
  });
}

NVMESIM_SIM_TEST(RootComplexTest, RemovedDeviceReadsAllOnes) {
  System s;
  Run([&] {
    Enumerator e(s.rc);
    ASSERT_EQ(e.Enumerate(0).error, "");
    s.link.SetLinkDown(true);
    const sc_time before = e.elapsed();
    EXPECT_EQ(e.MemRead(0xC0000000, 4), 0xFFFFFFFFu);
    EXPECT_EQ(e.elapsed() - before, sc_time(50, SC_US));  // the completion timeout
    EXPECT_EQ(e.MemRead(0xC0000000, 8), ~0ull);
    EXPECT_EQ(e.ConfigRead(0, spec::kCfgVendorId, 2), 0xFFFFu);
  });
  EXPECT_EQ(s.rc.counters().mmio_failed_reads, 3u);
}

NVMESIM_SIM_TEST(RootComplexTest, MsixDeliveredAtArrivalTime) {
  System s;
  std::vector<std::tuple<uint64_t, unsigned, uint64_t, uint32_t>> got;
  s.rc.SetMsiHandler([&](unsigned port, uint64_t addr, uint32_t data) {
    got.emplace_back(Ps(sc_core::sc_time_stamp()), port, addr, data);
  });
  uint64_t sent_at = 0;
  Run([&] {
    Enumerator e(s.rc);
    const EnumerationResult r = e.Enumerate(0);
    ASSERT_EQ(r.error, "");
    e.ProgramMsixVector(r.function, 5, 0xFEE00000 | (3 << 12), 0x4025);
    e.SetMsixControl(r.function, true, false);
    sc_core::wait(e.elapsed());
    sent_at = Ps(sc_core::sc_time_stamp());
    sc_time d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(s.ep.SignalMsix(5, d), MsixOutcome::kSend);
    // Masked vector: pending, then released by the unmask through BAR0.
    e.SetMsixVectorMasked(r.function, 7, true);
    EXPECT_EQ(s.ep.SignalMsix(7, d), MsixOutcome::kPending);
    EXPECT_EQ(e.MemRead(r.function.bar0_base + 0x3000, 8), 1u << 7);
    sc_core::wait(sc_time(5, SC_US));
    EXPECT_EQ(got.size(), 1u);
    e.ProgramMsixVector(r.function, 7, 0xFEE00000, 0x31, /*masked=*/false);
  });
  ASSERT_EQ(got.size(), 2u);
  const LinkTiming& t = s.link.timing();
  // A 4-byte MWr with a 3 DW header: 24 wire bytes, then the hop.
  EXPECT_EQ(std::get<0>(got[0]), sent_at + t.WireTimePs(24) + t.HopPs());
  EXPECT_EQ(std::get<2>(got[0]), 0xFEE03000u);
  EXPECT_EQ(std::get<3>(got[0]), 0x4025u);
  EXPECT_EQ(std::get<3>(got[1]), 0x31u);
  EXPECT_EQ(s.rc.counters().msi_messages, 2u);
}

NVMESIM_SIM_TEST(RootComplexTest, DmaWindowCheck) {
  System s;
  uint8_t* a = s.rc.memory().Map(0x100000, 0x1000);
  uint8_t* b = s.rc.memory().Map(0x102000, 0x1000);
  ASSERT_TRUE(a && b);
  std::memset(b, 0x5A, 0x1000);
  Run([&] {
    Enumerator e(s.rc);
    ASSERT_EQ(e.Enumerate(0).error, "");
    sc_core::wait(e.elapsed());
    std::vector<uint8_t> buf(8192, 0x11);
    sc_time d = sc_core::SC_ZERO_TIME;
    EXPECT_EQ(s.ep.DmaWrite(0x100000, buf.data(), 4096, d), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(a[4095], 0x11);
    // Runs past the mapped page into the hole: UR, nothing written anywhere.
    EXPECT_EQ(s.ep.DmaWrite(0x101F00, buf.data(), 512, d), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(s.ep.DmaWrite(0x101000, buf.data(), 4096, d), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(s.ep.DmaRead(0x101800, buf.data(), 8, d), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    for (int i = 0; i < 0x1000; ++i) ASSERT_EQ(b[i], 0x5A);
    EXPECT_EQ(s.ep.DmaRead(0x102000, buf.data(), 4096, d), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(buf[100], 0x5A);
    // Bus mastering off: the function does not issue DMA.
    e.ConfigWrite(0, spec::kCfgCommand, 2, spec::kCommandMemorySpace);
    EXPECT_EQ(s.ep.DmaRead(0x102000, buf.data(), 8, d), tlm::TLM_COMMAND_ERROR_RESPONSE);
  });
  EXPECT_EQ(s.rc.counters().unsupported_requests, 3u);
  ASSERT_EQ(s.rc.dma_faults().size(), 3u);
  EXPECT_EQ(s.rc.dma_faults()[0].address, 0x101F00u);
  EXPECT_TRUE(s.rc.dma_faults()[0].write);
  EXPECT_FALSE(s.rc.dma_faults()[2].write);
  EXPECT_EQ(s.rc.counters().dma_write_bytes, 4096u);
}

NVMESIM_SIM_TEST(RootComplexTest, PortWindowsDoNotOverlap) {
  RootComplexConfig c;
  c.ports = 2;
  RootComplex rc("rc", c);
  EXPECT_EQ(rc.SetPortWindow(0, 0xC0000000, 0x4000), "");
  EXPECT_NE(rc.SetPortWindow(1, 0xC0002000, 0x4000), "");
  EXPECT_EQ(rc.SetPortWindow(1, 0xC0004000, 0x4000), "");
  EXPECT_NE(rc.SetPortWindow(1, 0xE0000000, 0x4000).find("ECAM"), std::string::npos);
  EXPECT_NE(rc.SetPortWindow(2, 0, 1), "");
  EXPECT_EQ(rc.PortBus(1), 2u);
}

}  // namespace
}  // namespace nvmesim::pcie

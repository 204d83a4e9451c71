// Test-only host for register-level controller tests: host memory as a TLM
// target (DMA and MSI-X land here), a TLM initiator for BAR0 accesses, and a
// minimal queue helper that drives the controller the way a driver would,
// one register write at a time, between sc_start() slices.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <optional>
#include <vector>

#include "device_model/controller.h"
#include "spec/command.h"

namespace nvmesim::device::testing {

inline constexpr uint64_t kBar0Base = 0xF000'0000ull;
inline constexpr uint64_t kHostMemBase = 0x1000'0000ull;
inline constexpr uint64_t kMsiBase = 0xFEE0'0000ull;
inline constexpr uint8_t kPoison = 0xA5;

class TestHost : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TestHost> dma_target;
  tlm_utils::simple_initiator_socket<TestHost> mmio;

  TestHost(sc_core::sc_module_name name, NvmeController& ctrl, uint64_t mem_bytes = 32u << 20);

  // ---- host memory (bus addresses from kHostMemBase)
  uint64_t Alloc(uint64_t bytes, uint64_t align = 4096);  // poison-filled
  uint8_t* Mem(uint64_t bus);
  uint64_t mem_end() const { return kHostMemBase + mem_.size(); }
  uint64_t dma_reads = 0, dma_writes = 0, dma_rejected = 0;
  sc_core::sc_time per_access_delay = sc_core::SC_ZERO_TIME;  // host cost per DMA

  // ---- interrupts received (MSI-X writes)
  struct Msi {
    uint64_t addr;
    uint32_t data;
    uint64_t at_ps;  // arrival: kernel time plus the write's annotated delay
  };
  std::vector<Msi> msis;
  size_t MsiCount(uint32_t vector) const;

  // ---- BAR0 through the TLM initiator
  uint32_t Read32(uint32_t off);
  uint64_t Read64(uint32_t off);
  void Write32(uint32_t off, uint32_t v);
  void Write64(uint32_t off, uint64_t v);
  tlm::tlm_response_status Access(bool write, uint64_t addr, uint8_t* data, unsigned len);

  // ---- bring-up: BAR, memory/bus-master enable, MSI-X (all vectors unmasked)
  void ConfigurePcie(bool msix = true);
  // AQA/ASQ/ACQ/CC and wait for CSTS.RDY; returns false on timeout or CFS.
  bool Enable(uint32_t admin_entries = 32, uint8_t ams = 0, uint8_t mps = 0);
  bool WaitReady(bool ready, uint64_t max_us = 1000);
  void Run(uint64_t ns) {
    sc_core::sc_start(sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS));
  }

  // ---- queues as the host sees them
  struct HostQueue {
    uint16_t qid = 0;
    uint64_t sq_base = 0, cq_base = 0;
    uint32_t sq_size = 0, cq_size = 0;
    uint32_t sq_tail = 0, cq_head = 0;
    bool phase = true;
    uint16_t next_cid = 0;
  };
  HostQueue& queue(uint16_t qid) { return queues_.at(qid); }
  // Writes the SQE at the tail (cid assigned when 0xFFFF is not given), rings the doorbell.
  uint16_t Submit(uint16_t qid, spec::Sqe sqe, bool ring = true);
  void RingSq(uint16_t qid);
  // Next CQE if one is posted (consumes it and rings the CQ head doorbell).
  std::optional<spec::Cqe> Poll(uint16_t qid, bool ring = true);
  // Runs the simulation until a CQE arrives (up to max_us of simulated time).
  std::optional<spec::Cqe> Wait(uint16_t qid, uint64_t max_us = 1000);
  spec::Cqe Admin(spec::Sqe sqe);  // submit on queue 0 and wait
  spec::Status AdminStatus(spec::Sqe sqe) { return Admin(sqe).status_value(); }
  // Create I/O CQ + SQ with the same id.
  spec::Status CreateIoQueues(uint16_t qid, uint32_t entries, uint16_t vector, uint8_t prio = 0);
  spec::Cqe Io(uint16_t qid, spec::Sqe sqe) {
    Submit(qid, sqe);
    auto c = Wait(qid);
    return c ? *c : spec::Cqe{};
  }
  // Read/write LBAs with a PRP-described buffer it allocates.
  spec::Status ReadLbas(uint16_t qid, uint32_t nsid, uint64_t slba, uint32_t nlb,
                        uint32_t lba_bytes, std::vector<uint8_t>* out);
  spec::Status WriteLbas(uint16_t qid, uint32_t nsid, uint64_t slba,
                         const std::vector<uint8_t>& data, uint32_t lba_bytes, bool fua = false);
  // PRP1/PRP2 (and a PRP list when needed) for a buffer at `bus`.
  void SetPrps(spec::Sqe& sqe, uint64_t bus, uint64_t len, uint64_t page = 4096);

  NvmeController& ctrl;

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);

  std::vector<uint8_t> mem_;
  uint64_t next_alloc_ = kHostMemBase;
  std::vector<HostQueue> queues_;
};

// Shorthand SQE builders.
spec::Sqe MakeSqe(uint8_t opcode, uint32_t nsid = 0);

}  // namespace nvmesim::device::testing

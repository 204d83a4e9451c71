#include "device_model/test_host.h"

#include <gtest/gtest.h>

#include <cstring>

#include "spec/registers.h"

namespace nvmesim::device::testing {

spec::Sqe MakeSqe(uint8_t opcode, uint32_t nsid) {
  spec::Sqe s;
  s.opcode = opcode;
  s.nsid = nsid;
  s.cid = 0xFFFF;
  return s;
}

TestHost::TestHost(sc_core::sc_module_name name, NvmeController& c, uint64_t mem_bytes)
    : sc_core::sc_module(name),
      dma_target("dma_target"),
      mmio("mmio"),
      ctrl(c),
      mem_(mem_bytes, kPoison) {
  dma_target.register_b_transport(this, &TestHost::b_transport);
  mmio.bind(ctrl.pcie_target);
  ctrl.pcie_initiator.bind(dma_target);
  queues_.resize(size_t{ctrl.config().max_io_queues} + 1);
}

uint64_t TestHost::Alloc(uint64_t bytes, uint64_t align) {
  next_alloc_ = (next_alloc_ + align - 1) & ~(align - 1);
  const uint64_t at = next_alloc_;
  next_alloc_ += bytes;
  if (next_alloc_ > mem_end()) {
    ADD_FAILURE() << "test host memory exhausted";
    return kHostMemBase;
  }
  std::memset(Mem(at), kPoison, bytes);
  return at;
}

uint8_t* TestHost::Mem(uint64_t bus) { return mem_.data() + (bus - kHostMemBase); }

size_t TestHost::MsiCount(uint32_t vector) const {
  size_t n = 0;
  for (const Msi& m : msis) n += m.data == vector;
  return n;
}

void TestHost::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  delay += per_access_delay;
  const uint64_t a = p.get_address();
  const uint64_t len = p.get_data_length();
  if (p.is_write() && a >= kMsiBase && a < kMsiBase + 0x100000 && len == 4) {
    uint32_t d = 0;
    std::memcpy(&d, p.get_data_ptr(), 4);
    msis.push_back({a, d, static_cast<uint64_t>((sc_core::sc_time_stamp() + delay).value())});
    p.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (a < kHostMemBase || len > mem_.size() || a - kHostMemBase > mem_.size() - len) {
    ++dma_rejected;
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (p.is_read()) {
    ++dma_reads;
    std::memcpy(p.get_data_ptr(), Mem(a), len);
  } else {
    ++dma_writes;
    std::memcpy(Mem(a), p.get_data_ptr(), len);
  }
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

tlm::tlm_response_status TestHost::Access(bool write, uint64_t addr, uint8_t* data, unsigned len) {
  tlm::tlm_generic_payload p;
  p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  p.set_address(addr);
  p.set_data_ptr(data);
  p.set_data_length(len);
  p.set_streaming_width(len);
  p.set_byte_enable_ptr(nullptr);
  p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  mmio->b_transport(p, d);
  return p.get_response_status();
}

uint32_t TestHost::Read32(uint32_t off) {
  uint32_t v = 0;
  Access(false, kBar0Base + off, reinterpret_cast<uint8_t*>(&v), 4);
  return v;
}
uint64_t TestHost::Read64(uint32_t off) {
  uint64_t v = 0;
  Access(false, kBar0Base + off, reinterpret_cast<uint8_t*>(&v), 8);
  return v;
}
void TestHost::Write32(uint32_t off, uint32_t v) {
  Access(true, kBar0Base + off, reinterpret_cast<uint8_t*>(&v), 4);
}
void TestHost::Write64(uint32_t off, uint64_t v) {
  Access(true, kBar0Base + off, reinterpret_cast<uint8_t*>(&v), 8);
}

void TestHost::ConfigurePcie(bool msix) {
  PcieFunction& f = ctrl.pcie();
  f.ConfigWrite(0x10, 4, static_cast<uint32_t>(kBar0Base));
  f.ConfigWrite(0x14, 4, static_cast<uint32_t>(kBar0Base >> 32));
  f.ConfigWrite(0x04, 2, 0x6);  // memory space + bus master (PCIe 5.0 7.5.1.1.3)
  if (!msix) return;
  const uint32_t cap = pcie::ConfigSpace::kMsixCapOffset;
  const uint16_t ctl = static_cast<uint16_t>(f.ConfigRead(cap + 2, 2));
  f.ConfigWrite(cap + 2, 2, ctl | 0x8000);  // MSI-X Enable
  for (uint16_t v = 0; v < ctrl.config().msix_vectors; ++v) {
    const uint32_t e = ctrl.msix_table_offset() + 16u * v;
    Write32(e, static_cast<uint32_t>(kMsiBase + 4u * v));
    Write32(e + 4, 0);
    Write32(e + 8, v);
    Write32(e + 12, 0);  // unmask
  }
}

bool TestHost::WaitReady(bool ready, uint64_t max_us) {
  for (uint64_t t = 0; t < max_us * 10; ++t) {
    const uint32_t csts = Read32(spec::kRegCsts);
    if (csts & 2u) return false;  // CFS
    if ((csts & 1u) == (ready ? 1u : 0u)) return true;
    Run(100);
  }
  return false;
}

bool TestHost::Enable(uint32_t admin_entries, uint8_t ams, uint8_t mps) {
  HostQueue& q = queues_[0];
  q = HostQueue{};
  q.sq_size = q.cq_size = admin_entries;
  q.sq_base = Alloc(uint64_t{admin_entries} * 64);
  q.cq_base = Alloc(uint64_t{admin_entries} * 16);
  std::memset(Mem(q.cq_base), 0, uint64_t{admin_entries} * 16);
  Write32(spec::kRegAqa, ((admin_entries - 1) << 16) | (admin_entries - 1));
  Write64(spec::kRegAsq, q.sq_base);
  Write64(spec::kRegAcq, q.cq_base);
  spec::CcRegister cc;
  cc.set_en(1).set_iosqes(6).set_iocqes(4).set_ams(ams).set_mps(mps);
  Write32(spec::kRegCc, cc.raw);
  return WaitReady(true);
}

uint16_t TestHost::Submit(uint16_t qid, spec::Sqe sqe, bool ring) {
  HostQueue& q = queues_.at(qid);
  if (sqe.cid == 0xFFFF) sqe.cid = q.next_cid++ & 0x7FFF;
  std::memcpy(Mem(q.sq_base + uint64_t{q.sq_tail} * 64), &sqe, 64);
  q.sq_tail = (q.sq_tail + 1) % q.sq_size;
  if (ring) RingSq(qid);
  return sqe.cid;
}

void TestHost::RingSq(uint16_t qid) {
  const uint8_t dstrd = ctrl.config().doorbell_stride;
  Write32(spec::SqTailDoorbellOffset(qid, dstrd), queues_.at(qid).sq_tail);
}

std::optional<spec::Cqe> TestHost::Poll(uint16_t qid, bool ring) {
  HostQueue& q = queues_.at(qid);
  spec::Cqe c;
  std::memcpy(&c, Mem(q.cq_base + uint64_t{q.cq_head} * 16), 16);
  if (c.phase() != q.phase) return std::nullopt;
  if (++q.cq_head == q.cq_size) {
    q.cq_head = 0;
    q.phase = !q.phase;
  }
  if (ring) Write32(spec::CqHeadDoorbellOffset(qid, ctrl.config().doorbell_stride), q.cq_head);
  return c;
}

std::optional<spec::Cqe> TestHost::Wait(uint16_t qid, uint64_t max_us) {
  for (uint64_t t = 0; t <= max_us * 10; ++t) {
    if (auto c = Poll(qid)) return c;
    Run(100);
  }
  return std::nullopt;
}

spec::Cqe TestHost::Admin(spec::Sqe sqe) {
  const uint16_t cid = Submit(0, sqe);
  auto c = Wait(0);
  if (!c) {
    ADD_FAILURE() << "admin command opcode " << int(sqe.opcode) << " got no completion";
    return spec::Cqe{};
  }
  EXPECT_EQ(c->cid, cid);
  return *c;
}

spec::Status TestHost::CreateIoQueues(uint16_t qid, uint32_t entries, uint16_t vector,
                                      uint8_t prio) {
  HostQueue& q = queues_.at(qid);
  q = HostQueue{};
  q.qid = qid;
  q.sq_size = q.cq_size = entries;
  q.cq_base = Alloc(uint64_t{entries} * 16);
  std::memset(Mem(q.cq_base), 0, uint64_t{entries} * 16);
  q.sq_base = Alloc(uint64_t{entries} * 64);
  spec::Sqe cq = MakeSqe(0x05);
  cq.prp1 = q.cq_base;
  cq.cdw10 = ((entries - 1) << 16) | qid;
  cq.cdw11 = (uint32_t{vector} << 16) | 0x3;  // PC, IEN
  spec::Status s = AdminStatus(cq);
  if (!s.ok()) return s;
  spec::Sqe sq = MakeSqe(0x01);
  sq.prp1 = q.sq_base;
  sq.cdw10 = ((entries - 1) << 16) | qid;
  sq.cdw11 = (uint32_t{qid} << 16) | (uint32_t{prio} << 1) | 0x1;
  return AdminStatus(sq);
}

void TestHost::SetPrps(spec::Sqe& sqe, uint64_t bus, uint64_t len, uint64_t page) {
  sqe.prp1 = bus;
  const uint64_t first = page - (bus & (page - 1));
  if (len <= first) return;
  const uint64_t rest = len - first;
  if (rest <= page) {
    sqe.prp2 = bus + first;
    return;
  }
  const uint64_t n = (rest + page - 1) / page;
  const uint64_t list = Alloc(n * 8 + 8);  // single list page in tests (n < 512)
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t e = bus + first + i * page;
    std::memcpy(Mem(list + 8 * i), &e, 8);
  }
  sqe.prp2 = list;
}

spec::Status TestHost::ReadLbas(uint16_t qid, uint32_t nsid, uint64_t slba, uint32_t nlb,
                                uint32_t lba_bytes, std::vector<uint8_t>* out) {
  const uint64_t len = uint64_t{nlb} * lba_bytes;
  const uint64_t buf = Alloc(len);
  spec::Sqe s = MakeSqe(0x02, nsid);
  s.cdw10 = static_cast<uint32_t>(slba);
  s.cdw11 = static_cast<uint32_t>(slba >> 32);
  s.cdw12 = nlb - 1;
  SetPrps(s, buf, len);
  const spec::Cqe c = Io(qid, s);
  if (out) out->assign(Mem(buf), Mem(buf) + len);
  return c.status_value();
}

spec::Status TestHost::WriteLbas(uint16_t qid, uint32_t nsid, uint64_t slba,
                                 const std::vector<uint8_t>& data, uint32_t lba_bytes, bool fua) {
  const uint64_t buf = Alloc(data.size());
  std::memcpy(Mem(buf), data.data(), data.size());
  spec::Sqe s = MakeSqe(0x01, nsid);
  s.cdw10 = static_cast<uint32_t>(slba);
  s.cdw11 = static_cast<uint32_t>(slba >> 32);
  s.cdw12 = static_cast<uint32_t>(data.size() / lba_bytes - 1) | (fua ? (1u << 30) : 0u);
  SetPrps(s, buf, data.size());
  return Io(qid, s).status_value();
}

}  // namespace nvmesim::device::testing

#include "driver/testing/fake_controller.h"

#include <algorithm>
#include <cstring>

#include "driver/internal/nvme_defs.h"
#include "spec/identify.h"
#include "spec/opcodes.h"
#include "spec/registers.h"

namespace nvmesim::driver::testing {

namespace {
constexpr uint32_t kPage = 4096;
using spec::CommandSpecificStatus;
using spec::GenericStatus;
template <typename T>
[[maybe_unused]] void Put(uint8_t* p, uint32_t off, T v) {
  std::memcpy(p + off, &v, sizeof v);
}
}  // namespace

FakeNvmeController::FakeNvmeController(FakeDma& dma, FakeClock& clock, FakeInterrupts& irq,
                                       FakeControllerConfig config)
    : dma_(dma), clock_(clock), irq_(irq), cfg_(std::move(config)) {
  sqs_.resize(cfg_.max_io_queues + 1u);
  cqs_.resize(cfg_.max_io_queues + 1u);
  for (uint32_t nsid : cfg_.nsids) AddNamespace(nsid);
  changed_.clear();
}

void FakeNvmeController::AddNamespace(uint32_t nsid) {
  ns_[nsid].assign(cfg_.nsze << cfg_.lba_shift, 0);
  changed_.push_back(nsid);
}
void FakeNvmeController::SetZoned(uint32_t nsid) { zoned_.insert(nsid); }
void FakeNvmeController::RemoveNamespace(uint32_t nsid) {
  ns_.erase(nsid);
  changed_.push_back(nsid);
}
uint8_t* FakeNvmeController::NamespaceData(uint32_t nsid) {
  auto it = ns_.find(nsid);
  return it == ns_.end() ? nullptr : it->second.data();
}

bool FakeNvmeController::Ready() {
  if (clock_.NowNs() >= rdy_at_) rdy_ = rdy_target_;
  return rdy_;
}

uint32_t FakeNvmeController::Read32(uint64_t off) {
  if (gone_) return 0xFFFFFFFFu;
  switch (off) {
    case spec::kRegVs:
      return spec::kNvmeVersion2_0;
    case spec::kRegCc:
      return cc_;
    case spec::kRegAqa:
      return aqa_;
    case spec::kRegCsts: {
      spec::CstsRegister c;
      c.set_rdy(Ready() ? 1 : 0).set_cfs(fatal_ ? 1 : 0).set_shst(shst_);
      return c.raw;
    }
    case spec::kRegCap:
      return static_cast<uint32_t>(Read64(spec::kRegCap));
    case spec::kRegCap + 4:
      return static_cast<uint32_t>(Read64(spec::kRegCap) >> 32);
    default:
      return 0;
  }
}

uint64_t FakeNvmeController::Read64(uint64_t off) {
  if (gone_) return ~uint64_t{0};
  if (off == spec::kRegCap) {
    spec::CapRegister c;
    c.set_mqes(cfg_.mqes)
        .set_cqr(1)
        .set_to(cfg_.to)
        .set_dstrd(cfg_.dstrd)
        .set_css(spec::kCapCssNvm)
        .set_mpsmin(0)
        .set_mpsmax(0);
    return c.raw;
  }
  if (off == spec::kRegAsq) return asq_;
  if (off == spec::kRegAcq) return acq_;
  return Read32(off) | (uint64_t{Read32(off + 4)} << 32);
}

void FakeNvmeController::Disable() {
  for (auto& q : sqs_) q = Sq{};
  for (auto& q : cqs_) q = Cq{};
  held_.clear();
  aers_.clear();
  if (!fatal_sticky_) fatal_ = false;
  rdy_target_ = false;
  rdy_at_ = clock_.NowNs() + cfg_.ready_delay_ns;
}

void FakeNvmeController::Write32(uint64_t off, uint32_t v) {
  if (gone_) return;
  if (off >= spec::kRegDoorbellBase) {
    ++doorbell_writes_;
    const uint32_t idx = static_cast<uint32_t>((off - spec::kRegDoorbellBase) /
                                               spec::DoorbellStrideBytes(cfg_.dstrd));
    const uint32_t qid = idx / 2;
    if (qid >= sqs_.size()) return;
    if (idx % 2 == 0) {
      if (sqs_[qid].exists && v < sqs_[qid].size) sqs_[qid].tail = v;
    } else if (cqs_[qid].exists && v < cqs_[qid].size) {
      cqs_[qid].head = v;
    }
    return;
  }
  switch (off) {
    case spec::kRegCc: {
      const spec::CcRegister old{cc_}, now{v};
      cc_ = v;
      if (!old.en() && now.en()) {
        ++enables_;
        const spec::AqaRegister aqa{aqa_};
        sqs_[0] = Sq{true, asq_, static_cast<uint32_t>(aqa.asqs()) + 1, 0, 0, 0};
        cqs_[0] = Cq{};
        cqs_[0].exists = true;
        cqs_[0].base = acq_;
        cqs_[0].size = static_cast<uint32_t>(aqa.acqs()) + 1;
        cqs_[0].ien = true;
        shst_ = 0;
        if (!never_ready_) {
          rdy_target_ = true;
          rdy_at_ = clock_.NowNs() + cfg_.ready_delay_ns;
        }
      } else if (old.en() && !now.en()) {
        Disable();
      }
      if (now.shn() != 0) shst_ = static_cast<uint8_t>(spec::ShutdownStatus::kComplete);
      return;
    }
    case spec::kRegAqa:
      aqa_ = v;
      return;
    default:
      return;
  }
}

void FakeNvmeController::Write64(uint64_t off, uint64_t v) {
  if (gone_) return;
  if (off == spec::kRegAsq)
    asq_ = v;
  else if (off == spec::kRegAcq)
    acq_ = v;
  else {
    Write32(off, static_cast<uint32_t>(v));
    Write32(off + 4, static_cast<uint32_t>(v >> 32));
  }
}

uint32_t FakeNvmeController::cq_posted(uint16_t qid) const {
  return qid < cqs_.size() ? cqs_[qid].posted : 0;
}

size_t FakeNvmeController::CountOpcode(uint16_t qid_class, uint8_t opcode) const {
  return static_cast<size_t>(
      std::count_if(received_.begin(), received_.end(), [&](const Received& r) {
        return (r.qid == 0) == (qid_class == 0) && r.sqe.opcode == opcode;
      }));
}

void FakeNvmeController::Post(uint16_t sqid, uint16_t cid, spec::Status status, uint32_t dw0) {
  Sq& sq = sqs_[sqid];
  Cq& cq = cqs_[sq.cqid];
  if (!cq.exists) return;
  spec::Cqe e;
  e.dw0 = dw0;
  e.sq_head = static_cast<uint16_t>(sq.head);
  e.sq_id = sqid;
  e.cid = cid;
  e.set_status(status, cq.phase);
  uint8_t* p = dma_.Translate(cq.base + uint64_t{cq.tail} * 16, 16);
  if (p == nullptr) return;
  std::memcpy(p, &e, 16);
  if (++cq.tail == cq.size) {
    cq.tail = 0;
    cq.phase = !cq.phase;
  }
  ++cq.posted;
  if (cq.ien) irq_.Raise(cq.iv);
}

void FakeNvmeController::InjectCqe(uint16_t qid, uint16_t cid, uint16_t sqid, bool stale_phase,
                                   spec::Status status, uint16_t sq_head) {
  Cq& cq = cqs_[qid];
  spec::Cqe e;
  e.sq_head = sq_head;
  e.sq_id = sqid;
  e.cid = cid;
  e.set_status(status, stale_phase ? !cq.phase : cq.phase);
  std::memcpy(dma_.Translate(cq.base + uint64_t{cq.tail} * 16, 16), &e, 16);
  if (!stale_phase) {
    if (++cq.tail == cq.size) {
      cq.tail = 0;
      cq.phase = !cq.phase;
    }
  }
  if (cq.ien) irq_.Raise(cq.iv);
}

bool FakeNvmeController::TriggerAsyncEvent(uint32_t dw0) {
  if (aers_.empty()) return false;
  const uint16_t cid = aers_.front();
  aers_.erase(aers_.begin());
  Post(0, cid, spec::Status::Ok(), dw0);
  return true;
}

bool FakeNvmeController::Process() {
  if (gone_ || fatal_ || !Ready()) return false;
  bool any = false;
  for (uint16_t qid = 0; qid < sqs_.size(); ++qid) {
    Sq& sq = sqs_[qid];
    while (sq.exists && sq.head != sq.tail) {
      spec::Sqe s;
      const uint8_t* p = dma_.Translate(sq.base + uint64_t{sq.head} * 64, 64);
      if (p == nullptr) break;
      std::memcpy(&s, p, 64);
      sq.head = (sq.head + 1) % sq.size;
      received_.push_back({qid, s});
      any = true;
      if (swallow && swallow(qid, s)) {
        held_.emplace_back(qid, s.cid);
        continue;
      }
      if (fail_with) {
        if (auto st = fail_with(qid, s)) {
          Post(qid, s.cid, *st);
          continue;
        }
      }
      if (qid == 0)
        ExecuteAdmin(s);
      else
        ExecuteIo(qid, s);
      if (fatal_ || gone_) return true;
    }
  }
  return any;
}

spec::Status FakeNvmeController::Pieces(const spec::Sqe& s, uint64_t len, std::vector<Piece>& out) {
  auto add = [&](uint64_t bus, uint64_t n) {
    uint8_t* p = dma_.Translate(bus, n);
    if (p == nullptr) return false;
    out.push_back({p, n});
    return true;
  };
  if (s.psdt() == spec::DataPointerType::kPrp) {
    if (s.prp1 & 3) return GenericStatus::kPrpOffsetInvalid;
    const uint64_t first = std::min<uint64_t>(len, kPage - (s.prp1 & (kPage - 1)));
    if (!add(s.prp1, first)) return GenericStatus::kDataTransferError;
    uint64_t rem = len - first;
    if (rem == 0) return spec::Status::Ok();
    if (rem <= kPage) {
      if (s.prp2 & (kPage - 1)) return GenericStatus::kPrpOffsetInvalid;
      return add(s.prp2, rem) ? spec::Status::Ok()
                              : spec::Status(GenericStatus::kDataTransferError);
    }
    uint64_t list = s.prp2;
    if (list & 7) return GenericStatus::kPrpOffsetInvalid;
    while (rem > 0) {
      const uint8_t* lp = dma_.Translate(list, 8);
      if (lp == nullptr) return GenericStatus::kDataTransferError;
      uint64_t entry;
      std::memcpy(&entry, lp, 8);
      // Last entry of a list page with more to come chains to the next page.
      if (((list + 8) & (kPage - 1)) == 0 && rem > kPage) {
        list = entry;
        continue;
      }
      if (entry & (kPage - 1)) return GenericStatus::kPrpOffsetInvalid;
      const uint64_t n = std::min<uint64_t>(rem, kPage);
      if (!add(entry, n)) return GenericStatus::kDataTransferError;
      rem -= n;
      list += 8;
    }
    return spec::Status::Ok();
  }
  const spec::SglDescriptor d = s.sgl();
  std::vector<spec::SglDescriptor> descs;
  if (d.type() == spec::SglDescriptorType::kDataBlock) {
    descs.push_back(d);
  } else if (d.type() == spec::SglDescriptorType::kLastSegment) {
    const uint8_t* p = dma_.Translate(d.address, d.length);
    if (p == nullptr || d.length % 16) return GenericStatus::kInvalidSglSegmentDescriptor;
    for (uint32_t i = 0; i < d.length / 16; ++i) {
      spec::SglDescriptor e;
      std::memcpy(&e, p + 16 * i, 16);
      if (e.type() != spec::SglDescriptorType::kDataBlock)
        return GenericStatus::kSglDescriptorTypeInvalid;
      descs.push_back(e);
    }
  } else {
    return GenericStatus::kSglDescriptorTypeInvalid;
  }
  uint64_t total = 0;
  for (const auto& e : descs) {
    if (!add(e.address, e.length)) return GenericStatus::kDataTransferError;
    total += e.length;
  }
  return total == len ? spec::Status::Ok() : spec::Status(GenericStatus::kDataSglLengthInvalid);
}

spec::Status FakeNvmeController::CopyOut(const spec::Sqe& s, const uint8_t* src, uint64_t len) {
  std::vector<Piece> pieces;
  const spec::Status st = Pieces(s, len, pieces);
  if (!st.ok()) return st;
  for (const Piece& pc : pieces) {
    std::memcpy(pc.p, src, pc.len);
    src += pc.len;
  }
  return st;
}

spec::Status FakeNvmeController::CopyIn(const spec::Sqe& s, uint8_t* dst, uint64_t len) {
  std::vector<Piece> pieces;
  const spec::Status st = Pieces(s, len, pieces);
  if (!st.ok()) return st;
  for (const Piece& pc : pieces) {
    std::memcpy(dst, pc.p, pc.len);
    dst += pc.len;
  }
  return st;
}

void FakeNvmeController::FillIdentifyController(uint8_t* p) {
  spec::IdentifyController id;
  id.vid = 0x1B36;
  std::memcpy(id.sn, "FAKE0001            ", 20);
  std::memcpy(id.mn, "nvmesim test controller                 ", 40);
  std::memcpy(id.fr, "1.0     ", 8);
  id.mdts = cfg_.mdts;
  id.cntlid = 1;
  id.ver = spec::kNvmeVersion2_0;
  id.oaes = cfg_.oaes;
  id.crdt1 = cfg_.crdt[0];
  id.crdt2 = cfg_.crdt[1];
  id.crdt3 = cfg_.crdt[2];
  id.oacs = nvme::kOacsNamespaceManagement;
  id.acl = cfg_.acl;
  id.aerl = cfg_.aerl;
  id.kas = cfg_.kas;
  id.sqes = 0x66;
  id.cqes = 0x44;
  id.nn = 1024;
  id.oncs = cfg_.oncs;
  id.sgls = cfg_.sgls;
  std::memcpy(p, &id, sizeof id);
}

void FakeNvmeController::FillIdentifyNamespace(uint8_t* p, uint32_t) {
  spec::IdentifyNamespace id;
  id.nsze = id.ncap = cfg_.nsze;
  id.nlbaf = 0;
  id.flbas = 0;
  id.lbaf[0].lbads = cfg_.lba_shift;
  std::memcpy(p, &id, sizeof id);
}

void FakeNvmeController::ExecuteAdmin(const spec::Sqe& s) {
  using spec::AdminOpcode;
  const auto op = static_cast<AdminOpcode>(s.opcode);
  std::vector<uint8_t> page(kPage, 0);
  switch (op) {
    case AdminOpcode::kIdentify: {
      const uint8_t cns = s.cdw10 & 0xFF;
      if (cns == nvme::kCnsController) {
        FillIdentifyController(page.data());
      } else if (cns == nvme::kCnsNamespace) {
        if (!ns_.count(s.nsid)) return Post(0, s.cid, GenericStatus::kInvalidNamespaceOrFormat);
        FillIdentifyNamespace(page.data(), s.nsid);
      } else if (cns == static_cast<uint8_t>(spec::Cns::kNamespaceIdDescriptorList)) {
        if (!ns_.count(s.nsid)) return Post(0, s.cid, GenericStatus::kInvalidNamespaceOrFormat);
        page[0] = static_cast<uint8_t>(spec::NamespaceIdDescriptorType::kCsi);
        page[1] = 1;
        page[4] = zoned_.count(s.nsid) ? 2 : 0;  // CSI 02h: Zoned Namespace command set
      } else if (cns == nvme::kCnsActiveNamespaceList) {
        uint32_t i = 0;
        for (const auto& [nsid, data] : ns_) {
          if (nsid > s.nsid && i < 1024) Put<uint32_t>(page.data(), 4 * i++, nsid);
        }
      } else {
        return Post(0, s.cid, GenericStatus::kInvalidField);
      }
      return Post(0, s.cid, CopyOut(s, page.data(), kPage));
    }
    case AdminOpcode::kSetFeatures: {
      if ((s.cdw10 & 0xFF) == nvme::kFeatNumberOfQueues) {
        const uint32_t nsq = std::min<uint32_t>((s.cdw11 & 0xFFFF) + 1, cfg_.max_io_queues);
        const uint32_t ncq = std::min<uint32_t>((s.cdw11 >> 16) + 1, cfg_.max_io_queues);
        return Post(0, s.cid, spec::Status::Ok(), ((ncq - 1) << 16) | (nsq - 1));
      }
      return Post(0, s.cid, spec::Status::Ok());
    }
    case AdminOpcode::kCreateIoCq: {
      const uint16_t qid = s.cdw10 & 0xFFFF;
      const uint32_t size = (s.cdw10 >> 16) + 1;
      if (qid == 0 || qid >= cqs_.size() || cqs_[qid].exists) {
        return Post(0, s.cid, CommandSpecificStatus::kInvalidQueueIdentifier);
      }
      if (size > cfg_.mqes + 1u || size < 2)
        return Post(0, s.cid, CommandSpecificStatus::kInvalidQueueSize);
      Cq& cq = cqs_[qid];
      cq = Cq{};
      cq.exists = true;
      cq.base = s.prp1;
      cq.size = size;
      cq.iv = static_cast<uint16_t>(s.cdw11 >> 16);
      cq.ien = (s.cdw11 & 2) != 0;
      return Post(0, s.cid, spec::Status::Ok());
    }
    case AdminOpcode::kCreateIoSq: {
      const uint16_t qid = s.cdw10 & 0xFFFF;
      const uint32_t size = (s.cdw10 >> 16) + 1;
      const uint16_t cqid = static_cast<uint16_t>(s.cdw11 >> 16);
      if (qid == 0 || qid >= sqs_.size() || sqs_[qid].exists) {
        return Post(0, s.cid, CommandSpecificStatus::kInvalidQueueIdentifier);
      }
      if (cqid >= cqs_.size() || !cqs_[cqid].exists) {
        return Post(0, s.cid, CommandSpecificStatus::kCompletionQueueInvalid);
      }
      if (size > cfg_.mqes + 1u || size < 2)
        return Post(0, s.cid, CommandSpecificStatus::kInvalidQueueSize);
      sqs_[qid] = Sq{true, s.prp1, size, 0, 0, cqid};
      return Post(0, s.cid, spec::Status::Ok());
    }
    case AdminOpcode::kDeleteIoSq: {
      const uint16_t qid = s.cdw10 & 0xFFFF;
      if (qid == 0 || qid >= sqs_.size() || !sqs_[qid].exists) {
        return Post(0, s.cid, CommandSpecificStatus::kInvalidQueueIdentifier);
      }
      sqs_[qid].exists = false;
      return Post(0, s.cid, spec::Status::Ok());
    }
    case AdminOpcode::kDeleteIoCq: {
      const uint16_t qid = s.cdw10 & 0xFFFF;
      if (qid == 0 || qid >= cqs_.size() || !cqs_[qid].exists) {
        return Post(0, s.cid, CommandSpecificStatus::kInvalidQueueIdentifier);
      }
      cqs_[qid].exists = false;
      return Post(0, s.cid, spec::Status::Ok());
    }
    case AdminOpcode::kAbort: {
      const uint16_t sqid = s.cdw10 & 0xFFFF, cid = static_cast<uint16_t>(s.cdw10 >> 16);
      auto it = std::find(held_.begin(), held_.end(), std::make_pair(sqid, cid));
      if (abort_mode == AbortMode::kNotAborted || it == held_.end()) {
        return Post(0, s.cid, spec::Status::Ok(), 1);
      }
      if (abort_mode == AbortMode::kCompleteCommand) {
        held_.erase(it);
        Post(sqid, cid, GenericStatus::kAbortedByRequest);
      }
      return Post(0, s.cid, spec::Status::Ok(), 0);
    }
    case AdminOpcode::kAsyncEventRequest:
      if (aers_.size() > cfg_.aerl)
        return Post(0, s.cid, CommandSpecificStatus::kAsyncEventRequestLimitExceeded);
      aers_.push_back(s.cid);
      return;
    case AdminOpcode::kGetLogPage: {
      const uint8_t lid = s.cdw10 & 0xFF;
      if (lid == nvme::kLogChangedNamespaceList) {
        for (uint32_t i = 0; i < changed_.size() && i < 1024; ++i)
          Put<uint32_t>(page.data(), 4 * i, changed_[i]);
        changed_.clear();
      }
      const uint32_t bytes = ((((s.cdw10 >> 16) & 0xFFFF) | (s.cdw11 << 16)) + 1) * 4;
      return Post(0, s.cid, CopyOut(s, page.data(), std::min<uint32_t>(bytes, kPage)));
    }
    case AdminOpcode::kKeepAlive:
    case AdminOpcode::kGetFeatures:
      return Post(0, s.cid, spec::Status::Ok());
    case AdminOpcode::kNamespaceManagement:
      if ((s.cdw10 & 0xF) == 1) {
        if (!ns_.count(s.nsid)) return Post(0, s.cid, GenericStatus::kInvalidNamespaceOrFormat);
        RemoveNamespace(s.nsid);
        return Post(0, s.cid, spec::Status::Ok());
      } else {
        uint32_t nsid = 1;
        while (ns_.count(nsid)) ++nsid;
        AddNamespace(nsid);
        return Post(0, s.cid, spec::Status::Ok(), nsid);
      }
    default:
      return Post(0, s.cid, GenericStatus::kInvalidOpcode);
  }
}

void FakeNvmeController::ExecuteIo(uint16_t qid, const spec::Sqe& s) {
  auto it = ns_.find(s.nsid);
  if (it == ns_.end()) return Post(qid, s.cid, GenericStatus::kInvalidNamespaceOrFormat);
  std::vector<uint8_t>& data = it->second;
  const uint32_t lba = 1u << cfg_.lba_shift;
  const uint64_t slba = s.cdw10 | (uint64_t{s.cdw11} << 32);
  const uint32_t nlb = (s.cdw12 & 0xFFFF) + 1;
  auto in_range = [&](uint64_t start, uint64_t n) { return start + n <= cfg_.nsze; };
  using spec::NvmOpcode;
  switch (static_cast<NvmOpcode>(s.opcode)) {
    case NvmOpcode::kFlush:
      return Post(qid, s.cid, spec::Status::Ok());
    case NvmOpcode::kRead:
    case NvmOpcode::kWrite:
    case NvmOpcode::kCompare: {
      if (!in_range(slba, nlb)) return Post(qid, s.cid, GenericStatus::kLbaOutOfRange);
      const uint64_t bytes = uint64_t{nlb} * lba;
      if ((cfg_.mdts != 0) && bytes > (uint64_t{kPage} << cfg_.mdts)) {
        return Post(qid, s.cid, GenericStatus::kInvalidField);  // beyond MDTS
      }
      uint8_t* at = data.data() + slba * lba;
      if (s.opcode == static_cast<uint8_t>(NvmOpcode::kRead))
        return Post(qid, s.cid, CopyOut(s, at, bytes));
      if (s.opcode == static_cast<uint8_t>(NvmOpcode::kWrite))
        return Post(qid, s.cid, CopyIn(s, at, bytes));
      std::vector<uint8_t> tmp(bytes);
      const spec::Status st = CopyIn(s, tmp.data(), bytes);
      if (!st.ok()) return Post(qid, s.cid, st);
      return Post(qid, s.cid,
                  std::memcmp(tmp.data(), at, bytes) == 0
                      ? spec::Status::Ok()
                      : spec::Status(spec::MediaStatus::kCompareFailure));
    }
    case NvmOpcode::kWriteZeroes:
      if (!in_range(slba, nlb)) return Post(qid, s.cid, GenericStatus::kLbaOutOfRange);
      std::memset(data.data() + slba * lba, 0, uint64_t{nlb} * lba);
      return Post(qid, s.cid, spec::Status::Ok());
    case NvmOpcode::kDatasetManagement: {
      const uint32_t nr = (s.cdw10 & 0xFF) + 1;
      std::vector<uint8_t> ranges(nr * 16);
      const spec::Status st = CopyIn(s, ranges.data(), ranges.size());
      if (!st.ok()) return Post(qid, s.cid, st);
      for (uint32_t i = 0; i < nr; ++i) {
        uint32_t n;
        uint64_t start;
        std::memcpy(&n, &ranges[16 * i + 4], 4);
        std::memcpy(&start, &ranges[16 * i + 8], 8);
        if (!in_range(start, n)) return Post(qid, s.cid, GenericStatus::kLbaOutOfRange);
        if (s.cdw11 & 4) std::memset(data.data() + start * lba, 0, uint64_t{n} * lba);
      }
      return Post(qid, s.cid, spec::Status::Ok());
    }
    case NvmOpcode::kCopy: {
      const uint32_t nr = (s.cdw12 & 0xFF) + 1;
      std::vector<uint8_t> ranges(nr * 32);
      const spec::Status st = CopyIn(s, ranges.data(), ranges.size());
      if (!st.ok()) return Post(qid, s.cid, st);
      uint64_t dst = slba;
      for (uint32_t i = 0; i < nr; ++i) {
        uint64_t start;
        uint16_t n0;
        std::memcpy(&start, &ranges[32 * i + 8], 8);
        std::memcpy(&n0, &ranges[32 * i + 16], 2);
        const uint32_t n = n0 + 1u;
        if (!in_range(start, n) || !in_range(dst, n))
          return Post(qid, s.cid, GenericStatus::kLbaOutOfRange);
        std::memmove(data.data() + dst * lba, data.data() + start * lba, uint64_t{n} * lba);
        dst += n;
      }
      return Post(qid, s.cid, spec::Status::Ok());
    }
    default:
      return Post(qid, s.cid, GenericStatus::kInvalidOpcode);
  }
}

}  // namespace nvmesim::driver::testing

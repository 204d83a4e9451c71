// NVM command set (NVM Command Set Specification 2.0 section 3): Read,
// Write, Flush, Write Zeroes, Dataset Management, Compare, Write
// Uncorrectable, Verify, Copy; namespace and path (ANA) checks.
#include <algorithm>
#include <cstring>
#include <utility>

#include "device_model/controller.h"
#include "spec/opcodes.h"

namespace nvmesim::device {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::MediaStatus;
using spec::NvmOpcode;
using spec::Status;

namespace {
uint64_t Slba(const spec::Sqe& s) { return (uint64_t{s.cdw11} << 32) | s.cdw10; }
uint64_t Nlb(const spec::Sqe& s) {
  return uint64_t{s.cdw12 & 0xFFFF} + 1;
}  // 0's based (Figure 44 NVM)
bool Fua(const spec::Sqe& s) { return (s.cdw12 >> 30) & 1u; }
bool InRange(const Namespace& ns, uint64_t slba, uint64_t nlb) {
  return nlb <= ns.size_lbas() && slba <= ns.size_lbas() - nlb;
}
}  // namespace

Status NvmeController::PathStatus(const Namespace& ns) const {
  // Path-related status by ANA state (Base 2.0 8.1.3, Figure 103).
  switch (subsystem_.GetAnaState(ns.ana_group(), cfg_.cntlid)) {
    case AnaState::kOptimized:
    case AnaState::kNonOptimized:
      return Status::Ok();
    case AnaState::kInaccessible:
      return Status(spec::PathStatus::kAsymmetricAccessInaccessible);
    case AnaState::kPersistentLoss:
      return Status(spec::PathStatus::kAsymmetricAccessPersistentLoss, true);
    case AnaState::kChange:
      return Status(spec::PathStatus::kAsymmetricAccessTransition);
  }
  return Status::Ok();
}

Status NvmeController::ResolveNamespace(uint32_t nsid, Namespace** out) {
  Namespace* ns = nsid == 0 || nsid == 0xFFFFFFFFu ? nullptr : subsystem_.Find(nsid);
  if (!ns || !subsystem_.IsAttached(nsid, cfg_.cntlid))
    return Status(GenericStatus::kInvalidNamespaceOrFormat, true);
  *out = ns;
  return PathStatus(*ns);
}

Status NvmeController::ExecuteIo(Command& c) {
  const spec::Sqe& s = c.sqe;
  const auto op = static_cast<NvmOpcode>(s.opcode);
  if (op == NvmOpcode::kFlush && s.nsid == 0xFFFFFFFFu) {
    // Broadcast flush (Identify VWC bits 2:1 = 11b).
    for (uint32_t nsid : subsystem_.ActiveNamespaces(cfg_.cntlid))
      subsystem_.Find(nsid)->store().Flush();
    return Status::Ok();
  }
  Namespace* ns = nullptr;
  Status st = ResolveNamespace(s.nsid, &ns);
  if (!st.ok()) return st;
  // I/O dispatch per command set of the namespace (Base 2.0 Figure 286):
  // NVM is built in; others (Zoned, CSI 02h) go to their registered handler.
  if (ns->csi() != 0) {
    IoCommandSetHandler* h = command_sets_[ns->csi()];
    if (!h) return Status(GenericStatus::kInvalidOpcode, true);
    IoCommand cmd{s, *ns, c.sqid};
    pending_media_ps_ = 0;
    st = h->Execute(cmd, *this);
    c.dw0 = cmd.dw0;
    c.dw1 = cmd.dw1;
    c.media_ps += pending_media_ps_;
    return st;
  }
  switch (op) {
    case NvmOpcode::kRead:
      return ReadWrite(c, false);
    case NvmOpcode::kWrite:
      return ReadWrite(c, true);
    case NvmOpcode::kFlush:
    case NvmOpcode::kWriteZeroes:
    case NvmOpcode::kDatasetManagement:
    case NvmOpcode::kCompare:
    case NvmOpcode::kWriteUncorrectable:
    case NvmOpcode::kVerify:
    case NvmOpcode::kCopy:
      return NvmSimple(c);
    default:
      return Status(GenericStatus::kInvalidOpcode, true);
  }
}

Status NvmeController::ReadWrite(Command& c, bool write) {
  const spec::Sqe& s = c.sqe;
  Namespace& ns = *subsystem_.Find(s.nsid);
  const uint64_t slba = Slba(s), nlb = Nlb(s);
  if (!InRange(ns, slba, nlb)) return Status(GenericStatus::kLbaOutOfRange, true);
  const uint64_t bytes = nlb * ns.lba_bytes();
  Status st = CheckMdts(bytes);
  if (!st.ok()) return st;
  const uint64_t off = slba * ns.lba_bytes();
  uint8_t* buf = bounce_.data();
  MediaOp mop;
  mop.kind = write ? MediaOp::Kind::kWrite : MediaOp::Kind::kRead;
  mop.nsid = s.nsid;
  mop.slba = slba;
  mop.nlb = nlb;
  mop.bytes = bytes;
  mop.fua = Fua(s);
  // The media model's map lookup then overlaps the data transfer below.
  media_->Prefetch(mop);
  if (write) {
    st = FromHost(s, buf, bytes);
    if (!st.ok()) return st;
    const bool cached = vwc_enabled_ && ns.volatile_write_cache() && !Fua(s);
    ns.store().Write(off, buf, bytes, cached);
    if (!ns.uncorrectable().empty()) ns.uncorrectable().Remove(slba, nlb);
    health_.write_bytes += bytes;
    c.bytes = bytes;
    ++health_.host_write_commands;
    mop.kind = MediaOp::Kind::kWrite;
  } else {
    if (ns.uncorrectable().Intersects(slba, nlb) || ns.media_errors().Intersects(slba, nlb)) {
      ++health_.media_errors;
      return Status(MediaStatus::kUnrecoveredReadError);
    }
    // A read within one stored chunk goes to the host straight from the store.
    const uint8_t* src = ns.store().View(off, bytes);
    if (src == nullptr) {
      ns.store().Read(off, buf, bytes);
      src = buf;
    }
    st = ToHostBuffer(s, src, bytes, true);
    if (!st.ok()) return st;
    health_.read_bytes += bytes;
    c.bytes = bytes;
    ++health_.host_read_commands;
    mop.kind = MediaOp::Kind::kRead;
  }
  c.media_ps = media_->LatencyPs(mop, NowPs());
  return Status::Ok();
}

Status NvmeController::NvmSimple(Command& c) {
  const spec::Sqe& s = c.sqe;
  Namespace& ns = *subsystem_.Find(s.nsid);
  const auto op = static_cast<NvmOpcode>(s.opcode);
  MediaOp mop;
  mop.nsid = s.nsid;
  switch (op) {
    case NvmOpcode::kFlush:  // NVM 3.3.2 / Base 2.0 7.1
      ns.store().Flush();
      mop.kind = MediaOp::Kind::kFlush;
      break;
    case NvmOpcode::kWriteZeroes:         // NVM 3.3.7
    case NvmOpcode::kWriteUncorrectable:  // NVM 3.3.6
    case NvmOpcode::kVerify: {            // NVM 3.3.5
      const uint64_t slba = Slba(s), nlb = Nlb(s);
      if (!InRange(ns, slba, nlb)) return Status(GenericStatus::kLbaOutOfRange, true);
      mop.slba = slba;
      mop.nlb = nlb;
      if (op == NvmOpcode::kWriteZeroes) {
        ns.store().Zero(slba * ns.lba_bytes(), nlb * ns.lba_bytes(), false);
        ns.uncorrectable().Remove(slba, nlb);
        mop.kind = MediaOp::Kind::kWrite;
      } else if (op == NvmOpcode::kWriteUncorrectable) {
        // Only marks the blocks (NVM 3.3.6): no data goes to the media.
        ns.uncorrectable().Add(slba, nlb);
        mop.kind = MediaOp::Kind::kOther;
      } else {
        if (ns.uncorrectable().Intersects(slba, nlb) || ns.media_errors().Intersects(slba, nlb)) {
          ++health_.media_errors;
          return Status(MediaStatus::kUnrecoveredReadError);
        }
        mop.kind = MediaOp::Kind::kVerify;
      }
      break;
    }
    case NvmOpcode::kCompare: {  // NVM 3.3.1
      const uint64_t slba = Slba(s), nlb = Nlb(s);
      if (!InRange(ns, slba, nlb)) return Status(GenericStatus::kLbaOutOfRange, true);
      const uint64_t bytes = nlb * ns.lba_bytes();
      Status st = CheckMdts(bytes);
      if (!st.ok()) return st;
      if (ns.uncorrectable().Intersects(slba, nlb) || ns.media_errors().Intersects(slba, nlb)) {
        ++health_.media_errors;
        return Status(MediaStatus::kUnrecoveredReadError);
      }
      st = FromHost(s, bounce_.data(), bytes);
      if (!st.ok()) return st;
      if (!ns.store().Compare(slba * ns.lba_bytes(), bounce_.data(), bytes))
        return Status(MediaStatus::kCompareFailure, true);
      mop.kind = MediaOp::Kind::kRead;
      break;
    }
    case NvmOpcode::kDatasetManagement: {  // NVM 3.3.3, range format Figure 39
      const uint32_t nr = (s.cdw10 & 0xFF) + 1;
      const bool deallocate = (s.cdw11 >> 2) & 1u;
      uint8_t* ranges = bounce_.data();
      Status st = FromHost(s, ranges, uint64_t{nr} * 16);
      if (!st.ok()) return st;
      // Range i: Length in logical blocks at bytes 4-7, Starting LBA at 8-15.
      auto range_at = [ranges](uint32_t i) {
        uint32_t len = 0;
        uint64_t slba = 0;
        std::memcpy(&len, ranges + 16 * i + 4, 4);
        std::memcpy(&slba, ranges + 16 * i + 8, 8);
        return std::pair<uint64_t, uint32_t>{slba, len};
      };
      for (uint32_t i = 0; i < nr; ++i) {
        const auto [slba, len] = range_at(i);
        if (!InRange(ns, slba, len)) return Status(GenericStatus::kLbaOutOfRange, true);
      }
      if (!deallocate) {
        mop.kind = MediaOp::Kind::kOther;  // attributes only: nothing for the media to do
        break;
      }
      // Each range reaches the media (its FTL unmaps what it covers); the
      // command is done when the last range is.
      uint64_t media_ps = 0;
      for (uint32_t i = 0; i < nr; ++i) {
        const auto [slba, len] = range_at(i);
        // Deallocated blocks read back as zeroes (DLFEAT = 001b).
        ns.store().Zero(slba * ns.lba_bytes(), uint64_t{len} * ns.lba_bytes(), false);
        ns.uncorrectable().Remove(slba, len);
        MediaOp range = mop;
        range.kind = MediaOp::Kind::kDeallocate;
        range.slba = slba;
        range.nlb = len;
        range.bytes = uint64_t{len} * ns.lba_bytes();
        media_ps = std::max(media_ps, media_->LatencyPs(range, NowPs()));
      }
      c.media_ps = media_ps;
      return Status::Ok();
    }
    case NvmOpcode::kCopy: {  // NVM 3.3.4, source range format 0h (Figure 35)
      const uint64_t sdlba = Slba(s);
      const uint32_t nr = (s.cdw12 & 0xFF) + 1;
      const uint8_t format = (s.cdw12 >> 8) & 0xF;
      if (format != 0) return Status(GenericStatus::kInvalidField, true);
      if (nr > 128) return Status(CommandSpecificStatus::kCommandSizeLimitExceeded, true);  // MSRC
      uint8_t* desc = bounce_.data();
      Status st = FromHost(s, desc, uint64_t{nr} * 32);
      if (!st.ok()) return st;
      std::vector<std::pair<uint64_t, uint64_t>> src(nr);
      uint64_t total = 0;
      for (uint32_t i = 0; i < nr; ++i) {
        uint64_t slba = 0;
        uint16_t nlb0 = 0;
        std::memcpy(&slba, desc + 32 * i + 8, 8);
        std::memcpy(&nlb0, desc + 32 * i + 16, 2);
        const uint64_t nlb = uint64_t{nlb0} + 1;
        if (!InRange(ns, slba, nlb)) return Status(GenericStatus::kLbaOutOfRange, true);
        if (ns.uncorrectable().Intersects(slba, nlb) || ns.media_errors().Intersects(slba, nlb)) {
          ++health_.media_errors;
          return Status(MediaStatus::kUnrecoveredReadError);
        }
        src[i] = {slba, nlb};
        total += nlb;
      }
      if (!InRange(ns, sdlba, total)) return Status(GenericStatus::kLbaOutOfRange, true);
      std::vector<uint8_t> data(total * ns.lba_bytes());
      uint64_t at = 0;
      for (const auto& [slba, nlb] : src) {
        ns.store().Read(slba * ns.lba_bytes(), data.data() + at, nlb * ns.lba_bytes());
        at += nlb * ns.lba_bytes();
      }
      const bool cached = vwc_enabled_ && ns.volatile_write_cache() && !Fua(s);
      ns.store().Write(sdlba * ns.lba_bytes(), data.data(), data.size(), cached);
      ns.uncorrectable().Remove(sdlba, total);
      mop.kind = MediaOp::Kind::kWrite;
      mop.slba = sdlba;
      mop.nlb = total;
      break;
    }
    default:
      return Status(GenericStatus::kInvalidOpcode, true);
  }
  c.media_ps = media_->LatencyPs(mop, NowPs());
  return Status::Ok();
}

}  // namespace nvmesim::device

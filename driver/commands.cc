#include "driver/commands.h"

#include <cstring>

#include "driver/internal/nvme_defs.h"

namespace nvmesim::driver::commands {

namespace {
spec::Sqe Admin(spec::AdminOpcode op) {
  spec::Sqe s;
  s.opcode = static_cast<uint8_t>(op);
  return s;
}
spec::Sqe Io(spec::NvmOpcode op, uint32_t nsid) {
  spec::Sqe s;
  s.opcode = static_cast<uint8_t>(op);
  s.nsid = nsid;
  return s;
}
void SetSlba(spec::Sqe& s, uint64_t slba) {
  s.cdw10 = static_cast<uint32_t>(slba);
  s.cdw11 = static_cast<uint32_t>(slba >> 32);
}
constexpr uint32_t kFua = 1u << 30;  // Read/Write CDW12, NVM 3.2 (Read/Write CDW12 bit 30)
}  // namespace

spec::Sqe Identify(uint8_t cns, uint32_t nsid, uint16_t cntid, uint8_t csi, uint64_t prp1) {
  spec::Sqe s = Admin(spec::AdminOpcode::kIdentify);
  s.nsid = nsid;
  s.prp1 = prp1;
  s.cdw10 = (uint32_t{cntid} << 16) | cns;  // Identify CDW10, base 5.17
  s.cdw11 = uint32_t{csi} << 24;            // Identify CDW11, base 5.17
  return s;
}

spec::Sqe SetFeatures(uint8_t fid, uint32_t cdw11, uint32_t nsid) {
  spec::Sqe s = Admin(spec::AdminOpcode::kSetFeatures);
  s.nsid = nsid;
  s.cdw10 = fid;  // Set Features CDW10, base 5.27: FID 7:0, SV bit 31 (not saved)
  s.cdw11 = cdw11;
  return s;
}

spec::Sqe GetFeatures(uint8_t fid, uint8_t select, uint32_t nsid) {
  spec::Sqe s = Admin(spec::AdminOpcode::kGetFeatures);
  s.nsid = nsid;
  s.cdw10 = (uint32_t{select & 7u} << 8) | fid;  // Get Features CDW10, base 5.15
  return s;
}

spec::Sqe GetLogPage(uint8_t lid, uint32_t nsid, uint32_t bytes, bool retain_async_event,
                     uint64_t prp1, uint64_t prp2) {
  spec::Sqe s = Admin(spec::AdminOpcode::kGetLogPage);
  s.nsid = nsid;
  s.prp1 = prp1;
  s.prp2 = prp2;
  const uint32_t numd = bytes / 4 - 1;  // 0-based dwords, Get Log Page CDW10, base 5.16/198
  s.cdw10 = ((numd & 0xFFFFu) << 16) | (retain_async_event ? (1u << 15) : 0u) | lid;
  s.cdw11 = numd >> 16;
  return s;
}

spec::Sqe CreateIoCq(uint16_t qid, uint32_t entries, uint64_t bus, uint16_t vector, bool ien) {
  spec::Sqe s = Admin(spec::AdminOpcode::kCreateIoCq);
  s.prp1 = bus;
  s.cdw10 = nvme::CreateQueueCdw10(qid, entries);
  s.cdw11 = nvme::CreateCqCdw11(vector, ien);
  return s;
}

spec::Sqe CreateIoSq(uint16_t qid, uint32_t entries, uint64_t bus, uint16_t cqid) {
  spec::Sqe s = Admin(spec::AdminOpcode::kCreateIoSq);
  s.prp1 = bus;
  s.cdw10 = nvme::CreateQueueCdw10(qid, entries);
  s.cdw11 = nvme::CreateSqCdw11(cqid, 0);
  return s;
}

spec::Sqe DeleteIoSq(uint16_t qid) {
  spec::Sqe s = Admin(spec::AdminOpcode::kDeleteIoSq);
  s.cdw10 = qid;  // base 2.0 5.7
  return s;
}

spec::Sqe DeleteIoCq(uint16_t qid) {
  spec::Sqe s = Admin(spec::AdminOpcode::kDeleteIoCq);
  s.cdw10 = qid;  // base 2.0 5.6
  return s;
}

spec::Sqe Abort(uint16_t sqid, uint16_t cid) {
  spec::Sqe s = Admin(spec::AdminOpcode::kAbort);
  s.cdw10 = (uint32_t{cid} << 16) | sqid;  // Abort CDW10, base 5.1
  return s;
}

spec::Sqe AsyncEventRequest() { return Admin(spec::AdminOpcode::kAsyncEventRequest); }
spec::Sqe KeepAlive() { return Admin(spec::AdminOpcode::kKeepAlive); }

spec::Sqe NamespaceCreate(uint8_t csi, uint64_t prp1) {
  spec::Sqe s = Admin(spec::AdminOpcode::kNamespaceManagement);
  s.prp1 = prp1;
  s.cdw10 = 0;                    // SEL 0h: create (Namespace Management CDW10, base 5.21)
  s.cdw11 = uint32_t{csi} << 24;  // CSI 31:24
  return s;
}

spec::Sqe NamespaceDelete(uint32_t nsid) {
  spec::Sqe s = Admin(spec::AdminOpcode::kNamespaceManagement);
  s.nsid = nsid;
  s.cdw10 = 1;  // SEL 1h: delete
  return s;
}

spec::Sqe NamespaceAttach(uint32_t nsid, bool attach, uint64_t prp1) {
  spec::Sqe s = Admin(spec::AdminOpcode::kNamespaceAttachment);
  s.nsid = nsid;
  s.prp1 = prp1;
  s.cdw10 = attach ? 0u : 1u;  // Namespace Attachment CDW10, base 5.20: SEL 0h attach, 1h detach
  return s;
}

spec::Sqe ReadWrite(spec::NvmOpcode op, uint32_t nsid, uint64_t slba, uint32_t blocks, bool fua) {
  spec::Sqe s = Io(op, nsid);
  SetSlba(s, slba);
  s.cdw12 = ((blocks - 1) & 0xFFFFu) | (fua ? kFua : 0u);
  return s;
}

spec::Sqe Flush(uint32_t nsid) { return Io(spec::NvmOpcode::kFlush, nsid); }

spec::Sqe WriteZeroes(uint32_t nsid, uint64_t slba, uint32_t blocks, bool fua) {
  spec::Sqe s = Io(spec::NvmOpcode::kWriteZeroes, nsid);
  SetSlba(s, slba);
  s.cdw12 = ((blocks - 1) & 0xFFFFu) | (fua ? kFua : 0u);  // Write Zeroes CDW12, NVM 3.2
  return s;
}

spec::Sqe Deallocate(uint32_t nsid, uint32_t ranges, uint64_t prp1) {
  spec::Sqe s = Io(spec::NvmOpcode::kDatasetManagement, nsid);
  s.prp1 = prp1;
  s.cdw10 = (ranges - 1) & 0xFFu;  // NR, 0-based (DSM CDW10, NVM 3.2)
  s.cdw11 = 1u << 2;               // AD: attribute deallocate (DSM CDW11, NVM 3.2)
  return s;
}

spec::Sqe Copy(uint32_t nsid, uint64_t sdlba, uint32_t ranges, bool fua, uint64_t prp1) {
  spec::Sqe s = Io(spec::NvmOpcode::kCopy, nsid);
  s.prp1 = prp1;
  SetSlba(s, sdlba);
  // Copy CDW12, NVM 3.2: NR 7:0 (0-based), descriptor format 11:8 = 0, FUA bit 30.
  s.cdw12 = ((ranges - 1) & 0xFFu) | (fua ? kFua : 0u);
  return s;
}

void WriteDsmRange(uint8_t* page, uint32_t index, uint64_t slba, uint32_t blocks) {
  uint8_t* r = page + size_t{index} * kDsmRangeBytes;
  const uint32_t attributes = 0;
  std::memcpy(r + 0, &attributes, 4);  // context attributes
  std::memcpy(r + 4, &blocks, 4);      // length in logical blocks (1-based)
  std::memcpy(r + 8, &slba, 8);        // starting LBA
}

void WriteCopyRange(uint8_t* page, uint32_t index, uint64_t slba, uint32_t blocks) {
  uint8_t* r = page + size_t{index} * kCopyRangeBytes;
  std::memset(r, 0, kCopyRangeBytes);
  const uint16_t nlb = static_cast<uint16_t>(blocks - 1);
  std::memcpy(r + 8, &slba, 8);  // SLBA bytes 15:08
  std::memcpy(r + 16, &nlb, 2);  // NLB bytes 17:16, 0-based
}

}  // namespace nvmesim::driver::commands

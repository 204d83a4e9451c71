// Submission queue entries of the Zoned Namespace command set (ZNS 1.1:
// Zone Management Send, Zone Management Receive, Zone Append). The data
// pointer is left to the caller (the driver's SubmitIo sets it).
#pragma once

#include <cstdint>

#include "spec/command.h"
#include "spec/opcodes.h"
#include "spec/zns.h"

namespace nvmesim::driver::zoned {

// Zone Management Send: SLBA in CDW10/11, ZSA in CDW13 bits 7:0, Select All (bit 8) clear.
inline spec::Sqe ZoneSendSqe(uint32_t nsid, uint64_t slba, spec::ZoneSendAction action) {
  spec::Sqe s{};
  s.opcode = static_cast<uint8_t>(spec::ZnsOpcode::kZoneManagementSend);
  s.nsid = nsid;
  s.cdw10 = static_cast<uint32_t>(slba);
  s.cdw11 = static_cast<uint32_t>(slba >> 32);
  s.cdw13 = static_cast<uint8_t>(action);
  return s;
}

// Zone Management Receive, Report Zones of every state (ZRASF 0) with Partial Report set.
inline spec::Sqe ZoneReportSqe(uint32_t nsid, uint64_t slba, uint32_t bytes) {
  spec::Sqe s{};
  s.opcode = static_cast<uint8_t>(spec::ZnsOpcode::kZoneManagementReceive);
  s.nsid = nsid;
  s.cdw10 = static_cast<uint32_t>(slba);
  s.cdw11 = static_cast<uint32_t>(slba >> 32);
  s.cdw12 = bytes / 4 - 1;  // NUMD, 0's based dwords
  s.cdw13 = (1u << 16);     // Partial Report
  return s;
}

// Zone Append to the zone starting at `zslba`: NLB (0's based) in CDW12 bits 15:0.
inline spec::Sqe ZoneAppendSqe(uint32_t nsid, uint64_t zslba, uint32_t blocks) {
  spec::Sqe s{};
  s.opcode = static_cast<uint8_t>(spec::ZnsOpcode::kZoneAppend);
  s.nsid = nsid;
  s.cdw10 = static_cast<uint32_t>(zslba);
  s.cdw11 = static_cast<uint32_t>(zslba >> 32);
  s.cdw12 = blocks - 1;
  return s;
}

}  // namespace nvmesim::driver::zoned

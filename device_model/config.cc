#include "device_model/config.h"

#include <set>

namespace nvmesim::device {

namespace {
std::string Err(const char* field, const std::string& what) {
  return std::string(field) + ": " + what;
}
}  // namespace

std::string ValidateControllerConfig(const ControllerConfig& c) {
  if (c.max_queue_entries < 2 || c.max_queue_entries > 65536)  // CAP.MQES >= 1 (Figure 36)
    return Err("max_queue_entries", "must be 2..65536, got " + std::to_string(c.max_queue_entries));
  if (c.max_io_queues < 1)  // Number of Queues NSQR/NCQR 0..65534 (Figure 327)
    return Err("max_io_queues", "must be 1..65535");
  if (c.msix_vectors < 1 || c.msix_vectors > 2048)  // MSI-X Table Size (PCIe 5.0 7.7.2.2)
    return Err("msix_vectors", "must be 1..2048, got " + std::to_string(c.msix_vectors));
  if (c.doorbell_stride > 15) return Err("doorbell_stride", "CAP.DSTRD is 4 bits (0..15)");
  if (c.timeout_500ms == 0) return Err("timeout_500ms", "CAP.TO must be 1..255");
  if (c.mpsmin > 15 || c.mpsmax > 15 || c.mpsmin > c.mpsmax)
    return Err("mpsmin/mpsmax", "must satisfy 0 <= mpsmin <= mpsmax <= 15");
  if (c.mdts > 20) return Err("mdts", "must be 0..20 (2^20 pages)");
  if (c.firmware_slots < 1 || c.firmware_slots > 7)  // FRMW.NOFS (Figure 275)
    return Err("firmware_slots", "must be 1..7");
  if (c.cntlid >= 0xFFF0)  // FFF0h-FFFFh reserved (Figure 275 CNTLID)
    return Err("cntlid", "must be below 0xFFF0");
  const uint64_t to_ps = uint64_t{c.timeout_500ms} * 500'000'000'000ull;
  if (c.enable_time_ps > to_ps) return Err("enable_time_ps", "exceeds CAP.TO");
  if (c.disable_time_ps > to_ps) return Err("disable_time_ps", "exceeds CAP.TO");
  if (c.shutdown_time_ps > to_ps) return Err("shutdown_time_ps", "exceeds CAP.TO");
  if (c.completion_window_ps > kEngineQuantumPs)
    return Err("completion_window_ps", "must be 0.." + std::to_string(kEngineQuantumPs) +
                                           " (one engine quantum), got " +
                                           std::to_string(c.completion_window_ps));
  if (c.serial.size() > 20) return Err("serial", "longer than 20 bytes (SN)");
  if (c.model.size() > 40) return Err("model", "longer than 40 bytes (MN)");
  if (c.firmware.size() > 8) return Err("firmware", "longer than 8 bytes (FR)");
  if (c.warning_kelvin >= c.critical_kelvin)
    return Err("warning_kelvin", "must be below critical_kelvin");
  return "";
}

std::string ValidateNamespaceConfig(const NamespaceConfig& n) {
  if (n.nsid == 0 || n.nsid == 0xFFFFFFFFu)
    return Err("nsid", "0 and FFFFFFFFh are not valid NSIDs");
  if (n.lba_bytes != 512 && n.lba_bytes != 4096) return Err("lba_bytes", "must be 512 or 4096");
  if (n.size_lbas == 0) return Err("size_lbas", "must be > 0");
  if (n.size_lbas > (uint64_t{1} << 48)) return Err("size_lbas", "must be <= 2^48");
  if (n.csi != 0 && n.csi != 2) return Err("csi", "must be 0 (NVM) or 2 (Zoned)");
  return "";
}

std::string ValidateSubsystemConfig(const SubsystemConfig& s) {
  if (s.nqn.empty() || s.nqn.size() > 223)  // NQN max 223 bytes (Base 2.0 4.5)
    return Err("nqn", "must be 1..223 bytes");
  // NN: 1..FFFFFFFEh (Base 2.0 Figure 275; FFFFFFFFh is the broadcast NSID).
  // Above 1024 the host pages through Identify CNS 02h from the last NSID seen.
  if (s.max_namespaces == 0 || s.max_namespaces > 0xFFFFFFFEu)
    return Err("max_namespaces", "must be 1..4294967294 (NN, Base 2.0 Figure 275)");
  if (s.ana_groups > s.max_namespaces) return Err("ana_groups", "must be <= max_namespaces");
  std::set<uint32_t> seen;
  uint64_t used = 0;
  for (const auto& n : s.namespaces) {
    std::string e = ValidateNamespaceConfig(n);
    if (!e.empty()) return "namespace " + std::to_string(n.nsid) + ": " + e;
    if (n.nsid > s.max_namespaces) return Err("nsid", "beyond max_namespaces");
    if (!seen.insert(n.nsid).second) return Err("nsid", "duplicate " + std::to_string(n.nsid));
    if (n.ana_group > s.ana_groups) return Err("ana_group", "beyond ana_groups");
    used += n.size_lbas * n.lba_bytes;
  }
  if (used > s.capacity_bytes) return Err("capacity_bytes", "smaller than the namespaces");
  return "";
}

}  // namespace nvmesim::device

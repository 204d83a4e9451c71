// Construction parameters of the NVMe controller model and its subsystem.
// Validate*() returns "" or the first problem, naming the field and limit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nvmesim::spec {
class TraceSink;
}

namespace nvmesim::device {

class MediaTiming;
namespace thermal {
class ThermalModel;
}

struct NamespaceConfig {
  uint32_t nsid = 1;
  uint64_t size_lbas = 1u << 20;  // NSZE = NCAP
  uint32_t lba_bytes = 4096;      // 512 or 4096 (LBA formats 0 and 1)
  uint8_t csi = 0;                // Base 2.0 Figure 286: 0 NVM, 2 Zoned
  uint32_t ana_group = 1;         // ANAGRPID (0 when ANA is off)
  bool shared = true;             // NMIC.SHRNS: may attach to several controllers
  bool volatile_write_cache = false;
  // Controllers the namespace is attached to at start; empty = every controller.
  std::vector<uint16_t> attached;
};

struct SubsystemConfig {
  std::string nqn = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-00000000c0de";
  uint64_t capacity_bytes = uint64_t{64} << 30;  // TNVMCAP for namespace management
  uint32_t max_namespaces = 32;                  // NN (Base 2.0 Figure 275)
  uint32_t ana_groups = 4;                       // ANAGRPMAX / NANAGRPID
  std::vector<NamespaceConfig> namespaces = {NamespaceConfig{}};
};

// The engine runs ahead of SystemC time by at most this much within one
// activation (temporal decoupling).
inline constexpr uint64_t kEngineQuantumPs = 1'000'000;  // 1 us

struct ControllerConfig {
  std::string name = "ctrl0";
  uint16_t cntlid = 0;                // unique in the subsystem (Base 2.0 Figure 275 CNTLID)
  uint32_t max_queue_entries = 4096;  // CAP.MQES + 1, 2..65536 (Base 2.0 Figure 36)
  uint16_t max_io_queues = 64;        // SQ and CQ pairs offered through Number of Queues
  uint16_t msix_vectors = 65;         // MSI-X table size (PCIe 5.0 7.7.2), 1..2048
  uint8_t doorbell_stride = 0;        // CAP.DSTRD: stride 4 << DSTRD bytes
  uint8_t timeout_500ms = 20;         // CAP.TO (500 ms units), 1..255
  uint8_t mpsmin = 0, mpsmax = 4;     // CAP.MPSMIN/MPSMAX: 2^(12+x) bytes, 0..15
  uint8_t mdts = 5;                   // MDTS: 2^mdts min pages per command; 0 = no limit
  bool weighted_round_robin = true;   // CAP.AMS bit 0 (WRR with urgent)
  bool sgl_support = true;            // SGLS bit 0 (Base 2.0 Figure 275)
  bool nssr_support = true;           // CAP.NSSRS
  uint8_t aerl = 3;                   // AERL, 0's based (Base 2.0 Figure 275)
  uint8_t acl = 3;                    // ACL, 0's based
  uint8_t firmware_slots = 3;         // FRMW.NOFS, 1..7
  // Controller state transition times (ps of simulated time); each must be
  // within CAP.TO (Base 2.0 Figure 36).
  uint64_t enable_time_ps = 1'000'000;  // 1 us
  uint64_t disable_time_ps = 1'000'000;
  uint64_t shutdown_time_ps = 2'000'000;
  // Per-command controller cost added to every command (ps), and per SQE fetch.
  uint64_t command_overhead_ps = 0;
  // Loosely timed completion posting: one activation posts every timed
  // completion due within this window of the first, each CQE write at its own
  // due time, and sends each vector's MSI-X once, at the last one's time (an
  // interrupt no earlier than its completions, at most one window late).
  // 0: every completion and its interrupt at its own time. At most one engine
  // quantum (kEngineQuantumPs).
  uint64_t completion_window_ps = 0;
  std::string serial = "NVMESIM0001";
  std::string model = "nvmesim NVMe 2.0 controller";
  std::string firmware = "1.0";
  uint16_t vendor_id = 0x1b36;  // PCI vendor id reported in Identify VID
  // Temperatures (Kelvin) for the thermal model and SMART (Base 2.0 Figure 207).
  uint16_t ambient_kelvin = 308;
  uint16_t warning_kelvin = 343;   // WCTEMP
  uint16_t critical_kelvin = 358;  // CCTEMP
  MediaTiming* media = nullptr;    // null: zero-cost media
  // Thermal and power model (device_model/thermal), not owned. Null: the
  // composite temperature is the ambient (or an override) and only PS0 exists.
  thermal::ThermalModel* thermal = nullptr;
  spec::TraceSink* trace = nullptr;  // may be null
};

std::string ValidateControllerConfig(const ControllerConfig& c);
std::string ValidateNamespaceConfig(const NamespaceConfig& n);
std::string ValidateSubsystemConfig(const SubsystemConfig& s);

}  // namespace nvmesim::device

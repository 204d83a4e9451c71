// What makes two controllers part of one NVM subsystem and two namespaces the
// same namespace, and the ANA log, parsed from the raw pages the controller
// returns. Pure functions (no I/O), unit-tested on hand-built pages.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "driver/multipath/path.h"

namespace nvmesim::driver::multipath {

struct ControllerIdentity {
  std::string subnqn;   // Identify Controller SUBNQN, bytes 768..1023 (Base 2.0 Figure 275)
  uint16_t cntlid = 0;  // bytes 78..79
  uint8_t cmic = 0;     // byte 76: bit 3 ANA reporting, bit 1 multiple controllers
  uint8_t anatt = 0;    // byte 342: ANA Transition Time, seconds
};
ControllerIdentity ParseControllerIdentity(const uint8_t* page);  // 4096-byte page

struct NamespaceIds {
  std::array<uint8_t, 16> nguid{};  // Identify Namespace bytes 104..119 (NVM Figure 97)
  std::array<uint8_t, 8> eui64{};   // bytes 120..127
  std::array<uint8_t, 16>
      uuid{};             // Namespace Identification Descriptor type 3 (Base 2.0 Figure 276)
  uint32_t anagrpid = 0;  // bytes 92..95
  uint8_t nmic = 0;       // byte 30: bit 0 shared
  bool has_nguid() const;
  bool has_eui64() const;
  bool has_uuid() const;
  std::string ToString() const;  // "nguid 4e00.. eui64 00a0.." for reports
};
// Identify Namespace (CNS 00h) fields.
void ParseIdentifyNamespaceIds(const uint8_t* page, NamespaceIds* ids);
// Namespace Identification Descriptor list (CNS 03h, Base 2.0 5.17.2.3): EUI-64,
// NGUID and UUID descriptors; the list ends at a descriptor with NIDL 0.
// Returns false on a malformed list (a length that does not match its type).
bool ParseDescriptorList(const uint8_t* page, NamespaceIds* ids);

// Same namespace behind two controllers of one subsystem: every identifier
// both report must be equal, and one that reports an identifier the other
// lacks is a mismatch (Base 2.0 4.7.1: a namespace reports the same globally
// unique identifiers through every controller). Two namespaces with no
// identifier at all match by NSID alone.
bool SameNamespace(const NamespaceIds& a, const NamespaceIds& b);

// ANA log (LID 0Ch, Base 2.0 5.16.1.13, Figures 217-219), with or without RGO.
struct AnaLog {
  uint64_t change_count = 0;
  std::map<uint32_t, AnaState> groups;  // ANAGRPID -> state
};
// Returns "" or why the log is malformed (a descriptor past `size`, a reserved state).
std::string ParseAnaLog(const uint8_t* log, size_t size, AnaLog* out);

}  // namespace nvmesim::driver::multipath

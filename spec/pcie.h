// PCI Express 5.0 configuration-space layouts used by host and device.
// PCIe Base Specification 5.0: 7.5.1 (type 0 configuration header), 7.5.2
// (PCI Power Management capability), 7.5.3 (PCI Express capability), 7.7.2
// (MSI-X capability and table). Class code: PCI Code and ID Assignment
// Specification 1.11, base class 01h / sub-class 08h / prog-if 02h (NVM Express).
// Packed structs with size and offset checks; no behaviour.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nvmesim::spec {

// 7.5.1.1: PCI-compatible configuration space is 256 bytes; PCIe extended
// configuration space runs to 4096 bytes (7.2.2).
inline constexpr uint32_t kPciConfigSpaceSize = 256;
inline constexpr uint32_t kPcieConfigSpaceSize = 4096;
// 7.5.1.1.9: the capabilities pointer / list start; 7.6.2: first extended capability.
inline constexpr uint32_t kPcieExtendedCapabilityStart = 0x100;

// Class code (PCI Code and ID Assignment 1.11): mass storage / NVM / NVM Express I/O controller.
inline constexpr uint32_t kNvmeClassCode = 0x010802;

// Capability ids (PCI Code and ID Assignment 1.11, section 2).
enum CapabilityId : uint8_t {
  kPowerManagement = 0x01,
  kMsi = 0x05,
  kPciExpress = 0x10,
  kMsix = 0x11,
};

// 7.5.1.1.3 Command register bits.
enum CommandBits : uint16_t {
  kCommandIoSpace = 1u << 0,
  kCommandMemorySpace = 1u << 1,
  kCommandBusMaster = 1u << 2,
  kCommandParityErrorResponse = 1u << 6,
  kCommandSerrEnable = 1u << 8,
  kCommandInterruptDisable = 1u << 10,
};

// 7.5.1.1.4 Status register bits.
enum StatusBits : uint16_t {
  kStatusInterrupt = 1u << 3,
  kStatusCapabilitiesList = 1u << 4,
  kStatusSignaledTargetAbort = 1u << 11,
  kStatusReceivedTargetAbort = 1u << 12,
  kStatusReceivedMasterAbort = 1u << 13,
  kStatusSignaledSystemError = 1u << 14,
  kStatusDetectedParityError = 1u << 15,
};

// 7.5.1.2.1 Base Address register encoding (memory space).
inline constexpr uint32_t kBarMemoryType64 = 0x4;     // bits 2:1 = 10b
inline constexpr uint32_t kBarPrefetchable = 0x8;     // bit 3
inline constexpr uint32_t kBarMemoryFlagsMask = 0xF;  // bits 3:0 are flags

// 7.5.1 / Figure 7-10: type 0 configuration space header (64 bytes).
struct ConfigHeaderType0 {
  uint16_t vendor_id;            // 00h
  uint16_t device_id;            // 02h
  uint16_t command;              // 04h
  uint16_t status;               // 06h
  uint8_t revision_id;           // 08h
  uint8_t class_code[3];         // 09h: prog-if, sub-class, base class
  uint8_t cache_line_size;       // 0Ch
  uint8_t latency_timer;         // 0Dh
  uint8_t header_type;           // 0Eh
  uint8_t bist;                  // 0Fh
  uint32_t bar[6];               // 10h-24h
  uint32_t cardbus_cis_pointer;  // 28h
  uint16_t subsystem_vendor_id;  // 2Ch
  uint16_t subsystem_id;         // 2Eh
  uint32_t expansion_rom_base;   // 30h
  uint8_t capabilities_pointer;  // 34h
  uint8_t reserved[7];           // 35h
  uint8_t interrupt_line;        // 3Ch
  uint8_t interrupt_pin;         // 3Dh
  uint8_t min_gnt;               // 3Eh
  uint8_t max_lat;               // 3Fh
} __attribute__((packed));
static_assert(sizeof(ConfigHeaderType0) == 64);
static_assert(offsetof(ConfigHeaderType0, command) == 0x04);
static_assert(offsetof(ConfigHeaderType0, class_code) == 0x09);
static_assert(offsetof(ConfigHeaderType0, header_type) == 0x0E);
static_assert(offsetof(ConfigHeaderType0, bar) == 0x10);
static_assert(offsetof(ConfigHeaderType0, subsystem_vendor_id) == 0x2C);
static_assert(offsetof(ConfigHeaderType0, capabilities_pointer) == 0x34);
static_assert(offsetof(ConfigHeaderType0, interrupt_line) == 0x3C);

// Header register offsets (7.5.1.1), for byte-addressed access.
enum ConfigHeaderOffset : uint32_t {
  kCfgVendorId = 0x00,
  kCfgDeviceId = 0x02,
  kCfgCommand = 0x04,
  kCfgStatus = 0x06,
  kCfgRevisionId = 0x08,
  kCfgClassCode = 0x09,
  kCfgHeaderType = 0x0E,
  kCfgBar0 = 0x10,
  kCfgBar1 = 0x14,
  kCfgSubsystemVendorId = 0x2C,
  kCfgSubsystemId = 0x2E,
  kCfgCapabilitiesPointer = 0x34,
  kCfgInterruptLine = 0x3C,
  kCfgInterruptPin = 0x3D,
};

// 7.5.2: PCI Power Management capability (8 bytes).
struct PowerManagementCapability {
  uint8_t cap_id;  // 01h
  uint8_t next;
  uint16_t pmc;    // 7.5.2.1: version 2:0, D1/D2 support, PME support
  uint16_t pmcsr;  // 7.5.2.2: power state 1:0, No_Soft_Reset bit 3, PME_En bit 8
  uint8_t pmcsr_bse;
  uint8_t data;
} __attribute__((packed));
static_assert(sizeof(PowerManagementCapability) == 8);
static_assert(offsetof(PowerManagementCapability, pmcsr) == 4);
inline constexpr uint16_t kPmcVersion3 = 0x3;           // 7.5.2.1 version 011b (PCI PM 1.2)
inline constexpr uint16_t kPmcsrPowerStateMask = 0x3;   // 7.5.2.2: 00b D0 .. 11b D3hot
inline constexpr uint16_t kPmcsrNoSoftReset = 1u << 3;  // 7.5.2.2

// 7.5.3: PCI Express capability structure (endpoint, version 2: 60 bytes).
struct PciExpressCapability {
  uint8_t cap_id;                 // 00h: 10h
  uint8_t next;                   // 01h
  uint16_t pcie_capabilities;     // 02h: 7.5.3.2 version 3:0, device/port type 7:4
  uint32_t device_capabilities;   // 04h: 7.5.3.3
  uint16_t device_control;        // 08h: 7.5.3.4
  uint16_t device_status;         // 0Ah: 7.5.3.5
  uint32_t link_capabilities;     // 0Ch: 7.5.3.6
  uint16_t link_control;          // 10h: 7.5.3.7
  uint16_t link_status;           // 12h: 7.5.3.8
  uint32_t slot_capabilities;     // 14h
  uint16_t slot_control;          // 18h
  uint16_t slot_status;           // 1Ah
  uint16_t root_control;          // 1Ch
  uint16_t root_capabilities;     // 1Eh
  uint32_t root_status;           // 20h
  uint32_t device_capabilities2;  // 24h: 7.5.3.15
  uint16_t device_control2;       // 28h: 7.5.3.16
  uint16_t device_status2;        // 2Ah
  uint32_t link_capabilities2;    // 2Ch: 7.5.3.18
  uint16_t link_control2;         // 30h: 7.5.3.19
  uint16_t link_status2;          // 32h
  uint32_t slot_capabilities2;    // 34h
  uint16_t slot_control2;         // 38h
  uint16_t slot_status2;          // 3Ah
} __attribute__((packed));
static_assert(sizeof(PciExpressCapability) == 0x3C);
static_assert(offsetof(PciExpressCapability, device_capabilities) == 0x04);
static_assert(offsetof(PciExpressCapability, device_control) == 0x08);
static_assert(offsetof(PciExpressCapability, link_capabilities) == 0x0C);
static_assert(offsetof(PciExpressCapability, link_status) == 0x12);
static_assert(offsetof(PciExpressCapability, device_capabilities2) == 0x24);
static_assert(offsetof(PciExpressCapability, link_capabilities2) == 0x2C);

// Register offsets inside the PCI Express capability.
enum PciExpressOffset : uint32_t {
  kPcieCapabilities = 0x02,
  kPcieDeviceCapabilities = 0x04,
  kPcieDeviceControl = 0x08,
  kPcieDeviceStatus = 0x0A,
  kPcieLinkCapabilities = 0x0C,
  kPcieLinkControl = 0x10,
  kPcieLinkStatus = 0x12,
  kPcieDeviceCapabilities2 = 0x24,
  kPcieDeviceControl2 = 0x28,
  kPcieLinkCapabilities2 = 0x2C,
  kPcieLinkControl2 = 0x30,
  kPcieLinkStatus2 = 0x32,
};

inline constexpr uint16_t kPcieCapVersion2 = 0x2;        // 7.5.3.2 capability version
inline constexpr uint16_t kPcieTypeEndpoint = 0x0 << 4;  // 7.5.3.2 device/port type 0000b
// 7.5.3.3 Device Capabilities: Max_Payload_Size Supported bits 2:0, FLR capability bit 28.
inline constexpr uint32_t kDevCapMpsMask = 0x7;
inline constexpr uint32_t kDevCapFlr = 1u << 28;
// 7.5.3.4 Device Control: MPS bits 7:5, MRRS bits 14:12, Initiate FLR bit 15.
inline constexpr uint16_t kDevCtlMpsShift = 5;
inline constexpr uint16_t kDevCtlMpsMask = 0x7 << 5;
inline constexpr uint16_t kDevCtlMrrsShift = 12;
inline constexpr uint16_t kDevCtlMrrsMask = 0x7 << 12;
inline constexpr uint16_t kDevCtlInitiateFlr = 1u << 15;
// 7.5.3.6 Link Capabilities: Max Link Speed 3:0, Maximum Link Width 9:4.
inline constexpr uint32_t kLinkCapSpeedMask = 0xF;
inline constexpr uint32_t kLinkCapWidthShift = 4;
inline constexpr uint32_t kLinkCapWidthMask = 0x3F << 4;
// 7.5.3.7 Link Control: Read Completion Boundary bit 3 (0 = 64 B, 1 = 128 B), Retrain Link bit 5.
inline constexpr uint16_t kLinkCtlRcb128 = 1u << 3;
inline constexpr uint16_t kLinkCtlRetrain = 1u << 5;
// 7.5.3.8 Link Status: Current Link Speed 3:0, Negotiated Link Width 9:4, Link Training bit 11.
inline constexpr uint16_t kLinkStaSpeedMask = 0xF;
inline constexpr uint16_t kLinkStaWidthShift = 4;
inline constexpr uint16_t kLinkStaWidthMask = 0x3F << 4;
// 7.5.3.18 Link Capabilities 2: Supported Link Speeds Vector bits 7:1 (bit 1 = 2.5 GT/s ...
// bit 5 = 32.0 GT/s).
inline constexpr uint32_t kLinkCap2SpeedsShift = 1;

// 7.5.3.4 Table 7-23: Max_Payload_Size / Max_Read_Request_Size encodings 000b-101b =
// 128..4096 bytes; 110b and 111b reserved.
constexpr uint32_t PayloadEncodingToBytes(uint32_t enc) { return 128u << enc; }
constexpr int PayloadBytesToEncoding(uint32_t bytes) {
  for (uint32_t e = 0; e <= 5; ++e) {
    if ((128u << e) == bytes) return static_cast<int>(e);
  }
  return -1;
}
static_assert(PayloadEncodingToBytes(0) == 128 && PayloadEncodingToBytes(5) == 4096);
static_assert(PayloadBytesToEncoding(512) == 2 && PayloadBytesToEncoding(96) == -1);

// 7.7.2: MSI-X capability structure (12 bytes).
struct MsixCapability {
  uint8_t cap_id;             // 00h: 11h
  uint8_t next;               // 01h
  uint16_t message_control;   // 02h: 7.7.2.2 table size 10:0 (N-1), function mask 14, enable 15
  uint32_t table_offset_bir;  // 04h: 7.7.2.3 BIR 2:0, offset 31:3
  uint32_t pba_offset_bir;    // 08h: 7.7.2.4 BIR 2:0, offset 31:3
} __attribute__((packed));
static_assert(sizeof(MsixCapability) == 12);
static_assert(offsetof(MsixCapability, message_control) == 2);
static_assert(offsetof(MsixCapability, table_offset_bir) == 4);
static_assert(offsetof(MsixCapability, pba_offset_bir) == 8);

enum MsixOffset : uint32_t {
  kMsixMessageControl = 0x02,
  kMsixTableOffset = 0x04,
  kMsixPbaOffset = 0x08,
};
inline constexpr uint16_t kMsixTableSizeMask = 0x07FF;   // 7.7.2.2: N-1, up to 2048 vectors
inline constexpr uint16_t kMsixFunctionMask = 1u << 14;  // 7.7.2.2
inline constexpr uint16_t kMsixEnable = 1u << 15;        // 7.7.2.2
inline constexpr uint32_t kMsixBirMask = 0x7;            // 7.7.2.3
inline constexpr uint32_t kMsixMaxVectors = 2048;        // 7.7.2.2

// 7.7.2 Figure 7-146: one MSI-X table entry (16 bytes).
struct MsixTableEntry {
  uint32_t msg_addr_lo;     // 7.7.2.5: bits 1:0 zero (DWORD aligned)
  uint32_t msg_addr_hi;     // 7.7.2.6
  uint32_t msg_data;        // 7.7.2.7
  uint32_t vector_control;  // 7.7.2.8: bit 0 Mask Bit (set at reset)
} __attribute__((packed));
static_assert(sizeof(MsixTableEntry) == 16);
static_assert(offsetof(MsixTableEntry, msg_data) == 8);
static_assert(offsetof(MsixTableEntry, vector_control) == 12);
inline constexpr uint32_t kMsixVectorMasked = 1u << 0;

}  // namespace nvmesim::spec

#include "spec/identify.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace nvmesim::spec {
namespace {

// Writes a field through the struct and checks the byte it lands on in the
// raw 4 KiB buffer, so a moved field fails here as well as in the asserts.
template <typename T>
std::vector<uint8_t> Bytes(const T& v) {
  std::vector<uint8_t> b(sizeof(T));
  std::memcpy(b.data(), &v, sizeof(T));
  return b;
}

TEST(IdentifyTest, ControllerRequiredOffsets) {
  EXPECT_EQ(offsetof(IdentifyController, mdts), 77u);
  EXPECT_EQ(offsetof(IdentifyController, cntlid), 78u);
  EXPECT_EQ(offsetof(IdentifyController, ver), 80u);
  EXPECT_EQ(offsetof(IdentifyController, oacs), 256u);
  EXPECT_EQ(offsetof(IdentifyController, sqes), 512u);
  EXPECT_EQ(offsetof(IdentifyController, nn), 516u);
  EXPECT_EQ(offsetof(IdentifyController, oncs), 520u);
  EXPECT_EQ(offsetof(IdentifyController, subnqn), 768u);
  EXPECT_EQ(offsetof(IdentifyController, psd), 2048u);
  EXPECT_EQ(sizeof(IdentifyController), 4096u);
  EXPECT_EQ(sizeof(PowerStateDescriptor), 32u);
}

TEST(IdentifyTest, ControllerFieldsLandOnTheirBytes) {
  IdentifyController id;
  id.vid = 0x1B36;
  std::memcpy(id.sn, "SN0001", 6);
  id.mdts = 5;
  id.cntlid = 0x0102;
  id.ver = 0x00020000;
  id.oaes = kOaesAnaChangeNotices;
  id.crdt1 = 0x0A0B;
  id.mec = 0x5A;
  id.oacs = kOacsFormatNvm | kOacsNamespaceManagement;
  id.npss = 4;
  id.wctemp = 343;
  id.cctemp = 353;
  id.tnvmcap = Uint128{0x1122334455667788ull, 0x99};
  id.kas = 10;
  id.hctma = kHctmaSupported;
  id.anatt = 10;
  id.anacap = kAnacapOptimized | kAnacapInaccessible;
  id.anagrpmax = 0x20;
  id.nanagrpid = 0x21;
  id.sqes = EntrySizes(6, 6);
  id.cqes = EntrySizes(4, 4);
  id.nn = 0xDEADBEEF;
  id.oncs = kOncsWriteZeroes | kOncsTimestamp;
  id.vwc = kVwcPresent;
  id.sgls = kSglsSupportedDwordAlignment | kSglsBitBucket;
  id.mnan = 0x400;
  std::memcpy(id.subnqn, "nqn.2014-08.org.nvmexpress:sim", 30);
  id.psd[0].mp = 2500;
  id.psd[1].enlat = 0x11223344;
  id.vs[0] = 0xEE;
  const auto b = Bytes(id);
  EXPECT_EQ(b[0], 0x36);
  EXPECT_EQ(b[1], 0x1B);
  EXPECT_EQ(b[4], 'S');
  EXPECT_EQ(b[77], 5);
  EXPECT_EQ(b[78], 0x02);
  EXPECT_EQ(b[79], 0x01);
  EXPECT_EQ(b[82], 0x02);  // VER 2.0.0: MJR in bytes 83:82
  EXPECT_EQ(b[93], 0x08);  // OAES bit 11
  EXPECT_EQ(b[128], 0x0B);
  EXPECT_EQ(b[255], 0x5A);
  EXPECT_EQ(b[256], 0x0A);  // bits 1 and 3
  EXPECT_EQ(b[263], 4);
  EXPECT_EQ(b[266] | (b[267] << 8), 343);
  EXPECT_EQ(b[268] | (b[269] << 8), 353);
  EXPECT_EQ(b[280], 0x88);
  EXPECT_EQ(b[287], 0x11);
  EXPECT_EQ(b[288], 0x99);
  EXPECT_EQ(b[320], 10);
  EXPECT_EQ(b[322], 1);
  EXPECT_EQ(b[342], 10);
  EXPECT_EQ(b[343], 0x05);
  EXPECT_EQ(b[344], 0x20);
  EXPECT_EQ(b[348], 0x21);
  EXPECT_EQ(b[512], 0x66);
  EXPECT_EQ(b[513], 0x44);
  EXPECT_EQ(b[516], 0xEF);
  EXPECT_EQ(b[519], 0xDE);
  EXPECT_EQ(b[520], 0x48);  // bits 3 and 6
  EXPECT_EQ(b[525], 1);
  EXPECT_EQ(b[536], 0x02);
  EXPECT_EQ(b[538], 0x01);  // bit 16
  EXPECT_EQ(b[540], 0x00);
  EXPECT_EQ(b[541], 0x04);
  EXPECT_EQ(b[768], 'n');
  EXPECT_EQ(b[2048] | (b[2049] << 8), 2500);
  EXPECT_EQ(b[2048 + 32 + 4], 0x44);  // PSD1 ENLAT
  EXPECT_EQ(b[3072], 0xEE);
}

TEST(IdentifyTest, ControllerBitHelpers) {
  EXPECT_EQ(EntrySizeRequired(0x64), 4);
  EXPECT_EQ(EntrySizeMaximum(0x64), 6);
  EXPECT_EQ(FrmwMake(3, true, false), 0x07);
  EXPECT_EQ(FrmwMake(7, false, true), 0x1E);
  EXPECT_EQ(FrmwNumberOfSlots(0x1E), 7);
  EXPECT_EQ(kCmicAnaReporting, 0x08);
  EXPECT_EQ(kOacsDoorbellBufferConfig, 0x100);
  EXPECT_EQ(kOncsCopy, 0x100);
  EXPECT_EQ(kVwcFlushBroadcastSupported, 0x06);
  EXPECT_EQ(kOaesZoneDescriptorChangedNotices, 0x08000000u);
  EXPECT_EQ(kCtrattExtendedLbaFormats, 0x8000u);
  EXPECT_EQ(SglsSupport(0x00010002), 2u);
  EXPECT_STREQ(ControllerTypeName(ControllerType::kIo), "I/O Controller");
}

TEST(IdentifyTest, PowerStateDescriptorBytes) {
  PowerStateDescriptor p;
  p.mp = 0x0102;
  p.flags = kPsdFlagNops;
  p.enlat = 5;
  p.exlat = 6;
  p.rrt = 1;
  p.rwl = 4;
  p.idlp = 0x0304;
  p.ips = static_cast<uint8_t>(PowerScale::k0_01W) << 6;
  p.actp = 0x0506;
  p.apws = static_cast<uint8_t>((static_cast<uint8_t>(PowerScale::k0_0001W) << 6) | 2);
  const auto b = Bytes(p);
  EXPECT_EQ(b[0], 0x02);
  EXPECT_EQ(b[3], 0x02);
  EXPECT_EQ(b[4], 5);
  EXPECT_EQ(b[8], 6);
  EXPECT_EQ(b[12], 1);
  EXPECT_EQ(b[15], 4);
  EXPECT_EQ(b[16], 0x04);
  EXPECT_EQ(b[18], 0x80);
  EXPECT_EQ(b[20], 0x06);
  EXPECT_EQ(b[22], 0x42);
}

TEST(IdentifyTest, NamespaceFieldsLandOnTheirBytes) {
  EXPECT_EQ(sizeof(IdentifyNamespace), 4096u);
  IdentifyNamespace ns;
  ns.nsze = 0x0102030405060708ull;
  ns.ncap = 9;
  ns.nuse = 10;
  ns.nsfeat = kNsfeatThinProvisioning | kNsfeatOptimalPerformance;
  ns.nlbaf = 1;
  ns.nmic = kNmicShared;
  ns.dlfeat = static_cast<uint8_t>(DeallocatedReadValue::kAllZeroes) | kDlfeatWriteZeroesDeallocate;
  ns.nvmcap = Uint128::From(1ull << 40);
  ns.npwg = 7;
  ns.mcl = 0x1000;
  ns.anagrpid = 3;
  ns.nsattr = kNsattrWriteProtected;
  ns.nguid[0] = 0xAB;
  ns.eui64[7] = 0xCD;
  ns.lbaf[0] = LbaFormat{0, 9, 0};
  ns.lbaf[1] = LbaFormat{8, 12, 1};
  ns.lbaf[63].lbads = 13;
  const auto b = Bytes(ns);
  EXPECT_EQ(b[0], 0x08);
  EXPECT_EQ(b[7], 0x01);
  EXPECT_EQ(b[8], 9);
  EXPECT_EQ(b[16], 10);
  EXPECT_EQ(b[24], 0x11);
  EXPECT_EQ(b[25], 1);
  EXPECT_EQ(b[30], 1);
  EXPECT_EQ(b[33], 0x09);
  EXPECT_EQ(b[53], 0x01);  // NVMCAP 2^40: bit 40 is byte 53 bit 0
  EXPECT_EQ(b[64], 7);
  EXPECT_EQ(b[77], 0x10);
  EXPECT_EQ(b[92], 3);
  EXPECT_EQ(b[99], 1);
  EXPECT_EQ(b[104], 0xAB);
  EXPECT_EQ(b[127], 0xCD);
  EXPECT_EQ(b[128 + 2], 9);
  EXPECT_EQ(b[132], 8);
  EXPECT_EQ(b[134], 12);
  EXPECT_EQ(b[135], 1);
  EXPECT_EQ(b[128 + 63 * 4 + 2], 13);
}

TEST(IdentifyTest, FlbasFormatIndexUsesBothFields) {
  IdentifyNamespace ns;
  ns.flbas = 0x10;          // metadata extended, index 0
  ns.SetFormatIndex(0x25);  // low nibble 5 in bits 3:0, high bits 2 in 6:5
  EXPECT_EQ(ns.flbas, 0x10 | 0x05 | (0x2 << 5));
  EXPECT_EQ(ns.FormatIndex(), 0x25);
  EXPECT_TRUE(ns.MetadataExtended());
  ns.lbaf[0x25].lbads = 12;
  EXPECT_EQ(ns.LbaDataSizeBytes(), 4096u);
  ns.flbas = 0x01;
  ns.lbaf[1].lbads = 9;
  EXPECT_EQ(ns.FormatIndex(), 1);
  EXPECT_FALSE(ns.MetadataExtended());
  EXPECT_EQ(ns.LbaDataSizeBytes(), 512u);
}

TEST(IdentifyTest, CnsValuesAndNames) {
  EXPECT_EQ(static_cast<int>(Cns::kNamespace), 0x00);
  EXPECT_EQ(static_cast<int>(Cns::kController), 0x01);
  EXPECT_EQ(static_cast<int>(Cns::kActiveNamespaceList), 0x02);
  EXPECT_EQ(static_cast<int>(Cns::kNamespaceIdDescriptorList), 0x03);
  EXPECT_EQ(static_cast<int>(Cns::kNvmSetList), 0x04);
  EXPECT_EQ(static_cast<int>(Cns::kIoCommandSetNamespace), 0x05);
  EXPECT_EQ(static_cast<int>(Cns::kIoCommandSetController), 0x06);
  EXPECT_EQ(static_cast<int>(Cns::kIoCommandSetActiveNamespaceList), 0x07);
  EXPECT_EQ(static_cast<int>(Cns::kIoCommandSetIndependentNamespace), 0x08);
  EXPECT_EQ(static_cast<int>(Cns::kAllocatedNamespaceList), 0x10);
  EXPECT_EQ(static_cast<int>(Cns::kAllocatedNamespace), 0x11);
  EXPECT_EQ(static_cast<int>(Cns::kNamespaceAttachedControllerList), 0x12);
  EXPECT_EQ(static_cast<int>(Cns::kControllerList), 0x13);
  EXPECT_EQ(static_cast<int>(Cns::kIoCommandSet), 0x1C);
  EXPECT_STREQ(CnsName(Cns::kController), "Identify Controller");
  EXPECT_STREQ(CnsName(Cns::kIoCommandSet), "Identify I/O Command Set");
  EXPECT_EQ(CnsName(static_cast<Cns>(0x09)), nullptr);
  EXPECT_EQ(static_cast<int>(CommandSetIdentifier::kZoned), 2);
  EXPECT_STREQ(CommandSetIdentifierName(CommandSetIdentifier::kZoned),
               "Zoned Namespace Command Set");
}

TEST(IdentifyTest, IdentifyCommandDwords) {
  EXPECT_EQ(IdentifyCdw10(Cns::kNamespaceAttachedControllerList, 0x0102), 0x01020012u);
  EXPECT_EQ(IdentifyCdw11(CommandSetIdentifier::kZoned), 0x02000000u);
  EXPECT_EQ(IdentifyCdw11(CommandSetIdentifier::kNvm, 0xABCD), 0x0000ABCDu);
  EXPECT_EQ(IdentifyCns(0x01020006u), Cns::kIoCommandSetController);
  EXPECT_EQ(IdentifyCntid(0x01020006u), 0x0102);
  EXPECT_EQ(IdentifyCsi(0x0200ABCDu), CommandSetIdentifier::kZoned);
  EXPECT_EQ(IdentifyCnssid(0x0200ABCDu), 0xABCD);
}

TEST(IdentifyTest, ListsAndDescriptors) {
  EXPECT_EQ(sizeof(NamespaceList), 4096u);
  ControllerList cl;
  cl.count = 2;
  cl.cntlid[0] = 1;
  cl.cntlid[1] = 0x0203;
  auto b = Bytes(cl);
  EXPECT_EQ(b[0], 2);
  EXPECT_EQ(b[2], 1);
  EXPECT_EQ(b[4], 0x03);
  EXPECT_EQ(b[5], 0x02);
  EXPECT_EQ(NamespaceIdLength(NamespaceIdDescriptorType::kEui64), 8);
  EXPECT_EQ(NamespaceIdLength(NamespaceIdDescriptorType::kNguid), 16);
  EXPECT_EQ(NamespaceIdLength(NamespaceIdDescriptorType::kUuid), 16);
  EXPECT_EQ(NamespaceIdLength(NamespaceIdDescriptorType::kCsi), 1);
  EXPECT_EQ(NamespaceIdLength(static_cast<NamespaceIdDescriptorType>(5)), 0);
  EXPECT_STREQ(NamespaceIdDescriptorTypeName(NamespaceIdDescriptorType::kCsi),
               "Command Set Identifier");
}

TEST(IdentifyTest, IoCommandSetStructures) {
  IdentifyControllerNvm nvm;
  nvm.vsl = 1;
  nvm.wzsl = 2;
  nvm.wusl = 3;
  nvm.dmrl = 4;
  nvm.dmrsl = 0x05060708;
  nvm.dmsl = 0x090A0B0C0D0E0F10ull;
  auto b = Bytes(nvm);
  EXPECT_EQ(b[0], 1);
  EXPECT_EQ(b[1], 2);
  EXPECT_EQ(b[2], 3);
  EXPECT_EQ(b[3], 4);
  EXPECT_EQ(b[4], 0x08);
  EXPECT_EQ(b[8], 0x10);
  EXPECT_EQ(b[15], 0x09);

  IoCommandSetIndependentIdentifyNamespace ind;
  ind.nsfeat = kIndependentNsfeatUidReuse;
  ind.nmic = 1;
  ind.rescap = 0xFE;
  ind.fpi = kFpiSupported;
  ind.anagrpid = 0x0A0B0C0D;
  ind.nsattr = 1;
  ind.nvmsetid = 0x1122;
  ind.endgid = 0x3344;
  ind.nstat = kNstatNamespaceReady;
  b = Bytes(ind);
  EXPECT_EQ(b[0], 0x08);
  EXPECT_EQ(b[1], 1);
  EXPECT_EQ(b[2], 0xFE);
  EXPECT_EQ(b[3], 0x80);
  EXPECT_EQ(b[4], 0x0D);
  EXPECT_EQ(b[8], 1);
  EXPECT_EQ(b[10], 0x22);
  EXPECT_EQ(b[12], 0x44);
  EXPECT_EQ(b[14], 1);

  IdentifyIoCommandSet sets;
  sets.vector[0] =
      IoCommandSetBit(CommandSetIdentifier::kNvm) | IoCommandSetBit(CommandSetIdentifier::kZoned);
  b = Bytes(sets);
  EXPECT_EQ(b[0], 0x05);
  EXPECT_EQ(sizeof(sets), 4096u);
}

TEST(IdentifyTest, Uint128AddsWithCarry) {
  Uint128 v{~uint64_t{0}, 0};
  v.Add(2);
  EXPECT_EQ(v.lo, 1u);
  EXPECT_EQ(v.hi, 1u);
  EXPECT_EQ(v.Saturated64(), ~uint64_t{0});
  EXPECT_EQ(Uint128::From(5).Saturated64(), 5u);
}

}  // namespace
}  // namespace nvmesim::spec

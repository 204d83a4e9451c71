#include "spec/registers.h"

#include <gtest/gtest.h>

namespace nvmesim::spec {
namespace {

TEST(RegistersTest, OffsetsMatchPropertyMap) {
  EXPECT_EQ(kRegCap, 0x00u);
  EXPECT_EQ(kRegVs, 0x08u);
  EXPECT_EQ(kRegIntms, 0x0Cu);
  EXPECT_EQ(kRegIntmc, 0x10u);
  EXPECT_EQ(kRegCc, 0x14u);
  EXPECT_EQ(kRegCsts, 0x1Cu);
  EXPECT_EQ(kRegNssr, 0x20u);
  EXPECT_EQ(kRegAqa, 0x24u);
  EXPECT_EQ(kRegAsq, 0x28u);
  EXPECT_EQ(kRegAcq, 0x30u);
  EXPECT_EQ(kRegCmbloc, 0x38u);
  EXPECT_EQ(kRegCmbsz, 0x3Cu);
  EXPECT_EQ(kRegBpinfo, 0x40u);
  EXPECT_EQ(kRegBprsel, 0x44u);
  EXPECT_EQ(kRegBpmbl, 0x48u);
  EXPECT_EQ(kRegCmbmsc, 0x50u);
  EXPECT_EQ(kRegCmbsts, 0x58u);
  EXPECT_EQ(kRegCmbebs, 0x5Cu);
  EXPECT_EQ(kRegCmbswtp, 0x60u);
  EXPECT_EQ(kRegNssd, 0x64u);
  EXPECT_EQ(kRegCrto, 0x68u);
  EXPECT_EQ(kRegPmrcap, 0xE00u);
  EXPECT_EQ(kRegPmrctl, 0xE04u);
  EXPECT_EQ(kRegPmrsts, 0xE08u);
  EXPECT_EQ(kRegPmrebs, 0xE0Cu);
  EXPECT_EQ(kRegPmrswtp, 0xE10u);
  EXPECT_EQ(kRegPmrmscl, 0xE14u);
  EXPECT_EQ(kRegPmrmscu, 0xE18u);
  EXPECT_EQ(kRegDoorbellBase, 0x1000u);
  EXPECT_EQ(kNssrResetValue, 0x4E564D65u);
  // "NVMe" with 'N' in the most significant byte.
  EXPECT_EQ(kNssrResetValue >> 24, uint32_t{'N'});
  EXPECT_EQ((kNssrResetValue >> 16) & 0xFF, uint32_t{'V'});
  EXPECT_EQ((kNssrResetValue >> 8) & 0xFF, uint32_t{'M'});
  EXPECT_EQ(kNssrResetValue & 0xFF, uint32_t{'e'});
  EXPECT_STREQ(RegisterName(0x14), "CC");
  EXPECT_STREQ(RegisterName(0xE18), "PMRMSCU");
  EXPECT_EQ(RegisterName(0x15), nullptr);
}

TEST(RegistersTest, DoorbellOffsets) {
  EXPECT_EQ(SqTailDoorbellOffset(0, 0), 0x1000u);
  EXPECT_EQ(CqHeadDoorbellOffset(0, 0), 0x1004u);
  EXPECT_EQ(SqTailDoorbellOffset(1, 0), 0x1008u);
  EXPECT_EQ(CqHeadDoorbellOffset(1, 0), 0x100Cu);
  EXPECT_EQ(SqTailDoorbellOffset(3, 2), 0x1000u + 6u * 16u);  // stride 16 B
  EXPECT_EQ(CqHeadDoorbellOffset(3, 2), 0x1000u + 7u * 16u);
  EXPECT_EQ(CqHeadDoorbellOffset(65535, 0), 0x1000u + 131071u * 4u);
  EXPECT_EQ(DoorbellStrideBytes(15), 131072u);
}

// Each field set alone to all ones must give exactly the hand-computed raw
// mask, and reading a raw value back must give the field.
template <typename Reg, typename Set, typename Get>
void CheckField(Set set, Get get, uint64_t max, uint64_t raw_mask) {
  Reg r{};
  set(r, max);
  EXPECT_EQ(static_cast<uint64_t>(r.raw), raw_mask);
  EXPECT_EQ(static_cast<uint64_t>(get(r)), max);
  // Neighbouring bits are preserved.
  Reg all{};
  all.raw = static_cast<decltype(all.raw)>(~uint64_t{0});
  set(all, 0);
  EXPECT_EQ(static_cast<uint64_t>(all.raw), static_cast<uint64_t>(decltype(all.raw)(~raw_mask)));
  EXPECT_EQ(static_cast<uint64_t>(get(all)), 0u);
  // Over-wide values do not spill into neighbours.
  Reg wide{};
  set(wide, ~uint64_t{0});
  EXPECT_EQ(static_cast<uint64_t>(wide.raw), raw_mask);
}

#define CHECK_FIELD(Reg, f, max, mask)                                                            \
  do {                                                                                            \
    SCOPED_TRACE(#Reg "." #f);                                                                    \
    CheckField<Reg>([](Reg& r, uint64_t v) { r.set_##f(v); }, [](const Reg& r) { return r.f(); }, \
                    uint64_t{max}, uint64_t{mask});                                               \
  } while (0)

TEST(RegistersTest, CapFields) {
  CHECK_FIELD(CapRegister, mqes, 0xFFFF, 0x000000000000FFFFull);
  CHECK_FIELD(CapRegister, cqr, 1, 0x0000000000010000ull);
  CHECK_FIELD(CapRegister, ams, 3, 0x0000000000060000ull);
  CHECK_FIELD(CapRegister, to, 0xFF, 0x00000000FF000000ull);
  CHECK_FIELD(CapRegister, dstrd, 0xF, 0x0000000F00000000ull);
  CHECK_FIELD(CapRegister, nssrs, 1, 0x0000001000000000ull);
  CHECK_FIELD(CapRegister, css, 0xFF, 0x00001FE000000000ull);
  CHECK_FIELD(CapRegister, bps, 1, 0x0000200000000000ull);
  CHECK_FIELD(CapRegister, cps, 3, 0x0000C00000000000ull);
  CHECK_FIELD(CapRegister, mpsmin, 0xF, 0x000F000000000000ull);
  CHECK_FIELD(CapRegister, mpsmax, 0xF, 0x00F0000000000000ull);
  CHECK_FIELD(CapRegister, pmrs, 1, 0x0100000000000000ull);
  CHECK_FIELD(CapRegister, cmbs, 1, 0x0200000000000000ull);
  CHECK_FIELD(CapRegister, nsss, 1, 0x0400000000000000ull);
  CHECK_FIELD(CapRegister, crms, 3, 0x1800000000000000ull);
}

TEST(RegistersTest, CapTypicalValue) {
  // MQES 1023, CQR, WRR supported, TO 20 (10 s), DSTRD 0, NVM + I/O sets, MPSMIN 0, MPSMAX 4.
  CapRegister cap;
  cap.set_mqes(1023)
      .set_cqr(1)
      .set_ams(kCapAmsWeightedRoundRobin)
      .set_to(20)
      .set_css(kCapCssNvm | kCapCssIoCommandSets)
      .set_mpsmax(4);
  EXPECT_EQ(cap.raw, 0x0040'0820'1403'03FFull);
  CapRegister parsed{0x0040'0820'1403'03FFull};
  EXPECT_EQ(parsed.mqes(), 1023u);
  EXPECT_EQ(parsed.to(), 20u);
  EXPECT_EQ(parsed.css(), 0x41u);
  EXPECT_EQ(parsed.mpsmax(), 4u);
}

TEST(RegistersTest, VsFields) {
  CHECK_FIELD(VsRegister, ter, 0xFF, 0x000000FFu);
  CHECK_FIELD(VsRegister, mnr, 0xFF, 0x0000FF00u);
  CHECK_FIELD(VsRegister, mjr, 0xFFFF, 0xFFFF0000u);
  EXPECT_EQ(VsRegister::Make(2, 0, 0).raw, kNvmeVersion2_0);
  EXPECT_EQ(VsRegister::Make(1, 4, 1).raw, 0x00010401u);
  EXPECT_EQ(VsRegister{0x00010302}.mnr(), 3u);
}

TEST(RegistersTest, CcFields) {
  CHECK_FIELD(CcRegister, en, 1, 0x00000001u);
  CHECK_FIELD(CcRegister, css, 7, 0x00000070u);
  CHECK_FIELD(CcRegister, mps, 0xF, 0x00000780u);
  CHECK_FIELD(CcRegister, ams, 7, 0x00003800u);
  CHECK_FIELD(CcRegister, shn, 3, 0x0000C000u);
  CHECK_FIELD(CcRegister, iosqes, 0xF, 0x000F0000u);
  CHECK_FIELD(CcRegister, iocqes, 0xF, 0x00F00000u);
  CHECK_FIELD(CcRegister, crime, 1, 0x01000000u);
  // What a Linux-like host writes: EN, IOSQES 6, IOCQES 4, CSS all sets.
  CcRegister cc;
  cc.set_en(1).set_css(static_cast<uint8_t>(CcCss::kAllIoCommandSets)).set_iosqes(6).set_iocqes(4);
  EXPECT_EQ(cc.raw, 0x00460061u);
  cc.set_shn(static_cast<uint8_t>(ShutdownNotification::kNormal));
  EXPECT_EQ(cc.raw, 0x00464061u);
}

TEST(RegistersTest, CstsFields) {
  CHECK_FIELD(CstsRegister, rdy, 1, 0x01u);
  CHECK_FIELD(CstsRegister, cfs, 1, 0x02u);
  CHECK_FIELD(CstsRegister, shst, 3, 0x0Cu);
  CHECK_FIELD(CstsRegister, nssro, 1, 0x10u);
  CHECK_FIELD(CstsRegister, pp, 1, 0x20u);
  CHECK_FIELD(CstsRegister, st, 1, 0x40u);
  CstsRegister csts{0x09};  // RDY and shutdown complete
  EXPECT_EQ(csts.rdy(), 1u);
  EXPECT_EQ(static_cast<ShutdownStatus>(csts.shst()), ShutdownStatus::kComplete);
}

TEST(RegistersTest, AqaFields) {
  CHECK_FIELD(AqaRegister, asqs, 0xFFF, 0x00000FFFu);
  CHECK_FIELD(AqaRegister, acqs, 0xFFF, 0x0FFF0000u);
  EXPECT_EQ(AqaRegister{}.set_asqs(31).set_acqs(31).raw, 0x001F001Fu);
}

TEST(RegistersTest, CmbFields) {
  CHECK_FIELD(CmblocRegister, bir, 7, 0x00000007u);
  CHECK_FIELD(CmblocRegister, cqmms, 1, 0x00000008u);
  CHECK_FIELD(CmblocRegister, cqpds, 1, 0x00000010u);
  CHECK_FIELD(CmblocRegister, cdpmls, 1, 0x00000020u);
  CHECK_FIELD(CmblocRegister, cdpcils, 1, 0x00000040u);
  CHECK_FIELD(CmblocRegister, cdmmms, 1, 0x00000080u);
  CHECK_FIELD(CmblocRegister, cqda, 1, 0x00000100u);
  CHECK_FIELD(CmblocRegister, ofst, 0xFFFFF, 0xFFFFF000u);
  CHECK_FIELD(CmbszRegister, sqs, 1, 0x01u);
  CHECK_FIELD(CmbszRegister, cqs, 1, 0x02u);
  CHECK_FIELD(CmbszRegister, lists, 1, 0x04u);
  CHECK_FIELD(CmbszRegister, rds, 1, 0x08u);
  CHECK_FIELD(CmbszRegister, wds, 1, 0x10u);
  CHECK_FIELD(CmbszRegister, szu, 0xF, 0x00000F00u);
  CHECK_FIELD(CmbszRegister, sz, 0xFFFFF, 0xFFFFF000u);
  EXPECT_EQ(CmbszRegister{}.set_szu(2).set_sz(3).SizeBytes(), 3ull << 20);  // 3 MiB
  CHECK_FIELD(CmbmscRegister, cre, 1, 0x1ull);
  CHECK_FIELD(CmbmscRegister, cmse, 1, 0x2ull);
  CHECK_FIELD(CmbmscRegister, cba, 0xFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFF000ull);
  CHECK_FIELD(CmbstsRegister, cbai, 1, 0x1u);
  CHECK_FIELD(CmbebsRegister, cmbszu, 0xF, 0x0000000Fu);
  CHECK_FIELD(CmbebsRegister, cmbrbb, 1, 0x00000010u);
  CHECK_FIELD(CmbebsRegister, cmbwbz, 0xFFFFFF, 0xFFFFFF00u);
  CHECK_FIELD(CmbswtpRegister, cmbswtu, 0xF, 0x0000000Fu);
  CHECK_FIELD(CmbswtpRegister, cmbswtv, 0xFFFFFF, 0xFFFFFF00u);
}

TEST(RegistersTest, BootPartitionAndCrtoFields) {
  CHECK_FIELD(BpinfoRegister, bpsz, 0x7FFF, 0x00007FFFu);
  CHECK_FIELD(BpinfoRegister, brs, 3, 0x03000000u);
  CHECK_FIELD(BpinfoRegister, abpid, 1, 0x80000000u);
  CHECK_FIELD(BprselRegister, bprsz, 0x3FF, 0x000003FFu);
  CHECK_FIELD(BprselRegister, bprof, 0xFFFFF, 0x3FFFFC00u);
  CHECK_FIELD(BprselRegister, bpid, 1, 0x80000000u);
  CHECK_FIELD(CrtoRegister, crwmt, 0xFFFF, 0x0000FFFFu);
  CHECK_FIELD(CrtoRegister, crimt, 0xFFFF, 0xFFFF0000u);
}

TEST(RegistersTest, PmrFields) {
  CHECK_FIELD(PmrcapRegister, rds, 1, 0x00000008u);
  CHECK_FIELD(PmrcapRegister, wds, 1, 0x00000010u);
  CHECK_FIELD(PmrcapRegister, bir, 7, 0x000000E0u);
  CHECK_FIELD(PmrcapRegister, pmrtu, 3, 0x00000300u);
  CHECK_FIELD(PmrcapRegister, pmrwbm, 0xF, 0x00003C00u);
  CHECK_FIELD(PmrcapRegister, pmrto, 0xFF, 0x00FF0000u);
  CHECK_FIELD(PmrcapRegister, cmss, 1, 0x01000000u);
  CHECK_FIELD(PmrctlRegister, en, 1, 0x1u);
  CHECK_FIELD(PmrstsRegister, err, 0xFF, 0x000000FFu);
  CHECK_FIELD(PmrstsRegister, nrdy, 1, 0x00000100u);
  CHECK_FIELD(PmrstsRegister, hsts, 7, 0x00000E00u);
  CHECK_FIELD(PmrstsRegister, cbai, 1, 0x00001000u);
  CHECK_FIELD(PmrebsRegister, pmrszu, 0xF, 0x0000000Fu);
  CHECK_FIELD(PmrebsRegister, rbb, 1, 0x00000010u);
  CHECK_FIELD(PmrebsRegister, pmrwbz, 0xFFFFFF, 0xFFFFFF00u);
  CHECK_FIELD(PmrswtpRegister, pmrswtu, 0xF, 0x0000000Fu);
  CHECK_FIELD(PmrswtpRegister, pmrswtv, 0xFFFFFF, 0xFFFFFF00u);
  CHECK_FIELD(PmrmscRegister, cmse, 1, 0x2ull);
  CHECK_FIELD(PmrmscRegister, cba, 0xFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFF000ull);
}

TEST(RegistersTest, EnumValuesAndNames) {
  EXPECT_EQ(static_cast<int>(ShutdownNotification::kAbrupt), 2);
  EXPECT_EQ(static_cast<int>(ShutdownStatus::kOccurring), 1);
  EXPECT_EQ(static_cast<int>(ArbitrationMechanism::kVendorSpecific), 7);
  EXPECT_EQ(static_cast<int>(CcCss::kAllIoCommandSets), 6);
  EXPECT_STREQ(ShutdownStatusName(ShutdownStatus::kComplete), "Shutdown Processing Complete");
  EXPECT_STREQ(ShutdownNotificationName(ShutdownNotification::kAbrupt),
               "Abrupt Shutdown Notification");
  EXPECT_STREQ(ArbitrationMechanismName(ArbitrationMechanism::kWeightedRoundRobinUrgent),
               "Weighted Round Robin with Urgent Priority Class");
  EXPECT_STREQ(ShutdownStatusName(static_cast<ShutdownStatus>(3)), "Reserved");
}

}  // namespace
}  // namespace nvmesim::spec

#include "spec/log_pages.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace nvmesim::spec {
namespace {

template <typename T>
std::vector<uint8_t> Bytes(const T& v) {
  std::vector<uint8_t> b(sizeof(T));
  std::memcpy(b.data(), &v, sizeof(T));
  return b;
}

TEST(LogPagesTest, IdsAndNames) {
  EXPECT_EQ(static_cast<int>(LogPageId::kErrorInformation), 0x01);
  EXPECT_EQ(static_cast<int>(LogPageId::kSmartHealth), 0x02);
  EXPECT_EQ(static_cast<int>(LogPageId::kFirmwareSlot), 0x03);
  EXPECT_EQ(static_cast<int>(LogPageId::kChangedNamespaceList), 0x04);
  EXPECT_EQ(static_cast<int>(LogPageId::kCommandsSupportedAndEffects), 0x05);
  EXPECT_EQ(static_cast<int>(LogPageId::kDeviceSelfTest), 0x06);
  EXPECT_EQ(static_cast<int>(LogPageId::kAsymmetricNamespaceAccess), 0x0C);
  EXPECT_EQ(static_cast<int>(LogPageId::kSanitizeStatus), 0x81);
  EXPECT_EQ(static_cast<int>(LogPageId::kChangedZoneList), 0xBF);
  EXPECT_STREQ(LogPageIdName(LogPageId::kSmartHealth), "SMART / Health Information");
  EXPECT_STREQ(LogPageIdName(LogPageId::kAsymmetricNamespaceAccess), "Asymmetric Namespace Access");
  EXPECT_EQ(LogPageIdName(static_cast<LogPageId>(0x20)), nullptr);
}

TEST(LogPagesTest, GetLogPageDwordsRoundTrip) {
  GetLogPageFields f;
  f.lid = 0x0C;
  f.lsp = kAnaLspReturnGroupsOnly;
  f.rae = true;
  f.numd = 0x0001'0203;  // crosses into NUMDU
  f.lsi = 0xABCD;
  f.lpo = 0x0000'0001'0000'0200ull;
  f.uuid_index = 0x7F;
  f.ot = true;
  f.csi = 2;
  EXPECT_EQ(f.Cdw10(), 0x0203'810Cu);  // NUMDL 0203h, RAE bit 15, LSP 1 in 14:8, LID 0Ch
  EXPECT_EQ(f.Cdw11(), 0xABCD'0001u);
  EXPECT_EQ(f.Cdw12(), 0x200u);
  EXPECT_EQ(f.Cdw13(), 1u);
  EXPECT_EQ(f.Cdw14(), 0x0280'007Fu);
  const GetLogPageFields d =
      GetLogPageFields::Decode(f.Cdw10(), f.Cdw11(), f.Cdw12(), f.Cdw13(), f.Cdw14());
  EXPECT_EQ(d.lid, 0x0C);
  EXPECT_EQ(d.lsp, 1);
  EXPECT_TRUE(d.rae);
  EXPECT_EQ(d.numd, 0x0001'0203u);
  EXPECT_EQ(d.lsi, 0xABCD);
  EXPECT_EQ(d.lpo, f.lpo);
  EXPECT_EQ(d.uuid_index, 0x7F);
  EXPECT_TRUE(d.ot);
  EXPECT_EQ(d.csi, 2);
  GetLogPageFields smart;
  smart.numd = 127;
  EXPECT_EQ(smart.LengthBytes(), 512u);
}

TEST(LogPagesTest, ErrorInformationEntryBytes) {
  ErrorInformationEntry e;
  e.error_count = 0x0102;
  e.sqid = 3;
  e.cid = 0x0405;
  e.status_field = 0x0101;
  e.parameter_error_location = ParameterErrorLocation(40, 2);
  e.lba = 0x0607;
  e.nsid = 8;
  e.vendor_specific_info = 9;
  e.trtype = 3;
  e.command_specific_info = 0x0A0B;
  e.transport_type_specific_info = 0x0C0D;
  const auto b = Bytes(e);
  EXPECT_EQ(b[0], 0x02);
  EXPECT_EQ(b[1], 0x01);
  EXPECT_EQ(b[8], 3);
  EXPECT_EQ(b[10], 0x05);
  EXPECT_EQ(b[12], 0x01);
  EXPECT_EQ(b[14], 40);
  EXPECT_EQ(b[15], 2);
  EXPECT_EQ(b[16], 0x07);
  EXPECT_EQ(b[24], 8);
  EXPECT_EQ(b[28], 9);
  EXPECT_EQ(b[29], 3);
  EXPECT_EQ(b[32], 0x0B);
  EXPECT_EQ(b[40], 0x0D);
  EXPECT_EQ(b[41], 0x0C);
  EXPECT_EQ(sizeof(e), 64u);
}

TEST(LogPagesTest, SmartHealthRequiredOffsets) {
  EXPECT_EQ(offsetof(SmartHealthLog, composite_temperature), 1u);
  EXPECT_EQ(offsetof(SmartHealthLog, media_errors), 160u);
  EXPECT_EQ(sizeof(SmartHealthLog), 512u);
}

TEST(LogPagesTest, SmartHealthBytes) {
  SmartHealthLog s;
  s.critical_warning = kCriticalWarningTemperature | kCriticalWarningReadOnly;
  s.composite_temperature = 0x0136;  // 310 K
  s.available_spare = 100;
  s.available_spare_threshold = 10;
  s.percentage_used = 3;
  s.endurance_group_critical_warning_summary = 1;
  s.data_units_read = Uint128{0x1112131415161718ull, 0x19};
  s.data_units_written.Add(0x21);
  s.host_read_commands.Add(0x31);
  s.host_write_commands.Add(0x41);
  s.controller_busy_time.Add(0x51);
  s.power_cycles.Add(0x61);
  s.power_on_hours.Add(0x71);
  s.unsafe_shutdowns.Add(0x81);
  s.media_errors.Add(0x91);
  s.number_of_error_log_entries.Add(0xA1);
  s.warning_composite_temperature_time = 0xB1;
  s.critical_composite_temperature_time = 0xC1;
  s.temperature_sensor[0] = 0x0D01;
  s.temperature_sensor[7] = 0x0D08;
  s.thermal_management_temperature1_transition_count = 0xE1;
  s.thermal_management_temperature2_transition_count = 0xE2;
  s.total_time_thermal_management_temperature1 = 0xF1;
  s.total_time_thermal_management_temperature2 = 0xF2;
  const auto b = Bytes(s);
  EXPECT_EQ(b[0], 0x0A);
  EXPECT_EQ(b[1], 0x36);
  EXPECT_EQ(b[2], 0x01);
  EXPECT_EQ(s.composite_temperature.value(), 310u);
  EXPECT_EQ(b[3], 100);
  EXPECT_EQ(b[4], 10);
  EXPECT_EQ(b[5], 3);
  EXPECT_EQ(b[6], 1);
  EXPECT_EQ(b[32], 0x18);
  EXPECT_EQ(b[40], 0x19);
  EXPECT_EQ(b[48], 0x21);
  EXPECT_EQ(b[64], 0x31);
  EXPECT_EQ(b[80], 0x41);
  EXPECT_EQ(b[96], 0x51);
  EXPECT_EQ(b[112], 0x61);
  EXPECT_EQ(b[128], 0x71);
  EXPECT_EQ(b[144], 0x81);
  EXPECT_EQ(b[160], 0x91);
  EXPECT_EQ(b[176], 0xA1);
  EXPECT_EQ(b[192], 0xB1);
  EXPECT_EQ(b[196], 0xC1);
  EXPECT_EQ(b[200], 0x01);
  EXPECT_EQ(b[201], 0x0D);
  EXPECT_EQ(b[214], 0x08);
  EXPECT_EQ(b[216], 0xE1);
  EXPECT_EQ(b[220], 0xE2);
  EXPECT_EQ(b[224], 0xF1);
  EXPECT_EQ(b[228], 0xF2);
  EXPECT_EQ(kCriticalWarningAvailableSpare, 0x01);
  EXPECT_EQ(kCriticalWarningPmrReadOnly, 0x20);
}

TEST(LogPagesTest, FirmwareSlotBytes) {
  FirmwareSlotLog fw;
  fw.afi = FirmwareSlotLog::MakeAfi(2, 3);
  std::memcpy(fw.frs[0], "1.0.0   ", 8);
  std::memcpy(fw.frs[6], "7.7.7   ", 8);
  const auto b = Bytes(fw);
  EXPECT_EQ(b[0], 0x32);
  EXPECT_EQ(fw.ActiveSlot(), 2);
  EXPECT_EQ(fw.NextResetSlot(), 3);
  EXPECT_EQ(b[8], '1');
  EXPECT_EQ(b[56], '7');
  EXPECT_EQ(sizeof(fw), 512u);
}

TEST(LogPagesTest, ChangedNamespaceListAndEffects) {
  EXPECT_EQ(sizeof(ChangedNamespaceList), 4096u);
  CommandsSupportedAndEffectsLog e;
  e.acs[0x06] = kEffectsCsupp;
  e.acs[0x80] =
      kEffectsCsupp | kEffectsLbcc | kEffectsNcc | kEffectsNic | kEffectsCseSingleController;
  e.iocs[0x01] = kEffectsCsupp | kEffectsLbcc;
  const auto b = Bytes(e);
  EXPECT_EQ(b[0x06 * 4], 0x01);
  EXPECT_EQ(b[0x80 * 4], 0x0F);
  EXPECT_EQ(b[0x80 * 4 + 2], 0x02);  // CSE 010b in bits 18:16
  EXPECT_EQ(b[1024 + 4], 0x03);
  EXPECT_EQ(kEffectsCseMask, 0x00070000u);
  EXPECT_EQ(kEffectsUuidSelection, 0x00080000u);
  EXPECT_EQ(kEffectsScopeMask, 0xFFF00000u);
  EXPECT_EQ(kEffectsCcc, 0x10u);
}

TEST(LogPagesTest, AnaLogLayout) {
  EXPECT_EQ(static_cast<int>(AnaState::kOptimized), 1);
  EXPECT_EQ(static_cast<int>(AnaState::kNonOptimized), 2);
  EXPECT_EQ(static_cast<int>(AnaState::kInaccessible), 3);
  EXPECT_EQ(static_cast<int>(AnaState::kPersistentLoss), 4);
  EXPECT_EQ(static_cast<int>(AnaState::kChange), 0xF);
  EXPECT_STREQ(AnaStateName(AnaState::kInaccessible), "Inaccessible");
  EXPECT_STREQ(AnaStateName(static_cast<AnaState>(5)), "Reserved");

  // A log with one group of two namespaces, assembled as a device would.
  AnaLogHeader h;
  h.change_count = 7;
  h.num_group_descriptors = 1;
  AnaGroupDescriptor g;
  g.anagrpid = 2;
  g.nnsids = 2;
  g.change_count = 7;
  g.set_ana_state(AnaState::kNonOptimized);
  const uint32_t nsids[2] = {1, 5};
  std::vector<uint8_t> log(sizeof h + g.SizeBytes());
  std::memcpy(log.data(), &h, sizeof h);
  std::memcpy(log.data() + 16, &g, sizeof g);
  std::memcpy(log.data() + 48, nsids, sizeof nsids);
  EXPECT_EQ(log.size(), 56u);
  EXPECT_EQ(log[0], 7);
  EXPECT_EQ(log[8], 1);
  EXPECT_EQ(log[16], 2);     // ANAGRPID
  EXPECT_EQ(log[20], 2);     // NNSIDS
  EXPECT_EQ(log[24], 7);     // change count
  EXPECT_EQ(log[32], 0x02);  // state
  EXPECT_EQ(log[48], 1);
  EXPECT_EQ(log[52], 5);
  AnaGroupDescriptor back;
  std::memcpy(&back, log.data() + 16, sizeof back);
  EXPECT_EQ(back.ana_state(), AnaState::kNonOptimized);
}

TEST(LogPagesTest, DeviceSelfTestLogBytes) {
  DeviceSelfTestLog log;
  log.current_operation = 2;
  log.current_completion = 40;
  for (auto& r : log.result) r.status = static_cast<uint8_t>(SelfTestResultCode::kEntryNotUsed);
  SelfTestResult& r = log.result[1];
  r.status =
      static_cast<uint8_t>((1u << 4) | static_cast<uint8_t>(SelfTestResultCode::kSegmentsFailed));
  r.segment_number = 3;
  r.valid_diagnostic_info = 0x0F;
  r.power_on_hours = 0x0102030405060708ull;
  r.nsid = 1;
  r.failing_lba = 0x1112131415161718ull;
  r.status_code_type = 2;
  r.status_code = 0x81;
  std::vector<uint8_t> b(sizeof log);
  std::memcpy(b.data(), &log, sizeof log);
  EXPECT_EQ(b[0], 2);
  EXPECT_EQ(b[1], 40);
  EXPECT_EQ(b[4], 0x0F);    // result 0 unused
  const size_t e = 4 + 28;  // result 1
  EXPECT_EQ(b[e + 0], 0x17);
  EXPECT_EQ(b[e + 1], 3);
  EXPECT_EQ(b[e + 2], 0x0F);
  EXPECT_EQ(b[e + 4], 0x08);
  EXPECT_EQ(b[e + 11], 0x01);
  EXPECT_EQ(b[e + 12], 1);
  EXPECT_EQ(b[e + 16], 0x18);
  EXPECT_EQ(b[e + 23], 0x11);
  EXPECT_EQ(b[e + 24], 2);
  EXPECT_EQ(b[e + 25], 0x81);
  EXPECT_EQ(r.power_on_hours.value(), 0x0102030405060708ull);
  EXPECT_EQ(r.failing_lba.value(), 0x1112131415161718ull);
  EXPECT_STREQ(SelfTestResultCodeName(SelfTestResultCode::kSegmentsFailed),
               "Completed with Failed Segments");
  EXPECT_STREQ(SelfTestResultCodeName(static_cast<SelfTestResultCode>(0xA)), "Reserved");
}

}  // namespace
}  // namespace nvmesim::spec

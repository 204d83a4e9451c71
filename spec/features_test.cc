#include "spec/features.h"

#include <gtest/gtest.h>

#include <cstring>

namespace nvmesim::spec {
namespace {

TEST(FeaturesTest, Identifiers) {
  EXPECT_EQ(static_cast<int>(FeatureId::kArbitration), 0x01);
  EXPECT_EQ(static_cast<int>(FeatureId::kPowerManagement), 0x02);
  EXPECT_EQ(static_cast<int>(FeatureId::kLbaRangeType), 0x03);
  EXPECT_EQ(static_cast<int>(FeatureId::kTemperatureThreshold), 0x04);
  EXPECT_EQ(static_cast<int>(FeatureId::kErrorRecovery), 0x05);
  EXPECT_EQ(static_cast<int>(FeatureId::kVolatileWriteCache), 0x06);
  EXPECT_EQ(static_cast<int>(FeatureId::kNumberOfQueues), 0x07);
  EXPECT_EQ(static_cast<int>(FeatureId::kInterruptCoalescing), 0x08);
  EXPECT_EQ(static_cast<int>(FeatureId::kInterruptVectorConfiguration), 0x09);
  EXPECT_EQ(static_cast<int>(FeatureId::kWriteAtomicityNormal), 0x0A);
  EXPECT_EQ(static_cast<int>(FeatureId::kAsyncEventConfiguration), 0x0B);
  EXPECT_EQ(static_cast<int>(FeatureId::kAutonomousPowerStateTransition), 0x0C);
  EXPECT_EQ(static_cast<int>(FeatureId::kHostMemoryBuffer), 0x0D);
  EXPECT_EQ(static_cast<int>(FeatureId::kTimestamp), 0x0E);
  EXPECT_EQ(static_cast<int>(FeatureId::kKeepAliveTimer), 0x0F);
  EXPECT_EQ(static_cast<int>(FeatureId::kHostControlledThermalManagement), 0x10);
  EXPECT_EQ(static_cast<int>(FeatureId::kHostBehaviorSupport), 0x16);
  EXPECT_EQ(static_cast<int>(FeatureId::kIoCommandSetProfile), 0x19);
  EXPECT_EQ(static_cast<int>(FeatureId::kSoftwareProgressMarker), 0x80);
  EXPECT_STREQ(FeatureIdName(FeatureId::kNumberOfQueues), "Number of Queues");
  EXPECT_STREQ(FeatureIdName(FeatureId::kAutonomousPowerStateTransition),
               "Autonomous Power State Transition");
  EXPECT_EQ(FeatureIdName(static_cast<FeatureId>(0x00)), nullptr);
  EXPECT_EQ(FeatureIdName(static_cast<FeatureId>(0x20)), nullptr);
}

TEST(FeaturesTest, SelectAndCommandDwords) {
  EXPECT_EQ(static_cast<int>(FeatureSelect::kSupportedCapabilities), 3);
  EXPECT_STREQ(FeatureSelectName(FeatureSelect::kSaved), "Saved");
  EXPECT_EQ(SetFeaturesCdw10(FeatureId::kNumberOfQueues), 0x07u);
  EXPECT_EQ(SetFeaturesCdw10(FeatureId::kArbitration, true), 0x80000001u);
  EXPECT_EQ(GetFeaturesCdw10(FeatureId::kTimestamp, FeatureSelect::kDefault), 0x10Eu);
  EXPECT_EQ(GetFeaturesCdw10(FeatureId::kTimestamp, FeatureSelect::kSupportedCapabilities), 0x30Eu);
  EXPECT_EQ(FeaturesFid(0x80000001u), 0x01);
  EXPECT_TRUE(FeaturesSave(0x80000001u));
  EXPECT_FALSE(FeaturesSave(0x30Eu));
  EXPECT_EQ(FeaturesSelect(0x30Eu), FeatureSelect::kSupportedCapabilities);
  EXPECT_EQ(kFeatureCapSaveable | kFeatureCapNamespaceSpecific | kFeatureCapChangeable, 7u);
}

TEST(FeaturesTest, DwordLayouts) {
  EXPECT_EQ(ArbitrationFeature{}.set_ab(7).raw, 0x00000007u);
  EXPECT_EQ(ArbitrationFeature{}.set_lpw(0xFF).raw, 0x0000FF00u);
  EXPECT_EQ(ArbitrationFeature{}.set_mpw(0xFF).raw, 0x00FF0000u);
  EXPECT_EQ(ArbitrationFeature{}.set_hpw(0xFF).raw, 0xFF000000u);
  ArbitrationFeature a{0x04030201u};
  EXPECT_EQ(a.ab(), 1u);
  EXPECT_EQ(a.lpw(), 2u);
  EXPECT_EQ(a.mpw(), 3u);
  EXPECT_EQ(a.hpw(), 4u);

  EXPECT_EQ(PowerManagementFeature{}.set_ps(0x1F).raw, 0x1Fu);
  EXPECT_EQ(PowerManagementFeature{}.set_wh(7).raw, 0xE0u);

  EXPECT_EQ(TemperatureThresholdFeature{}.set_tmpth(0xFFFF).raw, 0x0000FFFFu);
  EXPECT_EQ(TemperatureThresholdFeature{}.set_tmpsel(0xF).raw, 0x000F0000u);
  EXPECT_EQ(TemperatureThresholdFeature{}.set_thsel(3).raw, 0x00300000u);
  TemperatureThresholdFeature t{0x0010'0000u | 273u};
  EXPECT_EQ(t.tmpth(), 273u);
  EXPECT_EQ(t.thsel(), static_cast<uint32_t>(ThresholdType::kUnderTemperature));

  EXPECT_EQ(ErrorRecoveryFeature{}.set_tler(0xFFFF).raw, 0x0000FFFFu);
  EXPECT_EQ(ErrorRecoveryFeature{}.set_dulbe(1).raw, 0x00010000u);
  EXPECT_EQ(VolatileWriteCacheFeature{}.set_wce(1).raw, 1u);

  NumberOfQueuesFeature q;
  q.set_nsqr(63).set_ncqr(31);
  EXPECT_EQ(q.raw, 0x001F003Fu);
  EXPECT_EQ(q.nsqa(), 63u);
  EXPECT_EQ(q.ncqa(), 31u);
  EXPECT_EQ(NumberOfQueuesFeature{}.set_ncqr(0xFFFF).raw, 0xFFFF0000u);

  EXPECT_EQ(InterruptCoalescingFeature{}.set_thr(0xFF).raw, 0x00FFu);
  EXPECT_EQ(InterruptCoalescingFeature{}.set_time(0xFF).raw, 0xFF00u);
  EXPECT_EQ(InterruptVectorConfigFeature{}.set_iv(0xFFFF).raw, 0x0000FFFFu);
  EXPECT_EQ(InterruptVectorConfigFeature{}.set_cd(1).raw, 0x00010000u);
  EXPECT_EQ(WriteAtomicityFeature{}.set_dn(1).raw, 1u);
  EXPECT_EQ(KeepAliveTimerFeature{}.set_kato(120000).kato(), 120000u);
  EXPECT_EQ(HostThermalManagementFeature{}.set_tmt2(0xFFFF).raw, 0x0000FFFFu);
  EXPECT_EQ(HostThermalManagementFeature{}.set_tmt1(0xFFFF).raw, 0xFFFF0000u);
  EXPECT_EQ(NonOperationalPowerStateFeature{}.set_noppme(1).raw, 1u);
  EXPECT_EQ(IoCommandSetProfileFeature{}.set_iocsci(0x1FF).raw, 0x1FFu);
  EXPECT_EQ(IoCommandSetProfileFeature{}.set_iocsci(0x3FF).raw, 0x1FFu);  // 9-bit field
}

TEST(FeaturesTest, AsyncEventConfigurationBits) {
  EXPECT_EQ(kAecNamespaceAttributeNotices, 0x100u);
  EXPECT_EQ(kAecFirmwareActivationNotices, 0x200u);
  EXPECT_EQ(kAecTelemetryLogNotices, 0x400u);
  EXPECT_EQ(kAecAnaChangeNotices, 0x800u);
  EXPECT_EQ(kAecZoneDescriptorChangedNotices, 0x08000000u);
  EXPECT_EQ(kAecDiscoveryLogChangeNotices, 0x80000000u);
}

TEST(FeaturesTest, DataStructures) {
  ApstData apst;
  apst.entry[0].set_itps(3).set_itpt(100);
  apst.entry[31].set_itps(0x1F).set_itpt(0xFFFFFF);
  uint8_t b[256];
  std::memcpy(b, &apst, sizeof b);
  EXPECT_EQ(b[0], 3u << 3);
  EXPECT_EQ(b[1], 100);
  EXPECT_EQ(apst.entry[0].raw, (100ull << 8) | (3ull << 3));
  EXPECT_EQ(apst.entry[31].raw, 0xFFFFFFFFull & ~0x7ull);
  EXPECT_EQ(apst.entry[0].itps(), 3u);
  EXPECT_EQ(apst.entry[0].itpt(), 100u);

  TimestampData ts;
  ts.timestamp = 0x0000'0102'0304'0506ull;
  ts.attributes =
      static_cast<uint8_t>(1u | (static_cast<uint8_t>(TimestampOrigin::kSetFeatures) << 1));
  uint8_t t[8];
  std::memcpy(t, &ts, 8);
  EXPECT_EQ(t[0], 0x06);
  EXPECT_EQ(t[5], 0x01);
  EXPECT_EQ(t[6], 0x03);
  EXPECT_EQ(ts.timestamp.value(), 0x0102'0304'0506ull);
  EXPECT_TRUE(ts.synch());
  EXPECT_EQ(ts.origin(), 1);

  HostBehaviorSupport hbs;
  hbs.acre = 1;
  hbs.lbafee = 1;
  uint8_t h[512];
  std::memcpy(h, &hbs, sizeof h);
  EXPECT_EQ(h[0], 1);
  EXPECT_EQ(h[1], 0);
  EXPECT_EQ(h[2], 1);

  LbaRangeTypeEntry r;
  r.type = 2;
  r.slba = 0x10;
  r.nlb = 0x20;
  uint8_t e[64];
  std::memcpy(e, &r, sizeof e);
  EXPECT_EQ(e[0], 2);
  EXPECT_EQ(e[16], 0x10);
  EXPECT_EQ(e[24], 0x20);
}

TEST(FeaturesTest, AsyncEventCompletionDword) {
  const uint32_t dw0 = AsyncEventDw0(AsyncEventType::kNotice,
                                     static_cast<uint8_t>(AsyncEventNotice::kAnaChange), 0x0C);
  EXPECT_EQ(dw0, 0x000C0302u);
  EXPECT_EQ(AsyncEventDw0Type(dw0), AsyncEventType::kNotice);
  EXPECT_EQ(AsyncEventDw0Info(dw0), 0x03);
  EXPECT_EQ(AsyncEventDw0LogPage(dw0), 0x0C);
  EXPECT_EQ(AsyncEventDw0(AsyncEventType::kSmartHealthStatus,
                          static_cast<uint8_t>(AsyncEventSmart::kTemperatureThreshold), 0x02),
            0x00020101u);
  EXPECT_EQ(AsyncEventDw0(AsyncEventType::kErrorStatus,
                          static_cast<uint8_t>(AsyncEventError::kFirmwareImageLoadError), 0x01),
            0x00010500u);
  EXPECT_EQ(AsyncEventDw0(AsyncEventType::kNotice,
                          static_cast<uint8_t>(AsyncEventNotice::kZoneDescriptorChanged), 0xBF),
            0x00BFEF02u);
}

TEST(FeaturesTest, AsyncEventValuesAndNames) {
  EXPECT_EQ(static_cast<int>(AsyncEventType::kErrorStatus), 0);
  EXPECT_EQ(static_cast<int>(AsyncEventType::kSmartHealthStatus), 1);
  EXPECT_EQ(static_cast<int>(AsyncEventType::kNotice), 2);
  EXPECT_EQ(static_cast<int>(AsyncEventType::kImmediate), 3);
  EXPECT_EQ(static_cast<int>(AsyncEventType::kOneShot), 4);
  EXPECT_EQ(static_cast<int>(AsyncEventType::kIoCommandSetSpecific), 6);
  EXPECT_EQ(static_cast<int>(AsyncEventType::kVendorSpecific), 7);
  EXPECT_EQ(static_cast<int>(AsyncEventNotice::kNamespaceAttributeChanged), 0x00);
  EXPECT_EQ(static_cast<int>(AsyncEventNotice::kFirmwareActivationStarting), 0x01);
  EXPECT_EQ(static_cast<int>(AsyncEventNotice::kTelemetryLogChanged), 0x02);
  EXPECT_EQ(static_cast<int>(AsyncEventNotice::kAnaChange), 0x03);
  EXPECT_EQ(static_cast<int>(AsyncEventError::kInvalidSubmissionQueue), 0x00);
  EXPECT_EQ(static_cast<int>(AsyncEventError::kInvalidDoorbellWriteValue), 0x01);
  EXPECT_EQ(static_cast<int>(AsyncEventError::kDiagnosticFailure), 0x02);
  EXPECT_EQ(static_cast<int>(AsyncEventError::kPersistentInternalError), 0x03);
  EXPECT_EQ(static_cast<int>(AsyncEventError::kTransientInternalError), 0x04);
  EXPECT_EQ(static_cast<int>(AsyncEventError::kFirmwareImageLoadError), 0x05);
  EXPECT_EQ(static_cast<int>(AsyncEventSmart::kSubsystemReliability), 0);
  EXPECT_EQ(static_cast<int>(AsyncEventSmart::kTemperatureThreshold), 1);
  EXPECT_EQ(static_cast<int>(AsyncEventSmart::kSpareBelowThreshold), 2);
  EXPECT_STREQ(AsyncEventTypeName(AsyncEventType::kNotice), "Notice");
  EXPECT_STREQ(AsyncEventInfoName(AsyncEventType::kNotice, 0x03),
               "Asymmetric Namespace Access Change");
  EXPECT_STREQ(AsyncEventInfoName(AsyncEventType::kSmartHealthStatus, 0x01),
               "Temperature Threshold");
  EXPECT_STREQ(AsyncEventInfoName(AsyncEventType::kErrorStatus, 0x00),
               "Write to Invalid Doorbell Register");
  EXPECT_STREQ(AsyncEventInfoName(AsyncEventType::kIoCommandSetSpecific, 0x00),
               "Reservation Log Page Available");
  EXPECT_EQ(AsyncEventInfoName(AsyncEventType::kNotice, 0x10), nullptr);
  EXPECT_EQ(AsyncEventInfoName(AsyncEventType::kSmartHealthStatus, 0x03), nullptr);
}

}  // namespace
}  // namespace nvmesim::spec

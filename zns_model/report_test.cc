// Report Zones (Zone Management Receive): filters, partial and full reports,
// extended descriptors, a start LBA inside a zone, a buffer smaller than the report.
#include <gtest/gtest.h>

#include <cstring>

#include "zns_model/test_util.h"

namespace nvmesim::zns {
namespace {

using spec::GenericStatus;
using spec::Status;
using spec::ZoneSendAction;
using spec::ZoneState;

// 8 zones: 0 IO, 1 EO, 2 Closed, 3 Full, 4 RO, 5 Offline, 6 and 7 Empty.
class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = testing::SmallConfig();
    c.max_open_zones = 0;
    c.max_active_zones = 0;
    c.descriptor_extension_bytes = 128;
    ns_ = testing::Make(c);
    ASSERT_TRUE(ns_->Write(0, 5).ok());
    ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kOpen, 64).ok());
    const std::vector<uint8_t> ext(128, 0x3C);
    ASSERT_TRUE(
        ns_->ZoneSend({ZoneSendAction::kSetZoneDescriptorExtension, 128, false, false, ext}).ok());
    ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kFinish, 192).ok());
    ASSERT_TRUE(ns_->Write(256, 7).ok());
    ASSERT_TRUE(ns_->FaultSetReadOnly(4).ok());
    ASSERT_TRUE(ns_->FaultSetOffline(5).ok());
    ASSERT_TRUE(ns_->FaultSetResetRecommended(3, true).ok());
    ASSERT_TRUE(ns_->FaultSetFinishRecommended(2, true).ok());
  }

  ReportResult Run(ReportRequest req, size_t buffer_bytes, std::vector<uint8_t>* buf) {
    buf->assign(buffer_bytes, 0xEE);
    ReportResult r;
    const Status s = ns_->Report(req, *buf, &r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  }
  static spec::ZoneDescriptor Descriptor(const std::vector<uint8_t>& buf, size_t i,
                                         size_t entry = 64) {
    spec::ZoneDescriptor d;
    std::memcpy(&d, buf.data() + 64 + i * entry, sizeof d);
    return d;
  }
  static uint64_t Nrz(const std::vector<uint8_t>& buf) {
    uint64_t n;
    std::memcpy(&n, buf.data(), 8);
    return n;
  }
  std::unique_ptr<ZonedNamespace> ns_;
};

TEST_F(ReportTest, FullReportOfAllZones) {
  std::vector<uint8_t> buf;
  const ReportResult r = Run({0, ReportFilter::kAll, false, false}, 64 + 8 * 64, &buf);
  EXPECT_EQ(r.nr_zones, 8u);
  EXPECT_EQ(Nrz(buf), 8u);
  const ZoneState want[8] = {ZoneState::kImplicitlyOpened,
                             ZoneState::kExplicitlyOpened,
                             ZoneState::kClosed,
                             ZoneState::kFull,
                             ZoneState::kReadOnly,
                             ZoneState::kOffline,
                             ZoneState::kEmpty,
                             ZoneState::kEmpty};
  for (size_t i = 0; i < 8; ++i) {
    const spec::ZoneDescriptor d = Descriptor(buf, i);
    EXPECT_EQ(d.state(), want[i]) << i;
    EXPECT_EQ(d.type(), spec::ZoneType::kSequentialWriteRequired);
    EXPECT_EQ(d.zslba, i * 64);
    EXPECT_EQ(d.zcap, 48u);
  }
  EXPECT_EQ(Descriptor(buf, 0).wp, 5u);
  EXPECT_EQ(Descriptor(buf, 3).wp, 192u + 48);
  EXPECT_EQ(Descriptor(buf, 3).za, spec::kZoneAttrResetZoneRecommended);
  EXPECT_EQ(Descriptor(buf, 2).za,
            spec::kZoneAttrZoneDescriptorExtensionValid | spec::kZoneAttrFinishZoneRecommended);
}

TEST_F(ReportTest, EveryStateFilter) {
  const std::pair<ReportFilter, uint64_t> cases[] = {
      {ReportFilter::kEmpty, 6 * 64},
      {ReportFilter::kImplicitlyOpened, 0},
      {ReportFilter::kExplicitlyOpened, 64},
      {ReportFilter::kClosed, 128},
      {ReportFilter::kFull, 192},
      {ReportFilter::kReadOnly, 256},
      {ReportFilter::kOffline, 320},
      {ReportFilter::kResetRecommended, 192},
      {ReportFilter::kFinishRecommended, 128},
  };
  std::vector<uint8_t> buf;
  for (const auto& [filter, first_zslba] : cases) {
    SCOPED_TRACE(static_cast<int>(filter));
    const ReportResult r = Run({0, filter, false, false}, 4096, &buf);
    EXPECT_EQ(r.nr_zones, filter == ReportFilter::kEmpty ? 2u : 1u);
    EXPECT_EQ(Descriptor(buf, 0).zslba, first_zslba);
  }
  const ReportResult r = Run({0, ReportFilter::kNonWritePointer, false, false}, 4096, &buf);
  EXPECT_EQ(r.nr_zones, 3u);  // Full, Read Only, Offline
}

TEST_F(ReportTest, StartLbaInsideAZoneStartsAtThatZone) {
  std::vector<uint8_t> buf;
  const ReportResult r = Run({3 * 64 + 17, ReportFilter::kAll, false, false}, 4096, &buf);
  EXPECT_EQ(r.nr_zones, 5u);
  EXPECT_EQ(Descriptor(buf, 0).zslba, 192u);
}

TEST_F(ReportTest, SmallBufferPartialAndFull) {
  std::vector<uint8_t> buf;
  // Room for 2 descriptors (and a stray 10 bytes, left zero).
  ReportResult r = Run({0, ReportFilter::kAll, false, false}, 64 + 2 * 64 + 10, &buf);
  EXPECT_EQ(r.nr_zones, 8u);  // partial clear: every matching zone
  EXPECT_EQ(r.descriptors, 2u);
  EXPECT_EQ(buf.back(), 0);
  r = Run({0, ReportFilter::kAll, true, false}, 64 + 2 * 64 + 10, &buf);
  EXPECT_EQ(r.nr_zones, 2u);  // partial set: descriptors returned
  EXPECT_EQ(Nrz(buf), 2u);
  // Filtered, from zone 1, with room for one.
  r = Run({64, ReportFilter::kEmpty, false, false}, 128, &buf);
  EXPECT_EQ(r.nr_zones, 2u);
  EXPECT_EQ(Descriptor(buf, 0).zslba, 384u);
  r = Run({64, ReportFilter::kEmpty, true, false}, 128, &buf);
  EXPECT_EQ(r.nr_zones, 1u);
  // Header only.
  r = Run({0, ReportFilter::kAll, false, false}, 64, &buf);
  EXPECT_EQ(r.nr_zones, 8u);
  EXPECT_EQ(r.descriptors, 0u);
}

TEST_F(ReportTest, ExtendedReportCarriesExtensions) {
  std::vector<uint8_t> buf;
  const size_t entry = 64 + 128;
  const ReportResult r = Run({128, ReportFilter::kAll, false, true}, 64 + 2 * entry, &buf);
  EXPECT_EQ(r.descriptors, 2u);
  EXPECT_EQ(r.bytes_used, 64 + 2 * entry);
  EXPECT_EQ(Descriptor(buf, 0, entry).zslba, 128u);
  EXPECT_EQ(buf[64 + 64], 0x3C);  // zone 2's extension
  EXPECT_EQ(buf[64 + 64 + 127], 0x3C);
  EXPECT_EQ(Descriptor(buf, 1, entry).zslba, 192u);
  EXPECT_EQ(buf[64 + entry + 64], 0);  // zone 3 has no valid extension
}

TEST_F(ReportTest, Errors) {
  std::vector<uint8_t> buf(4096);
  EXPECT_EQ(ns_->Report({8 * 64, ReportFilter::kAll, false, false}, buf, nullptr),
            Status(GenericStatus::kLbaOutOfRange, true));
  EXPECT_EQ(ns_->Report({0, ReportFilter::kAll, false, false}, std::span<uint8_t>(buf.data(), 63),
                        nullptr),
            Status(GenericStatus::kInvalidField, true));
  EXPECT_EQ(ns_->Report({0, static_cast<ReportFilter>(0x9), false, false}, buf, nullptr),
            Status(GenericStatus::kInvalidField, true));
  auto plain = testing::Make(testing::SmallConfig());
  EXPECT_EQ(plain->Report({0, ReportFilter::kAll, false, true}, buf, nullptr),
            Status(GenericStatus::kInvalidField, true));
}

TEST(ReportingOptionTest, ParsesOnlyTheSpecValues) {
  for (int v = 0; v <= 7; ++v) {
    ASSERT_TRUE(ParseReportingOption(static_cast<uint8_t>(v)).has_value()) << v;
    EXPECT_EQ(static_cast<int>(*ParseReportingOption(static_cast<uint8_t>(v))), v);
  }
  EXPECT_FALSE(ParseReportingOption(8).has_value());
  EXPECT_FALSE(ParseReportingOption(0x80).has_value());
  EXPECT_EQ(*ParseReportingOption(5), ReportFilter::kFull);
  EXPECT_EQ(*ParseReportingOption(6), ReportFilter::kReadOnly);
}

}  // namespace
}  // namespace nvmesim::zns

// Zone Random Write Area (ZNS 1.1 Zone Random Write Area section): allocation
// with Open Zone (ZRWAA), writes inside the ZRWA, implicit flush when a write
// reaches into the implicit flush range, explicit flush, resources.
#include <gtest/gtest.h>

#include "zns_model/test_util.h"

namespace nvmesim::zns {
namespace {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;
using spec::ZoneSendAction;
using spec::ZoneState;

// 4 zones of 128 LBAs (ZCAP 96), ZRWA 16 LBAs, ZRWAFG 4, two ZRWA resources.
ZonedNamespaceConfig ZrwaConfig() {
  ZonedNamespaceConfig c;
  c.zone_count = 4;
  c.zone_size_lbas = 128;
  c.zone_capacity_lbas = 96;
  c.zrwa_zones = 2;
  c.zrwa_size_lbas = 16;
  c.zrwa_flush_granularity_lbas = 4;
  return c;
}

Status Flush(ZonedNamespace& ns, uint64_t last_lba) {
  return testing::Send(ns, ZoneSendAction::kFlushExplicitZrwa, last_lba);
}

class ZrwaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ns_ = testing::Make(ZrwaConfig());
    ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kOpen, 0, false, true).ok());
  }
  template <typename F>
  void ExpectError(Status want, F&& op) {
    const testing::Snapshot before = testing::Take(*ns_);
    const Status got = op();
    EXPECT_EQ(got, want) << got.ToString() << " want " << want.ToString();
    EXPECT_TRUE(testing::Take(*ns_) == before) << "error path changed the namespace";
  }
  std::unique_ptr<ZonedNamespace> ns_;
};

TEST_F(ZrwaTest, RandomWritesInsideTheWindowKeepTheWritePointer) {
  EXPECT_TRUE(ns_->Zone(0).attributes & spec::kZoneAttrZrwaValid);
  EXPECT_TRUE(ns_->Write(8, 4).ok());
  EXPECT_TRUE(ns_->Write(0, 4).ok());
  EXPECT_TRUE(ns_->Write(0, 16).ok());  // overwrite, whole window
  EXPECT_EQ(ns_->Zone(0).wp, 0u);
  EXPECT_EQ(ns_->Stats(0).lbas_written, 24u);
  EXPECT_EQ(ns_->Zone(0).state, ZoneState::kExplicitlyOpened);
}

TEST_F(ZrwaTest, WriteIntoTheImplicitFlushRangeMovesTheWindowByGranules) {
  EXPECT_TRUE(ns_->Write(14, 5).ok());  // ends at 19: 3 past the window -> flush 4
  EXPECT_EQ(ns_->Zone(0).wp, 4u);
  EXPECT_TRUE(ns_->Write(20, 16).ok());  // ends at 36: window ends at 20 -> flush 16
  EXPECT_EQ(ns_->Zone(0).wp, 20u);
  EXPECT_EQ(ns_->CheckInvariants(), "");
}

TEST_F(ZrwaTest, WritesOutsideTheWindowAreInvalid) {
  ASSERT_TRUE(ns_->Write(16, 4).ok());  // wp -> 4
  ExpectError(Status(CommandSpecificStatus::kZoneInvalidWrite, true),
              [&] { return ns_->Write(0, 4); });  // below the write pointer
  ExpectError(Status(CommandSpecificStatus::kZoneInvalidWrite, true),
              [&] { return ns_->Write(30, 8); });  // ends past WP + 2 x ZRWASZ (36)
  uint64_t lba;
  ExpectError(spec::InvalidZoneOperationRequest().WithDnr(),
              [&] { return ns_->Append(0, 1, &lba); });  // no Zone Append with a ZRWA
}

TEST_F(ZrwaTest, ExplicitFlush) {
  ASSERT_TRUE(ns_->Write(0, 12).ok());
  ExpectError(Status(GenericStatus::kInvalidField, true),
              [&] { return Flush(*ns_, 4); });  // 5 LBAs: not a multiple of ZRWAFG
  ExpectError(Status(CommandSpecificStatus::kZoneBoundaryError, true),
              [&] { return Flush(*ns_, 16); });  // past the window
  ASSERT_TRUE(Flush(*ns_, 7).ok());
  EXPECT_EQ(ns_->Zone(0).wp, 8u);
  ExpectError(Status(CommandSpecificStatus::kZoneBoundaryError, true),
              [&] { return Flush(*ns_, 3); });  // below the write pointer
  ExpectError(Status(GenericStatus::kInvalidField, true),
              [&] { return Flush(*ns_, 128 + 3); });  // zone 1 has no ZRWA
  ExpectError(Status(GenericStatus::kInvalidField, true),
              [&] { return testing::Send(*ns_, ZoneSendAction::kFlushExplicitZrwa, 7, true); });
}

TEST_F(ZrwaTest, FlushToCapacityFillsTheZoneAndReleasesTheZrwa) {
  for (uint64_t lba = 0; lba < 96; lba += 16) ASSERT_TRUE(ns_->Write(lba, 16).ok());
  EXPECT_EQ(ns_->Zone(0).wp, 80u);  // the last 16 LBAs are still in the ZRWA
  ASSERT_TRUE(Flush(*ns_, 95).ok());
  EXPECT_EQ(ns_->Zone(0).state, ZoneState::kFull);
  EXPECT_EQ(ns_->zrwa_in_use(), 0u);
  EXPECT_EQ(ns_->Zone(0).attributes & spec::kZoneAttrZrwaValid, 0);
}

TEST_F(ZrwaTest, ClosedZoneKeepsItsZrwaAndReopensImplicitly) {
  ASSERT_TRUE(ns_->Write(0, 8).ok());
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kClose, 0).ok());
  EXPECT_TRUE(ns_->Zone(0).attributes & spec::kZoneAttrZrwaValid);
  ASSERT_TRUE(Flush(*ns_, 3).ok());  // committing data opens it implicitly
  EXPECT_EQ(ns_->Zone(0).state, ZoneState::kImplicitlyOpened);
  EXPECT_EQ(ns_->Zone(0).wp, 4u);
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kReset, 0).ok());
  EXPECT_EQ(ns_->zrwa_in_use(), 0u);
}

TEST_F(ZrwaTest, ZrwaResources) {
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kOpen, 128, false, true).ok());
  ExpectError(spec::ZrwaResourcesUnavailable().WithDnr(),
              [&] { return testing::Send(*ns_, ZoneSendAction::kOpen, 256, false, true); });
  // Re-allocating on a zone that already has one needs no new resource.
  EXPECT_TRUE(testing::Send(*ns_, ZoneSendAction::kOpen, 128, false, true).ok());
  // A zone whose write pointer is off a ZRWAFG boundary cannot get a ZRWA.
  ASSERT_TRUE(ns_->Write(384, 3).ok());
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kReset, 0).ok());
  ExpectError(spec::ZrwaResourcesUnavailable().WithDnr(),
              [&] { return testing::Send(*ns_, ZoneSendAction::kOpen, 384, false, true); });
  EXPECT_EQ(ns_->CheckInvariants(), "");
}

TEST(ZrwaIdentifyTest, IdentifyReportsZrwaFields) {
  auto c = ZrwaConfig();
  c.zrwa_explicit_flush = false;
  auto ns = testing::Make(c);
  spec::ZnsIdentifyNamespace id;
  ns->FillIdentifyNamespace(&id, 0);
  EXPECT_EQ(id.ozcs & spec::kOzcsZrwaSupported, spec::kOzcsZrwaSupported);
  EXPECT_EQ(id.numzrwa, 1u);  // 0's based
  EXPECT_EQ(id.zrwasz, 16);
  EXPECT_EQ(id.zrwafg, 4);
  EXPECT_EQ(id.zrwacap, 0);
  EXPECT_EQ(id.mar, spec::kZnsNoLimit);
  EXPECT_EQ(id.lbafe[0].zsze, 128u);
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kOpen, 0, false, true).ok());
  EXPECT_EQ(Flush(*ns, 3), spec::InvalidZoneOperationRequest().WithDnr());
}

}  // namespace
}  // namespace nvmesim::zns

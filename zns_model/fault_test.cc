// Fault entry points: Read Only, Offline, Reset/Finish Recommended, and the
// controller finishing a zone (Zone Active Excursion).
#include <gtest/gtest.h>

#include "zns_model/test_util.h"

namespace nvmesim::zns {
namespace {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;
using spec::ZoneSendAction;
using spec::ZoneState;

TEST(FaultTest, ReadOnlyReleasesResourcesAndRejectsWrites) {
  auto ns = testing::Make(testing::SmallConfig());
  ASSERT_TRUE(ns->Write(0, 4).ok());
  ASSERT_TRUE(ns->FaultSetReadOnly(0).ok());
  EXPECT_EQ(ns->open_zones(), 0u);
  EXPECT_EQ(ns->active_zones(), 0u);
  EXPECT_EQ(ns->Zone(0).wp, 4u);
  EXPECT_EQ(ns->Write(4, 1), Status(CommandSpecificStatus::kZoneIsReadOnly, true));
  EXPECT_TRUE(ns->CheckRead(0, 4).ok());
  // The host can take a Read Only zone offline; nothing brings it back.
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kOffline, 0).ok());
  EXPECT_EQ(ns->Zone(0).state, ZoneState::kOffline);
  EXPECT_EQ(ns->FaultSetReadOnly(0),
            Status(CommandSpecificStatus::kInvalidZoneStateTransition, true));
  EXPECT_EQ(testing::Send(*ns, ZoneSendAction::kReset, 0),
            Status(CommandSpecificStatus::kInvalidZoneStateTransition, true));
  EXPECT_EQ(ns->FaultSetOffline(99), Status(GenericStatus::kInvalidField, true));
  EXPECT_EQ(ns->CheckInvariants(), "");
}

TEST(FaultTest, OfflineFromEveryState) {
  for (int start = 0; start < 4; ++start) {
    auto c = testing::SmallConfig();
    c.zrwa_zones = 1;
    c.zrwa_size_lbas = 8;
    c.zrwa_flush_granularity_lbas = 8;
    auto ns = testing::Make(c);
    Status setup = Status::Ok();
    if (start == 1) setup = ns->Write(0, 1);
    if (start == 2) setup = testing::Send(*ns, ZoneSendAction::kOpen, 0, false, true);
    if (start == 3) setup = testing::Send(*ns, ZoneSendAction::kFinish, 0);
    ASSERT_TRUE(setup.ok());
    ASSERT_TRUE(ns->FaultSetOffline(0).ok());
    EXPECT_EQ(ns->Zone(0).state, ZoneState::kOffline);
    EXPECT_EQ(ns->active_zones(), 0u);
    EXPECT_EQ(ns->zrwa_in_use(), 0u);
    EXPECT_EQ(ns->CheckInvariants(), "");
  }
}

TEST(FaultTest, RecommendedAttributes) {
  auto ns = testing::Make(testing::SmallConfig());
  EXPECT_EQ(ns->FaultSetResetRecommended(0, true),
            Status(CommandSpecificStatus::kInvalidZoneStateTransition, true));  // Empty
  ASSERT_TRUE(ns->Write(0, 4).ok());
  ASSERT_TRUE(ns->FaultSetFinishRecommended(0, true).ok());
  ASSERT_TRUE(ns->FaultSetResetRecommended(0, true).ok());
  EXPECT_EQ(ns->Zone(0).attributes,
            spec::kZoneAttrFinishZoneRecommended | spec::kZoneAttrResetZoneRecommended);
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kFinish, 0).ok());
  EXPECT_EQ(ns->Zone(0).attributes, spec::kZoneAttrResetZoneRecommended);  // FZR cleared
  EXPECT_EQ(ns->FaultSetFinishRecommended(0, true),
            Status(CommandSpecificStatus::kInvalidZoneStateTransition, true));  // Full
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kReset, 0).ok());
  EXPECT_EQ(ns->Zone(0).attributes, 0);
}

TEST(FaultTest, ControllerFinishNeedsZoneActiveExcursions) {
  auto c = testing::SmallConfig();
  auto ns = testing::Make(c);
  ASSERT_TRUE(ns->Write(0, 4).ok());
  EXPECT_EQ(ns->FaultFinishByController(0), Status(GenericStatus::kInvalidField, true));
  c.zone_active_excursions = true;
  ns = testing::Make(c);
  ASSERT_TRUE(ns->Write(0, 4).ok());
  ASSERT_TRUE(ns->FaultFinishByController(0).ok());
  EXPECT_EQ(ns->Zone(0).state, ZoneState::kFull);
  EXPECT_EQ(ns->Zone(0).attributes, spec::kZoneAttrZoneFinishedByController);
  EXPECT_EQ(ns->Stats(0).finishes, 1u);
  EXPECT_EQ(ns->FaultFinishByController(1),
            Status(CommandSpecificStatus::kInvalidZoneStateTransition, true));  // Empty
  spec::ZnsIdentifyNamespace id;
  ns->FillIdentifyNamespace(&id, 2);
  EXPECT_EQ(id.zoc, spec::kZocZoneActiveExcursions);
  EXPECT_EQ(id.mor, 1u);  // MOR 2, 0's based
  EXPECT_EQ(id.mar, 2u);
  EXPECT_EQ(id.lbafe[2].zsze, 64u);
}

TEST(FaultTest, ChangedZoneList) {
  auto c = testing::SmallConfig();
  c.zone_count = 600;
  c.max_open_zones = 0;
  c.max_active_zones = 0;
  auto ns = testing::Make(c);
  ASSERT_TRUE(ns->Write(64, 1).ok());
  ASSERT_TRUE(ns->FaultSetFinishRecommended(1, true).ok());
  ASSERT_TRUE(ns->FaultSetOffline(3).ok());
  ASSERT_TRUE(ns->FaultSetReadOnly(1).ok());  // already listed: once only
  EXPECT_EQ(ns->FaultSetResetRecommended(5, true),
            Status(CommandSpecificStatus::kInvalidZoneStateTransition, true));  // not listed
  EXPECT_EQ(ns->changed_zones(), 2u);
  spec::ChangedZoneList log;
  ns->ReadChangedZoneList(&log, /*retain=*/true);
  EXPECT_EQ(log.nrzid, 2);
  EXPECT_EQ(log.zid[0], 64u);
  EXPECT_EQ(log.zid[1], 192u);
  EXPECT_EQ(ns->changed_zones(), 2u);
  ns->ReadChangedZoneList(&log, /*retain=*/false);
  EXPECT_EQ(ns->changed_zones(), 0u);
  for (uint32_t z = 0; z < 512; ++z) ASSERT_TRUE(ns->FaultSetOffline(z).ok());
  ns->ReadChangedZoneList(&log, false);
  EXPECT_EQ(log.nrzid, spec::kChangedZoneListOverflow);
  EXPECT_EQ(log.zid[0], 0u);
  ASSERT_TRUE(ns->FaultSetOffline(3).ok());
  ns->ReadChangedZoneList(&log, false);
  EXPECT_EQ(log.nrzid, 1);
  EXPECT_EQ(log.zid[0], 192u);
}

TEST(FaultTest, BytesWritten) {
  auto ns = testing::Make(testing::SmallConfig());
  ASSERT_TRUE(ns->Write(0, 3).ok());
  EXPECT_EQ(ns->BytesWritten(0), 3u * 4096);
}

}  // namespace
}  // namespace nvmesim::zns

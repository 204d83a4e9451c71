// Write, Zone Append and read checks, and the open/active resource rules.
#include <gtest/gtest.h>

#include "zns_model/test_util.h"

namespace nvmesim::zns {
namespace {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;
using spec::ZoneSendAction;
using spec::ZoneState;

class IoTest : public ::testing::Test {
 protected:
  void SetUp() override { ns_ = testing::Make(testing::SmallConfig()); }
  // Expects `status` and that nothing in the namespace changed.
  template <typename F>
  void ExpectError(Status want, F&& op) {
    const testing::Snapshot before = testing::Take(*ns_);
    const Status got = op();
    EXPECT_EQ(got, want) << got.ToString() << " want " << want.ToString();
    EXPECT_TRUE(testing::Take(*ns_) == before) << "error path changed the namespace";
    EXPECT_EQ(ns_->CheckInvariants(), "");
  }
  std::unique_ptr<ZonedNamespace> ns_;
};

TEST_F(IoTest, SequentialWritesAdvanceAndFillTheZone) {
  EXPECT_TRUE(ns_->Write(0, 16).ok());
  EXPECT_EQ(ns_->Zone(0).state, ZoneState::kImplicitlyOpened);
  EXPECT_EQ(ns_->Zone(0).wp, 16u);
  EXPECT_TRUE(ns_->Write(16, 32).ok());
  EXPECT_EQ(ns_->Zone(0).state, ZoneState::kFull);  // reached ZCAP (48)
  EXPECT_EQ(ns_->Zone(0).wp, 48u);
  EXPECT_EQ(ns_->open_zones(), 0u);
  EXPECT_EQ(ns_->active_zones(), 0u);
  EXPECT_EQ(ns_->Stats(0).lbas_written, 48u);
}

TEST_F(IoTest, WriteErrorsLeaveTheZoneUnchanged) {
  ASSERT_TRUE(ns_->Write(64, 8).ok());
  ExpectError(Status(CommandSpecificStatus::kZoneInvalidWrite, true),
              [&] { return ns_->Write(64 + 9, 1); });  // not at WP
  ExpectError(Status(CommandSpecificStatus::kZoneInvalidWrite, true),
              [&] { return ns_->Write(64, 1); });  // behind WP
  ExpectError(Status(CommandSpecificStatus::kZoneBoundaryError, true),
              [&] { return ns_->Write(64 + 8, 41); });  // past ZCAP
  ExpectError(Status(CommandSpecificStatus::kZoneBoundaryError, true),
              [&] { return ns_->Write(64 + 8, 100); });  // into the next zone
  ExpectError(Status(GenericStatus::kLbaOutOfRange, true), [&] { return ns_->Write(8 * 64, 1); });
  ExpectError(Status(GenericStatus::kLbaOutOfRange, true),
              [&] { return ns_->Write(8 * 64 - 1, 2); });
  ExpectError(Status(GenericStatus::kInvalidField, true), [&] { return ns_->Write(64 + 8, 0); });
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kFinish, 64).ok());
  ExpectError(Status(CommandSpecificStatus::kZoneIsFull, true),
              [&] { return ns_->Write(64 + 48, 1); });
}

TEST_F(IoTest, AppendAssignsTheWritePointer) {
  uint64_t lba = 0;
  ASSERT_TRUE(ns_->Append(128, 5, &lba).ok());
  EXPECT_EQ(lba, 128u);
  ASSERT_TRUE(ns_->Append(128, 7, &lba).ok());
  EXPECT_EQ(lba, 133u);
  EXPECT_EQ(ns_->Zone(2).wp, 140u);
  EXPECT_EQ(ns_->Zone(2).state, ZoneState::kImplicitlyOpened);
  ExpectError(Status(GenericStatus::kInvalidField, true),
              [&] { return ns_->Append(129, 1, &lba); });  // not a zone start
  ExpectError(Status(CommandSpecificStatus::kZoneBoundaryError, true),
              [&] { return ns_->Append(128, 37, &lba); });  // 12 + 37 > 48
  ExpectError(Status(GenericStatus::kLbaOutOfRange, true),
              [&] { return ns_->Append(8 * 64, 1, &lba); });
  ASSERT_TRUE(ns_->Append(128, 36, &lba).ok());
  EXPECT_EQ(ns_->Zone(2).state, ZoneState::kFull);
  ExpectError(Status(CommandSpecificStatus::kZoneIsFull, true),
              [&] { return ns_->Append(128, 1, &lba); });
}

TEST(AppendLimitTest, ZaslLimitsAppendSize) {
  auto c = testing::SmallConfig();
  c.lba_bytes = 4096;
  c.zasl = 2;  // 4 x 4 KiB = 4 LBAs
  auto ns = testing::Make(c);
  uint64_t lba;
  EXPECT_TRUE(ns->Append(0, 4, &lba).ok());
  EXPECT_EQ(ns->Append(0, 5, &lba), Status(GenericStatus::kInvalidField, true));
  EXPECT_EQ(ns->Zone(0).wp, 4u);
  EXPECT_TRUE(ns->Write(4, 5).ok());  // ZASL limits appends only
}

TEST_F(IoTest, ReadChecks) {
  EXPECT_TRUE(ns_->CheckRead(0, 64).ok());  // past ZCAP inside the zone is readable
  EXPECT_EQ(ns_->CheckRead(60, 8), Status(CommandSpecificStatus::kZoneBoundaryError, true));
  EXPECT_EQ(ns_->CheckRead(8 * 64 - 1, 2), Status(GenericStatus::kLbaOutOfRange, true));
  ASSERT_TRUE(ns_->FaultSetOffline(1).ok());
  EXPECT_EQ(ns_->CheckRead(64, 1), Status(CommandSpecificStatus::kZoneIsOffline, true));

  auto c = testing::SmallConfig();
  c.read_across_zone_boundaries = true;
  auto razb = testing::Make(c);
  EXPECT_TRUE(razb->CheckRead(60, 8).ok());
  ASSERT_TRUE(razb->FaultSetOffline(1).ok());
  EXPECT_EQ(razb->CheckRead(60, 8), Status(CommandSpecificStatus::kZoneIsOffline, true));
}

TEST_F(IoTest, ImplicitOpenBeyondMorClosesTheOldestImplicitlyOpenedZone) {
  ASSERT_TRUE(ns_->Write(0, 1).ok());    // zone 0 IO
  ASSERT_TRUE(ns_->Write(64, 1).ok());   // zone 1 IO; MOR = 2 reached
  ASSERT_TRUE(ns_->Write(128, 1).ok());  // zone 0 (oldest) closed, zone 2 opened
  EXPECT_EQ(ns_->Zone(0).state, ZoneState::kClosed);
  EXPECT_EQ(ns_->Zone(1).state, ZoneState::kImplicitlyOpened);
  EXPECT_EQ(ns_->Zone(2).state, ZoneState::kImplicitlyOpened);
  EXPECT_EQ(ns_->open_zones(), 2u);
  EXPECT_EQ(ns_->active_zones(), 3u);  // MAR = 3 reached
  // A fourth zone would need a fourth active resource.
  ExpectError(Status(CommandSpecificStatus::kTooManyActiveZones, true),
              [&] { return ns_->Write(192, 1); });
  // Re-opening the closed zone 0 needs only an open resource: zone 1 is closed.
  ASSERT_TRUE(ns_->Write(1, 1).ok());
  EXPECT_EQ(ns_->Zone(1).state, ZoneState::kClosed);
  EXPECT_EQ(ns_->Zone(0).state, ZoneState::kImplicitlyOpened);
  EXPECT_EQ(ns_->CheckInvariants(), "");
}

TEST_F(IoTest, ExplicitlyOpenedZonesAreNeverClosedByTheController) {
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kOpen, 0).ok());
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kOpen, 64).ok());
  ExpectError(Status(CommandSpecificStatus::kTooManyOpenZones, true),
              [&] { return ns_->Write(128, 1); });
  ExpectError(Status(CommandSpecificStatus::kTooManyOpenZones, true),
              [&] { return testing::Send(*ns_, ZoneSendAction::kOpen, 128); });
  // An explicit open may close an implicitly opened zone.
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kClose, 64).ok());
  ASSERT_TRUE(ns_->Write(128, 1).ok());
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kOpen, 64).ok());
  EXPECT_EQ(ns_->Zone(2).state, ZoneState::kClosed);
  EXPECT_EQ(ns_->Zone(1).state, ZoneState::kExplicitlyOpened);
}

TEST_F(IoTest, SetExtensionAndFinishFromEmptyRespectMar) {
  auto c = testing::SmallConfig();
  c.descriptor_extension_bytes = 64;
  auto ns = testing::Make(c);
  const std::vector<uint8_t> ext(64, 1);
  ZoneSendRequest r{ZoneSendAction::kSetZoneDescriptorExtension, 0, false, false, ext};
  for (uint32_t z = 0; z < 3; ++z) {
    r.slba = z * 64;
    ASSERT_TRUE(ns->ZoneSend(r).ok());
  }
  EXPECT_EQ(ns->active_zones(), 3u);
  r.slba = 3 * 64;
  EXPECT_EQ(ns->ZoneSend(r), Status(CommandSpecificStatus::kTooManyActiveZones, true));
  EXPECT_EQ(ns->Zone(3).state, ZoneState::kEmpty);
  // Finish of an Empty zone goes straight to Full and needs no active resource.
  EXPECT_TRUE(testing::Send(*ns, ZoneSendAction::kFinish, 3 * 64).ok());
  r.extension = std::span<const uint8_t>(ext.data(), 32);
  r.slba = 4 * 64;
  EXPECT_EQ(ns->ZoneSend(r), Status(GenericStatus::kInvalidField, true));
}

TEST_F(IoTest, SelectAllOpenIsAllOrNothing) {
  ASSERT_TRUE(ns_->Write(0, 1).ok());
  ASSERT_TRUE(ns_->Write(64, 1).ok());
  ASSERT_TRUE(ns_->Write(128, 1).ok());  // closes zone 0
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kClose, 0, true).ok());
  EXPECT_EQ(ns_->CountInState(ZoneState::kClosed), 3u);
  ExpectError(Status(CommandSpecificStatus::kTooManyOpenZones, true),
              [&] { return testing::Send(*ns_, ZoneSendAction::kOpen, 0, true); });
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kFinish, 0).ok());
  ASSERT_TRUE(testing::Send(*ns_, ZoneSendAction::kOpen, 0, true).ok());
  EXPECT_EQ(ns_->CountInState(ZoneState::kExplicitlyOpened), 2u);
}

TEST_F(IoTest, ZoneSendArgumentErrors) {
  ExpectError(Status(GenericStatus::kInvalidField, true),
              [&] { return testing::Send(*ns_, ZoneSendAction::kOpen, 1); });  // not a zone start
  ExpectError(Status(GenericStatus::kLbaOutOfRange, true),
              [&] { return testing::Send(*ns_, ZoneSendAction::kReset, 8 * 64); });
  ExpectError(Status(GenericStatus::kInvalidField, true), [&] {
    return testing::Send(*ns_, static_cast<ZoneSendAction>(0x06), 0);  // reserved action
  });
  ExpectError(Status(GenericStatus::kInvalidField, true),
              [&] { return testing::Send(*ns_, ZoneSendAction::kClose, 0, false, true); });
  // ZRWAA without ZRWA support.
  ExpectError(spec::InvalidZoneOperationRequest().WithDnr(),
              [&] { return testing::Send(*ns_, ZoneSendAction::kOpen, 0, false, true); });
  ExpectError(spec::InvalidZoneOperationRequest().WithDnr(),
              [&] { return testing::Send(*ns_, ZoneSendAction::kFlushExplicitZrwa, 0); });
  // Select All ignores SLBA, even out of range.
  EXPECT_TRUE(testing::Send(*ns_, ZoneSendAction::kReset, ~0ull, true).ok());
}

struct RecordingSink : spec::TraceSink {
  std::vector<spec::TraceEvent> events;
  void Emit(const spec::TraceEvent& e) override { events.push_back(e); }
};

TEST_F(IoTest, TracesEveryStateChange) {
  RecordingSink sink;
  ns_->SetTrace(&sink, "ns1");
  ns_->SetTraceTime(42);
  ASSERT_TRUE(ns_->Write(0, 48).ok());  // Empty -> IO -> Full
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_STREQ(sink.events[0].name, "zone_state");
  EXPECT_EQ(sink.events[0].time_ps, 42u);
  EXPECT_EQ(sink.events[0].b, 0x1u);
  EXPECT_EQ(sink.events[0].c, 0x2u);
  EXPECT_EQ(sink.events[1].c, 0xEu);
}

}  // namespace
}  // namespace nvmesim::zns

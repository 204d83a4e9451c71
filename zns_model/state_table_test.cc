// Every (zone state x operation) pair of the ZNS 1.1 zone state machine
// (section 2.1.1, Zone State Machine figure) and the Zone Send Action figure,
// single zone and Select All, with the resulting state and status. Error
// rows also check that nothing at all changed.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "zns_model/test_util.h"

namespace nvmesim::zns {
namespace {

using spec::CommandSpecificStatus;
using spec::GenericStatus;
using spec::Status;
using spec::ZoneSendAction;
using spec::ZoneState;

enum class Op {
  kOpen,
  kOpenZrwa,
  kClose,
  kFinish,
  kReset,
  kOffline,
  kSetExtension,
  kFlushZrwa,
  kWrite,
  kAppend,
  kRead,
  kOpenAll,
  kCloseAll,
  kFinishAll,
  kResetAll,
  kOfflineAll,
  kSetExtensionAll,
  kFlushZrwaAll,
};
constexpr int kOpCount = 18;

const char* OpName(Op op) {
  static const char* names[kOpCount] = {
      "Open",     "Open+ZRWAA", "Close",    "Finish",     "Reset",     "Offline",
      "SetZDE",   "FlushZRWA",  "Write",    "Append",     "Read",      "OpenAll",
      "CloseAll", "FinishAll",  "ResetAll", "OfflineAll", "SetZDEAll", "FlushZRWAAll"};
  return names[static_cast<int>(op)];
}

constexpr ZoneState E = ZoneState::kEmpty;
constexpr ZoneState IO = ZoneState::kImplicitlyOpened;
constexpr ZoneState EO = ZoneState::kExplicitlyOpened;
constexpr ZoneState C = ZoneState::kClosed;
constexpr ZoneState F = ZoneState::kFull;
constexpr ZoneState RO = ZoneState::kReadOnly;
constexpr ZoneState OFF = ZoneState::kOffline;

const Status kOk = Status::Ok();
const Status kInvalidTransition(CommandSpecificStatus::kInvalidZoneStateTransition, true);
const Status kInvalidField(GenericStatus::kInvalidField, true);
const Status kIsFull(CommandSpecificStatus::kZoneIsFull, true);
const Status kIsReadOnly(CommandSpecificStatus::kZoneIsReadOnly, true);
const Status kIsOffline(CommandSpecificStatus::kZoneIsOffline, true);

struct Row {
  ZoneState from;
  Op op;
  ZoneState to;
  Status status;
};

// clang-format off
const Row kTable[] = {
  // Open Zone: Empty/Opened/Closed -> Explicitly Opened.
  {E, Op::kOpen, EO, kOk}, {IO, Op::kOpen, EO, kOk}, {EO, Op::kOpen, EO, kOk},
  {C, Op::kOpen, EO, kOk}, {F, Op::kOpen, F, kInvalidTransition},
  {RO, Op::kOpen, RO, kInvalidTransition}, {OFF, Op::kOpen, OFF, kInvalidTransition},
  // Open Zone with ZRWA Allocation.
  {E, Op::kOpenZrwa, EO, kOk}, {IO, Op::kOpenZrwa, EO, kOk}, {EO, Op::kOpenZrwa, EO, kOk},
  {C, Op::kOpenZrwa, EO, kOk}, {F, Op::kOpenZrwa, F, kInvalidTransition},
  {RO, Op::kOpenZrwa, RO, kInvalidTransition}, {OFF, Op::kOpenZrwa, OFF, kInvalidTransition},
  // Close Zone: Opened -> Closed; Closed stays.
  {E, Op::kClose, E, kInvalidTransition}, {IO, Op::kClose, C, kOk}, {EO, Op::kClose, C, kOk},
  {C, Op::kClose, C, kOk}, {F, Op::kClose, F, kInvalidTransition},
  {RO, Op::kClose, RO, kInvalidTransition}, {OFF, Op::kClose, OFF, kInvalidTransition},
  // Finish Zone: Empty/Opened/Closed -> Full; Full stays.
  {E, Op::kFinish, F, kOk}, {IO, Op::kFinish, F, kOk}, {EO, Op::kFinish, F, kOk},
  {C, Op::kFinish, F, kOk}, {F, Op::kFinish, F, kOk},
  {RO, Op::kFinish, RO, kInvalidTransition}, {OFF, Op::kFinish, OFF, kInvalidTransition},
  // Reset Zone: Opened/Closed/Full -> Empty; Empty stays.
  {E, Op::kReset, E, kOk}, {IO, Op::kReset, E, kOk}, {EO, Op::kReset, E, kOk},
  {C, Op::kReset, E, kOk}, {F, Op::kReset, E, kOk},
  {RO, Op::kReset, RO, kInvalidTransition}, {OFF, Op::kReset, OFF, kInvalidTransition},
  // Offline Zone: Read Only -> Offline; Offline stays.
  {E, Op::kOffline, E, kInvalidTransition}, {IO, Op::kOffline, IO, kInvalidTransition},
  {EO, Op::kOffline, EO, kInvalidTransition}, {C, Op::kOffline, C, kInvalidTransition},
  {F, Op::kOffline, F, kInvalidTransition}, {RO, Op::kOffline, OFF, kOk},
  {OFF, Op::kOffline, OFF, kOk},
  // Set Zone Descriptor Extension: Empty -> Closed (ZDEV set).
  {E, Op::kSetExtension, C, kOk}, {IO, Op::kSetExtension, IO, kInvalidTransition},
  {EO, Op::kSetExtension, EO, kInvalidTransition}, {C, Op::kSetExtension, C, kInvalidTransition},
  {F, Op::kSetExtension, F, kInvalidTransition}, {RO, Op::kSetExtension, RO, kInvalidTransition},
  {OFF, Op::kSetExtension, OFF, kInvalidTransition},
  // Flush Explicit ZRWA Range on a zone without a ZRWA: Invalid Field.
  {E, Op::kFlushZrwa, E, kInvalidField}, {IO, Op::kFlushZrwa, IO, kInvalidField},
  {EO, Op::kFlushZrwa, EO, kInvalidField}, {C, Op::kFlushZrwa, C, kInvalidField},
  {F, Op::kFlushZrwa, F, kInvalidField}, {RO, Op::kFlushZrwa, RO, kInvalidField},
  {OFF, Op::kFlushZrwa, OFF, kInvalidField},
  // Write at the write pointer: Empty/Closed open implicitly.
  {E, Op::kWrite, IO, kOk}, {IO, Op::kWrite, IO, kOk}, {EO, Op::kWrite, EO, kOk},
  {C, Op::kWrite, IO, kOk}, {F, Op::kWrite, F, kIsFull}, {RO, Op::kWrite, RO, kIsReadOnly},
  {OFF, Op::kWrite, OFF, kIsOffline},
  // Zone Append: same rules.
  {E, Op::kAppend, IO, kOk}, {IO, Op::kAppend, IO, kOk}, {EO, Op::kAppend, EO, kOk},
  {C, Op::kAppend, IO, kOk}, {F, Op::kAppend, F, kIsFull}, {RO, Op::kAppend, RO, kIsReadOnly},
  {OFF, Op::kAppend, OFF, kIsOffline},
  // Read: every state but Offline.
  {E, Op::kRead, E, kOk}, {IO, Op::kRead, IO, kOk}, {EO, Op::kRead, EO, kOk},
  {C, Op::kRead, C, kOk}, {F, Op::kRead, F, kOk}, {RO, Op::kRead, RO, kOk},
  {OFF, Op::kRead, OFF, kIsOffline},
  // Select All Open: Closed zones only.
  {E, Op::kOpenAll, E, kOk}, {IO, Op::kOpenAll, IO, kOk}, {EO, Op::kOpenAll, EO, kOk},
  {C, Op::kOpenAll, EO, kOk}, {F, Op::kOpenAll, F, kOk}, {RO, Op::kOpenAll, RO, kOk},
  {OFF, Op::kOpenAll, OFF, kOk},
  // Select All Close: opened zones.
  {E, Op::kCloseAll, E, kOk}, {IO, Op::kCloseAll, C, kOk}, {EO, Op::kCloseAll, C, kOk},
  {C, Op::kCloseAll, C, kOk}, {F, Op::kCloseAll, F, kOk}, {RO, Op::kCloseAll, RO, kOk},
  {OFF, Op::kCloseAll, OFF, kOk},
  // Select All Finish: opened and closed zones (not Empty).
  {E, Op::kFinishAll, E, kOk}, {IO, Op::kFinishAll, F, kOk}, {EO, Op::kFinishAll, F, kOk},
  {C, Op::kFinishAll, F, kOk}, {F, Op::kFinishAll, F, kOk}, {RO, Op::kFinishAll, RO, kOk},
  {OFF, Op::kFinishAll, OFF, kOk},
  // Select All Reset: opened, closed and full zones.
  {E, Op::kResetAll, E, kOk}, {IO, Op::kResetAll, E, kOk}, {EO, Op::kResetAll, E, kOk},
  {C, Op::kResetAll, E, kOk}, {F, Op::kResetAll, E, kOk}, {RO, Op::kResetAll, RO, kOk},
  {OFF, Op::kResetAll, OFF, kOk},
  // Select All Offline: read-only zones.
  {E, Op::kOfflineAll, E, kOk}, {IO, Op::kOfflineAll, IO, kOk}, {EO, Op::kOfflineAll, EO, kOk},
  {C, Op::kOfflineAll, C, kOk}, {F, Op::kOfflineAll, F, kOk}, {RO, Op::kOfflineAll, OFF, kOk},
  {OFF, Op::kOfflineAll, OFF, kOk},
  // Select All is not allowed with Set Zone Descriptor Extension or ZRWA flush.
  {E, Op::kSetExtensionAll, E, kInvalidField}, {IO, Op::kSetExtensionAll, IO, kInvalidField},
  {EO, Op::kSetExtensionAll, EO, kInvalidField}, {C, Op::kSetExtensionAll, C, kInvalidField},
  {F, Op::kSetExtensionAll, F, kInvalidField}, {RO, Op::kSetExtensionAll, RO, kInvalidField},
  {OFF, Op::kSetExtensionAll, OFF, kInvalidField},
  {E, Op::kFlushZrwaAll, E, kInvalidField}, {IO, Op::kFlushZrwaAll, IO, kInvalidField},
  {EO, Op::kFlushZrwaAll, EO, kInvalidField}, {C, Op::kFlushZrwaAll, C, kInvalidField},
  {F, Op::kFlushZrwaAll, F, kInvalidField}, {RO, Op::kFlushZrwaAll, RO, kInvalidField},
  {OFF, Op::kFlushZrwaAll, OFF, kInvalidField},
};
// clang-format on

constexpr uint32_t kZone = 2;

ZonedNamespaceConfig TableConfig() {
  ZonedNamespaceConfig c;
  c.zone_count = 4;
  c.zone_size_lbas = 64;
  c.zone_capacity_lbas = 48;
  c.zrwa_zones = 4;
  c.zrwa_size_lbas = 8;
  c.zrwa_flush_granularity_lbas = 4;
  c.descriptor_extension_bytes = 64;
  return c;
}

// Puts zone kZone into `state` with the write pointer on a ZRWAFG boundary.
void Drive(ZonedNamespace& ns, ZoneState state) {
  const uint64_t zslba = ns.ZoneStart(kZone);
  auto ok = [](Status s) { ASSERT_TRUE(s.ok()) << s.ToString(); };
  switch (state) {
    case ZoneState::kEmpty:
      break;
    case ZoneState::kImplicitlyOpened:
      ok(ns.Write(zslba, 4));
      break;
    case ZoneState::kExplicitlyOpened:
      ok(testing::Send(ns, ZoneSendAction::kOpen, zslba));
      break;
    case ZoneState::kClosed:
      ok(ns.Write(zslba, 8));
      ok(testing::Send(ns, ZoneSendAction::kClose, zslba));
      break;
    case ZoneState::kFull:
      ok(testing::Send(ns, ZoneSendAction::kFinish, zslba));
      break;
    case ZoneState::kReadOnly:
      ok(ns.Write(zslba, 4));
      ok(ns.FaultSetReadOnly(kZone));
      break;
    case ZoneState::kOffline:
      ok(ns.FaultSetOffline(kZone));
      break;
  }
  ASSERT_EQ(ns.Zone(kZone).state, state);
}

Status Apply(ZonedNamespace& ns, Op op) {
  const uint64_t zslba = ns.ZoneStart(kZone);
  const std::vector<uint8_t> ext(64, 0xA5);
  ZoneSendRequest r;
  r.slba = zslba;
  switch (op) {
    case Op::kOpen:
    case Op::kOpenAll:
      r.action = ZoneSendAction::kOpen;
      break;
    case Op::kOpenZrwa:
      r.action = ZoneSendAction::kOpen;
      r.zrwa_allocate = true;
      break;
    case Op::kClose:
    case Op::kCloseAll:
      r.action = ZoneSendAction::kClose;
      break;
    case Op::kFinish:
    case Op::kFinishAll:
      r.action = ZoneSendAction::kFinish;
      break;
    case Op::kReset:
    case Op::kResetAll:
      r.action = ZoneSendAction::kReset;
      break;
    case Op::kOffline:
    case Op::kOfflineAll:
      r.action = ZoneSendAction::kOffline;
      break;
    case Op::kSetExtension:
    case Op::kSetExtensionAll:
      r.action = ZoneSendAction::kSetZoneDescriptorExtension;
      r.extension = ext;
      break;
    case Op::kFlushZrwa:
    case Op::kFlushZrwaAll:
      r.action = ZoneSendAction::kFlushExplicitZrwa;
      r.slba = ns.Zone(kZone).wp + 3;
      if (r.slba >= ns.capacity_lbas()) r.slba = zslba;
      break;
    case Op::kWrite:
      return ns.Write(ns.Zone(kZone).wp, 4);
    case Op::kAppend: {
      uint64_t lba;
      return ns.Append(zslba, 4, &lba);
    }
    case Op::kRead:
      return ns.CheckRead(zslba, 4);
  }
  r.select_all = op >= Op::kOpenAll;
  return ns.ZoneSend(r);
}

TEST(StateTableTest, TableCoversEveryStateAndOperationOnce) {
  std::set<std::pair<int, int>> seen;
  for (const Row& row : kTable) {
    EXPECT_TRUE(seen.insert({static_cast<int>(row.from), static_cast<int>(row.op)}).second)
        << ZoneStateName(row.from) << " x " << OpName(row.op) << " listed twice";
  }
  EXPECT_EQ(seen.size(), 7u * kOpCount);
}

TEST(StateTableTest, EveryStateTimesEveryOperation) {
  for (const Row& row : kTable) {
    SCOPED_TRACE(std::string(ZoneStateName(row.from)) + " x " + OpName(row.op));
    auto ns = testing::Make(TableConfig());
    Drive(*ns, row.from);
    const testing::Snapshot before = testing::Take(*ns);
    const Status got = Apply(*ns, row.op);
    EXPECT_EQ(got, row.status) << got.ToString() << " want " << row.status.ToString();
    EXPECT_EQ(ns->Zone(kZone).state, row.to);
    if (!got.ok()) {
      EXPECT_TRUE(testing::Take(*ns) == before) << "error path changed state";
    }
    // The other zones never move.
    for (uint32_t z = 0; z < ns->zone_count(); ++z) {
      if (z != kZone) {
        EXPECT_EQ(ns->Zone(z).state, ZoneState::kEmpty) << "zone " << z;
      }
    }
    EXPECT_EQ(ns->CheckInvariants(), "");
  }
}

TEST(StateTableTest, TransitionSideEffects) {
  auto ns = testing::Make(TableConfig());
  const uint64_t zslba = ns->ZoneStart(kZone);
  ASSERT_TRUE(ns->Write(zslba, 8).ok());
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kFinish, zslba).ok());
  EXPECT_EQ(ns->Zone(kZone).wp, zslba + 48);  // Finish moves WP to ZCAP
  EXPECT_EQ(ns->Stats(kZone).finishes, 1u);
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kReset, zslba).ok());
  EXPECT_EQ(ns->Zone(kZone).wp, zslba);
  EXPECT_EQ(ns->Stats(kZone).resets, 1u);
  EXPECT_EQ(ns->Stats(kZone).lbas_written, 8u);

  const std::vector<uint8_t> ext(64, 0x5A);
  ZoneSendRequest r{ZoneSendAction::kSetZoneDescriptorExtension, zslba, false, false, ext};
  ASSERT_TRUE(ns->ZoneSend(r).ok());
  EXPECT_TRUE(ns->Zone(kZone).attributes & spec::kZoneAttrZoneDescriptorExtensionValid);
  EXPECT_EQ(ns->DescriptorExtension(kZone)[63], 0x5A);
  EXPECT_EQ(ns->active_zones(), 1u);
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kReset, zslba).ok());
  EXPECT_EQ(ns->Zone(kZone).attributes, 0);  // ZDEV cleared by reset
  EXPECT_EQ(ns->DescriptorExtension(kZone)[63], 0);

  // ZRWAA sets ZRWAV; Finish releases the ZRWA.
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kOpen, zslba, false, true).ok());
  EXPECT_TRUE(ns->Zone(kZone).attributes & spec::kZoneAttrZrwaValid);
  EXPECT_EQ(ns->zrwa_in_use(), 1u);
  ASSERT_TRUE(testing::Send(*ns, ZoneSendAction::kFinish, zslba).ok());
  EXPECT_EQ(ns->zrwa_in_use(), 0u);
  EXPECT_FALSE(ns->Zone(kZone).attributes & spec::kZoneAttrZrwaValid);
}

}  // namespace
}  // namespace nvmesim::zns

#include "spec/status.h"

#include <gtest/gtest.h>

namespace nvmesim::spec {
namespace {

TEST(StatusTest, PrintsNameTypeAndCode) {
  EXPECT_EQ(Status(GenericStatus::kLbaOutOfRange).ToString(), "LBA Out of Range (0/0x80)");
  EXPECT_EQ(Status(CommandSpecificStatus::kZoneIsFull, true).ToString(),
            "Zone Is Full (1/0xb9, DNR)");
  EXPECT_EQ(Status(PathStatus::kAsymmetricAccessInaccessible).ToString(),
            "Asymmetric Access Inaccessible (3/0x02)");
  EXPECT_EQ(Status(StatusCodeType::kGeneric, 0x7F).ToString(), "Reserved Status Code (0/0x7f)");
}

TEST(StatusTest, ZnsCodesAreCommandSpecificB8ToBF) {
  EXPECT_EQ(static_cast<int>(CommandSpecificStatus::kZoneBoundaryError), 0xB8);
  EXPECT_EQ(static_cast<int>(CommandSpecificStatus::kInvalidZoneStateTransition), 0xBF);
  for (int c = 0xB8; c <= 0xBF; ++c) {
    EXPECT_NE(StatusName(StatusCodeType::kCommandSpecific, static_cast<uint8_t>(c)), nullptr) << c;
  }
  EXPECT_EQ(Status(CommandSpecificStatus::kZoneInvalidWrite).type,
            StatusCodeType::kCommandSpecific);
}

TEST(StatusTest, PathRelatedCodes) {
  EXPECT_EQ(static_cast<int>(StatusCodeType::kPathRelated), 3);
  for (int c : {0x00, 0x01, 0x02, 0x03, 0x60, 0x70, 0x71}) {
    EXPECT_NE(StatusName(StatusCodeType::kPathRelated, static_cast<uint8_t>(c)), nullptr) << c;
  }
}

TEST(StatusTest, CqeFieldRoundTripsEveryBit) {
  Status s(MediaStatus::kUnrecoveredReadError, true);
  s.more = true;
  s.crd = 2;
  const uint16_t f = s.ToCqeField(true);
  EXPECT_EQ(f & 1u, 1u);               // phase, bit 0
  EXPECT_EQ((f >> 1) & 0xFFu, 0x81u);  // SC
  EXPECT_EQ((f >> 9) & 0x7u, 2u);      // SCT
  EXPECT_EQ((f >> 12) & 0x3u, 2u);     // CRD
  EXPECT_EQ((f >> 14) & 1u, 1u);       // M
  EXPECT_EQ((f >> 15) & 1u, 1u);       // DNR
  EXPECT_EQ(Status::FromCqeField(f), s);
  EXPECT_TRUE(Status::FromCqeField(Status::Ok().ToCqeField(false)).ok());
}

}  // namespace
}  // namespace nvmesim::spec

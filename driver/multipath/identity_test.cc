#include "driver/multipath/identity.h"

#include <cstring>
#include <vector>

#include "gtest/gtest.h"
#include "spec/identify.h"

namespace nvmesim::driver::multipath {
namespace {

void Put32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }

TEST(Identity, ControllerFieldsFromTheirOffsets) {
  std::vector<uint8_t> page(4096, 0);
  std::strcpy(reinterpret_cast<char*>(&page[768]), "nqn.2014-08.org.nvmexpress:test");
  page[78] = 7;     // CNTLID
  page[76] = 0x0A;  // CMIC
  page[342] = 12;   // ANATT
  const ControllerIdentity id = ParseControllerIdentity(page.data());
  EXPECT_EQ(id.subnqn, "nqn.2014-08.org.nvmexpress:test");
  EXPECT_EQ(id.cntlid, 7);
  EXPECT_EQ(id.cmic, 0x0A);
  EXPECT_EQ(id.anatt, 12);
}

TEST(Identity, DescriptorListAndNamespaceMatching) {
  std::vector<uint8_t> page(4096, 0);
  page[0] = 3, page[1] = 16;  // UUID
  for (int i = 0; i < 16; ++i) page[4 + i] = static_cast<uint8_t>(i + 1);
  page[20] = 1, page[21] = 8;  // EUI-64
  page[24] = 0xAB;
  NamespaceIds a;
  ASSERT_TRUE(ParseDescriptorList(page.data(), &a));
  EXPECT_TRUE(a.has_uuid());
  EXPECT_TRUE(a.has_eui64());
  EXPECT_FALSE(a.has_nguid());
  NamespaceIds b = a;
  EXPECT_TRUE(SameNamespace(a, b));
  b.uuid[3] ^= 1;
  EXPECT_FALSE(SameNamespace(a, b));
  NamespaceIds c = a;
  c.nguid[0] = 1;  // reports an NGUID the other lacks
  EXPECT_FALSE(SameNamespace(a, c));
  EXPECT_TRUE(SameNamespace(NamespaceIds{}, NamespaceIds{}));
  page[21] = 9;  // EUI-64 with a wrong length
  EXPECT_FALSE(ParseDescriptorList(page.data(), &a));
}

TEST(Identity, AnaLogWithAndWithoutNsidLists) {
  std::vector<uint8_t> log(16 + 32 + 8 + 32, 0);
  log[0] = 5;  // change count
  log[8] = 2;  // two descriptors
  Put32(&log[16], 1);
  Put32(&log[20], 2);  // two NSIDs follow
  log[32] = 0x3;       // inaccessible
  Put32(&log[48], 1);
  Put32(&log[52], 2);
  Put32(&log[56], 2);
  log[72] = 0xF;  // change
  AnaLog out;
  ASSERT_EQ(ParseAnaLog(log.data(), log.size(), &out), "");
  EXPECT_EQ(out.change_count, 5u);
  EXPECT_EQ(out.groups.at(1), AnaState::kInaccessible);
  EXPECT_EQ(out.groups.at(2), AnaState::kChange);
  log[72] = 0x7;  // reserved
  EXPECT_NE(ParseAnaLog(log.data(), log.size(), &out).find("reserved state"), std::string::npos);
  log[72] = 0x1;
  EXPECT_NE(ParseAnaLog(log.data(), log.size() - 1, &out), "");
}

}  // namespace
}  // namespace nvmesim::driver::multipath

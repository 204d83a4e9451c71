#include "driver/text.h"

#include <gtest/gtest.h>

namespace nvmesim::driver {
namespace {

TEST(Printf, FormatsShortAndLongTextWhole) {
  EXPECT_EQ(Printf("nsid %u: %s", 2u, "zoned"), "nsid 2: zoned");
  EXPECT_EQ(Printf("%s", ""), "");
  const std::string long_text(1000, 'x');  // longer than the stack buffer
  EXPECT_EQ(Printf("[%s]", long_text.c_str()), "[" + long_text + "]");
  EXPECT_EQ(Printf("%0300d", 7).size(), 300u);
}

}  // namespace
}  // namespace nvmesim::driver

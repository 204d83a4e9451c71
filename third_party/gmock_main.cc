// main() for GoogleMock binaries; an object file for the reason in gtest_main.cc.
#include <gmock/gmock.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}

// main() for GoogleTest binaries. It must be an object file in the link:
// libsystemc.so defines its own main() (which enters sc_main), and a main()
// from a static library such as libgtest_main.a would lose to it.
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

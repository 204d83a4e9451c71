#include "tests/support/sim_test.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

namespace nvmesim::testing {

void RunInChildProcess(void (*body)(), unsigned timeout_s) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0) << "fork failed: " << std::strerror(errno);
  if (pid == 0) {
    alarm(timeout_s);  // the wall-clock guard: SIGALRM ends a hung simulation
    // Nothing may escape the child: an exception reaching gtest would make the
    // child go on to run the parent's remaining tests.
    try {
      body();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "exception in the simulation: " << e.what();
    } catch (...) {
      ADD_FAILURE() << "unknown exception in the simulation";
    }
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(::testing::Test::HasFailure() ? 1 : 0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    ASSERT_EQ(errno, EINTR) << "waitpid failed: " << std::strerror(errno);
  }
  if (WIFSIGNALED(status)) {
    ADD_FAILURE() << "simulation child died from signal " << WTERMSIG(status) << " ("
                  << strsignal(WTERMSIG(status)) << ")"
                  << (WTERMSIG(status) == SIGALRM ? ": wall-clock guard tripped" : "");
  } else {
    EXPECT_EQ(WEXITSTATUS(status), 0) << "failures inside the simulation child (see above)";
  }
}

}  // namespace nvmesim::testing

// SystemC elaborates once per process, so each benchmark case runs its
// simulation in a forked child and hands back a trivially copyable result
// through a pipe.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <type_traits>

namespace nvmesim::bench {

// Runs `measure()` in a child process; nullopt when the child did not deliver
// its result. With `quiet` the child's stdout (the kernel's messages) is dropped.
template <typename Result, typename Measure>
std::optional<Result> RunInChild(Measure&& measure, bool quiet = false) {
  static_assert(std::is_trivially_copyable_v<Result>, "the result crosses a pipe as bytes");
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return std::nullopt;
  }
  if (pid == 0) {
    close(fds[0]);
    if (quiet) {
      const int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, STDOUT_FILENO);
    }
    const Result r = measure();
    if (write(fds[1], &r, sizeof r) != static_cast<ssize_t>(sizeof r)) _exit(2);
    _exit(0);
  }
  close(fds[1]);
  Result r;
  const bool got = read(fds[0], &r, sizeof r) == static_cast<ssize_t>(sizeof r);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!got) return std::nullopt;
  return r;
}

}  // namespace nvmesim::bench

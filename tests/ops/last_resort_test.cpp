// The last line of defence: an exception that escapes everything exits 70, not SIGABRT.

#include "last_resort.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace taosync::daemon;

namespace {

/// Runs `body` in a forked child with stderr captured; returns {wait status, stderr}.
std::pair<int, std::string> in_child(void (*body)()) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[0]);
    body();
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string err;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    err.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {status, err};
}

} // namespace

TEST_CASE("an exception escaping a thread exits 70 with one line, not with SIGABRT") {
  const auto [status, err] = in_child([] {
    install_terminate_handler();
    std::thread([] { throw std::runtime_error("boom in a thread"); }).join();
  });
  REQUIRE_FALSE(WIFSIGNALED(status));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 70);
  CHECK(err.find("taosyncd: internal error: unhandled exception: boom in a thread (exit 70)") !=
        std::string::npos);
}

TEST_CASE("an exception that reaches main is reported and mapped to 70") {
  const auto [status, err] = in_child([] {
    const int code = report_uncaught(std::make_exception_ptr(std::logic_error("bug")));
    ::_exit(code);
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 70);
  CHECK(err.find("internal error: uncaught exception: bug") != std::string::npos);
}

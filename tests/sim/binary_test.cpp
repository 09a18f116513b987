// The taosync-sim binary: the one "listening" line, serving, clean exit on SIGTERM, usage errors.

#include "test_util.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <regex>
#include <sys/wait.h>
#include <unistd.h>

namespace taosync::sim::test {

namespace {

/// A child taosync-sim whose stdout is read up to its first line.
struct Child {
  pid_t pid = -1;
  std::string first_line;

  explicit Child(std::vector<std::string> args) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    std::string bin = std::string(TAOSYNC_BIN_DIR) + "/taosync-sim";
    args.insert(args.begin(), bin);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    char c = 0;
    while (read(fds[0], &c, 1) == 1 && c != '\n')
      first_line += c;
    close(fds[0]);
  }

  /// Sends a signal and returns the exit status (or -1).
  int stop(int signal) {
    if (pid <= 0)
      return -1;
    kill(pid, signal);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  ~Child() { stop(SIGKILL); }
};

} // namespace

TEST_CASE("taosync-sim prints its address, serves, and exits 0 on SIGTERM") {
  Child sim({"--listen", "127.0.0.1:0", "--orders", "25", "--seed", "4", "--app-key", "k",
             "--app-secret", "s", "--access-token", "t"});
  std::smatch m;
  REQUIRE(std::regex_match(sim.first_line, m,
                           std::regex("taosync-sim listening on 127\\.0\\.0\\.1:([0-9]+)")));
  auto port = static_cast<std::uint16_t>(std::stoi(m[1]));
  HttpClient client(port);
  Caller caller{"k", "s", "t", 0};
  auto r = call_api(client, "/orders/get", {{"Page_Size", "1"}}, caller);
  CHECK(parse(r).at("result").at("total_count") == 25);
  CHECK(sim.stop(SIGTERM) == 0);
}

TEST_CASE("taosync-sim rejects unknown flags with a usage error") {
  Child sim({"--no-such-flag", "1"});
  CHECK(sim.first_line.empty());
  CHECK(sim.stop(0) == 64);
}

TEST_CASE("taosync-sim rejects --seller-orders that disagree with --sellers with a usage error") {
  Child sim({"--sellers", "2", "--seller-orders", "10,20,30"});
  CHECK(sim.first_line.empty());
  CHECK(sim.stop(0) == 64);
}

} // namespace taosync::sim::test

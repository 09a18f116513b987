#include "obs/api_ban.hpp"
#include "obs/notify.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace taosync;
using namespace std::chrono_literals;

namespace {

/// A unix datagram socket standing in for systemd's notify socket; sets $NOTIFY_SOCKET.
class FakeNotifySocket {
public:
  FakeNotifySocket() {
    path_ = "/tmp/taosync-notify-" + std::to_string(::getpid()) + ".sock";
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval tv{0, 200000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~FakeNotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  /// All datagrams received so far (waits up to 200 ms for the first).
  std::vector<std::string> drain() {
    std::vector<std::string> out;
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof buf, out.empty() ? 0 : MSG_DONTWAIT);
      if (n <= 0)
        break;
      out.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

private:
  std::string path_;
  int fd_ = -1;
};

} // namespace

TEST_CASE("notify messages reach NOTIFY_SOCKET") {
  FakeNotifySocket sock;
  obs::Notifier n;
  CHECK(n.enabled());
  n.ready();
  CHECK(sock.drain() == std::vector<std::string>{"READY=1"});
  n.status("idle, lag 37s,\nlast cycle 12 orders");
  CHECK(sock.drain() == std::vector<std::string>{"STATUS=idle, lag 37s, last cycle 12 orders"});
  n.reloading();
  const auto r = sock.drain();
  REQUIRE(r.size() == 1);
  CHECK(r[0].rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
  CHECK(std::stoull(r[0].substr(r[0].find('=', 12) + 1)) > 0);
  n.stopping();
  CHECK(sock.drain() == std::vector<std::string>{"STOPPING=1"});
  n.watchdog();
  CHECK(sock.drain() == std::vector<std::string>{"WATCHDOG=1"});
}

TEST_CASE("without NOTIFY_SOCKET every call is a harmless no-op") {
  ::unsetenv("NOTIFY_SOCKET");
  obs::Notifier n;
  CHECK_FALSE(n.enabled());
  n.ready();
  n.watchdog();
}

TEST_CASE("the watchdog interval comes from WATCHDOG_USEC for this pid") {
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  obs::Notifier n;
  REQUIRE(n.watchdog_interval());
  CHECK(*n.watchdog_interval() == 4s);
  ::setenv("WATCHDOG_PID", "1", 1); // another process's watchdog
  CHECK_FALSE(obs::Notifier().watchdog_interval());
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
}

TEST_CASE("watchdog pings only while the loop makes progress") {
  FakeNotifySocket sock;
  obs::Notifier n;
  obs::ProgressWatchdog wd(n, 40ms, 150ms);
  boost::asio::io_context io;
  boost::asio::co_spawn(io, wd.run(), boost::asio::detached);
  // Progress keeps arriving for a while: pings flow. (Drain as we go: a unix datagram
  // socket queues only a few messages before the sender blocks, as systemd's would not.)
  std::vector<std::string> pings;
  for (int i = 0; i < 6; ++i) {
    io.run_for(40ms);
    wd.mark_progress();
    for (auto& p : sock.drain())
      pings.push_back(std::move(p));
  }
  CHECK(pings.size() >= 5);
  for (const auto& p : pings)
    CHECK(p == "WATCHDOG=1");
  // The loop is stuck: no progress for longer than stall_after, so pings stop.
  io.run_for(100ms);
  sock.drain();
  io.run_for(100ms);
  sock.drain();
  CHECK_FALSE(wd.healthy());
  io.run_for(200ms);
  CHECK(sock.drain().empty());
  // Progress resumes: pings resume.
  wd.mark_progress();
  io.run_for(100ms);
  CHECK_FALSE(sock.drain().empty());
  wd.stop();
  io.run_for(100ms);
}

TEST_CASE("a platform ban excuses the stalled loop until it ends, then stall_after more") {
  obs::api_ban().clear();
  obs::Notifier n;
  obs::ProgressWatchdog wd(n, 100ms, 1s);
  std::this_thread::sleep_for(1100ms);
  CHECK_FALSE(wd.healthy()); // stalled
  obs::api_ban().record(std::chrono::system_clock::now() + 200ms);
  CHECK(wd.healthy()); // banned: a deliberate wait
  std::this_thread::sleep_for(400ms);
  CHECK(wd.healthy()); // the ban ended 200 ms ago: within the grace of stall_after
  std::this_thread::sleep_for(1000ms);
  CHECK_FALSE(wd.healthy()); // no progress after the ban either
  obs::api_ban().clear();
}

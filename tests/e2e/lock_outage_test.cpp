// A lock outage: another session holds LOCK TABLE taosync.orders IN ACCESS EXCLUSIVE MODE in an
// open transaction while the shop changes. The daemon names the blocker in its log, /healthz
// turns 503 saying why, and once the lock is released the sync completes and converges.

#include "scenario.hpp"
#include "store/pq.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <functional>
#include <iostream>
#include <regex>
#include <thread>

namespace taosync::e2e {
namespace {

/// GET /healthz; status 0 while the endpoint is not up yet.
testing::HttpResponse healthz(int port) {
  return get_or_nothing(port, "/healthz");
}

} // namespace

TEST_CASE("a table locked by another session: the blocker is named, /healthz is 503, then it "
          "converges") {
  Scenario s({"--orders", "400", "--seed", "17"});
  const int port = free_port();
  s.config().metrics_listen = "127.0.0.1:" + std::to_string(port);
  s.config().healthy_within = "3s";
  s.config().database_yaml = "  lock_timeout: 1s\n  report_blocked_after: 1s\n";
  s.write_config();
  auto daemon = s.start_daemon();
  REQUIRE_MESSAGE(wait_until([&] { return healthz(port).status == 200; }, 60s),
                  daemon.stderr_tail());

  // A DBA's session takes the table and sits idle in its transaction.
  pqxx::connection dba(s.db_url() + "?application_name=dba-console");
  const int dba_pid = dba.backendpid();
  auto lock = std::make_unique<pqxx::work>(dba);
  store::pq::run0(*lock, "LOCK TABLE taosync.orders IN ACCESS EXCLUSIVE MODE");
  s.sim().mutate(40); // changes the daemon must write

  // One warn line names what waits, on what, for how long, and who holds it.
  const std::regex blocked_line(
      R"((write(?: 2)? to|lookup on) taosync\.orders blocked \d+s by pid )" +
      std::to_string(dba_pid) +
      R"( \(user postgres, app dba-console, idle in transaction \d+s: )"
      R"(LOCK TABLE taosync\.orders IN ACCESS EXCLUSIVE MODE\))");
  CHECK_MESSAGE(
      wait_until([&] { return std::regex_search(daemon.stderr_text(), blocked_line); }, 30s),
      daemon.stderr_tail());
  testing::HttpResponse health;
  CHECK_MESSAGE(wait_until(
                    [&] {
                      health = healthz(port);
                      return health.status == 503 &&
                             health.body.find(std::to_string(dba_pid)) != std::string::npos;
                    },
                    30s),
                daemon.stderr_tail());
  CHECK_MESSAGE(health.body.find("blocked for") != std::string::npos, health.body);
  CHECK(health.body.find("pid " + std::to_string(dba_pid)) != std::string::npos);
  CHECK_MESSAGE(wait_until(
                    [&] {
                      return daemon.stderr_text().find("cut by database.lock_timeout (1s)") !=
                             std::string::npos;
                    },
                    30s),
                daemon.stderr_tail());
  REQUIRE(daemon.running());

  lock->commit(); // the DBA lets go
  s.sim().freeze();
  auto report = converge(s, 60s);
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(wait_until([&] { return healthz(port).status == 200; }, 30s));
  REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
}

} // namespace taosync::e2e

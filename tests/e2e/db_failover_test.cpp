// The database fails over to an asynchronous standby that never received the primary's last
// commits, the way Patroni or a managed PostgreSQL promotes one. taosyncd follows its libpq
// url (two hosts, target_session_attrs=read-write) to the promoted standby, sees that it is
// another server, reads its cursor there again instead of going on from the one it
// remembers, and fetches once more from the platform what the old primary took with it.

#include "scenario.hpp"
#include "store/pq.hpp"

#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <csignal>
#include <thread>

namespace taosync::e2e {
namespace {

using Clock = std::chrono::steady_clock;

/// One value of `sql` on `url` (0 if the server cannot be reached).
std::int64_t count_at(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection conn(url);
    pqxx::nontransaction tx(conn);
    return store::pq::run1(tx, sql)[0].as<std::int64_t>();
  } catch (const std::exception&) {
    return 0;
  }
}

std::int64_t orders_at(const std::string& url) {
  return count_at(url, "SELECT count(*) FROM taosync.orders");
}

TEST_CASE("a failover that loses the primary's last commits loses no order") {
  Scenario s({"--orders", "8000", "--seed", "43", "--changes", "20", "--arrivals", "3"});
  auto standby = testing::PgCluster::standby_of(s.pg());
  const std::string db = s.db_url().substr(s.db_url().rfind('/') + 1);
  const std::string primary_url = s.db_url();
  const std::string standby_url = standby->url(db);
  // A paced init with small batches commits often and lasts well past the failover.
  s.config().db_url = "postgresql://postgres@127.0.0.1:" + std::to_string(s.pg().port()) +
                      ",127.0.0.1:" + std::to_string(standby->port()) + "/" + db +
                      "?target_session_attrs=read-write";
  s.config().requests_per_second = 60;
  s.config().burst = 5;
  s.config().batch_orders = 100;
  s.config().page_size = 50;
  s.config().max_pages = 2;
  s.write_config();

  testing::Process daemon = s.start_daemon();
  const bool started =
      wait_until([&] { return !daemon.running() || orders_at(standby_url) >= 1000; }, 90s);
  REQUIRE_MESSAGE((started && daemon.running()), daemon.stderr_text());

  // The standby stops receiving WAL: from now on the primary's commits are its alone.
  {
    pqxx::connection conn(standby->url());
    pqxx::nontransaction tx(conn);
    store::pq::run0(tx, "ALTER SYSTEM SET primary_conninfo = ''");
    store::pq::run1(tx, "SELECT pg_reload_conf()");
  }
  REQUIRE(wait_until(
      [&] { return count_at(standby->url(), "SELECT count(*) FROM pg_stat_wal_receiver") == 0; },
      10s));
  const std::int64_t standby_kept = orders_at(standby_url);
  std::this_thread::sleep_for(3s);
  const std::int64_t primary_had = orders_at(primary_url);
  s.pg().stop_immediate(); // the primary dies with what only it had
  INFO("the standby has " << standby_kept << " orders, the primary had " << primary_had);
  REQUIRE(primary_had > standby_kept); // commits lost with the old primary

  standby->promote();
  const auto promoted = Clock::now();
  REQUIRE_MESSAGE(wait_until([&] { return orders_at(standby_url) > standby_kept; }, 60s),
                  daemon.stderr_text());
  const auto resumed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - promoted);
  MESSAGE("writes resumed on the promoted standby " << resumed.count()
                                                    << " ms after its promotion");
  CHECK(daemon.running()); // followed without a restart

  std::this_thread::sleep_for(5s); // it goes on writing there: cursors move on the new server
  daemon.kill(SIGTERM);
  REQUIRE(daemon.wait(30s) == 0);
  CHECK(daemon.stderr_text().find("now on another server") != std::string::npos);

  s.use_database(standby_url);
  REQUIRE_MESSAGE(s.settle(), s.last_log());
  const auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == report.truth_orders);
  CHECK(report.db_lines == report.truth_lines);
}

} // namespace
} // namespace taosync::e2e

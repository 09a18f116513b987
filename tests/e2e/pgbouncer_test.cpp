// taosyncd behind Debian's real PgBouncer, in session and in transaction pool_mode:
// - a sync (migrate, `run` killed with SIGKILL during its init and started again, with its
//   status page; `once`, `status`, `resync`, `audit`), with `changes --follow` reading through
//   PgBouncer all along: the database ends equal to the simulator's truth, and the follower
//   printed every feed row;
// - two daemons with leases behind one PgBouncer in transaction mode: leases taken from under
//   one of them are fenced, a daemon frozen inside a transaction has its server session ended
//   by the idle timeout each transaction sets for itself, and every committed write was made
//   by the lease's owner (a trigger logs who wrote what, as failover_test does);
// - a pooler the config does not name stops the start with exit 78 and the setting to change.

#include "pgbouncer.hpp"
#include "shops_fixture.hpp"

#include <boost/json/parse.hpp>
#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <csignal>
#include <sstream>
#include <thread>

namespace taosync::e2e {
namespace {

/// Points the scenario's daemon config at `bouncer`, with database.pooler `mode`; the test's
/// own queries and comparisons keep the direct url.
void through(Scenario& s, const PgBouncer& bouncer, const std::string& mode) {
  s.config().db_url = bouncer.url_of(s.db_url());
  s.config().database_yaml = "  pooler: " + mode + "\n";
  s.write_config();
}

/// The feed rows `changes` printed: how many, and the last id.
struct Printed {
  std::int64_t rows = 0;
  std::int64_t last_id = 0;
};

Printed printed(const testing::Process& follower) {
  Printed out;
  std::istringstream lines(follower.stdout_text());
  for (std::string line; std::getline(lines, line);) {
    if (lines.eof())
      break; // no newline yet: the follower is still writing it
    if (line.empty())
      continue;
    ++out.rows;
    out.last_id = boost::json::parse(line).at("id").to_number<std::int64_t>();
  }
  return out;
}

void sync_behind(const std::string& mode) {
  Scenario s({"--orders", "1500", "--seed", "53", "--changes", "20", "--arrivals", "3"});
  PgBouncer bouncer(s.pg().port(), mode);
  s.config().batch_orders = 200; // many write transactions, each through the pooler
  const int metrics_port = free_port();
  s.config().metrics_listen = "127.0.0.1:" + std::to_string(metrics_port);
  through(s, bouncer, mode);

  REQUIRE_MESSAGE(s.run({"migrate"}) == 0, s.last_stderr());
  auto follower = s.start_daemon({"changes", "--since", "0", "--follow"});

  // The init, killed with SIGKILL part way, then resumed by another daemon.
  {
    auto daemon = s.start_daemon();
    std::this_thread::sleep_for(random_between(400ms, 1200ms));
    REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
    daemon.kill(SIGKILL);
    REQUIRE(daemon.wait(10s) == 128 + SIGKILL);
  }
  {
    auto daemon = s.start_daemon();
    CHECK_MESSAGE(wait_until(
                      [&] {
                        return s.query("SELECT init_done FROM taosync.sync_state WHERE shop = "
                                       "$1") == "t";
                      },
                      60s),
                  daemon.stderr_tail());
    std::this_thread::sleep_for(2s); // polls of the live shop
    // The status page reads the database on a connection of its own, through the pooler too.
    testing::HttpResponse page;
    CHECK_MESSAGE(wait_until(
                      [&] {
                        page = get_or_nothing(metrics_port, "/status.json");
                        return page.body.find("\"counts\":{\"orders\":") != std::string::npos;
                      },
                      10s),
                  page.status << " " << page.body);
    REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
    daemon.kill(SIGTERM);
    CHECK(daemon.wait(15s) == 0);
    CHECK_MESSAGE(daemon.stderr_text().find("database error") == std::string::npos,
                  daemon.stderr_tail());
  }
  REQUIRE_MESSAGE(s.settle(), s.last_log());
  const auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == report.truth_orders);
  CHECK(report.db_lines == report.truth_lines);
  CHECK_MESSAGE(s.run({"status"}) == 0, s.last_stderr());
  const std::string id = s.query("SELECT min(trade_order_id) FROM taosync.orders");
  CHECK_MESSAGE(s.run({"resync", id}) == 0, s.last_stderr());
  CHECK_MESSAGE(s.run({"audit", "--sample", "20"}) == 0, s.last_stderr());

  // The follower printed every row of the feed, in id order, through the pooler.
  const std::int64_t rows = std::stoll(s.query("SELECT count(*) FROM taosync.changes"));
  const std::int64_t last = std::stoll(s.query("SELECT max(id) FROM taosync.changes"));
  CHECK_MESSAGE(wait_until([&] { return printed(follower).last_id == last; }, 15s),
                follower.stderr_tail());
  CHECK(printed(follower).rows == rows);
  follower.kill(SIGTERM);
  CHECK(follower.wait(10s) == 0);
  const bool polled = follower.stderr_text().find("cannot carry LISTEN") != std::string::npos;
  CHECK(polled == (mode == "transaction")); // session pooling keeps LISTEN
}

TEST_CASE("behind PgBouncer in session mode: sync, kill -9 and restart, changes --follow") {
  sync_behind("session");
}

TEST_CASE("behind PgBouncer in transaction mode: sync, kill -9 and restart, changes --follow") {
  sync_behind("transaction");
}

/// The write log of failover_test: one row per order row written, by whom (the session's
/// application_name, which PgBouncer sets on the server session of each transaction), under
/// which lease as that statement saw it.
void install_write_log(Scenario& s) {
  pqxx::connection conn(s.db_url());
  pqxx::work tx(conn);
  tx.exec(R"(
    CREATE TABLE public.write_log (shop text, writer text, owner_pid int, epoch bigint);
    CREATE FUNCTION public.log_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
      INSERT INTO public.write_log (shop, writer, owner_pid, epoch)
      SELECT NEW.shop, current_setting('application_name'), l.owner_pid, l.epoch
      FROM taosync.shop_leases l WHERE l.shop = NEW.shop;
      RETURN NULL;
    END $$;
    CREATE TRIGGER write_log AFTER INSERT OR UPDATE ON taosync.orders
      FOR EACH ROW EXECUTE FUNCTION public.log_write();
  )");
  tx.commit();
}

/// Waits (up to `within`) until a server session of process `pid` is inside a transaction.
bool wait_mid_transaction(Scenario& s, pid_t pid, std::chrono::milliseconds within) {
  const std::string sql = "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                          "'taosyncd-" +
                          std::to_string(pid) + "' AND xact_start IS NOT NULL";
  return wait_until([&] { return s.query(sql) != "0"; }, within);
}

TEST_CASE("two daemons behind one PgBouncer in transaction mode: leases and fencing hold") {
  const std::vector<int> shops{1, 2, 3, 4};
  // Slow line fetches keep the writers busy, and every shop changes: writes never stop.
  Scenario s({"--seller-orders", "800,600,400,300", "--seed", "59", "--latency-ms", "20:10",
              "--changes", "2"});
  PgBouncer bouncer(s.pg().port(), "transaction");
  s.config().extra_yaml = shops_yaml(shops);
  through(s, bouncer, "transaction");
  auto a = s.start_daemon();
  REQUIRE_MESSAGE(wait_until([&] { return held_by(s, a.pid()) > 0; }, 30s), a.stderr_tail());
  install_write_log(s);
  auto b = s.start_daemon();
  const auto spread = [&] { return held_by(s, a.pid()) == 2 && held_by(s, b.pid()) == 2; };
  REQUIRE_MESSAGE(wait_until(spread, 30s),
                  "a holds " << held_by(s, a.pid()) << ", b holds " << held_by(s, b.pid()));

  // a's leases move to an intruder at the next epoch behind its back: its writes meet the fence.
  s.query("UPDATE taosync.shop_leases SET owner = 'intruder', owner_pid = 0, epoch = epoch + 1, "
          "expires_at = clock_timestamp() + interval '4 s' WHERE owner_pid = " +
          std::to_string(a.pid()));
  CHECK_MESSAGE(wait_until(
                    [&] {
                      return a.stderr_text().find("refused: daemon") != std::string::npos ||
                             a.stderr_text().find("the renew found it no longer ours") !=
                                 std::string::npos;
                    },
                    10s),
                a.stderr_tail());
  REQUIRE_MESSAGE(wait_until(spread, 30s),
                  "a holds " << held_by(s, a.pid()) << ", b holds " << held_by(s, b.pid()));

  // Frozen inside a transaction: the idle timeout that transaction set for itself (half the
  // ttl) ends its server session, so b's takeover does not wait for a's locks.
  // Stopped when a transaction of its was open, as pg_stat_activity shows once it is stopped
  // (one that ended between the look and the signal is let go and tried again).
  bool mid = false;
  for (int attempt = 0; attempt < 20 && !mid; ++attempt) {
    if (!wait_mid_transaction(s, a.pid(), 20s))
      break;
    a.kill(SIGSTOP);
    mid = wait_mid_transaction(s, a.pid(), 0ms);
    if (!mid)
      a.kill(SIGCONT);
  }
  REQUIRE_MESSAGE(mid, a.stderr_tail());
  CHECK_MESSAGE(wait_until([&] { return held_by(s, b.pid()) == 4; }, 20s), b.stderr_tail());
  CHECK(s.pg().log().find("idle-in-transaction timeout") != std::string::npos);
  std::this_thread::sleep_for(1s); // b writes the shops it took
  a.kill(SIGCONT);
  CHECK_MESSAGE(wait_until(spread, 40s), "a holds " << held_by(s, a.pid()) << ", b holds "
                                                    << held_by(s, b.pid()) << "\n"
                                                    << a.stderr_tail());
  s.sim().freeze();
  const auto converged = [&] {
    for (int n : shops)
      if (!shop_converged(s, "shop-" + std::to_string(n)))
        return false;
    return true;
  };
  CHECK_MESSAGE(wait_until(converged, 90s), a.stderr_tail() << b.stderr_tail());

  // Every committed write was made by the lease's owner as its statement saw it, and each
  // epoch of a shop had one writer.
  CHECK(s.query("SELECT count(*) FROM public.write_log") != "0");
  CHECK(s.query("SELECT count(*) FROM public.write_log WHERE writer <> 'taosyncd-' || owner_pid") ==
        "0");
  CHECK(s.query("SELECT count(*) FROM (SELECT shop, epoch FROM public.write_log GROUP BY shop, "
                "epoch HAVING count(DISTINCT writer) > 1) x") == "0");
  a.kill(SIGTERM);
  b.kill(SIGTERM);
  CHECK(a.wait(15s) == 0);
  CHECK(b.wait(15s) == 0);
}

TEST_CASE("a pooler that database.pooler does not name stops the start with exit 78") {
  Scenario s({"--orders", "50", "--seed", "61"});
  const std::string& log = s.last_stderr(); // of the last s.run()
  SUBCASE("none, behind a session pooler") {
    PgBouncer bouncer(s.pg().port(), "session");
    through(s, bouncer, "none");
    CHECK(s.run({"migrate"}) == 78);
    CHECK_MESSAGE(log.find("database.pooler: is none, but database.url") != std::string::npos, log);
    CHECK_MESSAGE(log.find("Fix: set database.pooler") != std::string::npos, log);
  }
  SUBCASE("session, behind a transaction pooler") {
    PgBouncer bouncer(s.pg().port(), "transaction");
    through(s, bouncer, "session");
    CHECK(s.run({"once"}) == 78);
    CHECK_MESSAGE(log.find("(pool_mode = transaction)") != std::string::npos, log);
    CHECK_MESSAGE(log.find("Fix: set database.pooler: transaction") != std::string::npos, log);
    // corrected, the same PgBouncer syncs
    through(s, bouncer, "transaction");
    CHECK_MESSAGE(s.run({"once"}) == 0, log);
  }
  SUBCASE("transaction, behind a statement pooler") {
    PgBouncer bouncer(s.pg().port(), "statement");
    through(s, bouncer, "transaction");
    CHECK(s.run({"status"}) == 78);
    CHECK_MESSAGE(log.find("its pool_mode is statement") != std::string::npos, log);
  }
  SUBCASE("a direct listen_url carries LISTEN behind a transaction pooler") {
    PgBouncer bouncer(s.pg().port(), "transaction");
    through(s, bouncer, "transaction");
    s.config().database_yaml += "  listen_url: \"" + s.db_url() + "\"\n";
    s.write_config();
    REQUIRE_MESSAGE(s.run({"migrate"}) == 0, log);
    auto follower = s.start_daemon({"changes", "--since", "0", "--follow"});
    REQUIRE_MESSAGE(s.run({"once"}) == 0, log);
    const std::int64_t last = std::stoll(s.query("SELECT max(id) FROM taosync.changes"));
    CHECK_MESSAGE(wait_until([&] { return printed(follower).last_id == last; }, 10s),
                  follower.stderr_tail());
    follower.kill(SIGTERM);
    CHECK(follower.wait(10s) == 0);
    const std::string direct = "following 127.0.0.1:" + std::to_string(s.pg().port());
    CHECK_MESSAGE(follower.stderr_text().find(direct) != std::string::npos, follower.stderr_text());
    CHECK(follower.stderr_text().find("cannot carry LISTEN") == std::string::npos);
  }
  SUBCASE("a listen_url that is a pooler") {
    PgBouncer bouncer(s.pg().port(), "session");
    through(s, bouncer, "session");
    s.config().database_yaml += "  listen_url: \"" + bouncer.url_of(s.db_url()) + "\"\n";
    s.write_config();
    REQUIRE_MESSAGE(s.run({"migrate"}) == 0, log);
    CHECK(s.run({"changes", "--follow"}) == 78);
    CHECK_MESSAGE(log.find("database.listen_url: database.listen_url") != std::string::npos, log);
  }
}

} // namespace
} // namespace taosync::e2e

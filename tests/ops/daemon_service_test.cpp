// taosyncd against taosync-sim and a throwaway PostgreSQL: the systemd protocol, signals,
// reload, metrics, redaction, and each command (once, migrate, status, resync, audit).

#include "notify_listener.hpp"
#include "ops_util.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"

#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <fstream>
#include <regex>
#include <thread>

using namespace taosync::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// A free TCP port on 127.0.0.1 (bound and released; fine for a test).
int free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

/// PostgreSQL + simulator + a config for them, in a scratch dir.
struct World {
  ScratchDir dir{"ops-daemon"};
  PgCluster pg;
  std::string db_url = pg.create_database();
  SimProcess sim{{"--orders", "120", "--seed", "7"}, dir.path()};
  DaemonConfig cfg;
  fs::path config_path = dir.path() / "taosync.yaml";

  World() {
    cfg.rest_url = sim.rest_url();
    cfg.db_url = db_url;
    write();
  }
  void write() { write_daemon_config(config_path, cfg); }

  /// Runs a command to completion; returns {exit code, stdout, stderr}.
  std::tuple<int, std::string, std::string> command(std::vector<std::string> args,
                                                    std::chrono::milliseconds timeout = 120s) {
    Process p = start_daemon(config_path, std::move(args), dir.path());
    const auto code = p.wait(timeout);
    REQUIRE_MESSAGE(code.has_value(), "taosyncd did not finish: " << p.stderr_tail());
    return {*code, p.stdout_text(), p.stderr_text()};
  }

  /// The count, or -1 while the table does not exist yet.
  long long count_or_missing(const std::string& table) {
    try {
      return std::stoll(query("SELECT count(*) FROM " + table));
    } catch (const pqxx::sql_error&) {
      return -1;
    }
  }

  std::string query(const std::string& sql) {
    pqxx::connection c(db_url);
    pqxx::nontransaction tx(c);
    const auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].c_str();
  }
};

bool wait_until(const std::function<bool()>& ok, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ok())
      return true;
    std::this_thread::sleep_for(100ms);
  }
  return ok();
}

} // namespace

TEST_CASE("run: READY after migration, STATUS, metrics, SIGHUP reload, SIGTERM exit 0") {
  World w;
  const int port = free_port();
  w.cfg.metrics_listen = "127.0.0.1:" + std::to_string(port);
  w.cfg.log_level = "trace"; // redaction must hold even at trace
  w.write();
  NotifyListener notify((w.dir.path() / "notify.sock").string());
  Process d({(fs::path(TAOSYNC_BIN_DIR) / "taosyncd").string(), "--config", w.config_path.string(),
             "run"},
            {{"NOTIFY_SOCKET", notify.path()}, {"WATCHDOG_USEC", "1000000"}}, w.dir.path());

  REQUIRE_MESSAGE(notify.wait_for("READY=1", 60s), d.stderr_tail());
  // READY only once the schema exists.
  CHECK(w.query("SELECT count(*) FROM taosync.schema_migrations") != "0");
  CHECK(notify.wait_for("STATUS=", 10s));

  // /healthz turns 200 (an init that moves is healthy), and once the init is done the metrics
  // count every order.
  REQUIRE_MESSAGE(wait_until([&] { return http_get(port, "/healthz").status == 200; }, 60s),
                  d.stderr_tail());
  const std::regex synced_total(R"(\ntaosync_orders_synced_total\{shop="default"\} (\d+))");
  HttpResponse m;
  const auto orders_synced = [&] {
    m = http_get(port, "/metrics");
    std::smatch orders;
    return std::regex_search(m.body, orders, synced_total) ? std::stoll(orders[1].str()) : -1;
  };
  CHECK_MESSAGE(wait_until([&] { return orders_synced() >= 120; }, 30s), m.body);
  CHECK(m.status == 200);
  CHECK(m.body.find("taosync_api_calls_total{endpoint=") != std::string::npos);
  // The watchdog is fed (WatchdogSec=1s: a ping every 0.5s) while the loop makes progress.
  CHECK(notify.wait_for("WATCHDOG=1", 5s));
  CHECK(wait_until([&] { return notify.count("WATCHDOG=1") >= 3; }, 5s));

  // A good reload applies; a restart-only key it changes is named and keeps its running
  // value; a bad reload is rejected and the old config stays.
  w.cfg.poll_interval = "300ms";
  w.cfg.shop = "renamed";
  w.cfg.app_secret = "test-app-secret-changed";
  w.write();
  d.kill(SIGHUP);
  REQUIRE(notify.wait_for("RELOADING=1", 10s));
  CHECK(notify.wait_for("READY=1", 10s));
  CHECK(wait_until([&] { return d.stderr_text().find("config reloaded") != std::string::npos; },
                   10s));
  CHECK(d.stderr_text().find("changed: sync.poll_interval") != std::string::npos);
  CHECK(d.stderr_text().find("api.app_secret, sync.shop changed and need a restart") !=
        std::string::npos);
  // The shop in force is still "default": the next cycles keep writing its rows.
  const std::string synced = w.query("SELECT max(last_cycle_at) FROM taosync.sync_state");
  CHECK(wait_until(
      [&] {
        return w.query("SELECT max(last_cycle_at) FROM taosync.sync_state") != synced &&
               w.query("SELECT count(*) FROM taosync.sync_state WHERE shop = 'renamed'") == "0";
      },
      10s));
  std::ofstream(w.config_path, std::ios::app) << "sync:\n  pol_interval: 30s\n";
  d.kill(SIGHUP);
  REQUIRE(notify.wait_for("RELOADING=1", 10s));
  CHECK(notify.wait_for("READY=1", 10s));
  CHECK(wait_until(
      [&] { return d.stderr_text().find("config reload rejected") != std::string::npos; }, 10s));
  CHECK(d.running());

  // SIGTERM: STOPPING=1, then exit 0 well within shutdown_timeout (10s).
  const auto t0 = std::chrono::steady_clock::now();
  d.kill(SIGTERM);
  CHECK(notify.wait_for("STOPPING=1", 5s));
  const auto code = d.wait(12s);
  REQUIRE_MESSAGE(code.has_value(), d.stderr_tail());
  CHECK(*code == 0);
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);

  // No secret in any log line, even at trace.
  const std::string log = d.stderr_text() + d.stdout_text();
  for (const char* s : {"test-app-secret", "test-access-token", "test-refresh-token"}) {
    CAPTURE(s);
    CHECK(log.find(s) == std::string::npos);
  }
  CHECK(log.find("<7>") == std::string::npos); // not the journal: text format on a pipe
}

TEST_CASE("once, status, resync and audit against the simulator") {
  World w;
  SUBCASE("migrate twice is idempotent") {
    CHECK(std::get<0>(w.command({"migrate"})) == 0);
    CHECK(std::get<0>(w.command({"migrate"})) == 0);
  }
  SUBCASE("the commands") {
    const auto [once_code, once_out, once_err] = w.command({"once"});
    REQUIRE_MESSAGE(once_code == 0, once_err);
    CHECK(w.query("SELECT count(*) FROM taosync.orders") != "0");

    const auto [st_code, st_out, st_err] = w.command({"status"});
    CHECK(st_code == 0);
    CHECK(st_out.find("shop default") != std::string::npos);
    CHECK(st_out.find("init:         done") != std::string::npos);
    CHECK(st_out.find("hwm:          20") != std::string::npos);
    CHECK(std::regex_search(st_out, std::regex(R"(orders:\s+[1-9]\d*)")));
    // no daemon holds it: leases off, or released by `once` at its end
    CHECK(st_out.find("lease:        none") != std::string::npos);

    // resync rewrites one order from /order/get.
    w.query("UPDATE taosync.orders SET status = 'tampered' WHERE trade_order_id = '558757367941'");
    const auto [rs_code, rs_out, rs_err] = w.command({"resync", "558757367941"});
    CHECK_MESSAGE(rs_code == 0, rs_err);

    // audit: clean after a sync; a tampered row is reported and exits 1.
    const auto [a_code, a_out, a_err] = w.command({"audit", "--sample", "200"});
    CHECK_MESSAGE(a_code == 0, (a_out + a_err));
    CHECK(a_out.find("0 differ") != std::string::npos);
    w.query("UPDATE taosync.orders SET payment_channel = 'TAMPERED' WHERE trade_order_id = "
            "'546108399700'");
    const auto [b_code, b_out, b_err] = w.command({"audit", "--sample", "200"});
    CHECK(b_code == 1);
    CHECK(b_out.find("order 546108399700") != std::string::npos);
    CHECK(b_out.find("payment_channel: db='TAMPERED'") != std::string::npos);
  }
}

TEST_CASE("SIGTERM during a busy init: exit 0 in time, and no order is left half-written") {
  World w;
  SimProcess big({"--orders", "4000", "--seed", "11", "--latency-ms", "3"}, w.dir.path());
  w.cfg.rest_url = big.rest_url();
  w.cfg.batch_orders = 200;
  w.write();
  Process d = start_daemon(w.config_path, {"run"}, w.dir.path());
  REQUIRE_MESSAGE(wait_until([&] { return w.count_or_missing("taosync.orders") > 0; }, 60s),
                  d.stderr_tail());
  const auto t0 = std::chrono::steady_clock::now();
  d.kill(SIGTERM);
  const auto code = d.wait(12s);
  REQUIRE_MESSAGE(code.has_value(), d.stderr_tail());
  CHECK(*code == 0);
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
  // Every stored order has every line it lists: its batch committed whole or not at all.
  CHECK(w.query("SELECT count(*) FROM taosync.orders o WHERE EXISTS (SELECT 1 FROM "
                "unnest(o.line_ids) id WHERE NOT EXISTS (SELECT 1 FROM taosync.order_lines l "
                "WHERE l.shop = o.shop AND l.trade_order_line_id = id))") == "0");
  // A restart resumes and finishes the init.
  const auto [once_code, once_out, once_err] = w.command({"once"});
  CHECK_MESSAGE(once_code == 0, once_err);
  CHECK(std::stoi(w.query("SELECT count(*) FROM taosync.orders")) >= 4000);
}

TEST_CASE("once exits 75 when the platform stays unreachable past the retries") {
  World w;
  w.cfg.rest_url = "http://127.0.0.1:" + std::to_string(free_port()) + "/rest";
  w.cfg.max_attempts = 2;
  w.cfg.timeout = "1s";
  w.write();
  const auto [code, out, err] = w.command({"once"}, 60s);
  CHECK_MESSAGE(code == 75, err);
}

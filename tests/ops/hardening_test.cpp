// taosyncd as a process under stress, against taosync-sim and a throwaway PostgreSQL: SIGTERM
// during a stalled call, a shop stopped by a dead refresh token across restarts, a long
// platform ban, and a flood of idle connections to /metrics under a low descriptor limit.

#include "notify_listener.hpp"
#include "ops_util.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"

#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <thread>

#include <unistd.h>

using namespace taosync::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

int free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

bool wait_until(const std::function<bool()>& ok, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (ok())
      return true;
    std::this_thread::sleep_for(100ms);
  }
  return ok();
}

/// The status of GET `target`, or 0 while the endpoint cannot be reached.
int status_of(int port, const std::string& target) {
  try {
    return http_get(port, target, 5s).status;
  } catch (const std::exception&) {
    return 0;
  }
}

/// How many times `needle` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

/// User + system CPU time the process has used so far (from /proc/PID/stat).
std::chrono::milliseconds cpu_time(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  // Fields after the command name (which may hold spaces) start past the last ')'.
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14)
      utime = std::stoll(field);
    if (i == 15)
      stime = std::stoll(field);
  }
  const long ticks = ::sysconf(_SC_CLK_TCK);
  return std::chrono::milliseconds((utime + stime) * 1000 / ticks);
}

/// PostgreSQL, a simulator started with `sim_flags`, and a daemon config for them.
struct World {
  ScratchDir dir{"ops-hardening"};
  PgCluster pg;
  std::string db_url = pg.create_database();
  SimProcess sim;
  DaemonConfig cfg;
  fs::path config_path = dir.path() / "taosync.yaml";
  std::string metrics_yaml; ///< extra keys under metrics:
  std::string shutdown_timeout = "10s";

  explicit World(std::vector<std::string> sim_flags) : sim(std::move(sim_flags), dir.path()) {
    cfg.rest_url = sim.rest_url();
    cfg.db_url = db_url;
    write();
  }

  /// Writes the config, with the keys the shared renderer has no field for.
  void write() {
    std::string text = render_daemon_config(cfg);
    auto replace = [&text](const std::string& from, const std::string& to) {
      const auto pos = text.find(from);
      REQUIRE(pos != std::string::npos);
      text.replace(pos, from.size(), to);
    };
    replace("metrics:\n", "metrics:\n" + metrics_yaml);
    replace("shutdown_timeout: 10s\n", "shutdown_timeout: " + shutdown_timeout + "\n");
    std::ofstream(config_path, std::ios::trunc) << text;
    fs::permissions(config_path, fs::perms::owner_read | fs::perms::owner_write);
  }

  Process daemon(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                 std::vector<std::string> prefix = {}) {
    std::vector<std::string> argv = std::move(prefix);
    for (std::string a :
         {(bin_dir() / "taosyncd").string(), std::string("--config"), config_path.string()})
      argv.push_back(std::move(a));
    argv.insert(argv.end(), args.begin(), args.end());
    return Process(std::move(argv), std::move(env), dir.path());
  }

  /// Runs a command to completion; returns {exit code, stdout, stderr}.
  std::tuple<int, std::string, std::string> command(std::vector<std::string> args) {
    Process p = daemon(std::move(args));
    const auto code = p.wait(120s);
    REQUIRE_MESSAGE(code.has_value(), "taosyncd did not finish: " << p.stderr_tail());
    return {*code, p.stdout_text(), p.stderr_text()};
  }

  std::string query(const std::string& sql) {
    pqxx::connection c(db_url);
    pqxx::nontransaction tx(c);
    const auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].c_str();
  }
};

} // namespace

TEST_CASE("SIGTERM during a stalled API call exits 0 at once, not after the call's timeout") {
  // Every answer takes a minute; the call's own timeout and shutdown_timeout are longer still.
  World w({"--orders", "50", "--seed", "3", "--latency-ms", "60000"});
  w.cfg.timeout = "120s";
  w.shutdown_timeout = "60s";
  w.write();
  NotifyListener notify((w.dir.path() / "notify.sock").string());
  Process d = w.daemon({"run"}, {{"NOTIFY_SOCKET", notify.path()}});
  REQUIRE_MESSAGE(notify.wait_for("READY=1", 60s), d.stderr_tail());
  std::this_thread::sleep_for(1500ms); // the first /orders/get is out, and stalled
  REQUIRE(d.running());
  const auto t0 = Clock::now();
  d.kill(SIGTERM);
  const auto code = d.wait(30s);
  const auto took = Clock::now() - t0;
  REQUIRE_MESSAGE(code.has_value(), d.stderr_tail());
  CHECK(*code == 0);
  MESSAGE("exited " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                    << " ms after SIGTERM");
  CHECK_MESSAGE(took < 5s, "took " << std::chrono::duration_cast<std::chrono::milliseconds>(took)
                                   << " ms\n"
                                   << d.stderr_tail());
  CHECK(d.stderr_text().find("shutdown_timeout reached") == std::string::npos);
}

TEST_CASE("a shop stopped by a dead refresh token stays stopped until its refresh token changes") {
  World w({"--orders", "60", "--seed", "5"});
  // Both tokens are unknown to the simulator: the call is refused, and so is the refresh.
  w.cfg.access_token = "dead-access-token";
  w.cfg.refresh_token = "dead-refresh-token";
  w.write();
  const auto [first, first_out, first_err] = w.command({"once"});
  CHECK_MESSAGE(first == 77, first_err);
  CHECK(first_err.find("IllegalRefreshToken") != std::string::npos);
  CHECK(first_err.find("the seller must re-authorize") != std::string::npos);
  CHECK(first_err.find("refresh_token credential") != std::string::npos);
  CHECK(w.query("SELECT stopped FROM taosync.sync_state") == "t");
  // Only a fingerprint of the configured token is stored, never the token.
  CHECK(w.query("SELECT refresh_fingerprint FROM taosync.sync_state").size() == 64);

  const auto [st, st_out, st_err] = w.command({"status"});
  CHECK(st == 0);
  CHECK(st_out.find("state:        stopped: refresh token refused") != std::string::npos);
  CHECK(st_out.find("to resume:") != std::string::npos);

  // Restarts with the same tokens stay stopped, and never call the platform.
  const std::string stats_before = w.sim.stats_json();
  for (const char* cmd : {"once", "run"}) {
    CAPTURE(cmd);
    const auto [code, out, err] = w.command({cmd});
    CHECK_MESSAGE(code == 77, err);
    CHECK(err.find("shop default is stopped") != std::string::npos);
    CHECK(err.find("the seller must re-authorize") != std::string::npos);
  }
  CHECK(w.sim.stats_json() == stats_before);

  // The seller re-authorized: a new (valid) refresh token is configured, and the shop resumes.
  w.cfg.refresh_token = "test-refresh-token";
  w.write();
  const auto [resumed, resumed_out, resumed_err] = w.command({"once"});
  CHECK_MESSAGE(resumed == 0, resumed_err);
  CHECK(resumed_err.find("resuming with the configured tokens") != std::string::npos);
  CHECK(w.query("SELECT stopped FROM taosync.sync_state") == "f");
  CHECK(std::stoi(w.query("SELECT count(*) FROM taosync.orders")) >= 60);

  for (const std::string& log : {first_err, resumed_err})
    for (const char* secret : {"dead-refresh-token", "dead-access-token", "test-refresh-token"}) {
      CAPTURE(secret);
      CHECK(log.find(secret) == std::string::npos);
    }
}

TEST_CASE("a long platform ban is a deliberate wait: watchdog fed, shown everywhere, SIGTERM ends "
          "it") {
  World w({"--orders", "80", "--seed", "9", "--ban-seconds", "20"});
  const int port = free_port();
  w.cfg.metrics_listen = "127.0.0.1:" + std::to_string(port);
  w.cfg.healthy_within = "2s";
  w.write();
  NotifyListener notify((w.dir.path() / "notify.sock").string());
  // WatchdogSec=1s: without progress the pings stop after 2 s; the ban lasts 20 s.
  Process d = w.daemon({"run"}, {{"NOTIFY_SOCKET", notify.path()}, {"WATCHDOG_USEC", "1000000"}});
  REQUIRE_MESSAGE(wait_until([&] { return status_of(port, "/healthz") == 200; }, 60s),
                  d.stderr_tail());

  // One call a minute from now on: the next poll finds the bucket empty and is banned.
  w.sim.control(R"({"rate_limit":0.016,"burst":1})");
  const auto banned = notify.wait_for("STATUS=banned by the platform (ApiCallLimit) until ", 20s);
  REQUIRE_MESSAGE(banned, d.stderr_tail());
  CHECK(banned->find(" left; ") != std::string::npos); // then the engine's own line

  std::this_thread::sleep_for(4s); // past stall_after: only the ban can keep the pings going
  const auto pings_before = notify.count("WATCHDOG=1");
  std::this_thread::sleep_for(3s);
  CHECK(notify.count("WATCHDOG=1") >= pings_before + 3);

  // /healthz: still 200 although no cycle succeeded within healthy_within, and says why.
  const HttpResponse health = http_get(port, "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body.find("banned by the platform (ApiCallLimit) until ") != std::string::npos);
  CHECK(http_get(port, "/metrics").body.find("\ntaosync_api_ban_until_timestamp_seconds 0\n") ==
        std::string::npos);

  // `taosyncd status` (another process) shows it from the database.
  const auto [st, st_out, st_err] = w.command({"status"});
  CHECK(st == 0);
  CHECK_MESSAGE(st_out.find("api:          banned by the platform (ApiCallLimit) until ") !=
                    std::string::npos,
                st_out);

  // One warning for the ban, however many calls it refused.
  CHECK(occurrences(d.stderr_text(), "the platform banned the app (ApiCallLimit)") == 1);

  // SIGTERM ends the wait at once.
  const auto t0 = Clock::now();
  d.kill(SIGTERM);
  const auto code = d.wait(30s);
  REQUIRE_MESSAGE(code.has_value(), d.stderr_tail());
  CHECK(*code == 0);
  CHECK(Clock::now() - t0 < 5s);
}

TEST_CASE("a flood of idle /metrics connections under a low fd limit neither spins nor floods "
          "the log") {
  World w({"--orders", "40", "--seed", "13"});
  const int port = free_port();
  w.cfg.metrics_listen = "127.0.0.1:" + std::to_string(port);
  w.cfg.poll_interval = "5s";
  // A cap above the descriptor limit, so that accept() itself fails with EMFILE.
  w.metrics_yaml = "  max_connections: 1000\n  read_timeout: 60s\n";
  w.write();
  Process d = w.daemon({"run"}, {}, {"prlimit", "--nofile=64:64", "--"});
  REQUIRE_MESSAGE(wait_until([&] { return status_of(port, "/healthz") == 200; }, 60s),
                  d.stderr_tail());

  boost::asio::io_context io;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> flood;
  for (int i = 0; i < 150; ++i) {
    auto s = std::make_unique<boost::asio::ip::tcp::socket>(io);
    s->connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    flood.push_back(std::move(s));
  }
  REQUIRE_MESSAGE(wait_until(
                      [&] {
                        return d.stderr_text().find("accept failed: Too many open files") !=
                               std::string::npos;
                      },
                      10s),
                  d.stderr_tail());
  const auto cpu_before = cpu_time(d.pid());
  std::this_thread::sleep_for(3s);
  const auto cpu_used = cpu_time(d.pid()) - cpu_before;
  CHECK_MESSAGE(cpu_used < 1000ms, "CPU " << cpu_used.count() << " ms in 3 s");
  // One line per 10 s with the count of the others, not one per attempt.
  CHECK(occurrences(d.stderr_text(), "accept failed") <= 2);
  CHECK(d.running());

  // The flood leaves: the endpoint serves again.
  flood.clear();
  CHECK_MESSAGE(wait_until([&] { return status_of(port, "/healthz") == 200; }, 20s),
                d.stderr_tail());
  d.kill(SIGTERM);
  CHECK(d.wait(30s) == 0);
}

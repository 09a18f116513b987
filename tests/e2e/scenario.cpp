#include "scenario.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "compare_rows.hpp"
#include "store/pq.hpp"

#include <boost/json/parse.hpp>
#include <pqxx/pqxx>

#include <iostream>
#include <random>
#include <thread>

namespace taosync::e2e {

namespace fs = std::filesystem;
namespace json = boost::json;

Scenario::Scenario(std::vector<std::string> sim_flags)
    : dir_(testing::make_temp_dir("taosync-e2e")), pg_(std::make_unique<testing::PgCluster>()),
      db_url_(pg_->create_database()),
      sim_(std::make_unique<testing::SimProcess>(std::move(sim_flags), dir_)) {
  config_.rest_url = sim_->rest_url();
  config_.db_url = db_url_;
  config_path_ = dir_ / "taosync.yaml";
  write_config();
}

Scenario::~Scenario() {
  sim_.reset();
  pg_.reset();
  // The run's directory (logs, config) goes with it; TAOSYNC_KEEP_LOGS=1 keeps it for a
  // post-mortem.
  if (std::getenv("TAOSYNC_KEEP_LOGS") == nullptr) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

void Scenario::use_database(std::string url) {
  db_url_ = std::move(url);
  config_.db_url = db_url_;
  write_config();
}

void Scenario::write_config() {
  testing::write_daemon_config(config_path_, config_);
}

int Scenario::run(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  testing::Process daemon = testing::start_daemon(config_path_, std::move(args), dir_);
  auto code = daemon.wait(timeout);
  if (!code) {
    daemon.kill(SIGKILL);
    daemon.wait(5s);
  }
  last_log_ = daemon.stderr_tail(40);
  last_stderr_ = daemon.stderr_text();
  return code.value_or(-1);
}

int Scenario::run_once(std::chrono::milliseconds timeout) {
  ++runs_;
  return run({"once"}, timeout);
}

bool Scenario::once_until_success(int attempts, std::chrono::milliseconds timeout) {
  for (int i = 0; i < attempts; ++i) {
    if (run_once(timeout) == 0)
      return true;
    std::cerr << "taosyncd once failed (attempt " << i + 1 << "):\n" << last_log_;
  }
  return false;
}

testing::Process Scenario::start_daemon(std::vector<std::string> args,
                                        std::map<std::string, std::string> env) {
  return testing::start_daemon(config_path_, std::move(args), dir_, std::move(env));
}

bool Scenario::settle(int attempts) {
  sim_->freeze();
  // Changes made before the freeze must fall out of the daemon's lag before the last window.
  auto lag = std::chrono::milliseconds(500);
  try {
    lag = std::chrono::milliseconds(std::stoll(config_.lag)); // "300ms" -> 300
  } catch (const std::exception&) {
  }
  // Windows end by the platform's clock as its Date headers show it, which have whole
  // seconds: a fresh `once` may read it up to a second (and a round trip) early.
  std::this_thread::sleep_for(lag + 1300ms);
  return once_until_success(attempts);
}

CompareReport Scenario::compare(std::set<std::string> ignore, bool quiet) {
  CompareOptions options;
  options.sim_port = sim_->port();
  options.db_url = db_url_;
  options.shop = config_.shop;
  options.ignore_columns = std::move(ignore);
  auto report = compare_with_truth(options);
  if (!quiet)
    std::cout << report.summary() << std::flush;
  return report;
}

int Scenario::compare_shops(const std::vector<std::string>& flags, std::string& out) const {
  std::vector<std::string> argv{(testing::bin_dir() / "taosync-compare").string(), "--sim-port",
                                std::to_string(sim_->port()), "--db", db_url_};
  argv.insert(argv.end(), flags.begin(), flags.end());
  out.clear();
  return testing::run_command(argv, 120s, &out);
}

json::value Scenario::stats() const {
  return json::parse(sim_->stats_json());
}

std::string Scenario::query(const std::string& sql) const {
  pqxx::connection conn(db_url_);
  pqxx::nontransaction tx(conn);
  pqxx::result r =
      sql.find("$1") != std::string::npos ? store::pq::run(tx, sql, config_.shop) : tx.exec(sql);
  if (r.empty() || r[0][0].is_null())
    return {};
  return r[0][0].c_str();
}

std::int64_t stat_calls(const json::value& stats, const std::string& endpoint,
                        const std::string& outcome) {
  std::int64_t total = 0;
  auto* calls = stats.is_object() ? stats.as_object().if_contains("calls") : nullptr;
  if (!calls || !calls->is_object())
    return 0;
  for (const auto& [name, outcomes] : calls->as_object()) {
    if (!endpoint.empty() && name != endpoint)
      continue;
    if (!outcomes.is_object())
      continue;
    for (const auto& [what, n] : outcomes.as_object())
      if ((outcome.empty() || what == outcome) && n.is_number())
        total += n.to_number<std::int64_t>();
  }
  return total;
}

std::int64_t stat_number(const json::value& stats, const std::string& dotted) {
  if (!stats.is_object())
    return 0;
  auto* v = rows::json_path(stats.as_object(), dotted);
  return v && v->is_number() ? v->to_number<std::int64_t>() : 0;
}

CompareReport converge(Scenario& s, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::this_thread::sleep_for(500ms);
    auto report = s.compare({}, true);
    if (report.differences() == 0 || std::chrono::steady_clock::now() > deadline) {
      std::cout << report.summary();
      return report;
    }
  }
}

int free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

testing::HttpResponse get_or_nothing(int port, const std::string& target) {
  try {
    return testing::http_get(port, target, 5s);
  } catch (const std::exception&) {
    return {};
  }
}

bool wait_until(const std::function<bool()>& ok, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ok())
      return true;
    std::this_thread::sleep_for(200ms);
  }
  return ok();
}

std::chrono::milliseconds random_between(std::chrono::milliseconds lo,
                                         std::chrono::milliseconds hi) {
  static std::mt19937_64 rng([] {
    const char* seed = std::getenv("TAOSYNC_TEST_SEED");
    auto s = seed ? std::stoull(seed) : std::random_device{}();
    std::cout << "random seed " << s << " (set TAOSYNC_TEST_SEED to replay)\n";
    return s;
  }());
  std::uniform_int_distribution<std::int64_t> pick(lo.count(), hi.count());
  return std::chrono::milliseconds(pick(rng));
}

} // namespace taosync::e2e

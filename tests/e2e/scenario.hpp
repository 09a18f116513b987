#pragma once
// One end-to-end world for a test: a throwaway PostgreSQL, a taosync-sim, a daemon config,
// and helpers to run the real taosyncd, read the simulator's stats and compare with truth.

#include "compare.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace taosync::e2e {

using namespace std::chrono_literals;

class Scenario {
public:
  /// Starts PostgreSQL (a fresh database) and taosync-sim with `sim_flags`, and writes a
  /// daemon config pointing at both (short polls, no metrics endpoint).
  explicit Scenario(std::vector<std::string> sim_flags);
  ~Scenario();

  testing::PgCluster& pg() { return *pg_; }
  testing::SimProcess& sim() { return *sim_; }
  const std::string& db_url() const { return db_url_; }
  const std::filesystem::path& dir() const { return dir_; }
  const std::filesystem::path& config_path() const { return config_path_; }

  /// Points the daemon config (written now) and the comparisons at another database url.
  void use_database(std::string url);

  /// The daemon config; call write_config() after changing it.
  testing::DaemonConfig& config() { return config_; }
  void write_config();

  /// Runs taosyncd with `args` to completion (killed past `timeout`); returns its exit code
  /// (-1 on timeout). Its stderr is kept: last_log() is its end, last_stderr() all of it.
  int run(std::vector<std::string> args, std::chrono::milliseconds timeout = 120s);

  /// Runs `taosyncd once` to completion; returns its exit code (-1 on timeout).
  int run_once(std::chrono::milliseconds timeout = 120s);

  /// Runs `taosyncd once` until it exits 0 (at most `attempts` times); returns success.
  bool once_until_success(int attempts, std::chrono::milliseconds timeout = 120s);

  /// Starts `taosyncd run` (or other args) in the background, with `env` added to its
  /// environment.
  testing::Process start_daemon(std::vector<std::string> args = {"run"},
                                std::map<std::string, std::string> env = {});

  /// The end of the stderr of the last run() or `once`, for failure messages.
  const std::string& last_log() const { return last_log_; }
  /// All the stderr of the last run() or `once`.
  const std::string& last_stderr() const { return last_stderr_; }

  /// Freezes the simulator's lifecycle, waits past the daemon's lag, then runs `once`
  /// until it succeeds, so the database can catch up with a now-still truth.
  bool settle(int attempts = 5);

  /// Compares the database with /_sim/truth; prints the summary unless `quiet`.
  CompareReport compare(std::set<std::string> ignore = {}, bool quiet = false);

  /// Runs taosync-compare against this simulator and database with `flags` ("--shop",
  /// "shop-2" or "--all-shops"); returns its exit code and leaves its output in `out`.
  int compare_shops(const std::vector<std::string>& flags, std::string& out) const;

  /// GET /_sim/stats as JSON.
  boost::json::value stats() const;

  /// One value of a query as text (empty for NULL); the query may use $1 = the shop.
  std::string query(const std::string& sql) const;

private:
  std::filesystem::path dir_;
  std::unique_ptr<testing::PgCluster> pg_;
  std::string db_url_;
  std::unique_ptr<testing::SimProcess> sim_;
  testing::DaemonConfig config_;
  std::filesystem::path config_path_;
  std::string last_log_;
  int runs_ = 0;
  std::string last_stderr_;
};

/// Calls made to `endpoint` ("/orders/get") with `outcome` ("ok", "ApiCallLimit"); an empty
/// outcome sums all outcomes; an empty endpoint sums all endpoints.
std::int64_t stat_calls(const boost::json::value& stats, const std::string& endpoint,
                        const std::string& outcome = {});

/// A number at a dotted path of the stats ("throttled", "orders"), 0 if absent.
std::int64_t stat_number(const boost::json::value& stats, const std::string& dotted);

/// Compares every 500 ms until no difference is left or `timeout` passes; prints and returns
/// the last report.
CompareReport converge(Scenario& s, std::chrono::milliseconds timeout);

/// A free TCP port on 127.0.0.1 (for the daemon's metrics endpoint).
int free_port();

/// GET `target` on 127.0.0.1:`port`; status 0 while nothing answers yet.
testing::HttpResponse get_or_nothing(int port, const std::string& target);

/// Polls `ok` every 200 ms until it holds or `timeout` passes; returns whether it held.
bool wait_until(const std::function<bool()>& ok, std::chrono::milliseconds timeout);

/// A random duration in [lo, hi] from a generator seeded per test.
std::chrono::milliseconds random_between(std::chrono::milliseconds lo,
                                         std::chrono::milliseconds hi);

} // namespace taosync::e2e

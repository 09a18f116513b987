// The database server's disk fills up mid-init: PostgreSQL refuses to extend a file (SQLSTATE
// 53100). The shop holds: nothing half-written, the cursor stays, /healthz says why, and the
// daemon keeps running without a hot loop. Once space is freed, it converges.
// The database lives in a tablespace on a small tmpfs, so the test needs root (mount).

#include "scenario.hpp"
#include "store/pq.hpp"

#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace taosync::e2e {
namespace {

namespace fs = std::filesystem;

/// A tmpfs of a set size, mounted for the test's life and given to `nobody` (the server).
class SmallDisk {
public:
  SmallDisk(fs::path dir, const std::string& size) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    mounted_ = std::system(("mount -t tmpfs -o size=" + size + ",mode=0700 tmpfs " + dir_.string() +
                            " && chown nobody " + dir_.string())
                               .c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_)
      std::system(("umount -l " + dir_.string()).c_str());
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool mounted() const { return mounted_; }
  /// Gives it `size` (more room), in place.
  bool grow(const std::string& size) const {
    return std::system(("mount -o remount,size=" + size + " " + dir_.string()).c_str()) == 0;
  }
  const fs::path& dir() const { return dir_; }

private:
  fs::path dir_;
  bool mounted_ = false;
};

TEST_CASE("a full disk on the database server: the shop holds, says why, then converges") {
  if (::geteuid() != 0) {
    MESSAGE("SKIPPED: mounting a small tmpfs for the database needs root (CI runs as root)");
    return;
  }
  Scenario s({"--orders", "4000", "--seed", "53", "--changes", "5"});
  SmallDisk disk(s.pg().dir() / "small-disk", "3m"); // under a dir the server may enter
  if (!disk.mounted()) {
    MESSAGE("SKIPPED: this machine does not allow mounting a tmpfs");
    return;
  }
  const std::string db = s.db_url().substr(s.db_url().rfind('/') + 1);
  {
    pqxx::connection conn(s.pg().url());
    pqxx::nontransaction tx(conn);
    store::pq::run0(tx, "CREATE TABLESPACE small LOCATION '" + disk.dir().string() + "'");
    // the catalog stays; every table the migrations create goes to the small disk
    store::pq::run0(tx, "ALTER DATABASE " + db + " SET default_tablespace = small");
  }
  const int port = free_port();
  s.config().metrics_listen = "127.0.0.1:" + std::to_string(port);
  s.config().healthy_within = "3s";
  s.write_config();

  auto daemon = s.start_daemon();
  auto refused = [&] {
    return daemon.stderr_text().find("refused for lack of room") != std::string::npos;
  };
  REQUIRE_MESSAGE(wait_until(refused, 120s), daemon.stderr_tail());
  const auto health = [&] { return get_or_nothing(port, "/healthz"); };
  CHECK_MESSAGE(wait_until([&] { return health().status == 503; }, 30s), daemon.stderr_tail());
  const auto why = health().body;
  CHECK_MESSAGE(why.find("lacks room") != std::string::npos, why);
  const std::string cursor = s.query("SELECT init_cursor::text FROM taosync.sync_state "
                                     "WHERE shop = $1");
  std::this_thread::sleep_for(3s);
  CHECK(s.query("SELECT init_cursor::text FROM taosync.sync_state WHERE shop = $1") == cursor);
  CHECK(daemon.running());
  const auto calls_before = stat_calls(s.stats(), "");
  std::this_thread::sleep_for(2s);
  CHECK(stat_calls(s.stats(), "") - calls_before < 10); // waiting, not asking again

  REQUIRE(disk.grow("400m"));
  CHECK_MESSAGE(wait_until([&] { return health().status == 200; }, 60s), daemon.stderr_tail());
  daemon.kill(SIGTERM);
  REQUIRE(daemon.wait(30s) == 0);
  REQUIRE_MESSAGE(s.settle(), s.last_log());
  const auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == report.truth_orders);
}

} // namespace
} // namespace taosync::e2e

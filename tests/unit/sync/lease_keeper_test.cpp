// The lease keeper with real daemons' parts (a Database each, its own network thread) on one
// throwaway PostgreSQL: two keepers share six shops three and three; a killed one's shops go
// to the survivor within a ttl and a renew interval; a clean stop hands them over at once.

#include "sync/lease_keeper.hpp"

#include "store/store.hpp"
#include "support/pg_cluster.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

using namespace taosync;
using namespace taosync::sync;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kShops{"s1", "s2", "s3", "s4", "s5", "s6"};

testing::PgCluster& keeper_cluster() {
  static testing::PgCluster pg;
  return pg;
}

std::string migrated_keeper_database() {
  const auto url = keeper_cluster().create_database();
  store::Store(url).migrate();
  return url;
}

/// One daemon: a Database, a keeper on its own network thread, and what its hooks heard.
class Daemon {
public:
  Daemon(const std::string& url, const std::string& id, std::chrono::milliseconds ttl)
      : io_(std::make_unique<net::io_context>()),
        db_(std::make_unique<store::Database>(url, std::chrono::milliseconds(400))),
        stop_(std::make_unique<model::Stop>(io_->get_executor())) {
    LeaseHooks hooks;
    hooks.on_taken = [this](const std::string& shop, std::int64_t) { note(taken_, shop); };
    hooks.on_lost = [this](const std::string& shop, const std::string&) { note(lost_, shop); };
    keeper_ = std::make_unique<LeaseKeeper>(*db_, LeaseKeeperOptions{kShops, {id, "test", 1}, ttl},
                                            std::move(hooks));
    net::co_spawn(*io_, keeper_->run(*stop_), [this](const std::exception_ptr& e) {
      std::lock_guard lock(mutex_);
      failed_ = static_cast<bool>(e);
    });
    thread_ = std::thread([this] { io_->run(); });
  }

  /// Ends the network thread on the spot: no more renewals, no release (a kill -9).
  void kill() {
    io_->stop();
    thread_.join();
  }

  /// A clean stop: the keeper releases its leases and returns.
  void stop() {
    stop_->request();
    thread_.join();
  }

  ~Daemon() {
    if (thread_.joinable())
      stop();
    // The Database first: its threads may still complete an operation onto the (stopped)
    // io_context. The keeper (whose timer belongs to the io_context) before the io_context,
    // whose destruction frees the coroutine frames a kill left; the stop signal their waits
    // point to outlives them.
    db_.reset();
    keeper_.reset();
    io_.reset();
  }

  const LeaseKeeper& keeper() const { return *keeper_; }
  store::Database& db() { return *db_; }
  std::size_t holding() const { return keeper_->holding().size(); }
  std::multiset<std::string> taken() const {
    std::lock_guard lock(mutex_);
    return taken_;
  }
  std::multiset<std::string> lost() const {
    std::lock_guard lock(mutex_);
    return lost_;
  }
  /// True if the keeper's run() ended with an exception.
  bool failed() const {
    std::lock_guard lock(mutex_);
    return failed_;
  }

private:
  void note(std::multiset<std::string>& into, const std::string& shop) {
    std::lock_guard lock(mutex_);
    into.insert(shop);
  }

  std::unique_ptr<net::io_context> io_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<model::Stop> stop_;
  std::unique_ptr<LeaseKeeper> keeper_;
  mutable std::mutex mutex_;
  std::multiset<std::string> taken_;
  std::multiset<std::string> lost_;
  bool failed_ = false;
  std::thread thread_;
};

/// Waits until `done` holds, checking every 20 ms, for at most `limit`; returns how long it
/// took (or `limit` if it never held).
Clock::duration wait_until(const std::function<bool()>& done, Clock::duration limit) {
  const auto start = Clock::now();
  while (!done() && Clock::now() - start < limit)
    std::this_thread::sleep_for(20ms);
  return Clock::now() - start;
}

/// shop -> owner of the live leases in the database.
std::map<std::string, std::string> live_owners(const std::string& url) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  std::map<std::string, std::string> out;
  for (const auto& row :
       tx.exec("SELECT shop, owner FROM taosync.shop_leases WHERE expires_at > clock_timestamp()"))
    out.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  return out;
}

/// The settled state: each sees the other live and holds three shops (two daemons started
/// together may reach three and three before they have seen each other's heartbeat).
bool settled_three_and_three(const Daemon& a, const Daemon& b) {
  return a.keeper().live_daemons() == 2 && b.keeper().live_daemons() == 2 && a.holding() == 3 &&
         b.holding() == 3;
}

} // namespace

TEST_CASE("two keepers settle at three shops each, and the database agrees") {
  const auto url = migrated_keeper_database();
  constexpr auto kTtl = 2s;
  Daemon a(url, "daemon-a", kTtl);
  Daemon b(url, "daemon-b", kTtl);

  wait_until([&] { return settled_three_and_three(a, b); }, 20s);
  REQUIRE(settled_three_and_three(a, b));

  const auto owners = live_owners(url);
  REQUIRE(owners.size() == 6);
  for (const auto& [shop, epoch] : a.keeper().holding()) {
    CHECK(owners.at(shop) == "daemon-a");
    CHECK(a.db().fence(shop).has_value());
    CHECK_FALSE(b.db().fence(shop).has_value());
  }
  for (const auto& [shop, epoch] : b.keeper().holding())
    CHECK(owners.at(shop) == "daemon-b");

  // Every shop a daemon was told it lost, it had been told it took; what it holds now is
  // what it took and did not lose.
  for (const Daemon* d : {&a, &b}) {
    auto kept = d->taken();
    for (const auto& shop : d->lost()) {
      REQUIRE(kept.count(shop) > 0);
      kept.erase(kept.find(shop));
    }
    std::multiset<std::string> holding;
    for (const auto& [shop, epoch] : d->keeper().holding())
      holding.insert(shop);
    CHECK(kept == holding);
  }

  // Settled means settled: nothing changes hands in the next few renew intervals.
  const auto before = live_owners(url);
  std::this_thread::sleep_for(2s);
  CHECK(live_owners(url) == before);
}

TEST_CASE("a killed keeper's shops go to the survivor within a ttl and a renew interval") {
  const auto url = migrated_keeper_database();
  constexpr auto kTtl = 2s;
  Daemon a(url, "daemon-a", kTtl);
  Daemon b(url, "daemon-b", kTtl);
  wait_until([&] { return settled_three_and_three(a, b); }, 20s);
  REQUIRE(settled_three_and_three(a, b));
  const auto a_held = a.keeper().holding();

  a.kill();
  const auto took = wait_until([&] { return b.holding() == 6; }, 20s);
  REQUIRE(b.holding() == 6);
  // The bound is ttl + one renew interval; the slack absorbs a loaded machine.
  const auto bound = kTtl + b.keeper().renew_interval() + 2s;
  CHECK(took <= bound);
  CHECK(b.keeper().live_daemons() == 1);

  const auto owners = live_owners(url);
  REQUIRE(owners.size() == 6);
  for (const auto& [shop, owner] : owners)
    CHECK(owner == "daemon-b");
  // The shops a held changed hands: b holds them at a later epoch.
  const auto b_holds = b.keeper().holding();
  for (const auto& [shop, epoch] : a_held)
    CHECK(b_holds.at(shop) > epoch);
}

TEST_CASE("a clean stop releases the leases and leaves, so a peer takes over at once") {
  const auto url = migrated_keeper_database();
  constexpr auto kTtl = 9s; // long: a takeover that waited for expiry would show
  Daemon a(url, "daemon-a", kTtl);
  Daemon b(url, "daemon-b", kTtl);
  wait_until([&] { return settled_three_and_three(a, b); }, 60s);
  REQUIRE(settled_three_and_three(a, b));

  a.stop();
  CHECK(a.holding() == 0);
  for (const auto& shop : kShops)
    CHECK_FALSE(a.db().fence(shop).has_value());
  CHECK_FALSE(a.failed());
  const auto took = wait_until([&] { return b.holding() == 6; }, 30s);
  REQUIRE(b.holding() == 6);
  CHECK(took < kTtl); // within about one renew interval (3s), well before a ttl
}

// /healthz's decision: a database job pending past healthy_within is unhealthy, and says why.

#include "obs/health.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace std::chrono_literals;

TEST_CASE("a database write pending past healthy_within is unhealthy, naming its blocker") {
  obs::Metrics m;
  obs::ShopMetrics shop(m, "default");
  shop.set_last_success(std::chrono::system_clock::now()); // cycles were fine until now
  const auto now = std::chrono::steady_clock::now();
  m.set_db_pending("write", now - 2s);
  CHECK_FALSE(obs::health_problem(m, 5s).has_value()); // pending, but not for long
  m.set_db_blocker("write", "waiting for RowExclusiveLock on taosync.orders, held by pid 42");
  const auto problem = obs::health_problem(m, 1s);
  REQUIRE(problem.has_value());
  CHECK(problem->find("database write blocked for 2s (longer than metrics.healthy_within 1s)") !=
        std::string::npos);
  CHECK(problem->find("held by pid 42") != std::string::npos);
  CHECK_FALSE(obs::is_healthy(m, 1s));
  m.set_db_pending("write", std::nullopt); // the write committed
  CHECK_FALSE(obs::health_problem(m, 1s).has_value());
  CHECK(m.render().find("\ntaosync_db_pending_seconds 0\n") != std::string::npos);
}

TEST_CASE("the longest-pending job of several is the one reported") {
  obs::Metrics m;
  obs::ShopMetrics shop(m, "default");
  shop.set_last_success(std::chrono::system_clock::now());
  const auto now = std::chrono::steady_clock::now();
  m.set_db_pending("lookup", now - 1s);
  m.set_db_pending("write", now - 9s);
  const auto problem = obs::health_problem(m, 3s);
  REQUIRE(problem.has_value());
  CHECK(problem->starts_with("database write blocked for 9s"));
  CHECK(problem->find("nothing seen holding a lock") != std::string::npos);
}

TEST_CASE("without a pending job the cycle rule still decides, with its reason") {
  obs::Metrics m;
  obs::ShopMetrics shop(m, "default");
  const auto problem = obs::health_problem(m, 5min);
  REQUIRE(problem.has_value());
  CHECK(*problem == "no successful sync cycle within metrics.healthy_within (5m) for shop default");
}

TEST_CASE("every shop synced must be fresh: a stale one is named; no shop synced is healthy") {
  obs::Metrics m;
  CHECK(obs::health_problem(m, 1s) == "no shop syncing yet"); // starting
  m.set_leases_held(0);
  CHECK_FALSE(obs::health_problem(m, 1s).has_value()); // a standby: its peers hold the shops
  m.set_leases_held(2);
  CHECK(obs::health_problem(m, 1s) == "holding 2 shop lease(s), no shop syncing yet");
  obs::ShopMetrics a(m, "a");
  obs::ShopMetrics b(m, "b");
  obs::ShopMetrics c(m, "c");
  a.set_last_success(std::chrono::system_clock::now());
  b.set_init_progress(10, 100); // an init moving forward
  auto problem = obs::health_problem(m, 1min);
  REQUIRE(problem.has_value());
  CHECK(problem->ends_with("for shop c"));
  {
    obs::ShopMetrics d(m, "d");
    problem = obs::health_problem(m, 1min);
    REQUIRE(problem.has_value());
    CHECK(problem->ends_with("for shop c and 1 more"));
  }
  c.set_waiting(true); // its init waits its turn: not late
  CHECK_FALSE(obs::health_problem(m, 1min).has_value());
  c.set_waiting(false);
  c.set_last_success(std::chrono::system_clock::now());
  CHECK_FALSE(obs::health_problem(m, 1min).has_value());
}

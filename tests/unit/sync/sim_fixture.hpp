#pragma once
// Shared pieces of the in-process sync tests: a taosync-sim on its own thread (the testkit
// harness), the real api::Client talking to it from the test's io_context, and a throwaway
// PostgreSQL for the code that writes.

#include "api/client.hpp"
#include "store/store.hpp"
#include "support/pg_cluster.hpp"
#include "sync/window_planner.hpp"
#include "testkit/http_client.hpp"
#include "testkit/sim_harness.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace taosync::sync::test {

namespace net = boost::asio;
using namespace std::chrono_literals;

/// The simulator's default anchor: creation times end here, modification times within
/// ten days after it.
inline const TimePoint kAnchor{std::chrono::milliseconds(1593076987000)};

/// A window covering every order a fresh simulator holds (90 days of history).
inline Window whole_history() {
  return Window{kAnchor - std::chrono::days(91), kAnchor + std::chrono::days(11)};
}

/// An honest simulator of `orders` orders.
inline sim::SimOptions shop_of(std::uint64_t orders) {
  sim::SimOptions o;
  o.orders = orders;
  o.seed = 7;
  return o;
}

/// A simulator of `orders` orders that tells each of `lies` at its rate (0 to 1).
inline sim::SimOptions lying_shop(std::uint64_t orders,
                                  std::initializer_list<std::pair<sim::Lie, double>> lies) {
  sim::SimOptions o = shop_of(orders);
  for (const auto& [lie, rate] : lies)
    o.live.lies[lie] = rate;
  return o;
}

/// A client for the simulator (or a relay) on `port`: quick retries, no pacing to speak of.
inline config::ApiConfig client_config(std::uint16_t port) {
  const sim::SimOptions defaults;
  config::ApiConfig cfg;
  cfg.base_url = "http://127.0.0.1:" + std::to_string(port) + "/rest";
  cfg.auth_url = cfg.base_url;
  cfg.app_key = defaults.app_key;
  cfg.app_secret = defaults.app_secret;
  cfg.access_token = defaults.access_token;
  cfg.refresh_token = defaults.refresh_token;
  cfg.timeout = 5s;
  cfg.rate_limit.requests_per_second = 10000;
  cfg.rate_limit.burst = 1000;
  cfg.retry.max_attempts = 3;
  cfg.retry.initial_backoff = 1ms;
  cfg.retry.max_backoff = 5ms;
  return cfg;
}

/// Runs `body` with a Client for `cfg` on a fresh io_context (the daemon's network thread)
/// and returns its result; an exception from `body` is rethrown here.
template <class R>
R with_client(const config::ApiConfig& cfg,
              const std::function<net::awaitable<R>(api::Client&)>& body) {
  net::io_context io;
  api::Client client(cfg, api::Tokens{cfg.access_token, cfg.refresh_token}, {});
  auto result = net::co_spawn(io, body(client), net::use_future);
  io.run();
  return result.get();
}

/// POSTs `json` to /_sim/control (lies, faults, latency) while the simulator runs.
inline void control(std::uint16_t sim_port, const std::string& json) {
  sim::testkit::HttpClient admin(sim_port);
  const auto r = admin.post("/_sim/control", json);
  REQUIRE_MESSAGE(r.status == 200, r.body);
}

/// The simulator's /_sim/stats.
inline boost::json::object sim_stats(std::uint16_t sim_port) {
  sim::testkit::HttpClient admin(sim_port);
  return boost::json::parse(admin.get("/_sim/stats").body).as_object();
}

/// How many times the simulator told lie `kind` so far.
inline std::int64_t lies_told(std::uint16_t sim_port, const std::string& kind) {
  const auto stats = sim_stats(sim_port);
  const auto& lies = stats.at("lies").as_object();
  const auto* n = lies.if_contains(kind);
  return n ? n->to_number<std::int64_t>() : 0;
}

/// The ids of the simulator's orders (its /_sim/truth) last modified within `w`.
inline std::set<std::string> truth_modified_within(std::uint16_t sim_port, const Window& w) {
  sim::testkit::HttpClient admin(sim_port);
  const auto truth = boost::json::parse(admin.get("/_sim/truth").body);
  std::set<std::string> ids;
  for (const auto& order : truth.at("orders").as_array()) {
    const auto& o = order.as_object();
    const TimePoint t{
        std::chrono::milliseconds(o.at("modification_time").to_number<std::int64_t>())};
    if (t >= w.from && t <= w.to)
      ids.insert(std::string(o.at("trade_order_id").as_string()));
  }
  return ids;
}

/// The ids of the simulator's orders (its /_sim/truth) last modified at `at`.
inline std::set<std::string> truth_modified_at(std::uint16_t sim_port, TimePoint at) {
  return truth_modified_within(sim_port, Window{at, at});
}

/// The test binary's PostgreSQL, started on first use.
inline testing::PgCluster& cluster() {
  static testing::PgCluster pg;
  return pg;
}

/// A fresh database with the schema migrated; returns its url.
inline std::string migrated_database() {
  const auto url = cluster().create_database();
  store::Store(url).migrate();
  return url;
}

/// The ids of `orders`, as a set.
inline std::set<std::string> ids_of(const std::vector<api::Order>& orders) {
  std::set<std::string> ids;
  for (const auto& o : orders)
    ids.insert(o.trade_order_id);
  return ids;
}

} // namespace taosync::sync::test

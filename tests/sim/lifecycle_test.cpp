// The live lifecycle: allowed status edges, modification_time that never goes backwards,
// arrivals, bulk same-ms changes, and churn that defeats a naive pager.

#include "catalog.hpp"
#include "shop.hpp"
#include "test_util.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <thread>

namespace taosync::sim::test {

namespace {

namespace json = boost::json;

struct Seen {
  std::string status;
  std::int64_t mtime;
};

std::map<std::string, Seen> snapshot(HttpClient& client) {
  std::map<std::string, Seen> out;
  for (const auto& o : truth_orders(client))
    out[str(o, "trade_order_id")] = {str(o, "status"), o.at("modification_time").as_int64()};
  return out;
}

/// True if `to` can be reached from `from` along lifecycle edges (or is `from`).
bool reachable(Status from, Status to) {
  if (from == to)
    return true;
  for (std::size_t i = 0; i < kStatusCount; ++i) {
    auto next = static_cast<Status>(i);
    if (is_allowed_edge(from, next) && reachable(next, to))
      return true;
  }
  return false;
}

} // namespace

TEST_CASE("every lifecycle change follows an allowed edge and never moves time backwards") {
  Shop shop(ShopConfig{5, 2000, 1593076987000, std::chrono::days(90)});
  auto seed_a = *shop.find(kSeedOrderA);
  auto seed_a_before = shop.orders()[seed_a];
  std::int64_t last = 0;
  std::int64_t now = 1700000000000;
  std::map<std::pair<Status, Status>, int> edges;
  for (int round = 0; round < 3000; ++round) {
    // The wall clock may even step back; stamps must not.
    now += round % 7 == 0 ? -5 : 3;
    std::map<std::uint32_t, Status> final_status; // one batch may move an order twice
    for (const auto& c : shop.apply_changes(1 + round % 3, now)) {
      CHECK(is_allowed_edge(c.from, c.to));
      CHECK(c.mtime_ms >= last);
      last = c.mtime_ms;
      CHECK(shop.orders()[c.order].mtime_ms == c.mtime_ms);
      final_status[c.order] = c.to;
      ++edges[{c.from, c.to}];
    }
    for (const auto& [order, status] : final_status)
      CHECK(shop.orders()[order].status == status);
    if (round % 10 == 0)
      shop.add_order(now);
  }
  CHECK(edges.size() >= 7);
  CHECK(shop.orders()[seed_a].status == seed_a_before.status); // the seed's orders stay put
  CHECK(shop.orders()[seed_a].mtime_ms == seed_a_before.mtime_ms);
  CHECK(shop.arrivals() == 300);
  // The index still holds every order exactly once.
  CHECK(shop.by_mtime().live() == static_cast<std::int64_t>(shop.orders().size()));
  std::set<std::uint32_t> indexed;
  for (std::uint32_t s = 0; s < shop.by_mtime().slots(); ++s)
    if (shop.by_mtime().order_at(s) != MtimeIndex::kDead) {
      indexed.insert(shop.by_mtime().order_at(s));
      CHECK(shop.orders()[shop.by_mtime().order_at(s)].slot == s);
    }
  CHECK(indexed.size() == shop.orders().size());
}

TEST_CASE("live arrivals and changes move orders forward and bump modification_time") {
  auto options = small_options(300);
  options.live.arrivals = 100;
  options.live.changes = 400;
  options.live.bulk_same_ms = 25;
  SimHarness sim(options);
  HttpClient client(sim.port());
  auto before = snapshot(client);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  auto after = snapshot(client);
  CHECK(after.size() > before.size() + 20);
  int changed = 0;
  std::map<std::int64_t, int> per_ms;
  for (const auto& [id, now] : after) {
    auto it = before.find(id);
    if (it == before.end()) {
      CHECK(now.mtime > 1593076987000); // created live, on the real clock
      continue;
    }
    CHECK(now.mtime >= it->second.mtime);
    CHECK(reachable(*parse_status(it->second.status), *parse_status(now.status)));
    if (now.mtime != it->second.mtime) {
      ++changed;
      CHECK(now.status != it->second.status);
      ++per_ms[now.mtime];
    }
  }
  CHECK(changed > 50);
  int biggest = 0;
  for (const auto& [ms, n] : per_ms)
    biggest = std::max(biggest, n);
  CHECK(biggest >= 20); // a bulk batch: many orders in the very same millisecond
  CHECK(json::parse(client.get("/_sim/stats").body).at("changes").as_int64() > 50);
}

TEST_CASE("/_sim/mutate applies changes now, all in one millisecond") {
  SimHarness sim(small_options(200));
  HttpClient client(sim.port());
  auto before = snapshot(client);
  auto r = json::parse(client.post("/_sim/mutate?n=30", "").body);
  CHECK(r.at("applied") == 30);
  auto after = snapshot(client);
  std::set<std::int64_t> stamps;
  int changed = 0;
  for (const auto& [id, now] : after)
    if (now.mtime != before.at(id).mtime) {
      stamps.insert(now.mtime);
      ++changed;
    }
  CHECK(changed >= 20); // an order may be hit twice
  CHECK(stamps.size() == 1);
}

TEST_CASE("churn while paging makes a naive modification_asc pager miss orders") {
  auto run_pager = [](int churn) {
    auto options = small_options(1000, 21);
    options.sort = SortOrder::modification_asc;
    options.live.churn_per_page = churn;
    SimHarness sim(options);
    HttpClient client(sim.port());
    std::set<std::string> seen;
    for (int page = 1; page <= 11; ++page) {
      auto body = parse(
          call_api(client, "/orders/get", {{"Page_Size", "100"}, {"Page", std::to_string(page)}}));
      for (const auto& o : body.at("result").at("model_list").as_array())
        seen.insert(str(o, "trade_order_id"));
    }
    int missed = 0;
    for (const auto& o : truth_orders(client))
      missed += !seen.contains(str(o, "trade_order_id"));
    return missed;
  };
  CHECK(run_pager(0) == 0);
  CHECK(run_pager(30) > 0);
}

} // namespace taosync::sim::test

// fill_lines against an in-process taosync-sim through the real api::Client, with a real
// store::Database on a throwaway PostgreSQL for the stored modification times: lines are packed
// into calls across orders, an unchanged order is not asked again, missing lines become owed,
// a line naming another order is rejected, and no more than max_in_flight calls run at once.

#include "counting_proxy.hpp"
#include "sim_fixture.hpp"
#include "store/database.hpp"
#include "store/owed_rows.hpp"
#include "sync/line_fanout.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace taosync;
using namespace taosync::sync;
using namespace taosync::sync::test;

namespace {

constexpr const char* kFanoutShop = "shop-fanout";

// The first page (100 orders) of the simulator's whole history, as the lister would see it.
std::vector<api::Order> listed_orders(const config::ApiConfig& cfg) {
  const std::function<net::awaitable<std::vector<api::Order>>(api::Client&)> body =
      [](api::Client& client) -> net::awaitable<std::vector<api::Order>> {
    api::OrdersQuery query;
    query.modified_from = whole_history().from;
    query.modified_to = whole_history().to;
    auto page = co_await client.list_orders(query);
    co_return std::move(page.items);
  };
  auto orders = with_client(cfg, body);
  REQUIRE(orders.size() == 100);
  return orders;
}

store::Batch batch_of(const std::vector<api::Order>& orders) {
  store::Batch batch;
  batch.shop = kFanoutShop;
  batch.orders = orders;
  return batch;
}

// Runs fill_lines on `batch` and returns its stats.
FanoutStats fill(const config::ApiConfig& cfg, store::Database& database, store::Batch& batch,
                 const FanoutSettings& settings) {
  const std::function<net::awaitable<FanoutStats>(api::Client&)> body =
      [&](api::Client& client) -> net::awaitable<FanoutStats> {
    co_return co_await fill_lines(client, database, batch, settings);
  };
  return with_client(cfg, body);
}

// Commits `batch` through `database`.
store::WriteResult write(store::Database& database, store::Batch batch) {
  net::io_context io;
  auto result = net::co_spawn(io, database.write_batch(std::move(batch)), net::use_future);
  io.run();
  return result.get();
}

// Line id -> the order that lists it.
std::map<std::string, std::string> owners(const std::vector<api::Order>& orders) {
  std::map<std::string, std::string> owner;
  for (const auto& o : orders)
    for (const auto& l : o.line_ids)
      owner.emplace(l, o.trade_order_id);
  return owner;
}

std::int64_t item_calls(std::uint16_t sim_port) {
  const auto stats = sim_stats(sim_port);
  const auto& calls = stats.at("calls").as_object();
  const auto* items = calls.if_contains("/order/items/get");
  if (!items)
    return 0;
  std::int64_t n = 0;
  for (const auto& [outcome, count] : items->as_object())
    n += count.to_number<std::int64_t>();
  return n;
}

} // namespace

TEST_CASE("the lines of new orders come in calls of up to items_batch_size ids packed across "
          "orders, and an unchanged order is not asked again") {
  sim::testkit::SimHarness sim(shop_of(300));
  const auto cfg = client_config(sim.port());
  const auto orders = listed_orders(cfg);
  const auto owner = owners(orders);
  store::Database database(migrated_database(), 100ms);
  FanoutSettings settings = FanoutSettings::from(config::Config{}, false); // the defaults
  settings.items_batch_size = 50;

  auto batch = batch_of(orders);
  const auto stats = fill(cfg, database, batch, settings);

  CHECK(stats.orders == 100);
  CHECK(stats.missing_lines == 0);
  CHECK(stats.lines == owner.size());
  CHECK(stats.calls == (owner.size() + 49) / 50);
  CHECK(item_calls(sim.port()) == static_cast<std::int64_t>(stats.calls));
  CHECK(batch.lines.size() == owner.size());
  for (const auto& l : batch.lines)
    CHECK(owner.at(l.trade_order_line_id) == l.trade_order_id);
  CHECK(batch.settled.size() == 100);
  CHECK(batch.lines_for.size() == 100);
  CHECK(batch.owed.empty());
  CHECK(batch.rejected.empty());

  const auto written = write(database, std::move(batch));
  CHECK(written.inserted == 100);

  // Listed again unchanged: nothing is stale, so no line is fetched.
  auto again = batch_of(orders);
  const auto second = fill(cfg, database, again, settings);
  CHECK(second.orders == 0);
  CHECK(second.calls == 0);
  CHECK(again.lines.empty());
  CHECK(again.lines_for.empty());
  CHECK(item_calls(sim.port()) == static_cast<std::int64_t>(stats.calls));
}

TEST_CASE("lines the platform leaves out become owed, and their orders keep the lines that came") {
  auto options = shop_of(300);
  options.live.lies[sim::Lie::missing_lines] = 1;
  sim::testkit::SimHarness sim(options);
  const auto cfg = client_config(sim.port());
  const auto orders = listed_orders(cfg);
  const auto owner = owners(orders);
  const auto url = migrated_database();
  store::Database database(url, 100ms);
  FanoutSettings settings = FanoutSettings::from(config::Config{}, false); // the defaults
  settings.items_batch_size = 50;

  auto batch = batch_of(orders);
  const auto stats = fill(cfg, database, batch, settings);

  REQUIRE_FALSE(batch.owed.empty());
  CHECK(stats.calls > (owner.size() + 49) / 50); // the missing ones were asked once more
  std::set<std::string> got;
  for (const auto& l : batch.lines)
    got.insert(l.trade_order_line_id);
  std::size_t owed_lines = 0;
  const std::set<std::string> settled(batch.settled.begin(), batch.settled.end());
  for (const auto& owed : batch.owed) {
    CAPTURE(owed.trade_order_id);
    REQUIRE_FALSE(owed.line_ids.empty());
    CHECK_FALSE(settled.contains(owed.trade_order_id));
    REQUIRE(owed.modification_time.has_value());
    for (const auto& id : owed.line_ids) {
      CHECK(owner.at(id) == owed.trade_order_id);
      CHECK_FALSE(got.contains(id));
    }
    owed_lines += owed.line_ids.size();
  }
  CHECK(stats.missing_lines == owed_lines);
  CHECK(got.size() + owed_lines == owner.size());
  CHECK(settled.size() + batch.owed.size() == 100);
  CHECK(batch.lines_for.size() == 100); // an incomplete set keeps its stored lines

  const auto owed_orders = batch.owed.size();
  const auto written = write(database, std::move(batch));
  CHECK(written.owed == owed_orders);
  const auto summary = store::Store(url).read(
      "owed_summary", [&](auto& tx) { return store::select_owed_summary(tx, kFanoutShop); });
  CHECK(summary.orders == static_cast<std::int64_t>(100 - settled.size()));
  CHECK(summary.lines == static_cast<std::int64_t>(owed_lines));
}

TEST_CASE("a line that names another order than the one listing it is rejected and owed") {
  auto options = shop_of(300);
  options.live.lies[sim::Lie::foreign_line] = 1;
  sim::testkit::SimHarness sim(options);
  const auto cfg = client_config(sim.port());
  const auto orders = listed_orders(cfg);
  const auto owner = owners(orders);
  store::Database database(migrated_database(), 100ms);

  auto batch = batch_of(orders);
  fill(cfg, database, batch, FanoutSettings::from(config::Config{}, false));

  REQUIRE_FALSE(batch.rejected.empty());
  std::set<std::string> owed_lines;
  for (const auto& owed : batch.owed)
    owed_lines.insert(owed.line_ids.begin(), owed.line_ids.end());
  for (const auto& r : batch.rejected) {
    CAPTURE(r.record_id);
    CHECK(r.endpoint == "/order/items/get");
    CHECK(r.reason.find("names order") != std::string::npos);
  }
  // Stored lines all belong to the order that lists them; a rejected line is never among them.
  std::set<std::string> got;
  for (const auto& l : batch.lines) {
    CHECK(owner.at(l.trade_order_line_id) == l.trade_order_id);
    got.insert(l.trade_order_line_id);
  }
  CHECK(got.size() == batch.lines.size());
  for (const auto& [line, order] : owner)
    CHECK(got.contains(line) != owed_lines.contains(line)); // each line either came or is owed
}

TEST_CASE("at most max_in_flight item calls are in flight at once") {
  auto options = shop_of(300);
  options.live.latency_mean = 10ms; // answers overlap: every worker is busy when the next asks
  sim::testkit::SimHarness sim(options);
  const auto orders = listed_orders(client_config(sim.port()));
  const auto owner = owners(orders);
  store::Database database(migrated_database(), 100ms);

  for (const std::size_t limit : {std::size_t{1}, std::size_t{3}}) {
    CAPTURE(limit);
    CountingProxy proxy(sim.port());
    auto cfg = client_config(proxy.port());
    cfg.max_in_flight = 8; // the client's own pool would allow more
    FanoutSettings settings = FanoutSettings::from(config::Config{}, false); // the defaults
    settings.items_batch_size = 10; // many more calls than workers
    settings.max_in_flight = limit;

    auto batch = batch_of(orders);
    const auto stats = fill(cfg, database, batch, settings);

    CHECK(stats.calls == (owner.size() + 9) / 10);
    CHECK(batch.lines.size() == owner.size());
    // A keep-alive pool opens a connection only when each one it holds is busy.
    CHECK(proxy.peak_open() == static_cast<int>(limit));
  }
}

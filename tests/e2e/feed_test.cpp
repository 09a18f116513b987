// The change feed end to end: under churn and a kill -9 of the daemon, every status the
// history tables observed is in taosync.changes once, in id order, ending at the simulator's
// truth; and `taosyncd changes --follow` prints a commit within a second, across a restart of
// the database, and ends cleanly on SIGTERM.

#include "scenario.hpp"
#include "truth_stream.hpp"

#include "store/order_rows.hpp"
#include "store/pq.hpp"
#include "store/store.hpp"

#include <boost/json/object.hpp>
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

namespace taosync::e2e {
namespace {

namespace json = boost::json;

/// Statuses by id: for each order (or line), the statuses in the order they were recorded.
using StatusTrail = std::map<std::string, std::vector<std::string>>;

/// The trail of `sql` (rows: id, status), rows taken in the query's order.
StatusTrail trail(pqxx::connection& conn, const std::string& sql) {
  pqxx::nontransaction tx(conn);
  StatusTrail out;
  for (const auto& r : tx.exec(sql))
    out[r[0].as<std::string>()].push_back(r[1].as<std::string>());
  return out;
}

/// Ids whose trail has the same status twice in a row (a change recorded twice).
std::vector<std::string> repeated(const StatusTrail& t) {
  std::vector<std::string> out;
  for (const auto& [id, statuses] : t)
    for (std::size_t i = 1; i < statuses.size(); ++i)
      if (statuses[i] == statuses[i - 1])
        out.push_back(id);
  return out;
}

/// Feed rows whose "old" is not the "new" of the id's previous feed row: a change missing
/// from the feed (or one that came out of order).
std::int64_t broken_chains(pqxx::connection& conn, const std::string& kinds,
                           const std::string& key) {
  pqxx::nontransaction tx(conn);
  return store::pq::run1(
             tx, "SELECT count(*) FROM (SELECT detail->>'old' AS old, lag(detail->>'new') OVER "
                 "(PARTITION BY " +
                     key + " ORDER BY id) AS prev FROM taosync.changes WHERE kind IN (" + kinds +
                     ")) x WHERE old IS DISTINCT FROM prev")[0]
      .as<std::int64_t>();
}

/// The simulator's current status of every order and every line.
void truth_statuses(Scenario& s, std::map<std::string, std::string>& orders,
                    std::map<std::string, std::string>& lines) {
  stream_truth(s.sim().port(), [&](json::object&& o) {
    orders[std::string(o.at("trade_order_id").as_string())] = o.at("status").as_string().c_str();
    for (const auto& l : o.at("trade_order_line_list").as_array())
      lines[std::string(l.at("trade_order_line_id").as_string())] =
          l.at("status").as_string().c_str();
  });
}

/// The feed's and the history's trails agree for every order and line, have no repeats and
/// no gaps, and end at the simulator's truth.
void check_feed_matches_history(Scenario& s) {
  pqxx::connection conn(s.db_url());
  const auto feed_orders = trail(conn, "SELECT trade_order_id, detail->>'new' FROM taosync.changes "
                                       "WHERE kind IN ('order_new', 'order_status') ORDER BY id");
  const auto history_orders = trail(conn, "SELECT trade_order_id, new_status FROM "
                                          "taosync.order_status_history ORDER BY id");
  const auto feed_lines = trail(conn, "SELECT detail->>'line', detail->>'new' FROM "
                                      "taosync.changes WHERE kind = 'line_status' ORDER BY id");
  const auto history_lines = trail(conn, "SELECT trade_order_line_id, new_status FROM "
                                         "taosync.order_line_status_history ORDER BY id");
  CHECK(feed_orders == history_orders);
  CHECK(feed_lines == history_lines);
  CHECK(repeated(feed_orders).empty());
  CHECK(repeated(feed_lines).empty());
  CHECK(broken_chains(conn, "'order_new', 'order_status'", "trade_order_id") == 0);
  CHECK(broken_chains(conn, "'line_status'", "detail->>'line'") == 0);

  std::map<std::string, std::string> truth_orders, truth_lines;
  truth_statuses(s, truth_orders, truth_lines);
  REQUIRE(feed_orders.size() == truth_orders.size());
  REQUIRE(feed_lines.size() == truth_lines.size());
  int order_mismatches = 0, line_mismatches = 0, orders_changed = 0;
  for (const auto& [id, status] : truth_orders) {
    const auto it = feed_orders.find(id);
    order_mismatches += it == feed_orders.end() || it->second.back() != status;
    orders_changed += it != feed_orders.end() && it->second.size() > 1;
  }
  for (const auto& [id, status] : truth_lines) {
    const auto it = feed_lines.find(id);
    line_mismatches += it == feed_lines.end() || it->second.back() != status;
  }
  CHECK(order_mismatches == 0);
  CHECK(line_mismatches == 0);
  CHECK(orders_changed > 10); // the churn was seen as status changes, not only as new orders

  pqxx::nontransaction tx(conn);
  std::cout << "feed:";
  for (const auto& r : tx.exec("SELECT kind, count(*) FROM taosync.changes GROUP BY 1 ORDER BY 1"))
    std::cout << ' ' << r[0].c_str() << '=' << r[1].c_str();
  std::cout << "; orders with a status change: " << orders_changed << '\n';
}

TEST_CASE("under churn and kill -9, the feed holds each observed status change once, in order") {
  Scenario s({"--orders", "300", "--seed", "41", "--changes", "40", "--churn-per-page", "2",
              "--arrivals", "4"});
  s.config().page_size = 50;
  s.config().batch_orders = 50; // more, smaller transactions: kills land between and inside
  s.write_config();
  REQUIRE_MESSAGE(s.once_until_success(2), s.last_log());
  for (int kill = 0; kill < 2; ++kill) {
    auto daemon = s.start_daemon();
    std::this_thread::sleep_for(random_between(800ms, 1600ms));
    REQUIRE_MESSAGE(daemon.running(), daemon.stderr_tail());
    daemon.kill(SIGKILL);
    REQUIRE(daemon.wait(10s) == 128 + SIGKILL);
  }
  {
    auto daemon = s.start_daemon();
    std::this_thread::sleep_for(1500ms);
    daemon.kill(SIGTERM);
    CHECK(daemon.wait(15s) == 0);
  }
  REQUIRE_MESSAGE(s.settle(), s.last_log());
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  check_feed_matches_history(s);
}

/// Writes a newer version of a stored order with another status; returns its id.
std::string change_an_order(Scenario& s, const std::string& status) {
  const std::string id =
      s.query("SELECT trade_order_id FROM taosync.orders WHERE shop = $1 ORDER BY 1 LIMIT 1");
  store::Store db(s.db_url());
  auto detail =
      db.read("load_order", [&](auto& tx) { return store::select_order(tx, s.config().shop, id); });
  REQUIRE(detail);
  store::Batch batch;
  batch.shop = s.config().shop;
  detail->order.status = status;
  detail->order.modification_time += std::chrono::milliseconds(1);
  batch.orders.push_back(detail->order);
  REQUIRE(db.write(batch).changes == 1);
  return id;
}

/// Waits up to `deadline` for stdout to hold a feed row of `order_id` with status `status`;
/// returns how long that took, or nullopt.
std::optional<std::chrono::milliseconds> printed(testing::Process& follower,
                                                 const std::string& order_id,
                                                 const std::string& status,
                                                 std::chrono::milliseconds deadline) {
  const std::string needle = "\"trade_order_id\":\"" + order_id + "\",\"kind\":\"order_status\"";
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const std::string out = follower.stdout_text();
    const auto at = out.rfind(needle);
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (at != std::string::npos &&
        out.find("\"new\": \"" + status + "\"", at) != std::string::npos) {
      std::cout << "changes --follow printed the " << status << " row " << waited.count()
                << " ms after its commit\n";
      return waited;
    }
    if (waited >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
}

TEST_CASE("changes --follow prints a commit within a second, survives a database restart and "
          "ends on SIGTERM") {
  Scenario s({"--orders", "20", "--seed", "42"});
  REQUIRE_MESSAGE(s.once_until_success(2), s.last_log());
  const std::string rows = s.query("SELECT count(*) FROM taosync.changes");
  REQUIRE(std::stoi(rows) > 20); // 20 new orders and their lines

  // Without --follow: every row, in id order, then exit 0.
  auto lister = s.start_daemon({"changes", "--since", "0"});
  REQUIRE_MESSAGE(lister.wait(30s) == 0, lister.stderr_tail());
  const std::string all = lister.stdout_text();
  CHECK(std::count(all.begin(), all.end(), '\n') == std::stoi(rows));
  CHECK(all.rfind("{\"id\":1,\"shop\":\"default\",", 0) == 0);

  const std::string newest = s.query("SELECT max(id) FROM taosync.changes");
  auto follower = s.start_daemon({"changes", "--follow", "--since", newest});
  REQUIRE_MESSAGE(
      wait_until([&] { return follower.stderr_text().find("following") != std::string::npos; },
                 20s),
      follower.stderr_tail());
  CHECK(follower.stdout_text().empty()); // --since: nothing older

  const auto first = change_an_order(s, "canceled");
  CHECK_MESSAGE(printed(follower, first, "canceled", 1s).has_value(), follower.stdout_text());

  s.pg().stop_immediate();
  REQUIRE_MESSAGE(
      wait_until([&] { return follower.stderr_text().find("unreachable") != std::string::npos; },
                 20s),
      follower.stderr_tail());
  s.pg().start();
  REQUIRE_MESSAGE(
      wait_until([&] { return follower.stderr_text().find("reconnected") != std::string::npos; },
                 30s),
      follower.stderr_tail());
  const auto second = change_an_order(s, "returned");
  CHECK_MESSAGE(printed(follower, second, "returned", 1s).has_value(), follower.stdout_text());
  // one line per row, none printed twice across the reconnect
  const std::string out = follower.stdout_text();
  CHECK(std::count(out.begin(), out.end(), '\n') == 2);

  follower.kill(SIGTERM);
  CHECK(follower.wait(5s) == 0);
}

} // namespace
} // namespace taosync::e2e

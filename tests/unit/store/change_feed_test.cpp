// The change feed and the line status history, written by the real batch write into a real
// PostgreSQL.

#include "store/change_listener.hpp"
#include "store/pq.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <future>
#include <set>
#include <thread>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr const char* kFeedShop = "shop-feed";

/// Kinds of the feed rows after `after`, in id order, as "kind:line" (line: the line id where
/// the row names one).
std::vector<std::string> feed_after(const std::string& url, std::int64_t after) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  std::vector<std::string> out;
  for (const auto& r : pq::run(tx,
                               "SELECT kind || coalesce(':' || (detail->>'line'), '') "
                               "FROM taosync.changes WHERE id > $1 ORDER BY id",
                               after))
    out.push_back(r[0].as<std::string>());
  return out;
}

std::int64_t newest_id(const std::string& url) {
  return query_value<std::int64_t>(url, "SELECT coalesce(max(id), 0) FROM taosync.changes");
}

/// One detail field of the only feed row of `kind` after `after`.
std::string detail_of(const std::string& url, std::int64_t after, const std::string& kind,
                      const std::string& path) {
  return query_value(url, "SELECT (detail #> '{" + path +
                              "}')::text FROM taosync.changes WHERE "
                              "id > " +
                              std::to_string(after) + " AND kind = '" + kind + "'");
}

/// The version-1 order 9001: two lines, pending.
Batch first_version() {
  Batch b;
  b.shop = kFeedShop;
  b.orders = {make_order("9001", 1000, "pending")};
  b.orders[0].line_ids = {"90011", "90012"};
  b.lines = {make_line("9001", "90011", 1000, "T-OLD"), make_line("9001", "90012", 1000)};
  b.lines_for = {"9001"};
  return b;
}

/// Version 2: shipped, a new city, line 90011 shipped with a new tracking number, 90012 gone,
/// 90013 new.
Batch second_version() {
  Batch b = first_version();
  b.orders = {make_order("9001", 2000, "shipped")};
  b.orders[0].delivery.city = "新北市";
  b.orders[0].line_ids = {"90011", "90013"};
  b.lines = {make_line("9001", "90011", 2000, "T-NEW"), make_line("9001", "90013", 2000)};
  b.lines[0].status = "shipped";
  return b;
}

} // namespace

TEST_CASE("a new order enters the feed with its lines as changes from nothing") {
  const auto url = migrated_database();
  Store store(url);
  const auto r = store.write(first_version());
  CHECK(r.status_changes == 1);
  CHECK(r.line_status_changes == 2);
  CHECK(r.changes == 3);
  CHECK(feed_after(url, 0) ==
        std::vector<std::string>{"order_new", "line_status:90011", "line_status:90012"});
  CHECK(detail_of(url, 0, "order_new", "new") == R"("pending")");
  CHECK(detail_of(url, 0, "order_new", "line_ids") == R"(["90011", "90012"])");
  CHECK(query_value<std::int64_t>(
            url, "SELECT count(*) FROM taosync.order_line_status_history WHERE shop = "
                 "'shop-feed' AND trade_order_id = '9001' AND old_status IS NULL AND "
                 "new_status = 'ready_to_ship'") == 2);
}

TEST_CASE("status, line, line set, address and shipment changes are each one feed row") {
  const auto url = migrated_database();
  Store store(url);
  store.write(first_version());
  const auto before = newest_id(url);

  const auto r = store.write(second_version());
  CHECK(r.status_changes == 1);
  CHECK(r.line_status_changes == 2); // 90011 ready_to_ship -> shipped, 90013 new
  CHECK(r.changes == 6);
  const auto feed = feed_after(url, before);
  REQUIRE(feed.size() == 6);
  CHECK(feed[0] == "order_status");
  CHECK(feed[1] == "address");
  CHECK(feed[2] == "lines_replaced");
  CHECK(std::set<std::string>{feed[3], feed[4]} ==
        std::set<std::string>{"line_status:90011", "line_status:90013"});
  CHECK(feed[5] == "shipment:90011");

  CHECK(detail_of(url, before, "order_status", "old") == R"("pending")");
  CHECK(detail_of(url, before, "order_status", "new") == R"("shipped")");
  CHECK(detail_of(url, before, "address", "old,city") == R"("台北市")");
  CHECK(detail_of(url, before, "address", "new,city") == R"("新北市")");
  CHECK(detail_of(url, before, "lines_replaced", "added") == R"(["90013"])");
  CHECK(detail_of(url, before, "lines_replaced", "removed") == R"(["90012"])");
  CHECK(detail_of(url, before, "shipment", "order_no") == "2");
  CHECK(detail_of(url, before, "shipment", "old,tracking_number") == R"("T-OLD")");
  CHECK(detail_of(url, before, "shipment", "new,tracking_number") == R"("T-NEW")");
  CHECK(query_value(url, "SELECT string_agg(trade_order_line_id || ' ' || coalesce(old_status, "
                         "'-') || '>' || new_status, ',' ORDER BY id) FROM "
                         "taosync.order_line_status_history WHERE modification_time = "
                         "TIMESTAMPTZ 'epoch' + INTERVAL '2 seconds'") ==
        "90011 ready_to_ship>shipped,90013 ->ready_to_ship");
  CHECK(query_value<std::int64_t>(url, "SELECT count(*) FROM taosync.order_status_history") == 2);
}

TEST_CASE("a stale or repeated write adds nothing to the feed or the line history") {
  const auto url = migrated_database();
  Store store(url);
  store.write(first_version());
  store.write(second_version());
  const auto before = newest_id(url);
  const auto history =
      query_value<std::int64_t>(url, "SELECT count(*) FROM taosync.order_line_status_history");

  Batch stale = first_version(); // older: another status, address, line set and tracking
  stale.orders[0] = make_order("9001", 1500, "canceled");
  stale.orders[0].delivery.city = "高雄市";
  stale.lines = {make_line("9001", "90019", 1500, "T-STALE")};
  stale.lines[0].status = "canceled";
  const auto r = store.write(stale);
  CHECK(r.stale == 1);
  CHECK(r.changes == 0);
  CHECK(store.write(second_version()).changes == 0); // the same version again

  Batch old_line = second_version(); // the order moves on, but this copy of its line is older
  old_line.orders[0] = make_order("9001", 3000, "shipped");
  old_line.orders[0].delivery.city = "新北市";
  old_line.orders[0].line_ids = {"90011", "90013"};
  old_line.lines[0] = make_line("9001", "90011", 1800, "T-OLDER");
  old_line.lines[0].status = "canceled";
  CHECK(store.write(old_line).changes == 0);

  CHECK(newest_id(url) == before);
  CHECK(query_value<std::int64_t>(url, "SELECT count(*) FROM taosync.order_line_status_history") ==
        history);
}

TEST_CASE("feed ids become visible in commit order") {
  const auto url = migrated_database();
  Store store(url);
  store.write(batch_with_lines(kFeedShop, {make_order("9101", 1000)}));
  const auto first = newest_id(url);

  // Another writer in its last moments: it holds the feed's lock and an uncommitted id.
  pqxx::connection other(url);
  pqxx::work late(other);
  late.exec("SELECT pg_advisory_xact_lock(7346152093415262)");
  const auto late_id =
      pq::run1(late, "INSERT INTO taosync.changes (shop, trade_order_id, kind, detail) VALUES "
                     "('shop-other', '1', 'order_status', '{}') RETURNING id")[0]
          .as<std::int64_t>();
  CHECK(late_id > first);

  auto next = std::async(std::launch::async, [&store] {
    return store.write(batch_with_lines(kFeedShop, {make_order("9102", 1000)}));
  });
  // It draws no id until the late writer has committed: it waits on the lock.
  bool waiting = false;
  for (int i = 0; i < 300 && !waiting; ++i) {
    if (next.wait_for(std::chrono::milliseconds(20)) == std::future_status::ready)
      break;
    waiting = query_value<std::int64_t>(url, "SELECT count(*) FROM pg_locks WHERE locktype = "
                                             "'advisory' AND NOT granted") > 0;
  }
  CHECK(waiting);
  CHECK(newest_id(url) == first); // a reader at `id > first` sees nothing yet, so skips nothing

  late.commit();
  const auto r = next.get();
  CHECK(r.changes == 2);
  CHECK(query_value<std::int64_t>(url, "SELECT min(id) FROM taosync.changes WHERE trade_order_id "
                                       "= '9102'") > late_id);
}

TEST_CASE("a NOTIFY names the changed lines and says when it had to leave some out") {
  const auto url = migrated_database();
  Store store(url);
  pqxx::connection listen_conn(url);
  std::vector<std::string> payloads;
  pq::Subscription subscription(listen_conn, "taosync_order_changed",
                                [&](const std::string& p) { payloads.push_back(p); });
  listen_conn.get_notifs();

  Batch b;
  b.shop = kFeedShop;
  b.orders = {make_order("9201", 1000)};
  b.orders[0].line_ids.clear();
  for (int i = 0; i < 300; ++i) {
    const std::string id = "92010" + std::to_string(1000 + i);
    b.lines.push_back(make_line("9201", id, 1000));
    b.orders[0].line_ids.push_back(id);
  }
  b.lines_for = {"9201"};
  const auto r = store.write(b);
  CHECK(r.line_status_changes == 300);

  for (int i = 0; i < 50 && payloads.empty(); ++i)
    listen_conn.await_notification(0, 100000);
  REQUIRE(payloads.size() == 1);
  CHECK(payloads[0].size() < 8000);
  CHECK(payloads[0].rfind(R"({"shop":"shop-feed","trade_order_id":"9201","status":)", 0) == 0);
  CHECK(payloads[0].find(R"({"id":"920101000","old":null,"new":"ready_to_ship"})") !=
        std::string::npos);
  CHECK(payloads[0].find(R"(],"lines_truncated":true,"lines_total":300})") != std::string::npos);
  pqxx::nontransaction tx(listen_conn);
  CHECK(pq::run1(tx, "SELECT json_array_length($1::json -> 'lines') BETWEEN 50 AND 299",
                 payloads[0])[0]
            .as<bool>());
}

TEST_CASE("a partial cancellation, one line alone, is in the feed and in a NOTIFY") {
  const auto url = migrated_database();
  Store store(url);
  store.write(first_version());
  pqxx::connection listen_conn(url);
  std::vector<std::string> payloads;
  pq::Subscription subscription(listen_conn, "taosync_order_changed",
                                [&](const std::string& p) { payloads.push_back(p); });
  listen_conn.get_notifs();
  const auto before = newest_id(url);

  Batch partial = first_version(); // the order stays pending; line 90012 alone is canceled
  partial.orders[0].modification_time = at_ms(1100);
  for (auto& l : partial.lines)
    l.modification_time = at_ms(1100);
  partial.lines[1].status = "canceled";
  const auto r = store.write(partial);
  CHECK(r.status_changes == 0);
  CHECK(r.line_status_changes == 1);
  CHECK(feed_after(url, before) == std::vector<std::string>{"line_status:90012"});
  CHECK(detail_of(url, before, "line_status", "old") == R"("ready_to_ship")");
  CHECK(detail_of(url, before, "line_status", "new") == R"("canceled")");

  for (int i = 0; i < 50 && payloads.empty(); ++i)
    listen_conn.await_notification(0, 100000);
  REQUIRE(payloads.size() == 1);
  CHECK(payloads[0] == R"({"shop":"shop-feed","trade_order_id":"9001","status":"pending",)"
                       R"("lines":[{"id":"90012","old":"ready_to_ship","new":"canceled"}]})");
}

TEST_CASE("feed rows older than the retention are deleted in batches, newer ones stay") {
  const auto url = migrated_database();
  Store store(url);
  store.write(batch_with_lines(
      kFeedShop, {make_order("9301", 1000), make_order("9302", 1000), make_order("9303", 1000)}));
  REQUIRE(newest_id(url) > 0);
  {
    pqxx::connection conn(url);
    pqxx::nontransaction tx(conn);
    tx.exec("UPDATE taosync.changes SET changed_at = now() - INTERVAL '2 hours' "
            "WHERE trade_order_id <> '9303'");
  }
  CHECK(prune_changes(store, std::chrono::hours(1), 1, 100) == 4); // one row per statement
  CHECK(query_value(url, "SELECT string_agg(DISTINCT trade_order_id, ',') FROM "
                         "taosync.changes") == "9303");
  CHECK(prune_changes(store, std::chrono::hours(1)) == 0);
}

namespace {
void ignore_signal(int) {}
} // namespace

TEST_CASE("a listener's wait ends early, without an error, when a signal arrives, and hears a "
          "commit") {
  const auto url = migrated_database();
  ChangeListener feed(connection_settings(url), true, "database.url");
  // As `changes --follow` installs its SIGTERM handler: no SA_RESTART, so a wait in progress is
  // cut short. (libpqxx 7.10's own wait threw on that, and the command ended with an error.)
  struct sigaction sa {};
  struct sigaction before {};
  sa.sa_handler = ignore_signal;
  sigemptyset(&sa.sa_mask);
  REQUIRE(sigaction(SIGUSR1, &sa, &before) == 0);
  const pthread_t waiter = pthread_self();
  std::thread signaller([waiter] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    pthread_kill(waiter, SIGUSR1);
  });
  const auto t0 = std::chrono::steady_clock::now();
  bool notified = true;
  CHECK_NOTHROW(notified = feed.wait(std::chrono::seconds(5)));
  const auto took = std::chrono::steady_clock::now() - t0;
  signaller.join();
  sigaction(SIGUSR1, &before, nullptr);
  CHECK_FALSE(notified);
  CHECK(took < std::chrono::seconds(4));

  Store(url).write(first_version());
  bool heard = false;
  for (int i = 0; i < 50 && !heard; ++i)
    heard = feed.wait(std::chrono::milliseconds(100));
  CHECK(heard);
  CHECK(feed.read(0, std::nullopt, 10).size() == 3);
}

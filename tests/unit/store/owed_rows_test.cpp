// What the platform owes is remembered in the same transaction as the order, settled only when
// the order's lines arrive whole, and a partial line set never drops a line the order lists.

#include "store/owed_rows.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr const char* kOwedShop = "shop-owed";

std::int64_t lines_of(const std::string& url, const std::string& order_id) {
  return query_value<std::int64_t>(url, "SELECT count(*) FROM taosync.order_lines WHERE "
                                        "trade_order_id = '" +
                                            order_id + "'");
}

} // namespace

TEST_CASE("an order with a missing line keeps the stored line and is owed until it arrives") {
  const auto url = migrated_database();
  Store store(url);
  auto first = make_order("3001", 1000);
  first.line_ids = {"30011", "30012"};
  Batch complete = batch_with_lines(kOwedShop, {first});
  complete.lines.push_back(make_line("3001", "30012", 1000));
  complete.settled = {"3001"};
  store.write(complete);
  CHECK(lines_of(url, "3001") == 2);

  // A newer version arrives with line 30012 missing from the answers.
  auto newer = make_order("3001", 2000, "shipped");
  newer.line_ids = {"30011", "30012"};
  Batch partial = batch_with_lines(kOwedShop, {newer}); // only line 30011
  partial.owed = {OwedOrder{"3001", {"30012"}, at_ms(2000), "1 line(s) missing"}};
  const auto r = store.write(partial);
  CHECK(r.updated == 1);
  CHECK(r.owed == 1);
  CHECK(lines_of(url, "3001") == 2); // 30012 is still listed: its stored version stays
  auto owed =
      store.read("owed_summary", [&](auto& tx) { return select_owed_summary(tx, kOwedShop); });
  CHECK(owed.orders == 1);
  CHECK(owed.lines == 1);
  REQUIRE(owed.newest_reason);
  CHECK(*owed.newest_reason == "1 line(s) missing");

  const auto due =
      store.read("due_owed", [&](auto& tx) { return select_due_owed(tx, kOwedShop, 10); });
  REQUIRE(due.size() == 1);
  CHECK(due[0].order.line_ids == std::vector<std::string>{"30012"});
  CHECK(due[0].order.modification_time == at_ms(2000));
  CHECK(due[0].attempts == 0);

  // A failed ask pushes the next one out.
  store.write("postpone_owed", [&](auto& tx) {
    postpone_owed(tx, kOwedShop, "3001", "still missing", std::chrono::hours(1));
  });
  CHECK(
      store.read("due_owed", [&](auto& tx) { return select_due_owed(tx, kOwedShop, 10); }).empty());
  CHECK(store.read("owed_summary", [&](auto& tx) { return select_owed_summary(tx, kOwedShop); })
            .orders == 1);

  // The whole set arrives: the owed entry is settled in the same transaction.
  Batch whole = batch_with_lines(kOwedShop, {newer});
  whole.lines.push_back(make_line("3001", "30012", 2000));
  whole.settled = {"3001"};
  const auto w = store.write(whole);
  CHECK(w.settled == 1);
  CHECK(store.read("owed_summary", [&](auto& tx) { return select_owed_summary(tx, kOwedShop); })
            .orders == 0);
}

TEST_CASE("a stale answer settles nothing; a line no longer listed is removed") {
  const auto url = migrated_database();
  Store store(url);
  auto current = make_order("4001", 5000);
  current.line_ids = {"40011", "40012"};
  Batch b = batch_with_lines(kOwedShop, {current});
  b.owed = {OwedOrder{"4001", {"40012"}, at_ms(5000), "missing"}};
  store.write(b);

  Batch stale = batch_with_lines(kOwedShop, {make_order("4001", 4000)});
  stale.settled = {"4001"};
  CHECK(store.write(stale).settled == 0);
  CHECK(store.read("owed_summary", [&](auto& tx) { return select_owed_summary(tx, kOwedShop); })
            .orders == 1);

  // A newer version that no longer lists 40012, complete: settled, and only its line stays.
  auto trimmed = make_order("4001", 6000);
  trimmed.line_ids = {"40011"};
  Batch t = batch_with_lines(kOwedShop, {trimmed});
  t.settled = {"4001"};
  CHECK(store.write(t).settled == 1);
  CHECK(lines_of(url, "4001") == 1);
}

TEST_CASE("an owed order without a known version, and the held window, round-trip") {
  const auto url = migrated_database();
  Store store(url);
  Batch b;
  b.shop = kOwedShop;
  b.owed = {OwedOrder{"5001", {}, std::nullopt, "modification_time in the future"}};
  store.write(b);
  const auto due =
      store.read("due_owed", [&](auto& tx) { return select_due_owed(tx, kOwedShop, 10); });
  REQUIRE(due.size() == 1);
  CHECK(due[0].order.line_ids.empty());
  CHECK_FALSE(due[0].order.modification_time.has_value());

  CHECK_FALSE(store.read("load_held", [&](auto& tx) { return select_held(tx, kOwedShop); }));
  store.write("save_held", [&](auto& tx) {
    upsert_held(tx, kOwedShop, HeldWindow{at_ms(1000), at_ms(2000), "page 1 holds 3", {}});
  });
  auto held = store.read("load_held", [&](auto& tx) { return select_held(tx, kOwedShop); });
  REQUIRE(held);
  CHECK(held->from == at_ms(1000));
  CHECK(held->to == at_ms(2000));
  CHECK(held->reason == "page 1 holds 3");
  CHECK(held->since.has_value());
  store.write("save_held", [&](auto& tx) { upsert_held(tx, kOwedShop, std::nullopt); });
  CHECK_FALSE(store.read("load_held", [&](auto& tx) { return select_held(tx, kOwedShop); }));
}

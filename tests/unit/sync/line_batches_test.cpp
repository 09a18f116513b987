#include "sync/line_batches.hpp"
#include "test_orders.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace taosync;
using taosync::testing::at;
using taosync::testing::order;
using namespace std::chrono_literals;

namespace {

// A line of the order its id names ("a-0" belongs to "a").
model::OrderLine line(const std::string& id, std::int64_t mtime = 1) {
  model::OrderLine l;
  l.trade_order_line_id = id;
  l.trade_order_id = id.substr(0, id.find('-'));
  l.modification_time = at(mtime);
  return l;
}

const model::TimePoint kLatest = at(1'000'000);

// What the store would hold of `o` had it been written at `mtime`.
store::StoredVersion stored_as(const model::Order& o, std::int64_t mtime) {
  return {at(mtime), o.status, o.line_ids};
}

} // namespace

TEST_CASE("line ids of changed orders are packed across orders into full calls") {
  std::vector<model::Order> orders;
  for (int i = 0; i < 40; ++i) {
    orders.push_back(order(std::to_string(i), 1000, 3)); // 120 lines
  }
  const auto plan = sync::plan_line_fetch(orders, {}, 50, false);
  CHECK(plan.orders.size() == 40);
  REQUIRE(plan.calls.size() == 3); // ceil(120 / 50)
  CHECK(plan.calls[0].size() == 50);
  CHECK(plan.calls[1].size() == 50);
  CHECK(plan.calls[2].size() == 20);
  CHECK(plan.line_count() == 120);
  CHECK(plan.calls[0][0] == "0-0");
  CHECK(plan.calls[1][0] == "16-2"); // the 51st id: an order's lines may span two calls
}

TEST_CASE("unchanged and stale orders cost no item call; new and newer ones do") {
  const std::vector<model::Order> orders{order("same", 1000, 2), order("newer", 2000, 2),
                                         order("new", 1000, 1), order("older", 1000, 2)};
  const sync::StoredVersions stored{{"same", stored_as(orders[0], 1000)},
                                    {"newer", stored_as(orders[1], 1500)},
                                    {"older", stored_as(orders[3], 5000)}};
  const auto plan = sync::plan_line_fetch(orders, stored, 50, false);
  CHECK(plan.orders == std::vector<std::string>{"newer", "new"});
  REQUIRE(plan.calls.size() == 1);
  CHECK(plan.calls[0] == std::vector<std::string>{"newer-0", "newer-1", "new-0"});
}

TEST_CASE("a listing at the stored time with another status or other lines needs its lines") {
  auto moved = order("moved", 1000, 1);
  auto grown = order("grown", 1000, 1);
  auto same = order("same", 1000, 1);
  auto older = order("older", 1000, 1);
  sync::StoredVersions stored{{"moved", stored_as(moved, 1000)},
                              {"grown", stored_as(grown, 1000)},
                              {"same", stored_as(same, 1000)},
                              {"older", stored_as(older, 2000)}};
  moved.status = "canceled";
  grown.line_ids.push_back("grown-1");
  older.status = "canceled"; // an older listing is not news, whatever it says
  const auto plan = sync::plan_line_fetch({moved, grown, same, older}, stored, 50, false);
  CHECK(plan.orders == std::vector<std::string>{"moved", "grown"});
  CHECK(plan.line_count() == 3);
  CHECK(sync::listing_is_news(moved, stored.at("moved")));
  CHECK_FALSE(sync::listing_is_news(same, stored.at("same")));
  CHECK_FALSE(sync::listing_is_news(older, stored.at("older")));
}

TEST_CASE("refetch_all fetches the lines of every listed order") {
  const std::vector<model::Order> orders{order("a", 1000, 2), order("b", 1000, 0)};
  const sync::StoredVersions stored{{"a", stored_as(orders[0], 1000)},
                                    {"b", stored_as(orders[1], 1000)}};
  const auto plan = sync::plan_line_fetch(orders, stored, 50, true);
  CHECK(plan.orders == std::vector<std::string>{"a", "b"});
  CHECK(plan.line_count() == 2);
}

TEST_CASE("an order without lines needs no call but still gets its (empty) line set") {
  const auto plan = sync::plan_line_fetch({order("a", 1, 0)}, {}, 50, false);
  CHECK(plan.orders == std::vector<std::string>{"a"});
  CHECK(plan.calls.empty());
  const auto c = sync::collate_lines({order("a", 1, 0)}, plan.orders, {}, kLatest);
  CHECK(c.complete == std::vector<std::string>{"a"});
}

TEST_CASE("a line id listed twice is fetched once") {
  auto a = order("a", 1, 1);
  a.line_ids.push_back(a.line_ids[0]);
  const auto plan = sync::plan_line_fetch({a}, {}, 50, false);
  CHECK(plan.line_count() == 1);
}

TEST_CASE("chunking respects the batch size, including 1 and exact multiples") {
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    ids.push_back(std::to_string(i));
  }
  CHECK(sync::chunk_ids(ids, 50).size() == 2);
  CHECK(sync::chunk_ids(ids, 1).size() == 100);
  CHECK(sync::chunk_ids(ids, 0).size() == 100); // treated as 1
  CHECK(sync::chunk_ids(ids, 33).back().size() == 1);
  CHECK(sync::chunk_ids({}, 50).empty());
}

TEST_CASE("the calls for many orders stay at the minimum ceil(lines / 50)") {
  std::vector<model::Order> orders;
  std::size_t lines = 0;
  for (int i = 0; i < 500; ++i) {
    const int n = 1 + (i * 7) % 4;
    lines += static_cast<std::size_t>(n);
    orders.push_back(order(std::to_string(i), 1, n));
  }
  const auto plan = sync::plan_line_fetch(orders, {}, 50, false);
  CHECK(plan.calls.size() == (lines + 49) / 50);
}

TEST_CASE("orders whose every line arrived usable are complete; a rejected line is owed") {
  const std::vector<model::Order> orders{order("a", 1, 2), order("b", 1, 2), order("c", 1, 1)};
  // b-1 was rejected by the parser: it never arrived as a line
  const std::vector<model::OrderLine> lines{line("a-0"), line("a-1"), line("b-0"), line("c-0")};
  const auto c = sync::collate_lines(orders, {"a", "b", "c"}, lines, kLatest);
  CHECK(c.complete == std::vector<std::string>{"a", "c"});
  REQUIRE(c.incomplete.size() == 1);
  CHECK(c.incomplete[0].trade_order_id == "b");
  CHECK(c.incomplete[0].missing_line_ids == std::vector<std::string>{"b-1"});
  CHECK(c.lines.size() == 4); // the usable lines of b are still kept
}

TEST_CASE("an order missing a line is incomplete and the line is named") {
  const std::vector<model::Order> orders{order("a", 1, 2), order("b", 1, 1)};
  const auto c = sync::collate_lines(orders, {"a", "b"}, {line("a-0"), line("b-0")}, kLatest);
  CHECK(c.complete == std::vector<std::string>{"b"});
  REQUIRE(c.incomplete.size() == 1);
  CHECK(c.incomplete[0].trade_order_id == "a");
  CHECK(c.missing_line_ids() == std::vector<std::string>{"a-1"});
}

TEST_CASE("lines not asked for are dropped; a line answered twice is kept once, the newest") {
  const std::vector<model::Order> orders{order("a", 1, 1), order("b", 1, 1)};
  const auto c =
      sync::collate_lines(orders, {"b"}, {line("a-0"), line("b-0", 5), line("b-0", 9)}, kLatest);
  REQUIRE(c.lines.size() == 1);
  CHECK(c.lines[0].trade_order_line_id == "b-0");
  CHECK(c.lines[0].modification_time == at(9));
  CHECK(c.rejected.empty());
}

TEST_CASE("a line that names another order is rejected and never counted for either order") {
  const std::vector<model::Order> orders{order("a", 1, 1), order("b", 1, 1)};
  auto foreign = line("a-0");
  foreign.trade_order_id = "b"; // b does exist, but a lists this line
  const auto c = sync::collate_lines(orders, {"a", "b"}, {foreign, line("b-0")}, kLatest);
  CHECK(c.complete == std::vector<std::string>{"b"});
  REQUIRE(c.incomplete.size() == 1);
  CHECK(c.incomplete[0].trade_order_id == "a");
  REQUIRE(c.rejected.size() == 1);
  CHECK(c.rejected[0].record_id == "a-0");
  CHECK(c.rejected[0].reason.find("names order b") != std::string::npos);
  REQUIRE(c.lines.size() == 1);
  CHECK(c.lines[0].trade_order_id == "b");
}

TEST_CASE("a line modified after the latest believable time is rejected") {
  const auto c = sync::collate_lines({order("a", 1, 1)}, {"a"}, {line("a-0", 2'000'000)}, kLatest);
  CHECK(c.complete.empty());
  REQUIRE(c.rejected.size() == 1);
  CHECK(c.rejected[0].reason.find("in the future") != std::string::npos);
}

namespace {

// An order as a listing without line ids shows it: a count of its lines.
model::Order counted(const std::string& id, std::int64_t mtime, std::int64_t lines) {
  auto o = order(id, mtime, 0);
  o.line_count = lines;
  return o;
}

} // namespace

TEST_CASE("by order id, the changed orders' ids are packed into calls, whatever their lines") {
  std::vector<model::Order> orders;
  for (int i = 0; i < 120; ++i)
    orders.push_back(counted(std::to_string(i), 1000, 1 + i % 4));
  const store::StoredVersions stored{
      {"0", store::StoredVersion{at(1000), orders[0].status, {"0-0"}}}};
  const auto plan = sync::plan_line_fetch(orders, stored, 50, false, model::LinesBy::order_id);
  REQUIRE(plan.orders.size() == 119); // "0" is stored as listed
  REQUIRE(plan.calls.size() == 3);    // 50 + 50 + 19 orders
  CHECK(plan.calls[0].front() == "1");
  CHECK(plan.calls[2].size() == 19);
  CHECK(plan.line_count() == 119);
}

TEST_CASE("by order id, an order is complete with as many lines as its listing counts") {
  const std::vector<model::Order> orders{counted("a", 1, 2), counted("b", 1, 3),
                                         counted("c", 1, 1)};
  // b has one unit missing; a's unit a-1 came twice; c's line arrives once; x was not asked
  const std::vector<model::OrderLine> lines{line("a-0"), line("a-1", 3), line("a-1", 7),
                                            line("b-0"), line("b-1"),    line("c-0"),
                                            line("x-0")};
  const auto c =
      sync::collate_lines(orders, {"a", "b", "c"}, lines, kLatest, model::LinesBy::order_id);
  CHECK(c.complete == std::vector<std::string>{"a", "c"});
  REQUIRE(c.incomplete.size() == 1);
  CHECK(c.incomplete[0].trade_order_id == "b");
  CHECK(c.incomplete[0].missing == 1);
  CHECK(c.incomplete[0].missing_line_ids.empty()); // no line id is known to ask for
  CHECK(c.missing_lines() == 1);
  CHECK(c.ids_to_ask_again(model::LinesBy::order_id) == std::vector<std::string>{"b"});
  CHECK(c.lines.size() == 5); // a-1 once, the newest; x-0 dropped
  for (const auto& l : c.lines)
    if (l.trade_order_line_id == "a-1")
      CHECK(l.modification_time == at(7));
}

TEST_CASE("by order id, a line from the future does not count and an order with no lines is "
          "incomplete") {
  const std::vector<model::Order> orders{counted("a", 1, 1), order("b", 1, 0)};
  const auto c = sync::collate_lines(orders, {"a", "b"}, {line("a-0", 2'000'000)}, kLatest,
                                     model::LinesBy::order_id);
  CHECK(c.complete.empty());
  REQUIRE(c.rejected.size() == 1);
  CHECK(c.rejected[0].reason.find("in the future") != std::string::npos);
  REQUIRE(c.incomplete.size() == 2);
  CHECK(c.incomplete[1].trade_order_id == "b"); // no count: at least one line is expected
  CHECK(c.incomplete[1].missing == 1);
  CHECK(c.ids_to_ask_again(model::LinesBy::line_id).empty());
}

TEST_CASE("by order id, a complete order's row names its lines; a count decides what is news") {
  std::vector<model::Order> orders{counted("a", 1, 2), counted("b", 1, 2), counted("c", 1, 1),
                                   counted("d", 1, 1)};
  const auto c = sync::collate_lines(orders, {"a", "b"}, {line("a-1"), line("a-0"), line("b-0")},
                                     kLatest, model::LinesBy::order_id);
  const store::StoredVersions before{{"b", store::StoredVersion{at(1), "pending", {"b-9"}}},
                                     {"c", store::StoredVersion{at(1), "pending", {"c-0"}}}};
  sync::name_counted_lines(orders, c, before);
  CHECK(orders[0].line_ids == std::vector<std::string>{"a-0", "a-1"});
  CHECK(orders[1].line_ids == std::vector<std::string>{"b-9"}); // incomplete: the stored lines
  CHECK(orders[2].line_ids == std::vector<std::string>{"c-0"}); // not news: as stored
  CHECK(orders[3].line_ids.empty());                            // nothing known yet
  // The same version listed again costs no items call while the stored row has as many lines.
  const store::StoredVersion stored{at(1), orders[0].status, {"a-0", "a-1"}};
  CHECK_FALSE(sync::listing_is_news(counted("a", 1, 2), stored));
  CHECK(sync::listing_is_news(counted("a", 1, 3), stored));
  CHECK(sync::listing_is_news(counted("a", 1, 2), store::StoredVersion{at(1), "pending", {}}));
}

// The checks an answer must pass before the cursor may move past it.

#include "sync/answer_check.hpp"
#include "sync/detail_check.hpp"
#include "test_orders.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace taosync;
using taosync::testing::order;

namespace {

model::TimePoint ms(std::int64_t v) {
  return model::TimePoint(std::chrono::milliseconds(v));
}

model::Page<model::Order> page_of(int records, std::int64_t total, int rejected = 0) {
  model::Page<model::Order> p;
  for (int i = 0; i < records; ++i)
    p.items.push_back(order(std::to_string(i), 10));
  for (int i = 0; i < rejected; ++i)
    p.rejected.push_back({"/orders/get", "r" + std::to_string(i), "bad", "{}"});
  p.total_count = total;
  p.page_no = 1;
  return p;
}

model::OrderLine line(const std::string& id, const std::string& order_id, std::int64_t mtime = 5) {
  model::OrderLine l;
  l.trade_order_line_id = id;
  l.trade_order_id = order_id;
  l.modification_time = ms(mtime);
  return l;
}

} // namespace

TEST_CASE("a page whose records agree with total_count is whole") {
  CHECK_FALSE(sync::listing_problem(page_of(40, 40), 1, 100));
  CHECK_FALSE(sync::listing_problem(page_of(38, 40, 2), 1, 100)); // rejected records count
  CHECK_FALSE(sync::listing_problem(page_of(0, 0), 1, 100));
  auto second = page_of(20, 120);
  second.page_no = 2;
  CHECK_FALSE(sync::listing_problem(second, 2, 100));
}

TEST_CASE("a page holding fewer or more records than its count says is not whole") {
  const auto short_page = sync::listing_problem(page_of(37, 40), 1, 100);
  REQUIRE(short_page);
  CHECK(short_page->find("holds 37") != std::string::npos);
  CHECK(short_page->find("means 40") != std::string::npos);
  CHECK(sync::listing_problem(page_of(40, 30), 1, 100));
  CHECK(sync::listing_problem(page_of(90, 150), 1, 100)); // a full first page was due
  CHECK(sync::listing_problem(page_of(5, -1), 1, 100));
}

TEST_CASE("the wrong page, or an envelope flagged by the parser, is not whole") {
  auto p = page_of(10, 10);
  p.page_no = 2;
  CHECK(sync::listing_problem(p, 1, 100));
  auto flagged = page_of(0, 0);
  flagged.problem = "the success envelope has no result.model_list";
  CHECK(*sync::listing_problem(flagged, 1, 100) == flagged.problem);
}

TEST_CASE("records from the future or outside the asked window never pass") {
  const sync::TimeBounds bounds{sync::Window{ms(100), ms(200)}, ms(10'000)};
  CHECK_FALSE(sync::order_time_problem(order("a", 150), bounds));
  CHECK_FALSE(sync::order_time_problem(order("a", 100), bounds)); // both ends inclusive
  CHECK_FALSE(sync::order_time_problem(order("a", 200), bounds));
  const auto before = sync::order_time_problem(order("a", 99), bounds);
  REQUIRE(before);
  CHECK(before->find("outside the asked window") != std::string::npos);
  const auto future = sync::order_time_problem(order("a", 16'725'225'600'000), bounds);
  REQUIRE(future);
  CHECK(future->find("in the future") != std::string::npos);
  CHECK(future->find("2500-01-01") != std::string::npos);

  std::vector<model::Order> orders{order("ok", 150), order("bad", 300)};
  std::vector<model::RejectedRecord> rejected;
  sync::reject_untrusted_orders(orders, rejected, bounds, "/orders/get");
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].trade_order_id == "ok");
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].record_id == "bad");
}

TEST_CASE("/order/get's answer settles what is owed only when every owed line came back") {
  model::OrderDetail d;
  d.order = order("a", 50, 2);
  d.lines = {line("a-0", "a"), line("a-1", "a")};
  auto ok = sync::check_detail(d, "a", {{"a-1"}, ms(50)}, ms(1000), "shop");
  CHECK(ok.order_usable);
  CHECK(ok.problem.empty());
  CHECK(ok.batch.settled == std::vector<std::string>{"a"});
  CHECK(ok.batch.lines.size() == 2);

  // the platform leaves a-1 out of /order/get as well: still owed, the rest is written
  d.order.line_ids = {"a-0"};
  d.lines = {line("a-0", "a")};
  auto partial = sync::check_detail(d, "a", {{"a-1"}, ms(50)}, ms(1000), "shop");
  CHECK(partial.order_usable);
  CHECK(partial.batch.settled.empty());
  REQUIRE(partial.batch.owed.size() == 1);
  CHECK(partial.batch.owed[0].line_ids == std::vector<std::string>{"a-1"});
  CHECK(partial.batch.orders[0].line_ids ==
        std::vector<std::string>{"a-0", "a-1"}); // the stored a-1 is kept

  // a newer version of the order may rightly have dropped the line
  d.order.modification_time = ms(60);
  CHECK(sync::check_detail(d, "a", {{"a-1"}, ms(50)}, ms(1000), "shop").problem.empty());
}

TEST_CASE("an answer that counts its lines instead of naming them settles only when all came") {
  model::OrderDetail d;
  d.order = order("a", 50, 0);
  d.order.line_count = 3; // one line per unit: three units, no line ids
  d.lines = {line("a-0", "a"), line("a-1", "a"), line("a-2", "a")};
  auto whole = sync::check_detail(d, "a", {{}, ms(50)}, ms(1000), "shop");
  CHECK(whole.problem.empty());
  CHECK(whole.batch.settled == std::vector<std::string>{"a"});
  CHECK(whole.batch.lines_for == std::vector<std::string>{"a"});
  CHECK(whole.batch.lines.size() == 3);
  CHECK(whole.batch.orders[0].line_ids == std::vector<std::string>{"a-0", "a-1", "a-2"});

  // a unit left out: owed, and the stored lines are not replaced by the two that came
  d.lines.pop_back();
  auto partial = sync::check_detail(d, "a", {{}, ms(50)}, ms(1000), "shop");
  CHECK(partial.problem == "1 of 3 line(s) missing or unusable in the answer");
  CHECK(partial.batch.settled.empty());
  CHECK(partial.batch.lines_for.empty());
  CHECK(partial.batch.lines.empty());
  REQUIRE(partial.batch.owed.size() == 1);
  CHECK(partial.batch.owed[0].line_ids.empty());
  CHECK(partial.batch.orders.size() == 1); // the order row itself is still news
}

TEST_CASE("/order/get's answer is rejected for another order, a future time or foreign lines") {
  model::OrderDetail d;
  d.order = order("b", 50, 1);
  d.lines = {line("b-0", "b")};
  auto other = sync::check_detail(d, "a", {}, ms(1000), "shop");
  CHECK_FALSE(other.order_usable);
  CHECK(other.batch.orders.empty());

  d.order = order("a", 5000, 0);
  auto future = sync::check_detail(d, "a", {}, ms(1000), "shop");
  CHECK_FALSE(future.order_usable);
  CHECK(future.problem.find("in the future") != std::string::npos);
  CHECK(future.batch.rejected.size() == 1);

  d.order = order("a", 50, 1);
  d.lines = {line("a-0", "zz")};
  auto foreign = sync::check_detail(d, "a", {}, ms(1000), "shop");
  CHECK(foreign.order_usable);
  CHECK(foreign.batch.lines.empty());
  CHECK_FALSE(foreign.problem.empty());
  CHECK(foreign.batch.owed.size() == 1);
}

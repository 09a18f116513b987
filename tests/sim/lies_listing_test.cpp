// Listing lies: pages and line answers whose counts, envelopes or contents disagree with what
// was asked, each told at rate 1 and counted in /_sim/stats.

#include "catalog.hpp"
#include "lie_checks.hpp"

#include <doctest/doctest.h>

namespace taosync::sim::test {

namespace json = boost::json;

TEST_CASE("short_page drops records while total_count still counts them") {
  SimHarness sim(lying_options(Lie::short_page, 1));
  HttpClient client(sim.port()), admin(sim.port());
  for (int page = 1; page <= 3; ++page) {
    CAPTURE(page);
    auto result = result_of(
        call_api(client, "/orders/get", {{"Page_Size", "20"}, {"Page", std::to_string(page)}}));
    CHECK(result.at("total_count") == 60); // the truth's count
    auto served = static_cast<std::int64_t>(result.at("model_list").as_array().size());
    CHECK(served >= 15); // one record, up to a quarter of the page, is dropped
    CHECK(served < 20);
    CHECK(result.at("success") == true);
  }
  CHECK(lies_told(admin, "short_page") == 3);
  // An empty page has nothing to drop: no lie is told about it.
  auto empty = result_of(call_api(client, "/orders/get", {{"Page_Size", "20"}, {"Page", "4"}}));
  CHECK(empty.at("model_list").as_array().empty());
  CHECK(lies_told(admin, "short_page") == 3);
}

TEST_CASE("count_mismatch: total_count disagrees with the records served") {
  SimHarness sim(lying_options(Lie::count_mismatch, 1));
  HttpClient client(sim.port()), admin(sim.port());
  int calls = 0;
  // Full pages, the last page, an empty page past the end, and a window.
  for (int page = 1; page <= 4; ++page) {
    for (const char* size : {"20", "25"}) {
      CAPTURE(page);
      CAPTURE(size);
      auto result = result_of(
          call_api(client, "/orders/get", {{"Page_Size", size}, {"Page", std::to_string(page)}}));
      auto served = static_cast<std::int64_t>(result.at("model_list").as_array().size());
      CHECK_FALSE(page_agrees(result.at("total_count").as_int64(), page, std::stoll(size), served));
      ++calls;
    }
  }
  auto result = result_of(call_api(client, "/orders/get", window_params("10")));
  CHECK_FALSE(page_agrees(result.at("total_count").as_int64(), 1, 10,
                          static_cast<std::int64_t>(result.at("model_list").as_array().size())));
  CHECK(lies_told(admin, "count_mismatch") == calls + 1);
}

TEST_CASE("no_list: a success envelope without model_list on both listing endpoints") {
  SimHarness sim(lying_options(Lie::no_list, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto orders = result_of(call_api(client, "/orders/get", {{"Page_Size", "20"}}));
  CHECK_FALSE(orders.contains("model_list"));
  CHECK(orders.at("success") == true);
  CHECK(orders.at("total_count") == 60);
  auto truth = truth_orders(admin);
  auto items = result_of(
      call_api(client, "/order/items/get", {{"trade_order_line_id_list", line_id_list(truth, 5)}}));
  CHECK_FALSE(items.contains("model_list"));
  CHECK(items.at("success") == true);
  CHECK(lies_told(admin, "no_list") == 2);
  // /order/get has no list to leave out.
  auto order = result_of(call_api(client, "/order/get", {{"trade_order_id", "558757367941"}}));
  CHECK(order.at("module").is_object());
  CHECK(lies_told(admin, "no_list") == 2);
}

TEST_CASE("success_false: all three endpoints say success false with a partial list or no module") {
  SimHarness sim(lying_options(Lie::success_false, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto orders = result_of(call_api(client, "/orders/get", {{"Page_Size", "20"}}));
  CHECK(orders.at("success") == false);
  CHECK(orders.at("model_list").as_array().size() < 20);
  auto truth = truth_orders(admin);
  auto items = result_of(
      call_api(client, "/order/items/get", {{"trade_order_line_id_list", line_id_list(truth, 5)}}));
  CHECK(items.at("success") == false);
  CHECK(items.at("model_list").as_array().size() < 5);
  auto order = result_of(call_api(client, "/order/get", {{"trade_order_id", "558757367941"}}));
  CHECK(order.at("success") == false);
  CHECK(order.at("module").is_null());
  CHECK(lies_told(admin, "success_false") == 3);
}

TEST_CASE("unstable_count: the same request gets a fresh total_count on every call") {
  SimHarness sim(lying_options(Lie::unstable_count, 1));
  HttpClient client(sim.port()), admin(sim.port());
  std::set<std::int64_t> totals;
  bool above_page = false;
  for (int i = 0; i < 12; ++i) {
    auto result = result_of(call_api(client, "/orders/get", {{"Page_Size", "10"}}));
    auto total = result.at("total_count").as_int64();
    CHECK(total != 60);
    CHECK(result.at("model_list").as_array().size() == 10); // the records are honest
    totals.insert(total);
    above_page = above_page || total > 10;
  }
  CHECK(totals.size() >= 6);
  CHECK(above_page);
  CHECK(lies_told(admin, "unstable_count") == 12);
}

TEST_CASE("missing_lines: some asked line ids are left out, total_count agrees with the rest") {
  SimHarness sim(lying_options(Lie::missing_lines, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto truth = truth_orders(admin);
  for (int i = 0; i < 3; ++i) {
    auto asked = json::parse(line_id_list(truth, 12)).as_array();
    auto result = result_of(call_api(client, "/order/items/get",
                                     {{"trade_order_line_id_list", json::serialize(asked)}}));
    const auto& lines = result.at("model_list").as_array();
    CHECK(lines.size() < asked.size());
    CHECK(lines.size() >= asked.size() - 3); // one, up to a quarter
    CHECK(result.at("total_count") == static_cast<std::int64_t>(lines.size()));
    for (const auto& line : lines)
      CHECK(std::find(asked.begin(), asked.end(), line.at("trade_order_line_id")) != asked.end());
  }
  CHECK(lies_told(admin, "missing_lines") == 3);
}

TEST_CASE("foreign_line: one line names another existing order") {
  SimHarness sim(lying_options(Lie::foreign_line, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto truth = truth_orders(admin);
  std::set<std::string> order_ids;
  for (const auto& o : truth)
    order_ids.insert(str(o, "trade_order_id"));

  auto items = result_of(call_api(client, "/order/items/get",
                                  {{"trade_order_line_id_list", line_id_list(truth, 10)}}));
  int foreign = 0;
  for (const auto& line : items.at("model_list").as_array()) {
    auto owner = owner_of_line(std::stoull(str(line, "trade_order_line_id"))).first;
    auto named = str(line, "trade_order_id");
    if (named != std::to_string(owner)) {
      ++foreign;
      CHECK(order_ids.contains(named)); // another order that exists
    }
  }
  CHECK(foreign == 1);

  auto id = str(truth[5], "trade_order_id");
  auto module = result_of(call_api(client, "/order/get", {{"trade_order_id", id}})).at("module");
  CHECK(str(module, "trade_order_id") == id); // the order itself is honest
  foreign = 0;
  for (const auto& line : module.at("trade_order_line_list").as_array())
    if (str(line, "trade_order_id") != id) {
      ++foreign;
      CHECK(order_ids.contains(str(line, "trade_order_id")));
    }
  CHECK(foreign == 1);
  CHECK(lies_told(admin, "foreign_line") == 2);
}

} // namespace taosync::sim::test

// The simulated data: deterministic truth, exact totals for every filter, paging orders, and
// deterministic bad records.

#include "test_util.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

namespace taosync::sim::test {

namespace {

namespace json = boost::json;

std::vector<std::string> page_ids(HttpClient& client, taosync::api::Params params) {
  std::vector<std::string> ids;
  auto body = parse(call_api(client, "/orders/get", std::move(params)));
  for (const auto& o : body.at("result").at("model_list").as_array())
    ids.push_back(str(o, "trade_order_id"));
  return ids;
}

} // namespace

TEST_CASE("the same seed gives byte-identical truth; another seed does not") {
  auto options = small_options(500, 42);
  options.live.bad_record_rate = 0.1;
  SimHarness a(options);
  SimHarness b(options);
  options.seed = 43;
  SimHarness c(options);
  HttpClient ca(a.port()), cb(b.port()), cc(c.port());
  auto ta = ca.get("/_sim/truth");
  auto tb = cb.get("/_sim/truth");
  CHECK(ta.transfer_encoding == "chunked"); // streamed, so a million orders fit
  CHECK(ta.body.size() > 100000);
  CHECK(ta.body == tb.body);
  CHECK(cc.get("/_sim/truth").body != ta.body);
}

TEST_CASE("truth lists every order once, sorted by id, with the seed's orders") {
  SimHarness sim(small_options(200));
  HttpClient client(sim.port());
  auto orders = truth_orders(client);
  REQUIRE(orders.size() == 200);
  std::vector<std::uint64_t> ids;
  for (const auto& o : orders)
    ids.push_back(std::stoull(str(o, "trade_order_id")));
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
  CHECK(ids[0] == 546108399700);
  CHECK(ids[1] == 558757367941);
  auto seed = read_fixture("seed_order_get.json").at("result").at("module");
  CHECK(orders[1] == seed);
  auto stats = json::parse(client.get("/_sim/stats").body);
  CHECK(stats.at("orders") == 200);
  std::size_t lines = 0;
  for (const auto& o : orders)
    lines += o.at("trade_order_line_list").as_array().size();
  CHECK(stats.at("lines") == lines);
}

TEST_CASE("total_count is exact for every status and window") {
  SimHarness sim(small_options(400, 5));
  HttpClient client(sim.port());
  auto orders = truth_orders(client);
  std::map<std::string, std::int64_t> per_status;
  std::vector<std::int64_t> mtimes;
  for (const auto& o : orders) {
    ++per_status[str(o, "status")];
    mtimes.push_back(o.at("modification_time").as_int64());
  }
  std::sort(mtimes.begin(), mtimes.end());
  CHECK(per_status.size() >= 5);
  for (const auto& [status, n] : per_status) {
    auto body =
        parse(call_api(client, "/orders/get", {{"Order_Status", status}, {"Page_Size", "5"}}));
    CHECK(body.at("result").at("total_count") == n);
    for (const auto& o : body.at("result").at("model_list").as_array())
      CHECK(o.at("status") == status.c_str());
  }
  CHECK(parse(call_api(client, "/orders/get", {{"Order_Status", "teleported"}}))
            .at("result")
            .at("total_count") == 0);
  // Windows: both ends inclusive.
  for (std::size_t i : {std::size_t{0}, std::size_t{37}, std::size_t{200}}) {
    auto from = mtimes[i];
    auto to = mtimes[i + 100];
    auto expected =
        std::count_if(mtimes.begin(), mtimes.end(), [&](auto m) { return m >= from && m <= to; });
    auto body = parse(call_api(client, "/orders/get",
                               {{"modification_time_start", std::to_string(from)},
                                {"modification_time_end", std::to_string(to)},
                                {"Page_Size", "10"}}));
    CHECK(body.at("result").at("total_count") == expected);
  }
}

TEST_CASE("every sort order pages through all orders in its order") {
  for (auto sort : {SortOrder::creation_desc, SortOrder::modification_asc,
                    SortOrder::modification_desc, SortOrder::id_asc}) {
    CAPTURE(sort_name(sort));
    auto options = small_options(230, 9);
    options.sort = sort;
    SimHarness sim(options);
    HttpClient client(sim.port());
    std::map<std::string, json::object> truth;
    for (const auto& o : truth_orders(client))
      truth[str(o, "trade_order_id")] = o.as_object();
    for (bool windowed : {false, true}) {
      std::vector<std::string> ids;
      for (int page = 1; page <= 5; ++page) {
        taosync::api::Params p{{"Page_Size", "50"}, {"Page", std::to_string(page)}};
        if (windowed) {
          p["modification_time_start"] = "0";
          p["modification_time_end"] = "9999999999999";
        }
        auto got = page_ids(client, p);
        ids.insert(ids.end(), got.begin(), got.end());
      }
      REQUIRE(ids.size() == 230);
      CHECK(std::set(ids.begin(), ids.end()).size() == 230);
      auto key = [&](const std::string& id) -> std::pair<std::int64_t, std::uint64_t> {
        const auto& o = truth.at(id);
        auto n = std::stoull(id);
        switch (sort) {
        case SortOrder::creation_desc:
          return {-o.at("creation_time").as_int64(), ~n};
        case SortOrder::modification_asc:
          return {o.at("modification_time").as_int64(), n};
        case SortOrder::modification_desc:
          return {-o.at("modification_time").as_int64(), ~n};
        case SortOrder::id_asc:
          return {0, n};
        }
        return {0, 0};
      };
      CHECK(std::is_sorted(ids.begin(), ids.end(),
                           [&](const auto& a, const auto& b) { return key(a) < key(b); }));
    }
  }
}

TEST_CASE("bad records are deterministic, marked in the truth and broken when served") {
  auto options = small_options(300, 3);
  options.live.bad_record_rate = 0.15;
  SimHarness sim(options);
  HttpClient client(sim.port());
  std::map<std::string, int> kinds;
  for (const auto& o : truth_orders(client)) {
    auto id = str(o, "trade_order_id");
    auto detail = parse(call_api(client, "/order/get", {{"trade_order_id", id}}))
                      .at("result")
                      .at("module")
                      .as_object();
    if (auto* bad = o.as_object().if_contains("_sim_bad")) {
      std::string kind(bad->as_string());
      ++kinds["order:" + kind];
      if (kind == "non_numeric_fee")
        CHECK(detail.at("actual_fee") == "N/A");
      if (kind == "missing_id")
        CHECK_FALSE(detail.contains("trade_order_id"));
      if (kind == "wrong_type")
        CHECK(detail.at("creation_time").is_object());
    } else {
      CHECK(detail.at("trade_order_id") == id.c_str());
      CHECK(detail.at("actual_fee") == o.at("actual_fee"));
    }
    const auto& served_lines = detail.at("trade_order_line_list").as_array();
    const auto& true_lines = o.at("trade_order_line_list").as_array();
    for (std::size_t k = 0; k < true_lines.size(); ++k) {
      const auto& line = true_lines[k].as_object();
      const auto& served = served_lines[k].as_object();
      if (auto* bad = line.if_contains("_sim_bad")) {
        std::string kind(bad->as_string());
        ++kinds["line:" + kind];
        if (kind == "huge_title")
          CHECK(served.at("product_title").as_string().size() >= (1u << 20) - 3);
        if (kind == "wrong_type")
          CHECK(served.at("quantity").is_object());
        if (kind == "non_numeric_fee")
          CHECK(served.at("unit_fee") == "N/A");
        if (kind == "missing_id")
          CHECK_FALSE(served.contains("trade_order_line_id"));
      } else {
        CHECK(served.at("product_title") == line.at("product_title"));
      }
    }
  }
  CHECK(kinds.size() == 7); // 3 order kinds and 4 line kinds all occur
}

} // namespace taosync::sim::test

// Record lies: one record per answer with an impossible time, an undecodable byte or an
// ambiguous key, and bodies behind a byte order mark. Each told at rate 1 and counted.

#include "lie_checks.hpp"

#include <doctest/doctest.h>

namespace taosync::sim::test {

namespace json = boost::json;

namespace {

/// Checks that `body` holds exactly one invalid UTF-8 sequence, right after one `marker`, and
/// that without it the body is the honest answer `honest`.
void check_one_bad_spot(const std::string& body, const std::vector<std::string>& markers,
                        const std::string& honest) {
  CHECK(invalid_utf8_spots(body) == 1);
  CHECK(body.find("\\u00ff") == std::string::npos); // raw bytes, not an escape
  bool found = false;
  for (const auto& marker : markers) {
    for (const char* bytes : {"\xFF", "\xE5\x8F"}) {
      if (auto at = body.find(marker + bytes); at != std::string::npos) {
        found = true;
        auto repaired = body;
        repaired.erase(at + marker.size(), std::string_view(bytes).size());
        CHECK(invalid_utf8_spots(repaired) == 0);
        // The rest of the answer is exactly the honest one (request ids aside).
        auto strip = [](json::value v) {
          v.as_object().erase("request_id");
          return v;
        };
        CHECK(strip(json::parse(repaired)) == strip(json::parse(honest)));
      }
    }
  }
  CHECK(found);
}

} // namespace

TEST_CASE("future_time: one record's modification_time is centuries ahead") {
  SimHarness sim(lying_options(Lie::future_time, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto page = result_of(call_api(client, "/orders/get", {{"Page_Size", "20"}}));
  int future = 0;
  for (const auto& o : page.at("model_list").as_array())
    future += o.at("modification_time").as_int64() >= kYear2400Ms;
  CHECK(future == 1);

  auto module = result_of(call_api(client, "/order/get", {{"trade_order_id", "558757367941"}}))
                    .at("module")
                    .as_object();
  CHECK(module.at("modification_time").as_int64() >= kYear2400Ms);
  for (const auto& line : module.at("trade_order_line_list").as_array())
    CHECK(line.at("modification_time") == 1592990587586); // only the order itself lies
  CHECK(lies_told(admin, "future_time") == 2);
}

TEST_CASE("outside_window: one record of a windowed listing lies before the window") {
  SimHarness sim(lying_options(Lie::outside_window, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto params = window_params("100");
  auto start = std::stoll(params["modification_time_start"]);
  auto end = std::stoll(params["modification_time_end"]);
  auto page = result_of(call_api(client, "/orders/get", params));
  REQUIRE(page.at("model_list").as_array().size() > 5);
  int before = 0;
  for (const auto& o : page.at("model_list").as_array()) {
    auto mtime = o.at("modification_time").as_int64();
    before += mtime < start;
    CHECK(mtime <= end);
  }
  CHECK(before == 1);
  CHECK(lies_told(admin, "outside_window") == 1);
  // A listing without a window has no window to lie about.
  result_of(call_api(client, "/orders/get", {{"Page_Size", "20"}}));
  CHECK(lies_told(admin, "outside_window") == 1);
}

TEST_CASE("bad_byte: one record carries a raw invalid UTF-8 sequence, on every endpoint") {
  auto options = lying_options(Lie::bad_byte, 1);
  SimHarness sim(options);
  options.live.lies[Lie::bad_byte] = 0;
  SimHarness honest(options); // the same shop, telling the truth
  HttpClient client(sim.port()), admin(sim.port()), truth_client(honest.port());
  auto truth = truth_orders(admin);
  api::Params listing = {{"Page_Size", "20"}};
  api::Params items = {{"trade_order_line_id_list", line_id_list(truth, 8)}};
  api::Params order = {{"trade_order_id", str(truth[3], "trade_order_id")}};
  for (int i = 0; i < 4; ++i) { // both kinds of sequence come up
    check_one_bad_spot(call_api(client, "/orders/get", listing).body, {"\"buyer_full_name\":\""},
                       call_api(truth_client, "/orders/get", listing).body);
    check_one_bad_spot(call_api(client, "/order/items/get", items).body,
                       {"\\\"valueText\\\":\\\"", "\"buyer_full_name\":\""},
                       call_api(truth_client, "/order/items/get", items).body);
    check_one_bad_spot(call_api(client, "/order/get", order).body, {"\"buyer_full_name\":\""},
                       call_api(truth_client, "/order/get", order).body);
  }
  CHECK(lies_told(admin, "bad_byte") == 12);
}

TEST_CASE("bom: every endpoint's body starts with a UTF-8 byte order mark") {
  SimHarness sim(lying_options(Lie::bom, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto truth = truth_orders(admin);
  for (auto [path, params] : std::vector<std::pair<std::string, api::Params>>{
           {"/orders/get", {{"Page_Size", "5"}}},
           {"/order/items/get", {{"trade_order_line_id_list", line_id_list(truth, 3)}}},
           {"/order/get", {{"trade_order_id", "546108399700"}}}}) {
    CAPTURE(path);
    auto body = call_api(client, path, params).body;
    REQUIRE(body.size() > 3);
    CHECK(body.compare(0, 3, "\xEF\xBB\xBF") == 0);
    CHECK(json::parse(body.substr(3)).at("code") == "0"); // a good answer behind it
  }
  CHECK(lies_told(admin, "bom") == 3);
  // Platform errors are not dressed up.
  auto error = call_api(client, "/order/get", {{"trade_order_id", "1"}}).body;
  CHECK(error.front() == '{');
  CHECK(lies_told(admin, "bom") == 3);
}

TEST_CASE("duplicate_key: one record has status or modification_time twice, with two values") {
  SimHarness sim(lying_options(Lie::duplicate_key, 1));
  HttpClient client(sim.port()), admin(sim.port());
  std::set<std::string> keys_seen;
  for (int page = 1; page <= 8; ++page) {
    // One record per page: every key of the body belongs to it.
    auto body =
        call_api(client, "/orders/get", {{"Page_Size", "1"}, {"Page", std::to_string(page)}}).body;
    int ambiguous = 0;
    for (const char* key : {"status", "modification_time"}) {
      auto values = raw_values(body, key);
      if (values.size() == 2 && distinct_values(body, key).size() == 2) {
        ++ambiguous;
        keys_seen.insert(key);
      } else {
        CHECK(values.size() == 1);
      }
    }
    CHECK(ambiguous == 1);
  }
  CHECK(keys_seen.size() == 2); // both keys come up
  // /order/get: the order's own keys; its lines agree with the truth.
  auto body = call_api(client, "/order/get", {{"trade_order_id", "558757367941"}}).body;
  auto statuses = distinct_values(body, "status");
  auto mtimes = distinct_values(body, "modification_time");
  CHECK(statuses.size() + mtimes.size() == 3);
  CHECK(lies_told(admin, "duplicate_key") == 9);
}

} // namespace taosync::sim::test

// Record lies: one record per answer with an impossible time, an undecodable byte or an
// ambiguous key, and bodies behind a byte order mark. Each told at rate 1 and counted.

#include "lie_checks.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <set>

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

/// Checks that `body` holds exactly one of `inserts` right after one of `markers`, and that
/// without it the body is the honest answer `honest` (request ids aside).
void check_one_insert(const std::string& body, const std::vector<std::string>& markers,
                      const std::vector<std::string>& inserts, const std::string& honest) {
  int found = 0;
  for (const auto& marker : markers)
    for (const auto& insert : inserts)
      for (auto at = body.find(marker + insert); at != std::string::npos;
           at = body.find(marker + insert, at + 1)) {
        ++found;
        auto repaired = body;
        repaired.erase(at + marker.size(), insert.size());
        auto strip = [](json::value v) {
          v.as_object().erase("request_id");
          return v;
        };
        CHECK(strip(json::parse(repaired)) == strip(json::parse(honest)));
      }
  CHECK(found == 1);
}

/// The records of an answer's list, or its module as the one record.
std::vector<json::object> records_of(const std::string& body) {
  auto result = json::parse(body).at("result").as_object();
  if (auto* module = result.if_contains("module"))
    return {module->as_object()};
  std::vector<json::object> records;
  for (const auto& r : result.at("model_list").as_array())
    records.push_back(r.as_object());
  return records;
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

TEST_CASE("bad_escape: one record's name opens with a surrogate escape that decodes to nothing") {
  auto options = lying_options(Lie::bad_escape, 1);
  SimHarness sim(options);
  options.live.lies[Lie::bad_escape] = 0;
  SimHarness honest(options);
  HttpClient client(sim.port()), admin(sim.port()), truth_client(honest.port());
  auto truth = truth_orders(admin);
  api::Params listing = {{"Page_Size", "20"}};
  api::Params items = {{"trade_order_line_id_list", line_id_list(truth, 8)}};
  api::Params order = {{"trade_order_id", str(truth[3], "trade_order_id")}};
  const std::vector<std::string> marker = {"\"buyer_full_name\":\""};
  const std::vector<std::string> escapes = {"\\udc00\\ud800", "\\ud800", "\\udc00"};
  std::set<std::string> seen;
  for (int i = 0; i < 6; ++i) {
    for (auto [path, params] : std::vector<std::pair<std::string, api::Params>>{
             {"/orders/get", listing}, {"/order/items/get", items}, {"/order/get", order}}) {
      auto body = call_api(client, path, params).body;
      boost::system::error_code ec;
      json::parse(body, ec);
      CHECK(ec); // a strict parser refuses the whole answer
      // The reversed pair starts like a lone low surrogate: look for the longest first.
      for (const auto& e : escapes)
        if (body.find(marker[0] + e) != std::string::npos) {
          seen.insert(e);
          check_one_insert(body, marker, {e}, call_api(truth_client, path, params).body);
          break;
        }
    }
  }
  CHECK(seen.size() == 3); // each form comes up
  CHECK(lies_told(admin, "bad_escape") == 18);
}

TEST_CASE("nul: one record holds a NUL, escaped, raw, or inside sku_info's nested JSON") {
  auto options = lying_options(Lie::nul, 1);
  SimHarness sim(options);
  options.live.lies[Lie::nul] = 0;
  SimHarness honest(options);
  HttpClient client(sim.port()), admin(sim.port()), truth_client(honest.port());
  auto truth = truth_orders(admin);
  api::Params listing = {{"Page_Size", "20"}};
  api::Params items = {{"trade_order_line_id_list", line_id_list(truth, 8)}};
  const std::string name = "\"buyer_full_name\":\"";
  const std::string sku = "\\\"valueText\\\":\\\"";
  const std::string raw_nul(1, '\0');
  std::set<std::string> seen;
  for (int i = 0; i < 8; ++i) {
    auto body = call_api(client, "/orders/get", listing).body;
    const auto honest_body = call_api(truth_client, "/orders/get", listing).body;
    const bool raw = body.find(name + raw_nul) != std::string::npos;
    seen.insert(raw ? "raw" : "escape");
    check_one_insert(body, {name}, {raw ? raw_nul : "\\u0000"}, honest_body);
    auto lines = call_api(client, "/order/items/get", items).body;
    if (lines.find(sku + "\\\\u0000") != std::string::npos) {
      seen.insert("sku_info");
      check_one_insert(lines, {sku}, {"\\\\u0000"},
                       call_api(truth_client, "/order/items/get", items).body);
    }
  }
  CHECK(seen == std::set<std::string>{"escape", "raw", "sku_info"});
  CHECK(lies_told(admin, "nul") == 16);
}

TEST_CASE("huge_number: one record's number is past int64 or past what PostgreSQL takes") {
  SimHarness sim(lying_options(Lie::huge_number, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto truth = truth_orders(admin);
  std::set<std::string> seen;
  const auto odd = [&](const json::object& r, const char* key) {
    if (r.contains("weight_kg")) {
      seen.insert("weight_kg");
      return true;
    }
    if (r.at(key).is_int64())
      return false;
    seen.insert(r.at(key).is_double() && std::isinf(r.at(key).as_double()) ? "exponent" : "long");
    return true;
  };
  for (int i = 0; i < 8; ++i) {
    int listed = 0;
    for (const auto& r : records_of(call_api(client, "/orders/get", {{"Page_Size", "20"}}).body))
      listed += odd(r, "creation_time");
    CHECK(listed == 1);
    int lines = 0;
    for (const auto& r : records_of(call_api(client, "/order/items/get",
                                             {{"trade_order_line_id_list", line_id_list(truth, 6)}})
                                        .body))
      lines += odd(r, "quantity");
    CHECK(lines == 1);
  }
  auto module = records_of(
      call_api(client, "/order/get", {{"trade_order_id", str(truth[2], "trade_order_id")}}).body);
  CHECK(odd(module[0], "creation_time"));
  CHECK(seen == std::set<std::string>{"weight_kg", "exponent", "long"});
  CHECK(lies_told(admin, "huge_number") == 17);
}

TEST_CASE("long_id: one record's id runs on past the id length limit") {
  SimHarness sim(lying_options(Lie::long_id, 1));
  HttpClient client(sim.port()), admin(sim.port());
  auto truth = truth_orders(admin);
  std::set<std::string> truth_ids;
  for (const auto& o : truth)
    truth_ids.insert(str(o, "trade_order_id"));
  std::size_t longest = 0;
  for (int i = 0; i < 6; ++i) {
    int lengthened = 0;
    for (const auto& r : records_of(call_api(client, "/orders/get", {{"Page_Size", "20"}}).body)) {
      const std::string id(r.at("trade_order_id").as_string());
      if (id.size() > 64) {
        ++lengthened;
        longest = std::max(longest, id.size());
        CHECK(truth_ids.contains(id.substr(0, 12))); // a real id that runs on
      }
    }
    CHECK(lengthened == 1);
    int lines = 0;
    for (const auto& r : records_of(call_api(client, "/order/items/get",
                                             {{"trade_order_line_id_list", line_id_list(truth, 6)}})
                                        .body))
      lines += r.at("trade_order_line_id").as_string().size() > 64;
    CHECK(lines == 1);
  }
  CHECK(longest > 256); // long enough to be kept only as a hash, now and then
  auto module = records_of(
      call_api(client, "/order/get", {{"trade_order_id", str(truth[2], "trade_order_id")}}).body);
  CHECK(module[0].at("trade_order_id").as_string().size() > 64);
  CHECK(lies_told(admin, "long_id") == 13);
}

} // namespace taosync::sim::test

// Lies as settings: --lie on the command line, "lies" in /_sim/control, off by default, never
// reaching the truth, and the same under the same seed.

#include "lie_checks.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

namespace taosync::sim::test {

namespace json = boost::json;

namespace {

/// One call of each endpoint; returns the raw bodies without their request ids.
std::vector<std::string> one_of_each(HttpClient& client, const json::array& truth) {
  std::vector<std::string> bodies;
  for (auto [path, params] : std::vector<std::pair<std::string, api::Params>>{
           {"/orders/get", {{"Page_Size", "20"}}},
           {"/orders/get", window_params("10")},
           {"/order/items/get", {{"trade_order_line_id_list", line_id_list(truth, 12)}}},
           {"/order/get", {{"trade_order_id", str(truth[7], "trade_order_id")}}}}) {
    auto body = call_api(client, path, params).body;
    auto at = body.rfind("\"request_id\":\"");
    REQUIRE(at != std::string::npos);
    bodies.push_back(body.substr(0, at));
  }
  return bodies;
}

/// Every lie at `rate`.
SimOptions all_lies(double rate) {
  auto o = small_options(60, 11);
  for (auto kind : kAllLies)
    o.live.lies[kind] = rate;
  return o;
}

} // namespace

TEST_CASE("--lie sets a kind's rate, repeatably; bad kinds and rates are usage errors") {
  auto o = parse_options({"--lie", "short_page=0.5", "--lie=bom=1", "--lie", "bom=0.25"});
  CHECK(o.live.lies[Lie::short_page] == 0.5);
  CHECK(o.live.lies[Lie::bom] == 0.25); // the last one wins
  CHECK(o.live.lies[Lie::no_list] == 0);
  CHECK(parse_options({}).live.lies.any() == false);
  CHECK_THROWS_AS(parse_options({"--lie", "fibbing=0.5"}), std::invalid_argument);
  CHECK_THROWS_AS(parse_options({"--lie", "short_page=1.5"}), std::invalid_argument);
  CHECK_THROWS_AS(parse_options({"--lie", "short_page"}), std::invalid_argument);
  CHECK_THROWS_AS(parse_options({"--lie", "short_page=often"}), std::invalid_argument);
  for (auto kind : kAllLies)
    CHECK(lie_from_name(lie_name(kind)) == kind);
}

TEST_CASE("at rate 0 the answers are honest and no lie is counted") {
  SimHarness sim(small_options(60, 11));
  HttpClient client(sim.port()), admin(sim.port());
  auto truth = truth_orders(admin);
  for (int i = 0; i < 5; ++i) {
    for (const auto& body : one_of_each(client, truth)) {
      CHECK(invalid_utf8_spots(body) == 0);
      CHECK(body.front() == '{');
    }
    auto page = result_of(call_api(client, "/orders/get", {{"Page_Size", "20"}}));
    CHECK(page.at("total_count") == 60);
    CHECK(page.at("model_list").as_array().size() == 20);
    CHECK(page.at("success") == true);
  }
  CHECK(json::parse(admin.get("/_sim/stats").body).at("lies").as_object().empty());
}

TEST_CASE("/_sim/control switches lies on and off while the simulator runs") {
  SimHarness sim(small_options(60, 11));
  HttpClient client(sim.port()), admin(sim.port());
  auto page = [&] { return call_api(client, "/orders/get", {{"Page_Size", "20"}}).body; };
  CHECK(page().front() == '{');

  auto on = admin.post("/_sim/control", R"({"lies":{"short_page":1,"bom":1}})");
  REQUIRE(on.status == 200);
  auto settings = json::parse(on.body).at("lies").as_object();
  CHECK(settings.at("short_page").to_number<double>() == 1.0);
  CHECK(settings.at("bom").to_number<double>() == 1.0);
  CHECK(settings.at("no_list").to_number<double>() == 0.0);
  CHECK(settings.size() == kLieKinds);
  auto lying = page();
  CHECK(lying.starts_with("\xEF\xBB\xBF"));
  CHECK(json::parse(lying.substr(3)).at("result").at("model_list").as_array().size() < 20);

  // Setting one kind to 0 leaves the others as they were.
  REQUIRE(admin.post("/_sim/control", R"({"lies":{"short_page":0}})").status == 200);
  auto half = page();
  CHECK(half.starts_with("\xEF\xBB\xBF"));
  CHECK(json::parse(half.substr(3)).at("result").at("model_list").as_array().size() == 20);
  REQUIRE(admin.post("/_sim/control", R"({"lies":{"bom":0}})").status == 200);
  CHECK(page().front() == '{');
  CHECK(lies_told(admin, "short_page") == 1);
  CHECK(lies_told(admin, "bom") == 2);

  // Bad settings are refused, naming the problem, and change nothing.
  for (const char* bad : {R"({"lies":{"fibbing":1}})", R"({"lies":{"bom":1.5}})",
                          R"({"lies":{"bom":"yes"}})", R"({"lies":0.5})"}) {
    CAPTURE(bad);
    auto r = admin.post("/_sim/control", bad);
    CHECK(r.status == 400);
    CHECK(r.body.find("lies") != std::string::npos);
  }
  CHECK(page().front() == '{');
}

TEST_CASE("lies never reach the truth") {
  SimHarness lying(all_lies(0.4));
  SimHarness honest(small_options(60, 11));
  HttpClient client(lying.port()), admin(lying.port()), honest_admin(honest.port());
  auto truth_before = admin.get("/_sim/truth").body;
  auto truth = json::parse(truth_before).at("orders").as_array();
  for (int i = 0; i < 20; ++i)
    one_of_each(client, truth);
  auto stats = json::parse(admin.get("/_sim/stats").body);
  CHECK(stats.at("lies").as_object().size() == kLieKinds); // every kind was told
  auto truth_after = admin.get("/_sim/truth").body;
  CHECK(truth_after == truth_before);
  CHECK(truth_after == honest_admin.get("/_sim/truth").body); // byte-identical to an honest sim
  CHECK(invalid_utf8_spots(truth_after) == 0);
}

TEST_CASE("the same seed and requests tell the same lies") {
  SimHarness a(all_lies(0.5)), b(all_lies(0.5));
  HttpClient ca(a.port()), cb(b.port()), admin(a.port()), admin_b(b.port());
  auto truth = truth_orders(admin);
  for (int i = 0; i < 8; ++i)
    CHECK(one_of_each(ca, truth) == one_of_each(cb, truth));
  auto told = json::parse(admin.get("/_sim/stats").body).at("lies");
  CHECK(told.as_object().size() >= 6); // they really lied
  CHECK(told == json::parse(admin_b.get("/_sim/stats").body).at("lies"));
}

} // namespace taosync::sim::test

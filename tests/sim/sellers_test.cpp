// One gateway, many sellers: the access token selects the seller, every seller has its own
// orders, tokens and truth, the rate limit is the app's, and one seller is today's simulator.

#include "test_util.hpp"

#include <doctest/doctest.h>

#include <set>

namespace taosync::sim::test {

namespace {

namespace json = boost::json;

/// Calls as seller `n` (1-based) of a simulator with several sellers.
Caller seller_caller(int n) {
  Caller c;
  c.access_token = "test-access-token-" + std::to_string(n);
  return c;
}

/// The ids of every order the listing shows to `caller`.
std::set<std::string> listed_ids(HttpClient& client, const Caller& caller) {
  auto r = call_api(client, "/orders/get", {{"Page_Size", "100"}}, caller);
  auto body = parse(r);
  std::set<std::string> ids;
  for (const auto& o : body.at("result").at("model_list").as_array())
    ids.insert(str(o, "trade_order_id"));
  return ids;
}

/// The ids of a truth's orders.
std::set<std::string> truth_ids(const HttpResult& r) {
  auto body = parse(r);
  std::set<std::string> ids;
  for (const auto& o : body.at("orders").as_array())
    ids.insert(str(o, "trade_order_id"));
  return ids;
}

/// A refresh-token call.
HttpResult refresh(HttpClient& client, const std::string& refresh_token) {
  Caller refresher;
  refresher.access_token = "";
  return call_api(client, "/auth/token/refresh", {{"refresh_token", refresh_token}}, refresher);
}

/// FNV-1a over a body: a stable fingerprint of a truth.
std::uint64_t fingerprint(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text)
    h = (h ^ c) * 0x100000001b3ull;
  return h;
}

std::int64_t seller_calls(const json::value& stats, const char* seller, const char* endpoint,
                          const char* outcome) {
  const auto& calls = stats.at("sellers").at(seller).at("calls").as_object();
  auto it = calls.find(endpoint);
  if (it == calls.end() || !it->value().as_object().contains(outcome))
    return 0;
  return it->value().at(outcome).as_int64();
}

} // namespace

TEST_CASE("the access token selects the seller, and each seller has its own orders") {
  auto options = small_options(40, 7);
  options.sellers = 3;
  SimHarness sim(options);
  HttpClient client(sim.port());

  std::vector<std::set<std::string>> ids;
  for (int n = 1; n <= 3; ++n) {
    auto r = call_api(client, "/orders/get", {{"Page_Size", "100"}}, seller_caller(n));
    REQUIRE(code_of(r) == "0");
    CHECK(parse(r).at("result").at("total_count") == 40);
    ids.push_back(listed_ids(client, seller_caller(n)));
    CHECK(ids.back().size() == 40);
  }
  // Order ids are the platform's, unique over all sellers; only shop-1 has the seed's orders.
  for (std::size_t a = 0; a < ids.size(); ++a)
    for (std::size_t b = a + 1; b < ids.size(); ++b)
      for (const auto& id : ids[a])
        CHECK_MESSAGE(!ids[b].contains(id), "order ", id, " in two shops");
  CHECK(ids[0].contains("558757367941"));
  CHECK(!ids[1].contains("558757367941"));

  // Another seller's order is no order at all for this token.
  auto foreign = *ids[0].rbegin();
  CHECK(code_of(call_api(client, "/order/get", {{"trade_order_id", foreign}}, seller_caller(1))) ==
        "0");
  CHECK(code_of(call_api(client, "/order/get", {{"trade_order_id", foreign}}, seller_caller(2))) ==
        "InvalidParameter");

  // With several sellers the bare --access-token is nobody's.
  CHECK(code_of(call_api(client, "/orders/get", {})) == "IllegalAccessToken");

  auto listing = parse(client.get("/_sim/sellers")).at("sellers").as_array();
  REQUIRE(listing.size() == 3);
  CHECK(listing[2].at("name") == "shop-3");
  CHECK(listing[2].at("orders") == 40);
  CHECK(listing[2].at("access_token") == "test-access-token-3");
  CHECK(listing[2].at("refresh_token") == "test-refresh-token-3");

  auto stats = parse(client.get("/_sim/stats"));
  CHECK(stats.at("orders") == 120);
  CHECK(seller_calls(stats, "shop-1", "/orders/get", "ok") == 2);
  CHECK(seller_calls(stats, "shop-1", "/order/get", "ok") == 1);
  CHECK(seller_calls(stats, "shop-2", "/order/get", "InvalidParameter") == 1);
  CHECK(seller_calls(stats, "shop-3", "/order/get", "ok") == 0);
}

TEST_CASE("each seller has its own truth, sized by --seller-orders and deterministic") {
  auto options = small_options(0, 9);
  options.sellers = 3;
  options.seller_orders = {5, 30, 12};
  SimHarness sim(options);
  HttpClient client(sim.port());

  auto first = client.get("/_sim/truth");
  CHECK(first.body == client.get("/_sim/truth?seller=shop-1").body); // no seller: the first
  CHECK(truth_ids(first).size() == 5);
  auto second = client.get("/_sim/truth?seller=shop-2");
  REQUIRE(second.status == 200);
  CHECK(truth_ids(second) == listed_ids(client, seller_caller(2)));
  CHECK(truth_ids(second).size() == 30);
  CHECK(truth_ids(client.get("/_sim/truth?seller=shop-3")).size() == 12);

  auto unknown = client.get("/_sim/truth?seller=shop-4");
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find("shop-4") != std::string::npos);

  // The same flags give the same truths; another seed gives another shop-2.
  SimHarness again(options);
  HttpClient again_client(again.port());
  CHECK(again_client.get("/_sim/truth?seller=shop-2").body == second.body);
  options.seed = 10;
  SimHarness other(options);
  HttpClient other_client(other.port());
  CHECK(truth_ids(other_client.get("/_sim/truth?seller=shop-2")) != truth_ids(second));

  // Changes land on the seller they are made for.
  auto mutated = parse(client.post("/_sim/mutate?n=3&seller=shop-3", ""));
  CHECK(mutated.at("applied") == 3);
  auto stats = parse(client.get("/_sim/stats"));
  CHECK(stats.at("sellers").at("shop-3").at("changes") == 3);
  CHECK(stats.at("sellers").at("shop-2").at("changes") == 0);
  CHECK(stats.at("changes") == 3);
}

TEST_CASE("the rate limit is one bucket for the whole app, over every seller") {
  auto options = small_options(10);
  options.sellers = 2;
  options.live.rate_limit = 1;
  options.live.burst = 2;
  options.ban_seconds = 30; // nothing refills or ends during the test
  SimHarness sim(options);
  HttpClient client(sim.port());
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(1))) == "0");
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(2))) == "0");
  // The bucket is empty for both: neither seller has a bucket of its own.
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(2))) == "ApiCallLimit");
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(1))) == "ApiCallLimit");

  auto stats = parse(client.get("/_sim/stats"));
  CHECK(stats.at("throttled") == 2);
  CHECK(seller_calls(stats, "shop-1", "/orders/get", "ok") == 1);
  CHECK(seller_calls(stats, "shop-2", "/orders/get", "ok") == 1);
  CHECK(seller_calls(stats, "shop-2", "/orders/get", "ApiCallLimit") == 1);
}

TEST_CASE("one seller's tokens can be expired and revoked while the others keep working") {
  auto options = small_options(10);
  options.sellers = 3;
  SimHarness sim(options);
  HttpClient client(sim.port());

  auto r =
      client.post("/_sim/control",
                  R"({"seller":"shop-2","expire_access_token":true,"revoke_refresh_tokens":true})");
  REQUIRE(r.status == 200);
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(2))) == "IllegalAccessToken");
  CHECK(code_of(refresh(client, "test-refresh-token-2")) == "IllegalRefreshToken");

  // shop-1 and shop-3 are untouched; shop-1 still refreshes, into tokens of its own.
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(3))) == "0");
  auto issued = parse(refresh(client, "test-refresh-token-1"));
  REQUIRE(issued.at("code") == "0");
  auto access = str(issued, "access_token");
  CHECK(access.ends_with("-1"));
  Caller renewed;
  renewed.access_token = access;
  CHECK(code_of(call_api(client, "/orders/get", {}, renewed)) == "0");
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(1))) == "IllegalAccessToken");
  CHECK(str(parse(client.get("/_sim/sellers")).at("sellers").at(0), "access_token") == access);

  // Without "seller" the token keys act on the first seller.
  REQUIRE(client.post("/_sim/control", R"({"expire_access_token":true})").status == 200);
  CHECK(code_of(call_api(client, "/orders/get", {}, renewed)) == "IllegalAccessToken");
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(3))) == "0");

  // Bad requests name what is wrong and change nothing.
  auto unknown =
      client.post("/_sim/control", R"({"seller":"shop-7","revoke_refresh_tokens":true})");
  CHECK(unknown.status == 400);
  CHECK(unknown.body.find("shop-7") != std::string::npos);
  auto app_wide = client.post("/_sim/control", R"({"seller":"shop-3","rate_limit":1})");
  CHECK(app_wide.status == 400);
  CHECK(app_wide.body.find("rate_limit") != std::string::npos);
  CHECK(client.post("/_sim/control", R"({"seller":"shop-3","expire_access_token":false})").status ==
        400);
  CHECK(code_of(call_api(client, "/orders/get", {}, seller_caller(3))) == "0");
  CHECK(parse(client.get("/_sim/stats")).at("throttled") == 0);
}

TEST_CASE("one seller is exactly the simulator without sellers") {
  auto options = small_options(300, 11);
  options.live.bad_record_rate = 0.1;
  auto with_flag = options;
  with_flag.sellers = 1;
  SimHarness plain(options);
  SimHarness one(with_flag);
  HttpClient plain_client(plain.port());
  HttpClient one_client(one.port());
  auto truth = plain_client.get("/_sim/truth").body;
  CHECK(one_client.get("/_sim/truth").body == truth);
  // The truth these flags gave before sellers existed.
  CHECK(fingerprint(truth) == 0xc32aad266585c467ull);
  CHECK(truth.size() == 719885);

  // Its tokens are the flags' own.
  auto seller = parse(one_client.get("/_sim/sellers")).at("sellers").at(0);
  CHECK(seller.at("name") == "shop-1");
  CHECK(seller.at("access_token") == "test-access-token");
  CHECK(seller.at("refresh_token") == "test-refresh-token");
  CHECK(code_of(call_api(one_client, "/orders/get", {})) == "0");
}

TEST_CASE("--sellers and --seller-orders are parsed and checked") {
  auto o = parse_options({"--seller-orders", "100,20x3"});
  CHECK(o.sellers == 4);
  CHECK(o.seller_orders == std::vector<std::uint64_t>{100, 20, 20, 20});
  CHECK(orders_of_seller(o, 3) == 20);
  CHECK(parse_options({"--sellers", "2", "--seller-orders", "7,8"}).sellers == 2);
  auto plain = parse_options({"--sellers", "5", "--orders", "70"});
  CHECK(plain.sellers == 5);
  CHECK(orders_of_seller(plain, 4) == 70);
  CHECK(parse_options({}).sellers == 1);

  auto message_of = [](std::vector<std::string> args) {
    try {
      parse_options(args);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message_of({"--sellers", "2", "--seller-orders", "1,2,3"}).starts_with("--seller-orders"));
  CHECK(message_of({"--seller-orders", "1,2", "--sellers", "3"}).starts_with("--seller-orders"));
  CHECK(message_of({"--sellers", "0"}).starts_with("--sellers"));
  CHECK(message_of({"--sellers", "1001"}).starts_with("--sellers"));
  CHECK(message_of({"--seller-orders", "5,lots"}).find("lots") != std::string::npos);
  CHECK(message_of({"--seller-orders", "5x0"}).starts_with("--seller-orders"));
}

} // namespace taosync::sim::test

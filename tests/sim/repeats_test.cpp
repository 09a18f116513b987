// Identical-request stats: a client asking the same listing again and again shows up in
// /_sim/stats "repeats", per second and overall, in bounded memory.

#include "repeats.hpp"
#include "test_util.hpp"

#include <doctest/doctest.h>

namespace taosync::sim::test {

namespace json = boost::json;

TEST_CASE("a listing request's identity is its business parameters, not its signature") {
  api::Params a = {{"Page", "2"},
                   {"Page_Size", "50"},
                   {"Order_Status", "all"},
                   {"modification_time_start", "1"},
                   {"modification_time_end", "9"}};
  auto signed_a = testkit::signed_params("/orders/get", a, {});
  Caller later;
  later.timestamp_ms = wall_ms() + 5000;
  auto signed_later = testkit::signed_params("/orders/get", a, later);
  REQUIRE(signed_a.at("sign") != signed_later.at("sign"));
  CHECK(listing_request_key(signed_a) == listing_request_key(signed_later));
  CHECK(listing_request_key(a) == listing_request_key(signed_a));
  for (const char* name :
       {"Page", "Page_Size", "Order_Status", "modification_time_start", "modification_time_end"}) {
    CAPTURE(name);
    auto other = a;
    other[name] += "0";
    CHECK(listing_request_key(other) != listing_request_key(a));
    other.erase(name);
    CHECK(listing_request_key(other) != listing_request_key(a));
  }
}

TEST_CASE("RepeatTracker counts identical requests overall and per wall-clock second") {
  RepeatTracker t;
  for (std::int64_t ms : {10'000, 10'100, 10'900}) // three in one second
    t.note(1, ms);
  t.note(1, 11'000); // the next second
  t.note(1, 11'500);
  t.note(2, 11'600);
  CHECK(t.max_identical() == 5);
  CHECK(t.max_identical_per_second() == 3);
  for (int i = 0; i < 4; ++i)
    t.note(2, 20'000);
  CHECK(t.max_identical() == 5);
  CHECK(t.max_identical_per_second() == 4);
  CHECK(t.tracked() == 2);
}

TEST_CASE("RepeatTracker's memory stays bounded") {
  RepeatTracker t;
  constexpr auto kMany = RepeatTracker::kMaxTracked + 1000;
  for (std::uint64_t key = 0; key < kMany; ++key)
    t.note(key, static_cast<std::int64_t>(key)); // 1000 per second
  CHECK(t.tracked() <= RepeatTracker::kMaxTracked);
  CHECK(t.tracked() > 0);
  t.note(kMany - 1, static_cast<std::int64_t>(kMany)); // still remembered: seen this second
  CHECK(t.max_identical() == 2);
  CHECK(t.max_identical_per_second() == 2);
}

TEST_CASE("/_sim/stats reports identical /orders/get requests") {
  SimHarness sim(small_options(30));
  HttpClient client(sim.port()), admin(sim.port());
  auto repeats = [&] { return json::parse(admin.get("/_sim/stats").body).at("repeats"); };
  CHECK(repeats().at("max_identical") == 0);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 12; ++i)
    call_api(client, "/orders/get", {{"Page_Size", "10"}, {"Page", "2"}});
  auto took = std::chrono::steady_clock::now() - start;
  for (int i = 0; i < 3; ++i) // other requests, and other endpoints, are not the same request
    call_api(client, "/orders/get", {{"Page_Size", "10"}, {"Page", "3"}});
  for (int i = 0; i < 20; ++i)
    call_api(client, "/order/get", {{"trade_order_id", "558757367941"}});
  auto r = repeats();
  CHECK(r.at("max_identical") == 12);
  if (took < std::chrono::milliseconds(900)) // within at most two wall-clock seconds
    CHECK(r.at("max_identical_per_second").as_int64() >= 6);
  CHECK(r.at("max_identical_per_second").as_int64() <= 12);
}

TEST_CASE("throttled listing requests count as asked") {
  auto options = small_options(30);
  options.live.rate_limit = 1;
  options.live.burst = 1;
  SimHarness sim(options);
  HttpClient client(sim.port()), admin(sim.port());
  for (int i = 0; i < 5; ++i)
    call_api(client, "/orders/get", {{"Page_Size", "10"}});
  auto stats = json::parse(admin.get("/_sim/stats").body);
  REQUIRE(stats.at("throttled").as_int64() >= 3);
  CHECK(stats.at("repeats").at("max_identical") == 5);
}

} // namespace taosync::sim::test

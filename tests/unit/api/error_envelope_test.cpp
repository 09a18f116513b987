// Error envelopes are classified the way docs/design.md §1's table says.

#include "api/error_envelope.hpp"
#include "api/parse.hpp"

#include <doctest/doctest.h>

using namespace taosync::api;

namespace {

ApiError error_of(const std::string& body) {
  auto outcome = parse_orders_page(body);
  REQUIRE_FALSE(outcome.ok());
  return outcome.error();
}

std::string envelope_text(const std::string& type, const std::string& code,
                          const std::string& msg) {
  return R"({"type":")" + type + R"(","code":")" + code + R"(","message":")" + msg +
         R"(","request_id":"0ba2887315178178017221014"})";
}

} // namespace

TEST_CASE("ApiCallLimit is throttled with the ban its message states") {
  const auto e = error_of(envelope_text(
      "ISV", "ApiCallLimit",
      "The request has exceeded the maximum number of calls. this ban will last 7 seconds"));
  CHECK(e.kind == ErrorKind::throttled);
  CHECK(e.code == "ApiCallLimit");
  CHECK(e.ban == std::chrono::seconds(7));
  CHECK(e.request_id == "0ba2887315178178017221014");
  CHECK(e.message.find("/orders/get") != std::string::npos);
}

TEST_CASE("ApiCallLimit without a stated ban defaults to one second") {
  CHECK(error_of(envelope_text("ISV", "ApiCallLimit", "slow down")).ban == std::chrono::seconds(1));
  CHECK(parse_ban("this ban will last x seconds") == std::chrono::seconds(1));
  CHECK(parse_ban("this ban will last 0 seconds") == std::chrono::seconds(1));
  CHECK(parse_ban("… this ban will last 12 seconds.") == std::chrono::seconds(12));
}

TEST_CASE("each platform code maps to what the client must do") {
  CHECK(error_of(envelope_text("ISV", "IllegalAccessToken", "expired")).kind == ErrorKind::auth);
  CHECK(error_of(envelope_text("ISV", "IllegalRefreshToken", "dead")).kind ==
        ErrorKind::refresh_dead);
  CHECK(error_of(envelope_text("ISV", "IncompleteSignature", "bad sign")).kind == ErrorKind::fatal);
  CHECK(error_of(envelope_text("ISV", "MissingParameter", "Page")).kind == ErrorKind::fatal);
  CHECK(error_of(envelope_text("ISV", "InvalidParameter", "Page_Size")).kind == ErrorKind::fatal);
  CHECK(error_of(envelope_text("ISP", "ServiceUnavailable", "busy")).kind == ErrorKind::transient);
  CHECK(error_of(envelope_text("SYSTEM", "InternalError", "oops")).kind == ErrorKind::transient);
  CHECK(error_of(envelope_text("ISV", "SomethingNew", "?")).kind == ErrorKind::fatal);
}

TEST_CASE("a known code wins over its type") {
  CHECK(error_of(envelope_text("ISP", "ApiCallLimit", "this ban will last 2 seconds")).kind ==
        ErrorKind::throttled);
}

TEST_CASE("a body that is not JSON, or not an envelope, is transient") {
  for (const std::string body : {"", "<html>502 Bad Gateway</html>", R"({"result":{"model_li)",
                                 "[1,2]", R"({"code":"0"})", R"({"code":"0","result":[]})"}) {
    CAPTURE(body);
    const auto e = error_of(body);
    CHECK(e.kind == ErrorKind::transient);
    CHECK(e.code == "malformed_body");
  }
}

TEST_CASE("a success envelope is no error for any endpoint") {
  CHECK_FALSE(parse_error("/orders/get", R"({"code":"0","result":{},"request_id":"x"})"));
  CHECK(parse_error("/order/get", envelope_text("ISV", "InvalidParameter", "x"))->kind ==
        ErrorKind::fatal);
}

TEST_CASE("the token refresh response yields both tokens and their expiry") {
  const auto now = std::chrono::sys_seconds(std::chrono::seconds(1700000000));
  auto outcome = parse_token_refresh(
      R"({"access_token":"A2","refresh_token":"R2","expires_in":2592000,)"
      R"("refresh_expires_in":"15552000","account":"shop@x","code":"0","request_id":"r"})",
      now);
  REQUIRE(outcome.ok());
  CHECK(outcome.value().tokens.access_token == "A2");
  CHECK(outcome.value().tokens.refresh_token == "R2");
  CHECK(outcome.value().tokens.access_expires_at == now + std::chrono::days(30));
  CHECK(outcome.value().tokens.refresh_expires_at == now + std::chrono::days(180));
  CHECK(outcome.value().warnings.empty());
}

TEST_CASE("a token lifetime past a year or under a minute is clamped, with a warning") {
  const auto now = std::chrono::sys_seconds(std::chrono::seconds(1700000000));
  auto outcome = parse_token_refresh(
      R"({"access_token":"A2-secret","refresh_token":"R2-secret","expires_in":1000000000000000000,)"
      R"("refresh_expires_in":5,"code":"0"})",
      now);
  REQUIRE(outcome.ok());
  CHECK(outcome.value().tokens.access_expires_at == now + std::chrono::days(365));
  CHECK(outcome.value().tokens.refresh_expires_at == now + std::chrono::seconds(60));
  REQUIRE(outcome.value().warnings.size() == 2);
  CHECK(outcome.value().warnings[0] ==
        "/auth/token/refresh: expires_in of 1e+18 s is longer than a year; taking 31536000 s");
  CHECK(outcome.value().warnings[1] ==
        "/auth/token/refresh: refresh_expires_in of 5 s is shorter than a minute; taking 60 s");
  for (const auto& warning : outcome.value().warnings)
    CHECK(warning.find("secret") == std::string::npos);
}

TEST_CASE("a token refresh without a numeric lifetime is a malformed answer, retried") {
  for (const std::string lifetimes : {R"("refresh_expires_in":15552000)", R"("expires_in":2592000)",
                                      R"("expires_in":null,"refresh_expires_in":15552000)",
                                      R"("expires_in":"soon","refresh_expires_in":15552000)",
                                      R"("expires_in":{"s":1},"refresh_expires_in":15552000)"}) {
    CAPTURE(lifetimes);
    auto outcome = parse_token_refresh(
        R"({"access_token":"A2","refresh_token":"R2",)" + lifetimes + R"(,"code":"0"})", {});
    REQUIRE_FALSE(outcome.ok());
    CHECK(outcome.error().kind == ErrorKind::transient);
    CHECK(outcome.error().code == "malformed_body");
    CHECK(outcome.error().message.find("expires_in") != std::string::npos);
  }
}

TEST_CASE("a token refresh refused as IllegalRefreshToken is refresh_dead") {
  auto outcome = parse_token_refresh(envelope_text("ISV", "IllegalRefreshToken", "expired"),
                                     std::chrono::sys_seconds{});
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().kind == ErrorKind::refresh_dead);
  CHECK_FALSE(parse_token_refresh(R"({"code":"0"})", {}).ok());
}

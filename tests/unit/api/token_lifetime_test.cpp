// Token lifetimes are taken as answered within a minute .. a year, clamped outside it with a
// warning that names the field and the value; what is not a number is refused.

#include "api/token_lifetime.hpp"

#include <boost/json/parse.hpp>
#include <doctest/doctest.h>

using namespace taosync::api;
using namespace std::chrono_literals;

namespace {

Outcome<TokenLifetime> read(const char* json) {
  return read_token_lifetime(boost::json::parse(json).as_object(), "expires_in");
}

} // namespace

TEST_CASE("a lifetime within a minute and a year is taken as answered") {
  CHECK(read(R"({"expires_in":2592000})").value().value == 2592000s);
  CHECK(read(R"({"expires_in":"15552000"})").value().value == 15552000s);
  CHECK(read(R"({"expires_in":60})").value().value == 60s);
  CHECK(read(R"({"expires_in":31536000})").value().value == 31536000s);
  CHECK(read(R"({"expires_in":3600.9})").value().value == 3600s);
  CHECK(read(R"({"expires_in":3600})").value().warning.empty());
}

TEST_CASE("a lifetime outside it is clamped, saying so with the value answered") {
  const auto huge = read(R"({"expires_in":1000000000000000000})").value();
  CHECK(huge.value == kMaxTokenLifetime);
  CHECK(huge.warning ==
        "/auth/token/refresh: expires_in of 1e+18 s is longer than a year; taking 31536000 s");
  CHECK(read(R"({"expires_in":18446744073709551615})").value().value == kMaxTokenLifetime);
  CHECK(read(R"({"expires_in":1e999})").value().value == kMaxTokenLifetime);
  CHECK(read(R"({"expires_in":"99999999999999999999999"})").value().value == kMaxTokenLifetime);
  CHECK(read(R"({"expires_in":0})").value().value == kMinTokenLifetime);
  CHECK(read(R"({"expires_in":-5})").value().value == kMinTokenLifetime);
  CHECK(read(R"({"expires_in":"-5"})").value().warning ==
        "/auth/token/refresh: expires_in of -5 s is shorter than a minute; taking 60 s");
  CHECK(clamp_token_lifetime("refresh_expires_in", 59).value == 60s);
}

TEST_CASE("a lifetime missing or not a number is a malformed answer") {
  for (const char* bad : {R"({})", R"({"expires_in":null})", R"({"expires_in":"1h"})",
                          R"({"expires_in":true})", R"({"expires_in":[3600]})"}) {
    CAPTURE(bad);
    const auto outcome = read(bad);
    REQUIRE_FALSE(outcome.ok());
    CHECK(outcome.error().code == "malformed_body");
    CHECK(outcome.error().kind == ErrorKind::transient);
  }
}

// The stop rule for a shop whose refresh token died: refuse, resume or go.

#include "shop_gate.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::daemon;

TEST_CASE("a stopped shop is refused with the token it was stopped with, resumed with another") {
  store::ShopFlags flags;
  CHECK(admit_shop(flags, "fp-a") == ShopAdmission::go);
  flags.refresh_fingerprint = "fp-a";
  CHECK(admit_shop(flags, "fp-b") == ShopAdmission::go); // not stopped: a new token is no news
  flags.stopped = true;
  CHECK(admit_shop(flags, "fp-a") == ShopAdmission::refuse);
  CHECK(admit_shop(flags, "fp-b") == ShopAdmission::resume);
  flags.refresh_fingerprint.clear(); // stopped before fingerprints were kept
  CHECK(admit_shop(flags, "fp-a") == ShopAdmission::resume);
}

TEST_CASE("a stop is tied to the refresh token, or to the access token when there is none") {
  config::ApiConfig api;
  api.access_token = "access-1";
  api.refresh_token = "refresh-1";
  CHECK(stop_key(api) == "refresh-1");
  api.refresh_token.clear();
  CHECK(stop_key(api) == "access-1");
}

TEST_CASE("the re-authorization hint names the credential and the config keys, never a token") {
  const std::string hint = reauthorize_hint();
  CHECK(hint.find("re-authorize") != std::string::npos);
  CHECK(hint.find("refresh_token credential") != std::string::npos);
  CHECK(hint.find("api.refresh_token_file") != std::string::npos);
}

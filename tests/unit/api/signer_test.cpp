#include "api/signer.hpp"

#include <doctest/doctest.h>

using taosync::api::Params;
using taosync::api::sign;

TEST_CASE("sign reproduces the published lazop test vector") {
  const Params params{{"access_token", "test"},
                      {"app_key", "123456"},
                      {"order_id", "1234"},
                      {"sign_method", "sha256"},
                      {"timestamp", "1517820392000"}};
  CHECK(sign("/order/get", params, "helloworld") ==
        "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A");
}

TEST_CASE("sign ignores an existing sign parameter and depends on every value") {
  Params params{{"app_key", "123456"}, {"timestamp", "1"}};
  const auto base = sign("/orders/get", params, "s");
  params["sign"] = "whatever";
  CHECK(sign("/orders/get", params, "s") == base);
  params["timestamp"] = "2";
  CHECK(sign("/orders/get", params, "s") != base);
  CHECK(sign("/orders/get", params, "t") != sign("/orders/get", params, "s"));
}

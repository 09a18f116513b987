#include "model/rules.hpp"

#include <doctest/doctest.h>

using namespace taosync::model;

TEST_CASE("decimal amounts are digits with an optional sign and fraction") {
  CHECK(is_decimal("62"));
  CHECK(is_decimal("-3"));
  CHECK(is_decimal("10.50"));
  CHECK_FALSE(is_decimal(""));
  CHECK_FALSE(is_decimal("1e5"));
  CHECK_FALSE(is_decimal("1."));
  CHECK_FALSE(is_decimal(".5"));
  CHECK_FALSE(is_decimal("NaN"));
  CHECK_FALSE(is_decimal("1,000"));
}

TEST_CASE("loopback hosts are localhost, ::1 and 127.x.y.z, nothing that only looks like it") {
  CHECK(is_loopback_host("localhost"));
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.3.4.5"));
  CHECK(is_loopback_host("::1"));
  CHECK(is_loopback_host("[::1]"));
  CHECK_FALSE(is_loopback_host("127.evil.example"));
  CHECK_FALSE(is_loopback_host("127.0.0.1.example"));
  CHECK_FALSE(is_loopback_host("10.0.0.1"));
  CHECK_FALSE(is_loopback_host("localhost.example"));
}

#include "store/db_errors.hpp"
#include "store/text_repair.hpp"

#include <doctest/doctest.h>

using namespace taosync::store;

TEST_CASE("clean text passes unchanged and bad bytes become U+FFFD") {
  CHECK(is_clean_text("淘寶台灣 abbyh "));
  CHECK_FALSE(is_clean_text(std::string("a\0b", 3)));
  CHECK_FALSE(is_clean_text("\xff"));
  CHECK_FALSE(is_clean_text("\xe6\xb7"));     // truncated sequence
  CHECK_FALSE(is_clean_text("\xed\xa0\x80")); // an encoded surrogate
  CHECK(clean_text(std::string("a\0b", 3)) == "a\uFFFDb");
  CHECK(clean_text("x\xffy淘") == "x\uFFFDy淘");
}

TEST_CASE("jsonb-unsafe escapes are replaced and escaped backslashes left alone") {
  CHECK(is_jsonb_safe(R"({"a":"\u00e9\ud83d\ude00"})"));
  CHECK_FALSE(is_jsonb_safe(R"({"a":"\u0000"})"));
  CHECK_FALSE(is_jsonb_safe(R"({"a":"\ud800x"})"));
  CHECK_FALSE(is_jsonb_safe(R"({"a":"\udc00"})"));
  CHECK(is_jsonb_safe(R"({"a":"\\u0000"})"));
  CHECK(jsonb_safe(R"({"a":"\u0000","b":"\\u0000","c":"\ud83d\ude00"})") ==
        R"({"a":"\ufffd","b":"\\u0000","c":"\ud83d\ude00"})");
}

TEST_CASE("decimal amounts are recognized") {
  CHECK(is_decimal("62"));
  CHECK(is_decimal("52.50"));
  CHECK(is_decimal("-1.5"));
  CHECK_FALSE(is_decimal(""));
  CHECK_FALSE(is_decimal("1e5"));
  CHECK_FALSE(is_decimal("12,5"));
  CHECK_FALSE(is_decimal("1."));
  CHECK_FALSE(is_decimal("NaN"));
}

TEST_CASE("array literals quote every item") {
  CHECK(array_literal({}) == "{}");
  CHECK(array_literal({"1", "a\"b", "c\\d"}) == R"({"1","a\"b","c\\d"})");
}

TEST_CASE("database urls are shown without their password") {
  CHECK(redacted_url("postgresql://taosync:s3cret@db.example:5432/taosync") ==
        "postgresql://taosync:***@db.example:5432/taosync");
  CHECK(redacted_url("postgresql://taosync@db/x?sslmode=require&password=s3cret") ==
        "postgresql://taosync@db/x?sslmode=require&password=***");
  CHECK(redacted_url("host=db user=t password='s3 cret' dbname=x") ==
        "host=db user=t password=*** dbname=x");
  CHECK(redacted_url("postgresql://postgres@127.0.0.1:5432/t_0") ==
        "postgresql://postgres@127.0.0.1:5432/t_0");
  CHECK(scrub_password("failed for s3cret at db", "postgresql://u:s3cret@db/x") ==
        "failed for *** at db");
  CHECK(scrub_password("no secret here", "postgresql://u@db/x") == "no secret here");
}

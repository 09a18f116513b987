// Text inside strings that no JSON parser decodes (lone or reversed surrogate escapes, raw
// control characters) is found, placed and overwritten with text of the same length.

#include "api/json_document.hpp"
#include "api/string_flaws.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace taosync::api;

TEST_CASE("a lone high or low surrogate escape is a flaw, a proper pair is not") {
  const std::string body = R"({"a":"x\ud800y","b":"\udc00","c":"\ud83d\ude00"})";
  REQUIRE_FALSE(JsonDocument(body).ok()); // why the body needs mending at all
  const auto mended = mend_string_flaws(body);
  REQUIRE(mended);
  REQUIRE(mended->flaws.size() == 2);
  CHECK(mended->flaws[0].at == body.find("\\ud800"));
  CHECK(mended->flaws[0].problem == "\\ud800, a high surrogate without its low half");
  CHECK(mended->flaws[1].at == body.find("\\udc00"));
  CHECK(mended->flaws[1].problem == "\\udc00, a low surrogate without its high half");
  CHECK(mended->text.size() == body.size());
  CHECK(mended->text == R"({"a":"x\ufffdy","b":"\ufffd","c":"\ud83d\ude00"})");
  CHECK(JsonDocument(mended->text).ok());
}

TEST_CASE("a reversed pair is two flaws") {
  const std::string body = R"({"buyer_full_name":"\udc00\ud800abbyh "})";
  const auto mended = mend_string_flaws(body);
  REQUIRE(mended);
  CHECK(mended->flaws.size() == 2);
  CHECK(JsonDocument(mended->text).ok());
}

TEST_CASE("a raw control character inside a string is a flaw; NUL is named as such") {
  const std::string body = std::string(R"({"a":"x)") + '\0' + R"(y","b":"p)" + '\x1f' + R"("})";
  REQUIRE_FALSE(JsonDocument(body).ok());
  const auto mended = mend_string_flaws(body);
  REQUIRE(mended);
  REQUIRE(mended->flaws.size() == 2);
  CHECK(mended->flaws[0].problem == "a raw NUL character");
  CHECK(mended->flaws[1].problem == "a raw control character (0x1F)");
  CHECK(JsonDocument(mended->text).ok());
}

TEST_CASE("escaped quotes, backslashes and keys are read as JSON reads them") {
  // \\ud800 is a backslash followed by text; \" does not end the string.
  CHECK_FALSE(mend_string_flaws(R"({"a":"\\ud800","b":"\"\ud800"})")->flaws.empty());
  CHECK(mend_string_flaws(R"({"a":"\\ud800","b":"q\"x"})") == std::nullopt);
  const auto in_key = mend_string_flaws(R"({"k\udfff":1})");
  REQUIRE(in_key);
  CHECK(in_key->flaws[0].at == 3);
}

TEST_CASE("a body that fails for another reason is not mended") {
  CHECK(mend_string_flaws(R"({"a":"x")") == std::nullopt);
  CHECK(mend_string_flaws(R"({"a":tru})") == std::nullopt);
}

TEST_CASE("a flaw is placed in the record whose bytes hold it") {
  const std::vector<StringFlaw> flaws = {{10, "x"}, {40, "y"}};
  CHECK(flaw_within(flaws, 0, 10) == nullptr);
  CHECK(flaw_within(flaws, 10, 20)->problem == "x");
  CHECK(flaw_within(flaws, 20, 41)->problem == "y");
}

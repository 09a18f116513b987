// Parsed documents borrow per-thread arenas; any number may be alive, in any order.

#include "api/json_document.hpp"

#include <doctest/doctest.h>

#include <memory>

using taosync::api::JsonDocument;

TEST_CASE("documents alive at once, freed out of order, keep their own values") {
  auto a = std::make_unique<JsonDocument>(R"({"v":"a"})");
  auto b = std::make_unique<JsonDocument>(R"({"v":"b"})");
  auto c = std::make_unique<JsonDocument>(R"({"v":"c"})"); // beyond the thread's arenas
  a.reset();                                               // not the last one made
  JsonDocument d(R"({"v":"d","pad":")" + std::string(4096, 'x') + R"("})");
  CHECK(b->root().at("v") == "b");
  CHECK(c->root().at("v") == "c");
  CHECK(d.root().at("v") == "d");
}

TEST_CASE("a body that is not JSON reports why, and the next one parses") {
  const JsonDocument bad(R"({"v":)");
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(bad.error().empty());
  const JsonDocument good(R"([1,2,3])");
  REQUIRE(good.ok());
  CHECK(good.root().as_array().size() == 3);
  CHECK_FALSE(JsonDocument("[1] [2]").ok()); // trailing data is refused
}

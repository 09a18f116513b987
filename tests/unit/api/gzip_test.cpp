// Compressed answers: the gzip codec, and the client asking for gzip and reading answers
// compressed or not.

#include "api/client.hpp"
#include "api/gzip.hpp"
#include "test_data.hpp"
#include "test_server.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::testing;

namespace {

// Runs `body` with a client for `server`; returns the ApiFailure it threw, if any.
std::optional<api::ApiError>
with_client(net::io_context& io, const config::ApiConfig& cfg,
            const std::function<net::awaitable<void>(api::Client&)>& body) {
  api::Client client(cfg, api::Tokens{"t", "r", {}, {}}, {});
  std::optional<api::ApiError> failure;
  run_coroutine(io, [&]() -> net::awaitable<void> {
    try {
      co_await body(client);
    } catch (const api::ApiFailure& e) {
      failure = e.error();
    }
  });
  return failure;
}

} // namespace

TEST_CASE("gzip and gunzip round-trip a listing page, which shrinks several times") {
  const std::string page = read_api_data("seed_orders_get_init.json");
  const std::string packed = api::gzip(page);
  CHECK(packed.size() * 2 < page.size());
  CHECK(api::gunzip(packed, page.size()) == page);
  CHECK(api::gunzip(api::gzip(""), 10).empty());
}

TEST_CASE("gunzip refuses a truncated or corrupt stream, and one that decodes past its limit") {
  const std::string page = read_api_data("seed_orders_get_init.json");
  const std::string packed = api::gzip(page);
  CHECK_THROWS_AS(api::gunzip(packed.substr(0, packed.size() / 2), 1 << 20), api::GzipError);
  std::string corrupt = packed;
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x5a);
  CHECK_THROWS_AS(api::gunzip(corrupt, 1 << 20), api::GzipError);
  CHECK_THROWS_AS(api::gunzip(packed, page.size() - 1), api::GzipTooLarge);
  CHECK_THROWS_AS(api::gunzip("not gzip at all", 1 << 20), api::GzipError);
}

TEST_CASE("accepts_gzip reads an Accept-Encoding header") {
  CHECK(api::accepts_gzip("gzip"));
  CHECK(api::accepts_gzip("deflate, GZIP;q=0.5"));
  CHECK(api::accepts_gzip("x-gzip"));
  CHECK_FALSE(api::accepts_gzip(""));
  CHECK_FALSE(api::accepts_gzip("identity"));
  CHECK_FALSE(api::accepts_gzip("gzip;q=0"));
  CHECK_FALSE(api::accepts_gzip("br, gzip;q=0.0"));
}

TEST_CASE("the client asks for gzip and parses a compressed answer and a plain one alike") {
  net::io_context io;
  int n = 0;
  TestServer server(io, [&](const SeenRequest&) {
    const std::string page = read_api_data("seed_orders_get_init.json");
    return ++n % 2 ? TestReply{200, api::gzip(page), {}, false, false, "gzip"}
                   : TestReply{200, page};
  });
  std::size_t compressed = 0, plain = 0;
  const auto failure =
      with_client(io, loopback_api_config(server), [&](api::Client& c) -> net::awaitable<void> {
        compressed = (co_await c.list_orders(api::OrdersQuery())).items.size();
        plain = (co_await c.list_orders(api::OrdersQuery())).items.size();
      });
  REQUIRE_FALSE(failure);
  CHECK(compressed == 2);
  CHECK(plain == 2);
  REQUIRE(server.requests().size() == 2);
  CHECK(server.requests()[0].accept_encoding == "gzip");
}

TEST_CASE("a compressed answer that will not decode is retried; one too large is refused") {
  net::io_context io;
  const std::string page = read_api_data("seed_orders_get_init.json");
  int n = 0;
  TestServer server(io, [&](const SeenRequest&) {
    const std::string packed = api::gzip(page);
    return ++n == 1 ? TestReply{200, packed.substr(0, packed.size() / 2), {}, false, false, "gzip"}
                    : TestReply{200, packed, {}, false, false, "gzip"};
  });
  auto cfg = loopback_api_config(server);
  auto failure = with_client(io, cfg, [](api::Client& c) -> net::awaitable<void> {
    co_await c.list_orders(api::OrdersQuery());
  });
  CHECK_FALSE(failure);
  CHECK(server.requests().size() == 2);

  cfg.max_response_bytes = page.size() - 1; // the compressed body fits; decoded, it does not
  failure = with_client(io, cfg, [](api::Client& c) -> net::awaitable<void> {
    co_await c.list_orders(api::OrdersQuery());
  });
  REQUIRE(failure);
  CHECK(failure->code == "response_too_large");
}

// Network failures and HTTP statuses become classified errors.

#include "api/network_error.hpp"

#include <doctest/doctest.h>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

using namespace taosync::api;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {
ApiError of(boost::system::error_code ec) {
  return network_error(ec, "read", "http://h:1");
}
} // namespace

TEST_CASE("network failures are transient with a code naming what happened") {
  CHECK(of(beast::error::timeout).code == "timeout");
  CHECK(of(net::error::connection_reset).code == "connection_reset");
  CHECK(of(http::error::end_of_stream).code == "connection_reset");
  CHECK(of(http::error::partial_message).code == "truncated_body");
  CHECK(of(net::error::connection_refused).code == "connection_refused");
  CHECK(of(net::error::host_not_found).code == "resolve_failed");
  CHECK(of(http::error::bad_version).code == "bad_http");
  for (auto ec : {boost::system::error_code(beast::error::timeout),
                  boost::system::error_code(http::error::partial_message)})
    CHECK(of(ec).kind == ErrorKind::transient);
  CHECK(of(beast::error::timeout).message.find("read http://h:1") != std::string::npos);
}

TEST_CASE("a response over the size limit is fatal and names the setting") {
  const auto e = of(http::error::body_limit);
  CHECK(e.kind == ErrorKind::fatal);
  CHECK(e.code == "response_too_large");
  CHECK(e.message.find("api.max_response_bytes") != std::string::npos);
}

TEST_CASE("HTTP statuses: 5xx and 408 transient, 429 throttled, other 4xx fatal") {
  CHECK(http_status_error(503, "/orders/get").kind == ErrorKind::transient);
  CHECK(http_status_error(503, "/orders/get").code == "http_503");
  CHECK(http_status_error(500, "/orders/get").kind == ErrorKind::transient);
  CHECK(http_status_error(408, "/orders/get").kind == ErrorKind::transient);
  CHECK(http_status_error(429, "/orders/get").kind == ErrorKind::throttled);
  CHECK(http_status_error(429, "/orders/get").ban == std::chrono::seconds(1));
  CHECK(http_status_error(404, "/orders/get").kind == ErrorKind::fatal);
}

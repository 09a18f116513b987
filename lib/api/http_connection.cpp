#include "api/http_connection.hpp"

#include "api/gzip.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>

namespace taosync::api {
namespace {

using tcp = net::ip::tcp;

// Runs `op` and turns a boost::system::system_error into a NetworkFailure of `stage`.
template <class Op> auto guarded(const char* stage, Op op) -> decltype(op()) {
  try {
    co_return co_await op();
  } catch (const boost::system::system_error& e) {
    throw NetworkFailure(e.code(), stage, false);
  }
}

// The resolver has no deadline of its own: a timer cancels it.
net::awaitable<tcp::resolver::results_type>
resolve(const Url& origin, HttpConnection::Deadline deadline, const model::Stop* stop) {
  auto executor = co_await net::this_coro::executor;
  auto resolver = std::make_shared<tcp::resolver>(executor);
  auto timer = std::make_shared<net::steady_timer>(executor, deadline);
  auto timed_out = std::make_shared<bool>(false);
  timer->async_wait([resolver, timed_out](boost::system::error_code ec) {
    if (!ec) {
      *timed_out = true;
      resolver->cancel();
    }
  });
  model::Stop::Registration registration;
  if (stop)
    registration = stop->on_request([resolver] { resolver->cancel(); });
  try {
    auto results = co_await resolver->async_resolve(origin.host, origin.port, net::use_awaitable);
    timer->cancel();
    co_return results;
  } catch (const boost::system::system_error& e) {
    timer->cancel();
    throw NetworkFailure(*timed_out ? beast::error::timeout : e.code(), "resolve", false);
  }
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// The body as sent, decompressed if the server gzipped it (we ask it to); a body that will not
// decode is a truncated one, one that decodes past `body_limit` is too large.
std::string decoded_body(http::response<http::string_body>& response, std::size_t body_limit) {
  const auto encoding = response[http::field::content_encoding];
  if (encoding.empty() || beast::iequals(encoding, "identity"))
    return std::move(response.body());
  if (!beast::iequals(encoding, "gzip") && !beast::iequals(encoding, "x-gzip"))
    throw NetworkFailure(http::error::bad_field, "decode", true);
  try {
    return gunzip(response.body(), body_limit);
  } catch (const GzipTooLarge&) {
    throw NetworkFailure(http::error::body_limit, "decode", true);
  } catch (const GzipError&) {
    throw NetworkFailure(http::error::partial_message, "decode", true);
  }
}

template <class Stream>
net::awaitable<HttpResponse> exchange_on(Stream& stream, beast::flat_buffer& buffer,
                                         const HttpConnection::Request& request,
                                         std::size_t body_limit, bool& keep_alive) {
  try {
    co_await http::async_write(stream, request, net::use_awaitable);
  } catch (const boost::system::system_error& e) {
    throw NetworkFailure(e.code(), "write", false);
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  try {
    co_await http::async_read(stream, buffer, parser, net::use_awaitable);
  } catch (const boost::system::system_error& e) {
    throw NetworkFailure(e.code(), "read", parser.got_some());
  }
  auto response = parser.release();
  keep_alive = response.keep_alive();
  std::string date(response[http::field::date]);
  co_return HttpResponse{response.result_int(), decoded_body(response, body_limit),
                         std::string(response[http::field::retry_after]), std::move(date)};
}

} // namespace

HttpConnection::HttpConnection(PlainStream stream) : stream_(std::move(stream)) {}
HttpConnection::HttpConnection(TlsStream stream) : stream_(std::move(stream)) {}

net::awaitable<std::unique_ptr<HttpConnection>> HttpConnection::open(ssl::context& tls,
                                                                     const Url& origin,
                                                                     Deadline deadline,
                                                                     const model::Stop* stop) {
  if (stop && stop->requested())
    throw NetworkFailure(net::error::operation_aborted, "connect", false);
  const auto endpoints = co_await resolve(origin, deadline, stop);
  beast::tcp_stream tcp(co_await net::this_coro::executor);
  tcp.expires_at(deadline);
  // Until the connection is handed over, a stop closes the socket being set up here.
  model::Stop::Registration registration;
  if (stop)
    registration = stop->on_request([&tcp] { tcp.cancel(); });
  co_await guarded("connect", [&]() -> net::awaitable<void> {
    co_await tcp.async_connect(endpoints, net::use_awaitable);
  });
  tcp.socket().set_option(tcp::no_delay(true)); // one small request, then wait: no Nagle
  if (!origin.tls())
    co_return std::unique_ptr<HttpConnection>(new HttpConnection(std::move(tcp)));

  registration = {};
  TlsStream stream(std::move(tcp), tls);
  if (stop)
    registration = stop->on_request([&stream] { beast::get_lowest_layer(stream).cancel(); });
  // SNI takes a host name, never an address literal (RFC 6066).
  if (!is_ip_literal(origin.host) &&
      !SSL_set_tlsext_host_name(stream.native_handle(), origin.host.c_str()))
    throw NetworkFailure(boost::system::error_code(static_cast<int>(::ERR_get_error()),
                                                   net::error::get_ssl_category()),
                         "tls handshake", false);
  stream.set_verify_callback(ssl::host_name_verification(origin.host));
  beast::get_lowest_layer(stream).expires_at(deadline);
  co_await guarded("tls handshake", [&]() -> net::awaitable<void> {
    co_await stream.async_handshake(ssl::stream_base::client, net::use_awaitable);
  });
  co_return std::unique_ptr<HttpConnection>(new HttpConnection(std::move(stream)));
}

void HttpConnection::close() {
  std::visit([](auto& stream) { beast::get_lowest_layer(stream).close(); }, stream_);
}

net::awaitable<HttpResponse> HttpConnection::exchange(const Request& request,
                                                      std::size_t body_limit, Deadline deadline) {
  keep_alive_ = false;
  if (auto* plain = std::get_if<PlainStream>(&stream_)) {
    plain->expires_at(deadline);
    co_return co_await exchange_on(*plain, buffer_, request, body_limit, keep_alive_);
  }
  auto& secure = std::get<TlsStream>(stream_);
  beast::get_lowest_layer(secure).expires_at(deadline);
  co_return co_await exchange_on(secure, buffer_, request, body_limit, keep_alive_);
}

} // namespace taosync::api

#pragma once
// One keep-alive HTTP/1.1 connection, plain or TLS, with a deadline on every operation.

#include "api/url.hpp"
#include "model/stop.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

namespace taosync::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;

/// A response: status, body, and the headers the client acts on.
struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::string retry_after; ///< the Retry-After header as sent ("" when absent)
  std::string date;        ///< the server's `Date` header ("" when absent)
};

/// A failed network operation: the error, the stage it happened in, and whether any byte of
/// a response had arrived (a stale keep-alive connection fails before any).
class NetworkFailure : public std::runtime_error {
public:
  NetworkFailure(boost::system::error_code ec, const char* stage, bool got_response)
      : std::runtime_error(std::string(stage) + ": " + ec.message()), ec_(ec), stage_(stage),
        got_response_(got_response) {}
  /// The error code of the failed operation.
  const boost::system::error_code& code() const { return ec_; }
  /// "resolve", "connect", "tls handshake", "write", "read" or "decode" (a gzip body).
  const char* stage() const { return stage_; }
  /// True once a byte of the response had been read.
  bool got_response() const { return got_response_; }

private:
  boost::system::error_code ec_;
  const char* stage_;
  bool got_response_;
};

/// A connection to one origin. Use it from one coroutine at a time.
class HttpConnection {
public:
  using Deadline = std::chrono::steady_clock::time_point;
  using Request = http::request<http::empty_body>;

  /// Resolves, connects and (for https) handshakes with SNI and host-name verification, all
  /// before `deadline`. Throws NetworkFailure; a request of `stop` aborts it (operation_aborted).
  static net::awaitable<std::unique_ptr<HttpConnection>>
  open(ssl::context& tls, const Url& origin, Deadline deadline, const model::Stop* stop = nullptr);

  /// Sends `request` and reads the whole response, refusing a body over `body_limit`, all
  /// before `deadline`. Throws NetworkFailure.
  net::awaitable<HttpResponse> exchange(const Request& request, std::size_t body_limit,
                                        Deadline deadline);

  /// True when the last response lets the connection be reused.
  bool keep_alive() const { return keep_alive_; }

  /// Closes the socket: an exchange in progress fails at once with operation_aborted.
  void close();

private:
  using PlainStream = beast::tcp_stream;
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;

  explicit HttpConnection(PlainStream stream);
  explicit HttpConnection(TlsStream stream);

  std::variant<PlainStream, TlsStream> stream_;
  beast::flat_buffer buffer_;
  bool keep_alive_ = false;
};

} // namespace taosync::api

#pragma once
// A tiny Beast HTTP(S) server for client tests: it runs on the test's io_context, answers
// each request through a handler, and counts connections and requests.

#include "api/signer.hpp"
#include "config/config.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace taosync::testing {

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

/// What the server does with one request.
struct TestReply {
  unsigned status = 200;
  std::string body;
  std::chrono::milliseconds delay{0}; ///< wait before answering (a stall)
  bool close_after = false;           ///< close the socket after answering, without saying so
  bool truncate = false;              ///< announce the full length, send half, close
  std::string content_encoding{};     ///< sent as Content-Encoding when not empty (body as is)
  std::string retry_after{};          ///< sent as Retry-After when not empty
};

/// One request as the server saw it.
struct SeenRequest {
  std::string path;                          ///< target without the query
  std::map<std::string, std::string> params; ///< URL-decoded query
  std::chrono::steady_clock::time_point at;
  std::string accept_encoding{}; ///< the request's Accept-Encoding header
};

using TestHandler = std::function<TestReply(const SeenRequest&)>;

/// Listens on 127.0.0.1:<free port>; with `tls`, speaks HTTPS with that context.
class TestServer {
public:
  TestServer(net::io_context& io, TestHandler handler, ssl::context* tls = nullptr);
  /// The port it listens on.
  unsigned short port() const { return port_; }
  /// TCP connections accepted so far.
  int connections() const { return connections_; }
  /// Every request received, in order.
  const std::vector<SeenRequest>& requests() const { return requests_; }
  /// True when `request` carries a valid lazop signature for `secret`.
  static bool signature_valid(const SeenRequest& request, const std::string& api_path,
                              const std::string& secret);

private:
  net::awaitable<void> accept_loop();
  template <class Stream> net::awaitable<void> serve(Stream& stream);
  net::awaitable<void> session(net::ip::tcp::socket socket);

  TestHandler handler_;
  ssl::context* tls_;
  net::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  int connections_ = 0;
  std::vector<SeenRequest> requests_;
};

/// Runs `body` on `io` until it finishes (at most `limit`), rethrowing what it threw.
void run_coroutine(net::io_context& io, std::function<net::awaitable<void>()> body,
                   std::chrono::seconds limit = std::chrono::seconds(30));

/// A client config for `server` over plain http on loopback: quick timeouts and retries, a
/// rate limit that never throttles. Tests change what they exercise.
config::ApiConfig loopback_api_config(const TestServer& server);

} // namespace taosync::testing

#pragma once
// Keep-alive connections, pooled per origin and reused, so calls pay no handshake.

#include "api/http_connection.hpp"
#include "api/outcome.hpp"

#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace taosync::api {

/// Per-request limits (api.timeout, api.max_response_bytes).
struct HttpLimits {
  std::chrono::milliseconds timeout{}; ///< connect + write + read
  std::size_t max_response_bytes{};
};

/// Hands each request a connection: an idle one of its origin, else a new one. A connection
/// goes back to the pool after a keep-alive response and is dropped after any failure.
/// Concurrent requests each get their own connection. Single-threaded: use it from
/// coroutines of one executor.
class ConnectionPool {
public:
  /// `ca_file` (PEM) replaces the system's CAs for https; `max_idle` caps idle connections
  /// kept per origin (set it to the number of calls in flight).
  ConnectionPool(const std::optional<std::string>& ca_file, std::size_t max_idle);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  /// GET `target` ("/rest/orders/get?...") from `origin`. Network failures come back as
  /// classified ApiErrors; any HTTP status comes back as a response. A request of `stop`
  /// closes the connection in use, so the request fails at once (code "network_error"). `sent`, if
  /// given, counts the requests that left (a stale keep-alive connection sends it twice).
  net::awaitable<Outcome<HttpResponse>> get(const Url& origin, const std::string& target,
                                            const HttpLimits& limits,
                                            const model::Stop* stop = nullptr,
                                            std::uint64_t* sent = nullptr);

  /// Changes how many idle connections are kept per origin.
  void set_max_idle(std::size_t max_idle);

  /// Requests sent so far, including one re-sent after a stale keep-alive connection.
  std::uint64_t requests_sent() const { return sent_; }

private:
  std::unique_ptr<HttpConnection> take_idle(const std::string& origin);
  void put_idle(const std::string& origin, std::unique_ptr<HttpConnection> connection);

  ssl::context tls_;
  std::size_t max_idle_;
  std::map<std::string, std::vector<std::unique_ptr<HttpConnection>>> idle_;
  std::uint64_t sent_ = 0;
};

} // namespace taosync::api

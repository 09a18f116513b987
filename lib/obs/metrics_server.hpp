#pragma once
// The Prometheus endpoint: GET /metrics (text exposition) and GET /healthz (200 or 503), a
// tiny Beast HTTP/1.1 server on the main io_context.

#include "obs/metrics.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <string>

namespace taosync::obs {

namespace net = boost::asio;

/// /healthz's rule (health_problem): no database job pending longer than `healthy_within`,
/// and the last successful cycle younger than it or an init moving forward within it.
bool is_healthy(const Metrics& m, std::chrono::milliseconds healthy_within);

/// Parses "127.0.0.1:9464" or "[::1]:9464"; throws std::invalid_argument naming the text.
net::ip::tcp::endpoint parse_listen(const std::string& listen);

class MetricsServer {
public:
  /// Binds and listens now; throws std::system_error naming the address if that fails.
  MetricsServer(net::any_io_executor executor, const std::string& listen, Metrics& metrics,
                std::chrono::milliseconds healthy_within);

  /// Accepts connections until stop(); each is served on its own coroutine.
  net::awaitable<void> run();
  /// The bound port (useful with port 0).
  unsigned short port() const;
  /// Applies a reloaded metrics.healthy_within.
  void set_healthy_within(std::chrono::milliseconds d) { healthy_within_ms_ = d.count(); }
  /// Closes the listening socket; run() returns.
  void stop();

private:
  net::awaitable<void> serve(net::ip::tcp::socket socket);

  net::ip::tcp::acceptor acceptor_;
  Metrics& metrics_;
  std::atomic<std::chrono::milliseconds::rep> healthy_within_ms_;
};

} // namespace taosync::obs

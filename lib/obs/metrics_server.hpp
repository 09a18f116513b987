#pragma once
// The Prometheus endpoint: GET /metrics (text exposition), GET /healthz (200 or 503) and, once
// a status source is set, the status page (GET /) and its document (GET /status.json); a
// tiny Beast HTTP/1.1 server on the main io_context. It holds at most max_connections
// connections, closes one that sends nothing for read_timeout, and backs off when accept()
// fails, so a flood of idle clients can neither exhaust descriptors nor make it spin.

#include "config/config.hpp"
#include "model/backoff.hpp"
#include "obs/log_throttle.hpp"
#include "obs/metrics.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace taosync::obs {

namespace net = boost::asio;

/// /healthz's decision: why the daemon is unhealthy, or nullopt. Unhealthy while a database
/// job (a write transaction in flight, or failing and retried) has been pending longer than
/// `healthy_within`, or when a shop this daemon syncs had its last successful cycle longer
/// ago than that and no init of it is moving forward within it (an init waiting its turn is
/// not late), or while the platform's clock is further from the host's than
/// sync.clock.unhealthy_offset (the problem Metrics::set_platform_clock was given).
std::optional<std::string> health_problem(const Metrics& m,
                                          std::chrono::milliseconds healthy_within);

/// /healthz's rule (health_problem): no database job pending longer than `healthy_within`,
/// and the last successful cycle younger than it or an init moving forward within it. A ban of
/// known length in force excuses the cycle (see obs/api_ban.hpp), never a blocked database.
bool is_healthy(const Metrics& m, std::chrono::milliseconds healthy_within);

/// Parses "127.0.0.1:9464" or "[::1]:9464"; throws std::invalid_argument naming the text.
net::ip::tcp::endpoint parse_listen(const std::string& listen);

/// The wait after a failed accept(): EMFILE and ENFILE last until some descriptor is closed,
/// so retrying at once would only spin. 100 ms, doubling up to 1 s; 100 ms again after a
/// success.
inline constexpr model::BackoffSettings kAcceptBackoff{.initial = std::chrono::milliseconds(100),
                                                       .cap = std::chrono::milliseconds(1000)};

/// Connection limits of the endpoint (metrics.max_connections, metrics.read_timeout).
struct MetricsServerLimits {
  std::size_t max_connections{};
  std::chrono::milliseconds read_timeout{}; ///< per request, and idle

  /// The limits of `metrics`.
  static MetricsServerLimits from(const config::MetricsConfig& metrics);
};

/// Produces the status document (daemon/status_document.hpp) on the server's executor.
using StatusSource = std::function<net::awaitable<boost::json::value>()>;

class MetricsServer {
public:
  /// Binds and listens now; throws std::system_error naming the address if that fails.
  MetricsServer(net::any_io_executor executor, const std::string& listen, Metrics& metrics,
                std::chrono::milliseconds healthy_within,
                MetricsServerLimits limits = MetricsServerLimits::from({}));

  /// Accepts connections until stop(); each is served on its own coroutine.
  net::awaitable<void> run();
  /// The bound port (useful with port 0).
  unsigned short port() const;
  /// Applies a reloaded metrics.healthy_within.
  void set_healthy_within(std::chrono::milliseconds d) { healthy_within_ms_ = d.count(); }
  /// Serves / (the HTML page) and /status.json from `source` from now on.
  void set_status_source(StatusSource source) { status_ = std::move(source); }
  /// Closes the listening socket; run() returns.
  void stop();
  /// Connections being served now.
  std::size_t connections() const { return connections_.load(); }

private:
  net::awaitable<void> serve(net::ip::tcp::socket socket);
  /// Waits until a connection ends (or stop()).
  net::awaitable<void> wait_for_slot();
  void connection_ended();

  net::ip::tcp::acceptor acceptor_;
  Metrics& metrics_;
  std::atomic<std::chrono::milliseconds::rep> healthy_within_ms_;
  MetricsServerLimits limits_;
  std::atomic<std::size_t> connections_{0}; ///< changed on the executor's thread only
  net::steady_timer slot_freed_;            ///< cancelled whenever a connection ends
  LogThrottle accept_log_;
  StatusSource status_; ///< empty: / and /status.json are not served
};

} // namespace taosync::obs

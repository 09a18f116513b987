#include "obs/metrics_server.hpp"

#include "obs/api_ban.hpp"
#include "obs/redact.hpp"
#include "obs/status_page.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace taosync::obs {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

http::response<http::string_body> respond(const http::request<http::string_body>& req,
                                          const Metrics& metrics,
                                          std::chrono::milliseconds healthy_within) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(http::field::server, "taosyncd");
  const std::string target(req.target().substr(0, req.target().find('?')));
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    res.result(http::status::method_not_allowed);
    res.set(http::field::allow, "GET, HEAD");
    res.body() = "method not allowed\n";
  } else if (target == "/metrics") {
    res.result(http::status::ok);
    res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.body() = metrics.render();
  } else if (target == "/healthz") {
    const auto now = std::chrono::system_clock::now();
    const auto ban = api_ban().in_force(now);
    auto problem = health_problem(metrics, healthy_within);
    // A ban of known length is a deliberate wait: it excuses a cycle that cannot finish, never
    // a database job blocked past the limit.
    const auto pending = metrics.longest_db_pending();
    if (ban && !(pending && pending->age > healthy_within))
      problem.reset();
    res.result(problem ? http::status::service_unavailable : http::status::ok);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = problem ? "unhealthy: " + *problem + "\n"
                 : ban   ? "ok: " + describe_ban(*ban, now) + "\n"
                         : "ok\n";
  } else {
    res.result(http::status::not_found);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "not found; try /, /status.json, /metrics or /healthz\n";
  }
  res.prepare_payload();
  if (req.method() == http::verb::head)
    res.body().clear();
  return res;
}

/// True for the status page's targets: "/" and "/status.json".
bool is_status_target(const http::request<http::string_body>& req) {
  const auto target = req.target().substr(0, req.target().find('?'));
  return (req.method() == http::verb::get || req.method() == http::verb::head) &&
         (target == "/" || target == "/status.json");
}

/// The page or the document, from `source`; 503 naming the reason if it failed.
net::awaitable<http::response<http::string_body>>
status_response(const http::request<http::string_body>& req, const StatusSource& source) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(http::field::server, "taosyncd");
  res.set(http::field::cache_control, "no-store");
  const bool as_json = req.target().substr(0, req.target().find('?')) == "/status.json";
  std::string failure;
  try {
    const boost::json::value document = co_await source();
    res.result(http::status::ok);
    if (as_json) {
      res.set(http::field::content_type, "application/json");
      res.body() = boost::json::serialize(document) + "\n";
    } else {
      res.set(http::field::content_type, "text/html; charset=utf-8");
      res.body() = render_status_page(document);
    }
  } catch (const std::exception& e) {
    failure = redact(e.what());
  }
  if (!failure.empty()) {
    res.result(http::status::service_unavailable);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "status unavailable: " + failure + "\n";
  }
  res.prepare_payload();
  if (req.method() == http::verb::head)
    res.body().clear();
  co_return res;
}

} // namespace

std::optional<std::string> health_problem(const Metrics& m,
                                          std::chrono::milliseconds healthy_within) {
  const std::string limit = config::format_duration(healthy_within);
  const auto pending = m.longest_db_pending();
  // "database write blocked for 12s", then what blocks it (if seen) after `middle`.
  auto describe = [&](const std::string& middle) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(pending->age);
    return "database " + pending->who + " blocked for " + std::to_string(secs.count()) + "s" +
           middle + (pending->blocker.empty() ? "" : " " + pending->blocker);
  };
  if (pending && pending->age > healthy_within)
    return describe(" (longer than metrics.healthy_within " + limit + ")") +
           (pending->blocker.empty()
                ? "; nothing seen holding a lock on it: the database is slow or unreachable"
                : "");
  if (auto clock = m.platform_clock(); !clock.problem.empty())
    return clock.problem;
  const double limit_s = std::chrono::duration<double>(healthy_within).count();
  // Every shop this daemon syncs must be fresh; one that is not is named (the first, and how
  // many more). A daemon syncing no shop is healthy only as a standby: its lease keeper has
  // looked and holds none (its peers hold them all).
  const auto shops = m.freshness();
  if (shops.empty()) {
    const auto leases = m.leases_held();
    if (leases && *leases == 0)
      return std::nullopt;
    return leases ? "holding " + std::to_string(*leases) + " shop lease(s), no shop syncing yet"
                  : std::string("no shop syncing yet");
  }
  std::vector<std::string> stale;
  for (const Metrics::ShopFreshness& shop : shops) {
    const bool fresh = shop.waiting || shop.since_success < limit_s ||
                       (shop.init_in_progress && shop.since_init_progress < limit_s);
    if (!fresh)
      stale.push_back(shop.shop);
  }
  if (stale.empty())
    return std::nullopt;
  // A write pending for less than the limit can still be why no cycle completed.
  std::string which = "shop " + stale.front();
  if (stale.size() > 1)
    which += " and " + std::to_string(stale.size() - 1) + " more";
  return "no successful sync cycle within metrics.healthy_within (" + limit + ") for " + which +
         (pending ? "; " + describe("") : "");
}

bool is_healthy(const Metrics& m, std::chrono::milliseconds healthy_within) {
  return !health_problem(m, healthy_within).has_value();
}

tcp::endpoint parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw std::invalid_argument("metrics.listen: expected HOST:PORT, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec)
    throw std::invalid_argument("metrics.listen: bad address '" + host + "'");
  return {address, static_cast<unsigned short>(std::stoul(listen.substr(colon + 1)))};
}

MetricsServer::MetricsServer(net::any_io_executor executor, const std::string& listen,
                             Metrics& metrics, std::chrono::milliseconds healthy_within,
                             MetricsServerLimits limits)
    : acceptor_(executor), metrics_(metrics), healthy_within_ms_(healthy_within.count()),
      limits_(limits), slot_freed_(executor) {
  limits_.max_connections = std::max<std::size_t>(limits_.max_connections, 1);
  const tcp::endpoint ep = parse_listen(listen);
  try {
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
  } catch (const boost::system::system_error& e) {
    throw std::system_error(e.code(), "metrics endpoint " + listen);
  }
}

unsigned short MetricsServer::port() const {
  return acceptor_.local_endpoint().port();
}

void MetricsServer::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  slot_freed_.cancel();
}

void MetricsServer::connection_ended() {
  --connections_;
  slot_freed_.cancel();
}

net::awaitable<void> MetricsServer::wait_for_slot() {
  slot_freed_.expires_at(net::steady_timer::time_point::max());
  // operation_aborted is the wake-up: a connection ended, or stop() was called.
  co_await slot_freed_.async_wait(net::as_tuple(net::use_awaitable));
}

net::awaitable<void> MetricsServer::run() {
  model::Backoff backoff(kAcceptBackoff);
  net::steady_timer pause(acceptor_.get_executor());
  while (acceptor_.is_open()) {
    // At the cap, leave new clients in the listen backlog rather than take a descriptor each.
    if (connections_ >= limits_.max_connections) {
      co_await wait_for_slot();
      continue;
    }
    // operation_aborted is expected when stop() closes the acceptor.
    auto [ec, socket] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
    if (ec == net::error::operation_aborted || !acceptor_.is_open())
      break;
    if (ec) {
      // EMFILE/ENFILE persist until a descriptor is freed: wait instead of spinning, and say
      // so once per interval rather than once per attempt.
      const auto wait = backoff.next();
      accept_log_.log(spdlog::level::warn, ec.message(),
                      "metrics endpoint: accept failed: " + ec.message() + "; retrying in " +
                          std::to_string(wait.count()) + " ms");
      pause.expires_after(wait);
      co_await pause.async_wait(net::as_tuple(net::use_awaitable));
      continue;
    }
    backoff.reset();
    ++connections_;
    net::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), [this](std::exception_ptr e) {
      connection_ended();
      if (!e)
        return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::debug("metrics endpoint: connection ended: {}", ex.what());
      }
    });
  }
}

net::awaitable<void> MetricsServer::serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    // The deadline covers the whole request, so an idle or trickling client is dropped too.
    stream.expires_after(limits_.read_timeout);
    // end_of_stream is the client closing a keep-alive connection: a normal end.
    auto [ec, n] =
        co_await http::async_read(stream, buffer, req, net::as_tuple(net::use_awaitable));
    if (ec == http::error::end_of_stream)
      break;
    if (ec)
      throw boost::system::system_error(ec);
    http::response<http::string_body> res;
    if (status_ && is_status_target(req))
      res = co_await status_response(req, status_);
    else
      res = respond(req, metrics_, std::chrono::milliseconds(healthy_within_ms_.load()));
    const bool keep_alive = res.keep_alive();
    stream.expires_after(limits_.read_timeout);
    co_await http::async_write(stream, res, net::use_awaitable);
    if (!keep_alive)
      break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

MetricsServerLimits MetricsServerLimits::from(const config::MetricsConfig& metrics) {
  return MetricsServerLimits{static_cast<std::size_t>(metrics.max_connections),
                             metrics.read_timeout};
}

} // namespace taosync::obs

#include "obs/metrics_server.hpp"

#include "obs/health.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace taosync::obs {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kRequestDeadline = std::chrono::seconds(10);

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
    const auto problem = health_problem(metrics, healthy_within);
    res.result(problem ? http::status::service_unavailable : http::status::ok);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = problem ? "unhealthy: " + *problem + "\n" : "ok\n";
  } else {
    res.result(http::status::not_found);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "not found; try /metrics or /healthz\n";
  }
  res.prepare_payload();
  if (req.method() == http::verb::head)
    res.body().clear();
  return res;
}

} // namespace

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
                             Metrics& metrics, std::chrono::milliseconds healthy_within)
    : acceptor_(executor), metrics_(metrics), healthy_within_ms_(healthy_within.count()) {
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
}

net::awaitable<void> MetricsServer::run() {
  while (acceptor_.is_open()) {
    // operation_aborted is expected when stop() closes the acceptor.
    auto [ec, socket] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
    if (ec == net::error::operation_aborted || !acceptor_.is_open())
      break;
    if (ec) {
      spdlog::warn("metrics endpoint: accept failed: {}", ec.message());
      continue;
    }
    net::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), [](std::exception_ptr e) {
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
    stream.expires_after(kRequestDeadline);
    // end_of_stream is the client closing a keep-alive connection: a normal end.
    auto [ec, n] =
        co_await http::async_read(stream, buffer, req, net::as_tuple(net::use_awaitable));
    if (ec == http::error::end_of_stream)
      break;
    if (ec)
      throw boost::system::system_error(ec);
    auto res = respond(req, metrics_, std::chrono::milliseconds(healthy_within_ms_.load()));
    const bool keep_alive = res.keep_alive();
    stream.expires_after(kRequestDeadline);
    co_await http::async_write(stream, res, net::use_awaitable);
    if (!keep_alive)
      break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

} // namespace taosync::obs

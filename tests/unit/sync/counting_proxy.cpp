#include "counting_proxy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace taosync::sync::test {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace net::experimental::awaitable_operators;

namespace {

// Copies `from` to `to` until either side closes; then closes both, ending the other copy.
net::awaitable<void> pump(tcp::socket& from, tcp::socket& to) {
  std::array<char, 16384> buf{};
  for (;;) {
    // as_tuple: an end of stream or a reset is how a relayed connection ends, not a failure
    auto [read_error, n] =
        co_await from.async_read_some(net::buffer(buf), net::as_tuple(net::use_awaitable));
    if (read_error)
      break;
    auto [write_error, written] =
        co_await net::async_write(to, net::buffer(buf, n), net::as_tuple(net::use_awaitable));
    (void)written;
    if (write_error)
      break;
  }
  boost::system::error_code ignored;
  from.close(ignored);
  to.close(ignored);
}

} // namespace

CountingProxy::CountingProxy(std::uint16_t target)
    : acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)), target_(target) {
  port_ = acceptor_.local_endpoint().port();
  net::co_spawn(ioc_, accept_loop(), net::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

CountingProxy::~CountingProxy() {
  ioc_.stop();
  thread_.join();
}

net::awaitable<void> CountingProxy::accept_loop() {
  for (;;) {
    tcp::socket client = co_await acceptor_.async_accept(net::use_awaitable);
    ++accepted_;
    net::co_spawn(ioc_, relay(std::move(client)), net::detached);
  }
}

net::awaitable<void> CountingProxy::relay(tcp::socket client) {
  ++open_;
  peak_ = std::max(peak_.load(), open_);
  tcp::socket server(ioc_);
  const tcp::endpoint target(net::ip::make_address("127.0.0.1"), target_);
  auto [error] = co_await server.async_connect(target, net::as_tuple(net::use_awaitable));
  if (!error) {
    co_await (pump(client, server) && pump(server, client));
  }
  --open_;
}

} // namespace taosync::sync::test

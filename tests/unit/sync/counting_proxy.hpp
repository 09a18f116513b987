#pragma once
// A TCP relay between a client and a server that counts the connections open through it, so
// a test can see how many calls a client really had in flight at once (a keep-alive pool opens
// a connection only when every one it holds is busy).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <cstdint>
#include <thread>

namespace taosync::sync::test {

/// Relays 127.0.0.1:<port()> to 127.0.0.1:<target> on its own thread until destroyed.
class CountingProxy {
public:
  explicit CountingProxy(std::uint16_t target);
  ~CountingProxy();
  CountingProxy(const CountingProxy&) = delete;
  CountingProxy& operator=(const CountingProxy&) = delete;

  /// The port clients connect to.
  std::uint16_t port() const { return port_; }
  /// The most connections that were open at the same time.
  int peak_open() const { return peak_.load(); }
  /// Connections accepted so far.
  int accepted() const { return accepted_.load(); }

private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> relay(boost::asio::ip::tcp::socket client);

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t target_;
  std::uint16_t port_ = 0;
  int open_ = 0; // touched only on ioc_'s thread
  std::atomic<int> peak_ = 0;
  std::atomic<int> accepted_ = 0;
  std::thread thread_;
};

} // namespace taosync::sync::test

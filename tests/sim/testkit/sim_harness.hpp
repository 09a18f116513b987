#pragma once
// Runs a Simulator in-process on its own thread, for tests and the benchmark.

#include "server.hpp"

#include <boost/asio/io_context.hpp>

#include <thread>

namespace taosync::sim::testkit {

/// A simulator serving on 127.0.0.1:<port()> until destroyed.
class SimHarness {
public:
  explicit SimHarness(SimOptions options);
  ~SimHarness();
  SimHarness(const SimHarness&) = delete;
  SimHarness& operator=(const SimHarness&) = delete;

  /// The port it listens on.
  std::uint16_t port() const { return port_; }

private:
  Simulator sim_; // declared before the io_context: coroutine frames die first
  boost::asio::io_context ioc_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

} // namespace taosync::sim::testkit

#pragma once
// The simulator's HTTP/1.1 server (Boost.Beast, keep-alive, one io_context thread) and its
// lifecycle timer.

#include "options.hpp"
#include "state.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <memory>

namespace taosync::sim {

namespace net = boost::asio;

/// A running simulator: its state, a listener and the lifecycle timer, all on one io_context.
/// Destroy the io_context before the Simulator (its coroutines refer to the state).
class Simulator {
public:
  /// Generates the data (may take a moment for millions of orders).
  explicit Simulator(SimOptions options);

  /// Binds the listener and starts accepting and the lifecycle timer on `ioc`. Returns the
  /// bound port.
  std::uint16_t start(net::io_context& ioc);

  /// The state (only touch it from the io_context's thread, or before start()).
  SimState& state() { return *state_; }

private:
  std::unique_ptr<SimState> state_;
};

} // namespace taosync::sim

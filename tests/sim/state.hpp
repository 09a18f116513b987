#pragma once
// Everything the simulator knows at run time, shared by its HTTP handlers and timers. Used
// from the io_context's single thread only.

#include "gate.hpp"
#include "options.hpp"
#include "prng.hpp"
#include "shop.hpp"
#include "stats.hpp"
#include "throttle.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace taosync::sim {

/// Milliseconds since the epoch on the wall clock.
std::int64_t wall_ms();

/// The simulator's state.
class SimState {
public:
  /// Generates the shop; `options.anchor_ms` < 0 means "now".
  explicit SimState(SimOptions options);

  const SimOptions& options() const { return options_; }
  LiveSettings& live() { return live_; }
  const LiveSettings& live() const { return live_; }
  Shop& shop() { return shop_; }
  const Shop& shop() const { return shop_; }
  TokenBook& tokens() { return tokens_; }
  const GateConfig& gate() const { return gate_; }
  Stats& stats() { return stats_; }
  Throttle& throttle() { return throttle_; }
  Prng& fault_rng() { return fault_rng_; }
  Prng& latency_rng() { return latency_rng_; }

  /// The liar of one response: the live lie rates, the lie stream and the stats.
  Liar liar() { return Liar(live_.lies, lie_rng_, stats_); }

  /// Applies the rate-limit settings of live() to the throttle.
  void apply_rate_limit();

  /// Applies n lifecycle changes now, or defers them while the truth is being streamed.
  /// Returns the number applied (0 when deferred).
  std::int64_t mutate(std::int64_t n);

  /// Runs the arrival and change processes up to now (called by a timer).
  void tick();

  /// While frozen (a /_sim/truth stream is running) the data does not change.
  void freeze() { ++frozen_; }
  void thaw();

  /// A request id in the platform's style: "0b" + 6 hex + epoch ms + 4 digits.
  std::string next_request_id();

private:
  std::int64_t change_event(std::int64_t now);

  SimOptions options_;
  LiveSettings live_;
  Shop shop_;
  TokenBook tokens_;
  GateConfig gate_;
  Stats stats_;
  Throttle throttle_;
  Prng fault_rng_;
  Prng latency_rng_;
  Prng lie_rng_;
  Prng process_rng_;
  int frozen_ = 0;
  std::int64_t deferred_ = 0;
  std::uint64_t requests_ = 0;
  std::uint64_t change_events_ = 0;
  double next_arrival_s_ = -1; // seconds on the steady clock; < 0 = not scheduled
  double next_change_s_ = -1;
  double arrivals_rate_ = 0;
  double changes_rate_ = 0;
};

} // namespace taosync::sim

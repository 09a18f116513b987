#pragma once
// Everything the simulator knows at run time, shared by its HTTP handlers and timers. Used
// from the io_context's single thread only.

#include "gate.hpp"
#include "options.hpp"
#include "prng.hpp"
#include "seller.hpp"
#include "stats.hpp"
#include "throttle.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::sim {

/// Milliseconds since the epoch on the platform's clock: the host's plus the clock offset.
std::int64_t wall_ms();

/// Sets the platform's clock minus the host's (--clock-offset, "clock_offset_ms"). One
/// platform clock per process: the tests that run simulators in-process never set it.
void set_platform_clock_offset(std::chrono::milliseconds offset);

/// The simulator's state: one app (gateway settings, rate limit, faults, lies, stats) and its
/// sellers.
class SimState {
public:
  /// Generates every seller's shop; `options.anchor_ms` < 0 means "now".
  explicit SimState(SimOptions options);

  const SimOptions& options() const { return options_; }
  LiveSettings& live() { return live_; }
  const LiveSettings& live() const { return live_; }

  /// Every seller, in order (shop-1 first).
  const std::vector<std::unique_ptr<Seller>>& sellers() const { return sellers_; }
  /// The first seller: the one admin endpoints mean when they name none.
  Seller& first_seller() { return *sellers_.front(); }
  const Seller& first_seller() const { return *sellers_.front(); }
  /// The seller named `name` ("shop-2"), or nullptr.
  Seller* find_seller(std::string_view name);
  /// The seller whose current access token (expired or not) is `token`, or nullptr.
  Seller* seller_by_access_token(std::string_view token);
  /// The seller holding the valid refresh token `token`, or nullptr.
  Seller* seller_by_refresh_token(std::string_view token);

  const GateConfig& gate() const { return gate_; }
  Stats& stats() { return stats_; }
  Throttle& throttle() { return throttle_; }
  Prng& fault_rng() { return fault_rng_; }
  Prng& latency_rng() { return latency_rng_; }

  /// The liar of one response: the live lie rates, the lie stream and the stats.
  Liar liar() { return Liar(live_.lies, lie_rng_, stats_); }

  /// Applies the rate-limit settings of live() to the throttle.
  void apply_rate_limit();

  /// Applies n lifecycle changes to `seller` now, or defers them while the truth is being
  /// streamed. Returns the number applied (0 when deferred).
  std::int64_t mutate(Seller& seller, std::int64_t n);

  /// Runs every seller's arrival and change processes up to now (called by a timer).
  void tick();

  /// While frozen (a /_sim/truth stream is running) the data does not change.
  void freeze() { ++frozen_; }
  void thaw();

  /// A request id in the platform's style: "0b" + 6 hex + epoch ms + 4 digits.
  std::string next_request_id();

private:
  SimOptions options_;
  LiveSettings live_;
  std::vector<std::unique_ptr<Seller>> sellers_;
  GateConfig gate_;
  Stats stats_;
  Throttle throttle_;
  Prng fault_rng_;
  Prng latency_rng_;
  Prng lie_rng_;
  int frozen_ = 0;
  std::uint64_t requests_ = 0;
};

} // namespace taosync::sim

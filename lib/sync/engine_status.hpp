#pragma once
// What the engine is doing, as one value the loop publishes: for systemd STATUS=, /healthz
// and the logs. Pure.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace taosync::sync {

/// The engine's phase.
enum class Phase { starting, init, idle, polling, reconciling, stopped };

/// "starting", "init", "idle", "polling", "reconciling", "stopped".
std::string_view to_string(Phase phase);

/// A snapshot of what the engine is doing.
struct EngineStatus {
  Phase phase = Phase::starting;
  std::uint64_t init_done_orders = 0;
  std::uint64_t init_total_orders = 0; ///< estimate from total_count of the sweep
  double orders_per_second = 0;
  std::chrono::seconds lag{0}; ///< now - hwm
  std::uint64_t last_cycle_orders = 0;
  /// Non-empty while the cursor is held before a window whose answers did not add up: the
  /// window and what disagreed.
  std::string held;
  std::uint64_t owed_orders = 0; ///< orders the platform still owes
  /// Why the last cycle failed; empty once a cycle succeeded (or none failed yet).
  std::string last_failure;
  /// One line: "init 41% (41000/100000), 5200 orders/s" or "idle, lag 37s, last cycle 12
  /// orders", with what is owed and a held window appended.
  std::string line() const;
};

} // namespace taosync::sync

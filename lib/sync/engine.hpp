#pragma once
// The sync engine: init sweep, incremental polls, daily reconciliation and single-order
// resync for one shop, on the network thread's io_context.

#include "api/client.hpp"
#include "config/config.hpp"
#include "store/writer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace taosync::sync {

namespace net = boost::asio;

/// A snapshot of what the engine is doing, for systemd STATUS=, /healthz and logs.
struct EngineStatus {
  std::string phase = "starting"; ///< starting|init|idle|polling|reconciling|stopped
  std::uint64_t init_done_orders = 0;
  std::uint64_t init_total_orders = 0; ///< estimate from total_count of the sweep
  double orders_per_second = 0;
  std::chrono::seconds lag{0}; ///< now - hwm
  std::uint64_t last_cycle_orders = 0;
  /// Non-empty while the cursor is held before a window whose answers did not add up: the
  /// window and what disagreed.
  std::string held;
  std::uint64_t owed_orders = 0; ///< orders the platform still owes
  /// One line: "init 41% (41000/100000), 5200 orders/s" or "idle, lag 37s, last cycle 12 orders".
  std::string line() const;

private:
  std::string progress_line() const;
};

/// Thrown by `once` when a window could not be verified: what came before it is stored, but
/// the cursor stays before it; try again later.
class WindowHeld : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Thrown by `resync` when /order/get's answer failed validation (exit 65, EX_DATAERR).
class RecordRejected : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Hooks the daemon gives the engine.
struct EngineHooks {
  std::function<void(const EngineStatus&)> on_status; ///< status changed (for STATUS=)
  std::function<void()> on_progress; ///< the loop made real progress (for WATCHDOG=1)
};

class Engine {
public:
  Engine(net::any_io_executor executor, config::Snapshot cfg, api::Client& client,
         store::Writer& writer, EngineHooks hooks = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Init (if not done), then incremental polls every poll_interval and the daily
  /// reconciliation, until stop(). Throws only on fatal errors (bad signature, dead refresh
  /// token, ...).
  net::awaitable<void> run();

  /// Init if not done, then one incremental cycle.
  net::awaitable<void> once();

  /// Re-reads one order through /order/get and writes it in one transaction.
  net::awaitable<void> resync(const std::string& trade_order_id);

  /// Puts a reloaded config in force (poll interval, windows, reconcile, batch sizes).
  /// Restart-only keys such as the shop arrive unchanged (config::plan_reload keeps them).
  void reconfigure(config::Snapshot cfg);

  /// Ends run() after the current batch has committed or rolled back whole.
  void stop();

  EngineStatus status() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::sync

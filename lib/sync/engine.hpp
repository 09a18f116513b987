#pragma once
// The sync engine: init sweep, incremental polls, daily reconciliation and single-order
// resync for one shop, on the network thread's io_context.

#include "api/platform.hpp"
#include "config/config.hpp"
#include "store/database.hpp"
#include "sync/engine_status.hpp"
#include "sync/init_slots.hpp"

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
  /// The status changed (for STATUS=, /healthz): one value, handed out on the engine's thread.
  std::function<void(const EngineStatus&)> on_status;
  std::function<void()> on_progress; ///< the loop made real progress (for WATCHDOG=1)
  /// Shared by the engines of a daemon: inits take turns (nullptr: no limit).
  InitSlots* init_slots = nullptr;
};

class Engine {
public:
  Engine(net::any_io_executor executor, config::Snapshot cfg, api::Platform& client,
         store::Database& db, EngineHooks hooks = {});
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

  /// Ends run() after the current batch has committed or rolled back whole. Thread-safe.
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::sync

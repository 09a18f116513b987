#pragma once
// One database connection on a thread of its own: owns the Store, runs jobs on it one at a
// time, reconnects with backoff after a dropped connection and retries the interrupted job
// whole. The database runs its write, lookup and status connections each on one.

#include "store/connection_settings.hpp"
#include "store/server_watch.hpp"
#include "store/store.hpp"

#include "config/config.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace taosync::store {

namespace net = boost::asio;

/// Thrown by a job that needed a (re)connect after ConnectionThread::stop().
class ConnectionStopped : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The callback a ConnectionThread calls while it waits (see ConnectionThread::set_heartbeat),
/// shared with the ConnectionThreads made from its options.
struct Heartbeat {
  std::mutex mutex;
  std::function<void()> beat; ///< guarded by mutex
};

/// How a ConnectionThread connects, waits and reports.
struct ConnectionThreadOptions {
  ConnectionSettings connection;
  std::chrono::milliseconds max_backoff{}; ///< database.reconnect_max_backoff
  /// One-shot commands: a job that cannot reach the database for this long throws
  /// DatabaseUnreachable, one whose lock waits keep timing out for this long throws
  /// DatabaseTimeout. nullopt (the daemon): wait for ever.
  std::optional<std::chrono::milliseconds> give_up_after;
  /// A job waiting this long is logged with what blocks it (database.report_blocked_after).
  std::chrono::milliseconds report_blocked_after{};
  std::string name = "write"; ///< names its jobs in logs and /healthz
  /// Shared by the ConnectionThreads made with named() copies; the ConnectionThread makes one if
  /// null.
  std::shared_ptr<Heartbeat> heartbeat;
  /// The server every connection reached last; shared like heartbeat, made if null.
  std::shared_ptr<ServerWatch> watch;

  /// The same options under another name (a second ConnectionThread of the same process; it shares
  /// the heartbeat).
  ConnectionThreadOptions named(std::string other) const;
};

/// database.* as ConnectionThread options; `give_up` (one-shot commands) gives up after
/// database.connect_timeout.
ConnectionThreadOptions connection_thread_options(const config::DatabaseConfig& db, bool give_up);

/// Default options with `url` and `max_backoff`, waiting for ever (tests, tools).
ConnectionThreadOptions connection_thread_options(std::string url,
                                                  std::chrono::milliseconds max_backoff);

/// `options` for a daemon that holds shop leases of `lease_ttl` (ha.lease_ttl): every session
/// ends a transaction left idle for half the ttl. A process frozen (SIGSTOP, a stalled VM)
/// between its fence and its commit keeps the lease row locked, and a peer's acquire waits
/// on that lock; the server ends such a session well before the peer's lease would have to
/// wait beyond a ttl, so a frozen daemon cannot block the shop's new owner.
ConnectionThreadOptions with_lease_ttl(ConnectionThreadOptions options,
                                       std::chrono::milliseconds lease_ttl);

class ConnectionThread {
public:
  /// Starts the thread; connects lazily on the first job.
  explicit ConnectionThread(ConnectionThreadOptions options);
  /// Default options with `url` and `max_backoff`, waiting for ever (tests, tools).
  ConnectionThread(std::string url, std::chrono::milliseconds max_backoff);
  ~ConnectionThread(); ///< finishes the running job, then joins
  ConnectionThread(const ConnectionThread&) = delete;
  ConnectionThread& operator=(const ConnectionThread&) = delete;

  /// Runs `job(store)` on the connection's thread and returns its result to the awaiting coroutine.
  /// A broken connection is reconnected with backoff and `job` is run again, and so is a job
  /// cut by database.lock_timeout (after a backoff), so `job` must be idempotent (a whole
  /// transaction). A statement cut by database.statement_timeout throws DatabaseTimeout
  /// naming the key. Other exceptions propagate, LeaseLost among them: a lease the database
  /// says is gone stays gone, and retrying would only be refused again.
  template <class R> net::awaitable<R> run(std::function<R(Store&)> job) {
    // Not a coroutine itself, for the compiler bug described at Database::run.
    return net::co_spawn(executor(), run_on_thread<R>(std::move(job)), net::use_awaitable);
  }

  /// Connects on the connection's thread without a job, then calls `done` there with whether it
  /// could (false once stopped, or, with give_up_after, on giving up). Nothing awaits it: a
  /// server that keeps refusing the connection leaves it retrying, logged, until stop().
  void connect_in_background(std::function<void(bool)> done);

  /// The options it was made with.
  const ConnectionThreadOptions& options() const;

  /// The server watch its connections report to (shared with its named() siblings).
  ServerWatch& watch() const;

  /// Stops retrying (used at shutdown): a job waiting for a reconnect throws.
  void stop();

  /// Called (on the connection's thread) after each wait before a reconnect attempt or a retry
  /// after a lock timeout: a database outage or a lock held elsewhere is a deliberate, logged wait,
  /// not a stuck loop, so the daemon feeds its watchdog from it. Shared with the ConnectionThreads
  /// made from options().named(...), such as the Database's lookups connection.
  void set_heartbeat(std::function<void()> beat);

private:
  net::any_io_executor executor();
  /// Runs `job` on the connection's thread: reconnects with backoff and reruns it after a lost
  /// connection or a lock timeout; other exceptions propagate.
  void run_with_retry(const std::function<void(Store&)>& job);
  template <class R> net::awaitable<R> run_on_thread(std::function<R(Store&)> job) {
    if constexpr (std::is_void_v<R>) {
      run_with_retry(job);
      co_return;
    } else {
      std::optional<R> result;
      run_with_retry([&](Store& store) { result.emplace(job(store)); });
      co_return std::move(*result);
    }
  }
  Store& connected_store(); // (re)connects with backoff; throws ConnectionStopped once stopped

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::store

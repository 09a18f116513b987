#include "store/connection_thread.hpp"

#include "store/block_monitor.hpp"
#include "store/connect_retry.hpp"
#include "store/db_errors.hpp"

#include "model/backoff.hpp"
#include "obs/metrics.hpp"

#include <boost/asio/post.hpp>
#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace taosync::store {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kFirstBackoff{200};

/// True if `e` means the connection is gone (rather than the job being wrong).
bool connection_lost(const std::exception& e, const Store& store) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr)
    return true;
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    // 08: connection exception; 57P01..03: admin/crash shutdown, cannot connect now.
    if (state.starts_with("08") || state.starts_with("57P0"))
      return true;
  }
  return !store.connected();
}

/// The server's message without the statement excerpt libpq appends on later lines.
std::string first_line(const std::string& message) {
  return message.substr(0, message.find('\n'));
}

std::string format(std::chrono::milliseconds d) {
  return config::format_duration(d);
}

/// When to first look at what a job waits for: early enough to have seen the lock before
/// lock_timeout cuts the wait, so that the error can name it.
std::chrono::milliseconds look_after(const ConnectionThreadOptions& o) {
  auto at = o.report_blocked_after;
  if (o.connection.lock_timeout > std::chrono::milliseconds{0})
    at = std::min(at, o.connection.lock_timeout / 2);
  return std::max(at, std::chrono::milliseconds(100));
}

/// Marks a job pending for /healthz while it runs, retries included.
class PendingMark {
public:
  explicit PendingMark(std::string who) : who_(std::move(who)) {
    obs::metrics().set_db_pending(who_, Clock::now());
  }
  ~PendingMark() { obs::metrics().set_db_pending(who_, std::nullopt); }
  PendingMark(const PendingMark&) = delete;
  PendingMark& operator=(const PendingMark&) = delete;

private:
  std::string who_;
};

} // namespace

ConnectionThreadOptions ConnectionThreadOptions::named(std::string other) const {
  ConnectionThreadOptions o = *this;
  o.name = std::move(other);
  return o;
}

ConnectionThreadOptions connection_thread_options(const config::DatabaseConfig& db, bool give_up) {
  ConnectionThreadOptions o;
  o.connection = connection_settings(db);
  o.max_backoff = db.reconnect_max_backoff;
  if (give_up)
    o.give_up_after = db.connect_timeout;
  o.report_blocked_after = db.report_blocked_after;
  return o;
}

ConnectionThreadOptions connection_thread_options(std::string url,
                                                  std::chrono::milliseconds max_backoff) {
  config::DatabaseConfig db;
  db.url = std::move(url);
  ConnectionThreadOptions o = connection_thread_options(db, false);
  o.max_backoff = max_backoff;
  return o;
}

ConnectionThreadOptions with_lease_ttl(ConnectionThreadOptions options,
                                       std::chrono::milliseconds lease_ttl) {
  options.connection.idle_in_transaction_timeout = lease_ttl / 2;
  return options;
}

struct ConnectionThread::Impl {
  explicit Impl(ConnectionThreadOptions o)
      : options(std::move(o)), monitor(options.connection, options.name, look_after(options),
                                       options.report_blocked_after) {}

  ConnectionThreadOptions options;
  BlockMonitor monitor;
  net::thread_pool pool{1};
  std::unique_ptr<Store> store; // touched by the connection's thread only (and after join)
  std::mutex mutex;
  std::condition_variable wake;
  bool stopped = false;

  void beat() {
    std::function<void()> copy;
    {
      std::lock_guard lock(options.heartbeat->mutex);
      copy = options.heartbeat->beat;
    }
    if (copy)
      copy();
  }

  /// Sleeps for `d` unless stop() comes first; returns false if stopped.
  bool sleep_unless_stopped(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    return !wake.wait_for(lock, d, [this] { return stopped; });
  }
  bool is_stopped() {
    std::lock_guard lock(mutex);
    return stopped;
  }
  std::string target() const { return describe_target(options.connection.url); }
};

ConnectionThread::ConnectionThread(ConnectionThreadOptions options) {
  options.max_backoff = std::max(options.max_backoff, kFirstBackoff);
  if (!options.heartbeat)
    options.heartbeat = std::make_shared<Heartbeat>();
  if (!options.watch)
    options.watch = std::make_shared<ServerWatch>();
  impl_ = std::make_unique<Impl>(std::move(options));
}

ConnectionThread::ConnectionThread(std::string url, std::chrono::milliseconds max_backoff)
    : ConnectionThread(connection_thread_options(std::move(url), max_backoff)) {}

ConnectionThread::~ConnectionThread() {
  stop();
  impl_->pool.join();
  impl_->store.reset();
}

void ConnectionThread::connect_in_background(std::function<void(bool)> done) {
  net::post(executor(), [this, done = std::move(done)] {
    bool connected = false;
    try {
      connected_store();
      connected = true;
    } catch (const ConnectionStopped&) {
      // shutting down before it connected
    } catch (const std::exception& e) {
      spdlog::warn("database {}: not connected: {}", impl_->options.name,
                   one_line(e.what(), impl_->options.connection.url));
    }
    done(connected);
  });
}

const ConnectionThreadOptions& ConnectionThread::options() const {
  return impl_->options;
}

ServerWatch& ConnectionThread::watch() const {
  return *impl_->options.watch;
}

void ConnectionThread::set_heartbeat(std::function<void()> beat) {
  std::lock_guard lock(impl_->options.heartbeat->mutex);
  impl_->options.heartbeat->beat = std::move(beat);
}

void ConnectionThread::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopped = true;
  }
  impl_->wake.notify_all();
}

net::any_io_executor ConnectionThread::executor() {
  return impl_->pool.get_executor();
}

namespace {

/// Why a job that failed with `e` is worth running again, or nullopt if it is not: the server
/// broke a deadlock, or a statement was cut while it waited for a lock (what it waited for is
/// what `monitor` last saw). Throws DatabaseTimeout for a statement that was just slow.
std::optional<std::string> retry_reason(const std::exception& e, const ConnectionThreadOptions& o,
                                        const BlockMonitor& monitor) {
  if (deadlock_victim(e)) {
    // Rare: the two write connections (or another session) took two rows in opposite
    // orders, as when a line moves between two orders written at once. The server rolled
    // this transaction back whole.
    return "database " + o.name + " ended by the server to break a deadlock: " +
           one_line(first_line(e.what()), o.connection.url);
  }
  const auto kind = timeout_kind(e);
  if (!kind)
    return std::nullopt;
  // A statement that ran out of time while it waited for a lock was blocked, not slow:
  // it is retried like a lock timeout. One that was just slow would be slow again.
  const std::string blocker = monitor.last_seen();
  const auto limit =
      *kind == TimeoutKind::lock ? o.connection.lock_timeout : o.connection.statement_timeout;
  std::string what = "database " + o.name + " cut by " + timeout_key(*kind) + " (" + format(limit) +
                     ")" + (blocker.empty() ? std::string() : " waiting for " + blocker) + ": " +
                     one_line(first_line(e.what()), o.connection.url);
  if (*kind == TimeoutKind::statement && blocker.empty())
    throw DatabaseTimeout(what);
  return what;
}

} // namespace

void ConnectionThread::run_with_retry(const std::function<void(Store&)>& job) {
  const ConnectionThreadOptions& o = impl_->options;
  const PendingMark pending(o.name);
  const auto started = Clock::now();
  // A server out of room, a deadlock and a lock timeout all wait out the one backoff.
  model::Backoff backoff({.initial = kFirstBackoff, .cap = o.max_backoff});
  Clock::time_point resources_logged{}; // a full disk is said once a minute, not per retry
  for (;;) {
    Store& store = connected_store();
    impl_->monitor.begin(store.backend_pid(), started);
    try {
      job(store);
      impl_->monitor.end();
      return;
    } catch (const std::exception& e) {
      impl_->monitor.end();
      if (connection_lost(e, store)) {
        spdlog::warn("database {}: connection lost ({}); reconnecting, then retrying the {} whole",
                     impl_->target(), one_line(e.what(), o.connection.url), o.name);
        impl_->store.reset();
        continue;
      }
      const auto wait = backoff.next();
      std::string waiting = "waiting to retry"; // for the error, should a stop cut the wait
      if (out_of_resources(e)) {
        // A full disk (53100) or exhausted memory on the server: nothing committed, and
        // nothing this daemon can do but wait for room. The shop holds; /healthz says why.
        const std::string reason = one_line(first_line(e.what()), o.connection.url);
        obs::metrics().set_db_blocker(o.name, "the server lacks room: " + reason);
        if (o.give_up_after && Clock::now() - started >= *o.give_up_after)
          throw DatabaseTimeout("database " + o.name + " refused for lack of room on " +
                                impl_->target() + ": " + reason + "; gave up after " +
                                format(*o.give_up_after));
        if (Clock::now() - resources_logged >= std::chrono::minutes(1)) {
          spdlog::error("database {} refused for lack of room on {} ({}); nothing was "
                        "written, the cursor stays; retrying the {} whole every {} until the "
                        "server has room",
                        o.name, impl_->target(), reason, o.name, format(o.max_backoff));
          resources_logged = Clock::now();
        }
        waiting = "waiting for room";
      } else {
        const auto what = retry_reason(e, o, impl_->monitor);
        if (!what)
          throw;
        if (o.give_up_after && Clock::now() - started >= *o.give_up_after)
          throw DatabaseTimeout(*what + "; gave up after " + format(*o.give_up_after));
        spdlog::warn("{}; retrying the {} whole in {}", *what, o.name, format(wait));
      }
      if (!impl_->sleep_unless_stopped(wait))
        throw ConnectionStopped("database " + o.name + " stopped while " + waiting + " on " +
                                impl_->target());
      impl_->beat();
    }
  }
}

Store& ConnectionThread::connected_store() {
  if (impl_->store)
    return *impl_->store;
  if (impl_->is_stopped())
    throw ConnectionStopped("database writer stopped while (re)connecting to " + impl_->target());
  const ConnectionThreadOptions& o = impl_->options;
  impl_->store = connect_store(
      o.connection, {o.max_backoff, o.give_up_after},
      [this](std::chrono::milliseconds d) { return impl_->sleep_unless_stopped(d); },
      [this] { impl_->beat(); });
  if (!impl_->store)
    throw ConnectionStopped("database writer stopped while (re)connecting to " + impl_->target());
  o.watch->observe(impl_->store->server()); // before any job runs on it
  return *impl_->store;
}

} // namespace taosync::store

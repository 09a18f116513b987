#pragma once
// The daemon's database as typed operations, each an awaitable. It owns four connections, each
// a ConnectionThread (its own thread, reconnect with backoff, retry of a whole transaction,
// blocked-wait reports): the writer, which runs every write and the reads ordered with them; a
// second writer, which takes a batch write while the first is busy with another (the sweep keeps
// two in flight); and the lookups connection, which answers the line fan-out's stored-time queries
// while the writers are inside a transaction. The second writer and a fourth connection, which
// serves the status page's reads (so that they wait neither for a write nor for the line
// fan-out's lookups), connect on first use.

#include "model/records.hpp"
#include "model/tokens.hpp"
#include "store/batch.hpp"
#include "store/connection_thread.hpp"
#include "store/leases.hpp"
#include "store/owed_rows.hpp"
#include "store/shop_flags.hpp"
#include "store/shop_report.hpp"
#include "store/store.hpp"
#include "store/sync_state.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace taosync::store {

namespace net = boost::asio;

/// The database operations of the sync and the commands. Each runs as one transaction on the
/// connection thread (or the lookups thread, where said) and is retried whole after a lost
/// connection or a lock timeout (see ConnectionThread::run); the awaiting coroutine resumes on its
/// own executor with the result.
///
/// Fencing: with leases in use (use_leases), each write for a shop commits only while this
/// daemon holds that shop's lease at the epoch recorded with hold(); otherwise it throws
/// LeaseLost and writes nothing. LeaseLost is not retried.
class Database {
public:
  /// Starts both threads; each connects lazily on its first operation. The lookups connection
  /// uses `options` under the name "lookup" and shares the heartbeat.
  /// `changes_retention` (changes.retention; 0 keeps every row): feed rows older than this
  /// are deleted after a write, at most once an hour.
  explicit Database(ConnectionThreadOptions options,
                    std::chrono::milliseconds changes_retention = {});
  /// Default options with `url` and `max_backoff`, waiting for ever (tests, tools).
  Database(std::string url, std::chrono::milliseconds max_backoff);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Applies pending migrations and checks the role's rights (Store::migrate).
  net::awaitable<void> migrate();

  /// The shop's cursor, or a fresh state if none is stored.
  net::awaitable<SyncState> load_state(const std::string& shop);
  /// Stores the cursor alone, in its own transaction (fenced).
  net::awaitable<void> save_state(const SyncState& state);

  /// Writes a batch (and its cursor, if any) in one transaction (fenced), on whichever write
  /// connection has fewer batch writes queued. Two writes awaited at once may commit in either
  /// order: the caller keeps them apart (sync/cursor_ledger.hpp says how the sweep does).
  net::awaitable<WriteResult> write_batch(Batch batch);

  /// The stored version of those of `order_ids` that exist, asked on the lookups connection:
  /// it does not wait for a write transaction in progress.
  net::awaitable<StoredVersions> stored_versions(const std::string& shop,
                                                 const std::vector<std::string>& order_ids);

  /// Tokens stored after a refresh that descend from the configured token `fingerprint`.
  net::awaitable<std::optional<model::Tokens>> load_tokens(const std::string& shop,
                                                           const std::string& fingerprint);
  /// Stores refreshed tokens, tied to the configured token `fingerprint` (fenced).
  net::awaitable<void> save_tokens(const std::string& shop, const model::Tokens& tokens,
                                   const std::string& fingerprint);

  /// Up to `limit` owed orders due for another ask (or any, if `due_or_not`).
  net::awaitable<std::vector<DueOwed>> due_owed(const std::string& shop, int limit,
                                                bool due_or_not);
  /// Records a failed ask for an owed order; the next one waits `delay` (fenced).
  net::awaitable<void> postpone_owed(const std::string& shop, const std::string& id,
                                     const std::string& reason, std::chrono::milliseconds delay);
  /// What the shop is owed.
  net::awaitable<OwedSummary> owed_summary(const std::string& shop);

  /// Records the window the shop is held at (nullopt: not held any more) (fenced).
  net::awaitable<void> save_held(const std::string& shop, const std::optional<HeldWindow>& held);
  /// The window the shop is held at, if any.
  net::awaitable<std::optional<HeldWindow>> load_held(const std::string& shop);

  /// The shop's stop, stop fingerprint and ban end.
  net::awaitable<ShopFlags> load_flags(const std::string& shop);
  /// Records the configured refresh token's fingerprint; with `resume`, also lifts a stop
  /// (fenced).
  net::awaitable<void> save_refresh_fingerprint(const std::string& shop,
                                                const std::string& fingerprint, bool resume);
  /// Records the end of a platform ban (fenced).
  net::awaitable<void> save_api_ban(const std::string& shop,
                                    std::chrono::system_clock::time_point until);
  /// Records the platform's clock offset from this host (fenced).
  net::awaitable<void> save_platform_clock(const std::string& shop,
                                           std::chrono::milliseconds offset);

  /// The report of each of `shops` (status page connection).
  net::awaitable<std::vector<ShopReport>> shop_reports(const std::vector<std::string>& shops);

  /// Up to `n` order ids of the shop, most recently modified first, sampled at random.
  net::awaitable<std::vector<std::string>> sample_recent_orders(const std::string& shop, int n);
  /// The stored order with its lines, or nullopt.
  net::awaitable<std::optional<model::OrderDetail>> load_order(const std::string& shop,
                                                               const std::string& id);

  /// Records this daemon's heartbeat and returns the live daemons' ids (lookups connection).
  net::awaitable<std::vector<std::string>> heartbeat(const DaemonIdentity& daemon,
                                                     std::chrono::milliseconds ttl);
  /// The live daemons' ids, without a heartbeat of this one's (lookups connection).
  net::awaitable<std::vector<std::string>> live_daemons();
  /// Removes this daemon's heartbeat, so peers count it gone at once (lookups connection).
  net::awaitable<void> leave(const std::string& daemon);
  /// Takes `shop`'s lease if it is free, expired or ours (lookups connection).
  net::awaitable<Acquired> acquire(const std::string& shop, const DaemonIdentity& daemon,
                                   std::chrono::milliseconds ttl);
  /// Extends those of `held` still ours; reports the others lost (lookups connection).
  net::awaitable<Renewal> renew(const std::string& daemon, const std::vector<HeldLease>& held,
                                std::chrono::milliseconds ttl);
  /// Ends `daemon`'s lease of `shop` at `epoch` now; false if it was not held (lookups
  /// connection).
  net::awaitable<bool> release(const std::string& shop, const std::string& daemon,
                               std::int64_t epoch);
  /// Every lease row, by shop (lookups connection).
  net::awaitable<std::vector<Lease>> leases();

  /// Turns fencing on or off (off by default: writes run as with a single daemon).
  void use_leases(bool in_use);
  /// Records that this daemon holds `shop`'s lease at `fence.epoch`: writes for it are fenced
  /// with it from now on.
  void hold(const std::string& shop, Fence fence);
  /// Forgets `shop`'s fence: with leases in use, writes for it are refused from now on.
  void drop(const std::string& shop);
  /// The fence held for `shop`, if any.
  std::optional<Fence> fence(const std::string& shop) const;

  /// Stops retrying on every connection (shutdown): an operation waiting for a reconnect or a
  /// lock throws ConnectionStopped.
  void stop();

  /// Called while any connection waits out an outage or a lock (see
  /// ConnectionThread::set_heartbeat).
  void set_heartbeat(std::function<void()> beat);

private:
  /// Runs `job` on `on`'s thread.
  template <class R>
  static net::awaitable<R> run(ConnectionThread& on, std::function<R(Store&)> job);
  /// Runs `body(tx)` in a read-only transaction on `on`'s thread.
  template <class R, class Body>
  static net::awaitable<R> read(ConnectionThread& on, const char* name, Body body);
  /// Runs `body(tx)` in a read-write transaction on `on`'s thread, unfenced (the leases).
  template <class R, class Body>
  static net::awaitable<R> write(ConnectionThread& on, const char* name, Body body);
  /// Runs `body(tx)` in a read-write transaction on the writer's thread, fenced for `shop`.
  template <class R, class Body>
  net::awaitable<R> fenced_write(const std::string& shop, const char* name, Body body);

  /// What a write for `shop` must check before it commits: nullopt with leases off, the held
  /// fence with leases on. Throws LeaseLost naming the shop when leases are on and none is held.
  std::optional<Fence> fence_for_write(const std::string& shop) const;

  // The fences this daemon holds: the lease keeper changes them from the network thread, the
  // writer threads read them as each write begins. Declared first, so they outlive the writer
  // threads whose jobs read them.
  std::atomic<bool> leases_in_use_{false};
  mutable std::mutex fences_mutex_;
  std::unordered_map<std::string, Fence> fences_; ///< guarded by fences_mutex_

  /// Deletes old change-feed rows if an hour has passed since the last time (connection thread).
  void prune_changes_if_due(Store& store);

  // Before the writers: their threads' jobs use these until the writers are joined.
  std::chrono::milliseconds changes_retention_;
  std::chrono::steady_clock::time_point next_prune_{}; ///< connection thread only
  std::atomic<int> batch_writes_[2] = {0, 0};          ///< queued on writer_, second_
  /// Whether second_ may take batch writes: it has connected. The first time it is wanted, it
  /// starts connecting in the background (its callback keeps only this shared state).
  bool second_open();
  static constexpr int kSecondUnopened = 0, kSecondOpening = 1, kSecondOpen = 2;
  std::shared_ptr<std::atomic<int>> second_state_ =
      std::make_shared<std::atomic<int>>(kSecondUnopened);
  ConnectionThread writer_;
  ConnectionThread second_; ///< batch writes beside the writer's, once it has connected
  ConnectionThread lookups_;
  ConnectionThread status_; ///< the status page's reads; connects on the first
};

} // namespace taosync::store

#pragma once
// The PostgreSQL store: migrations, the monotonic batch write, cursor and tokens.
// A Store owns one libpqxx connection and is used by one thread only.

#include "model/records.hpp"
#include "model/tokens.hpp"
#include "store/batch.hpp"
#include "store/connection_settings.hpp"
#include "store/leases.hpp"
#include "store/owed_rows.hpp"
#include "store/server_watch.hpp"
#include "store/shop_flags.hpp"
#include "store/sync_state.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace taosync::store {

/// Counts for `taosyncd status`.
struct ShopCounts {
  std::int64_t orders = 0;
  std::int64_t lines = 0;
  std::int64_t rejected = 0;
};

/// Everything stored about a shop that `taosyncd status` and the status page show, read in one
/// transaction.
struct ShopReport {
  SyncState state;
  ShopCounts counts;
  OwedSummary owed;
  std::optional<HeldWindow> held;
  ShopFlags flags;
  std::optional<Lease> lease; ///< its row in shop_leases, if it ever had a lease
};

/// Each write takes an optional fence: when set, the transaction ends with check_fence() and
/// commits only while that lease is held (LeaseLost otherwise, nothing written).
class Store {
public:
  /// Connects with the settings' deadlines and keepalives; throws pqxx::broken_connection
  /// with libpq's reason (never the password), SchemaProblem if the role may not create
  /// the TEMP staging tables, or config::ConfigError if it reached a pooler that
  /// database.pooler does not name (store/pooler.hpp).
  explicit Store(const ConnectionSettings& settings);
  /// Connects with default settings (tests, tools).
  explicit Store(const std::string& url);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// False once the connection was lost (the ConnectionThread then replaces this Store).
  bool connected() const;

  /// The server process of this connection (what pg_stat_activity and pg_locks call it); 0
  /// behind a transaction pooler, where each transaction may run in another.
  int backend_pid() const;

  /// The server this connection reached, read when it connected.
  const ServerIdentity& server() const;

  /// Applies pending versioned migrations (DDL only if one is pending), then checks that the
  /// role has every right the sync needs; idempotent and safe to run concurrently. Throws
  /// SchemaProblem naming what is missing and the fix.
  void migrate();

  /// The shop's cursor, or a fresh state if none is stored.
  SyncState load_state(const std::string& shop);

  /// Stores the cursor alone, in its own transaction.
  void save_state(const SyncState& state, const std::optional<Fence>& fence = std::nullopt);

  /// The stored version (modification_time, status, line ids) of those of `order_ids` that
  /// exist.
  StoredVersions stored_versions(const std::string& shop,
                                 const std::vector<std::string>& order_ids);

  /// Writes a batch in one transaction (COPY into staging, then set-based upserts).
  /// An order row is only overwritten by data whose modification_time is >= the stored one.
  WriteResult write(const Batch& batch, const std::optional<Fence>& fence = std::nullopt);

  /// Deletes change-feed rows older than `retention`: at most `batch_rows` a statement, each
  /// its own short transaction, and at most `max_batches` of them. Returns the rows deleted.
  std::uint64_t prune_changes(std::chrono::milliseconds retention, int batch_rows = 1000,
                              int max_batches = 10);

  /// Tokens persisted after a refresh, if any, and only if they descend from the configured
  /// access token whose SHA-256 hex is `config_fingerprint` (a re-authorized seller's new
  /// config token wins over stale stored ones).
  std::optional<model::Tokens> load_tokens(const std::string& shop,
                                           const std::string& config_fingerprint);
  void save_tokens(const std::string& shop, const model::Tokens& tokens,
                   const std::string& config_fingerprint,
                   const std::optional<Fence>& fence = std::nullopt);

  /// Up to `limit` owed orders due for another ask (or any, if `due_or_not`), the longest
  /// waiting first.
  std::vector<DueOwed> due_owed(const std::string& shop, int limit, bool due_or_not = false);

  /// Records a failed ask for an owed order; the next one waits `delay`.
  void postpone_owed(const std::string& shop, const std::string& id, const std::string& reason,
                     std::chrono::milliseconds delay,
                     const std::optional<Fence>& fence = std::nullopt);

  /// What the shop is owed.
  OwedSummary owed_summary(const std::string& shop);

  /// Records the window the shop is held at (nullopt: not held any more).
  void save_held(const std::string& shop, const std::optional<HeldWindow>& held,
                 const std::optional<Fence>& fence = std::nullopt);

  /// The window the shop is held at, if any.
  std::optional<HeldWindow> load_held(const std::string& shop);

  /// Order, line and rejected counts of a shop.
  ShopCounts counts(const std::string& shop);

  /// The report of each of `shops`, in that order, from one read-only transaction.
  std::vector<ShopReport> shop_reports(const std::vector<std::string>& shops);

  /// Up to n order ids of the shop, most recently modified first, sampled at random.
  std::vector<std::string> sample_recent_orders(const std::string& shop, int n);

  /// The stored order with its lines, or nullopt.
  std::optional<model::OrderDetail> load_order(const std::string& shop, const std::string& id);

  /// The shop's stop, stop fingerprint and ban end (store/shop_flags.hpp).
  ShopFlags load_flags(const std::string& shop);
  /// Records the configured refresh token's fingerprint; with `resume`, also lifts a stop.
  void save_refresh_fingerprint(const std::string& shop, const std::string& fingerprint,
                                bool resume, const std::optional<Fence>& fence = std::nullopt);
  /// Records the end of a platform ban.
  void save_api_ban(const std::string& shop, std::chrono::system_clock::time_point until,
                    const std::optional<Fence>& fence = std::nullopt);
  /// Records the platform's clock offset from this host, as measured now.
  void save_platform_clock(const std::string& shop, std::chrono::milliseconds offset,
                           const std::optional<Fence>& fence = std::nullopt);

  /// Leases (store/leases.hpp), each in its own transaction.
  std::vector<std::string> heartbeat(const DaemonIdentity& daemon, std::chrono::milliseconds ttl);
  void leave(const std::string& daemon);
  std::vector<std::string> live_daemons();
  Acquired acquire_lease(const std::string& shop, const DaemonIdentity& daemon,
                         std::chrono::milliseconds ttl);
  Renewal renew_leases(const std::string& daemon, const std::vector<HeldLease>& held,
                       std::chrono::milliseconds ttl);
  bool release_lease(const std::string& shop, const std::string& daemon, std::int64_t epoch);
  std::vector<Lease> leases();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace taosync::store

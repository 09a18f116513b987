#pragma once
// Process-wide Prometheus metrics. Thread-safe: the network and connection threads all record.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::obs {

class Metrics;

/// One shop's metrics in a Metrics: while a ShopMetrics lives, the shop counts as synced by
/// this daemon (its gauges are rendered and /healthz covers it). Its counters outlive it, so a
/// shop handed over and taken back keeps counting. Thread-safe, like Metrics.
class ShopMetrics {
public:
  ShopMetrics(Metrics& metrics, std::string shop);
  ~ShopMetrics();
  ShopMetrics(const ShopMetrics&) = delete;
  ShopMetrics& operator=(const ShopMetrics&) = delete;

  void rejected(std::uint64_t n);
  void orders_synced(std::uint64_t n);
  void lines_synced(std::uint64_t n);
  void set_cursor_lag(std::chrono::duration<double> lag);
  void set_last_success(std::chrono::system_clock::time_point t);
  void set_init_progress(std::uint64_t done, std::uint64_t total);
  /// Answers that did not add up and were asked again.
  void window_reread(std::uint64_t n);
  /// A window could not be verified and is held: the cursor waits before it.
  void window_held();
  /// Whether the shop is held at a window now (the `taosync_sync_held` gauge).
  void set_held(bool held);
  /// What the platform still owes: orders, and lines among them.
  void set_owed(std::uint64_t orders, std::uint64_t lines);
  /// Whether the shop's init waits its turn (not late: /healthz does not count it).
  void set_waiting(bool waiting);
  const std::string& shop() const { return shop_; }

private:
  Metrics& metrics_;
  std::string shop_;
};

/// The daemon's metrics, rendered in Prometheus text format (names start with taosync_). The
/// API's figures are the app's (one rate limit, one pool for every shop); what a shop's sync
/// does carries a `shop` label (ShopMetrics).
class Metrics {
public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  /// One API call finished; outcome is "ok", "throttled", "auth", "transient", "fatal".
  void api_call(std::string_view endpoint, std::string_view outcome,
                std::chrono::duration<double> latency);
  void throttled();
  void retried();
  void db_write(std::chrono::duration<double> latency);

  /// A shop's lease was taken; `from_peer` if another daemon held it last (a takeover).
  void lease_taken(bool from_peer);
  /// A held lease was lost (found gone or unconfirmed), not handed over or released.
  void lease_lost();
  /// Leases held now (the keeper sets it after every round and change).
  void set_leases_held(std::size_t n);
  /// Leases held now; nullopt until a lease keeper said (none runs, or its first round has not
  /// ended).
  std::optional<std::size_t> leases_held() const;

  /// How fresh one synced shop is, for /healthz.
  struct ShopFreshness {
    std::string shop;
    double since_success = 0;       ///< seconds since the last successful cycle (inf: none)
    double since_init_progress = 0; ///< seconds since init progress moved (inf: never)
    bool init_in_progress = false;  ///< some progress reported, done < total
    bool waiting = false;           ///< its init waits its turn
  };
  /// Every shop synced now (a ShopMetrics alive), by name.
  std::vector<ShopFreshness> freshness() const;

  /// A database job of `who` ("write", "lookup") pending since `since`, retries and
  /// reconnects included; nullopt once it ended.
  void set_db_pending(const std::string& who,
                      std::optional<std::chrono::steady_clock::time_point> since);
  /// What blocks `who`'s pending job ("by pid 4242 (...)"), "" when nothing is known.
  void set_db_blocker(const std::string& who, std::string blocker);
  /// A database job still pending: whose, for how long, and what blocks it if known.
  struct DbPending {
    std::string who;
    std::chrono::steady_clock::duration age{};
    std::string blocker;
  };
  /// The longest-pending database job, if any.
  std::optional<DbPending> longest_db_pending() const;
  /// The platform's clock minus the host's, as the API's answers show it, and why that is
  /// unhealthy ("" when it is not).
  struct PlatformClockFigures {
    std::optional<double> offset_seconds; ///< nullopt before the first answer with a Date
    std::string problem;
  };
  void set_platform_clock(PlatformClockFigures figures);
  PlatformClockFigures platform_clock() const;
  /// The Prometheus exposition text.
  std::string render() const;

private:
  friend class ShopMetrics;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The process-wide instance.
Metrics& metrics();

} // namespace taosync::obs

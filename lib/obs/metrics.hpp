#pragma once
// Process-wide Prometheus metrics. Thread-safe: the network and writer threads both record.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::obs {

/// The daemon's metrics, rendered in Prometheus text format (names start with taosync_).
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
  void rejected(std::uint64_t n);
  void orders_synced(std::uint64_t n);
  void lines_synced(std::uint64_t n);
  void db_write(std::chrono::duration<double> latency);
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
  /// Seconds since the last successful cycle (infinity if none yet).
  double seconds_since_last_success() const;
  /// Seconds since init progress last moved forward (infinity if it never did).
  double seconds_since_init_progress() const;
  /// True while an init is under way (some progress reported, done < total).
  bool init_in_progress() const;
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
  /// The Prometheus exposition text.
  std::string render() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The process-wide instance.
Metrics& metrics();

} // namespace taosync::obs

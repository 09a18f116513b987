#pragma once
// The status document: one JSON value saying, per shop, what is stored (cursor, counts, what is
// owed, the held window, the lease) and, inside the daemon, what its engines are doing, plus
// the daemon's recent errors. /status.json and `taosyncd status --json` print it; the status
// page (obs/status_page.hpp) renders it. Pure: values in, a value out. It holds counts and ids,
// never buyer data.

#include "obs/recent_errors.hpp"
#include "store/store.hpp"
#include "sync/engine_status.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace taosync::daemon {

/// What a running daemon knows of a shop beyond the database.
struct ShopLive {
  std::optional<sync::EngineStatus> engine; ///< nullopt: its engine does not run here
  std::optional<double> calls_per_minute;   ///< nullopt while not yet measured
};

/// One shop's part of the document.
struct ShopStatusInput {
  std::string shop;
  model::TimePoint init_start{};           ///< the shop's sync.init.start
  std::optional<store::ShopReport> stored; ///< nullopt: not read from the database yet
  std::optional<ShopLive> live;            ///< nullopt: read from the database alone
};

/// Everything the document is made of.
struct StatusInput {
  std::chrono::system_clock::time_point now;
  std::string source = "database"; ///< "daemon" (the running daemon) or "database" (the CLI)
  std::string version;
  std::optional<store::DaemonIdentity> daemon; ///< this process, inside the daemon
  bool leases = false;                         ///< ha.leases
  std::optional<double> limit_per_minute;      ///< this daemon's share of api.rate_limit
  std::optional<double> calls_per_minute;      ///< every shop's, inside the daemon
  std::optional<std::chrono::system_clock::time_point> banned_until;
  /// The platform's clock minus this host's (inside the daemon, once an answer showed it).
  std::optional<double> platform_clock_offset;
  /// When the stored parts were read, and why the last read failed or is slow (if it did).
  std::optional<std::chrono::system_clock::time_point> read_at;
  std::string read_problem;
  std::vector<obs::RecentError> errors; ///< newest first
  std::vector<ShopStatusInput> shops;
};

/// The status document of `in` (its fields are listed in docs/operations.md, "Status page").
boost::json::value status_document(const StatusInput& in);

/// "stopped", "init" or "incremental": a shop's phase as the database tells it.
std::string stored_phase(const store::SyncState& state);

} // namespace taosync::daemon

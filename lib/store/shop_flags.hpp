#pragma once
// A shop's flags beside its cursor in taosync.sync_state, written on their own (never by the
// cursor's upsert): whether it is stopped, the refresh-token fingerprint a stop is tied to,
// the end of the platform's latest ban, and the platform's clock offset the daemon measured.

#include <pqxx/transaction_base>

#include <chrono>
#include <optional>
#include <string>

namespace taosync::store {

/// What `taosyncd` checks before it syncs a shop, and what `status` shows.
struct ShopFlags {
  bool stopped = false;
  std::string stopped_reason;
  /// SHA-256 hex of the refresh token configured when the shop last ran ("" if never).
  std::string refresh_fingerprint;
  std::optional<std::chrono::system_clock::time_point> api_banned_until;
  /// The platform's clock minus the running daemon's host's, and when the daemon read it.
  std::optional<std::chrono::milliseconds> platform_clock_offset;
  std::optional<std::chrono::system_clock::time_point> platform_clock_read_at;
};

/// The shop's flags (defaults when it has no row yet).
ShopFlags select_shop_flags(pqxx::transaction_base& tx, const std::string& shop);

/// Records the configured refresh token's fingerprint; with `resume`, also clears a stop.
void upsert_refresh_fingerprint(pqxx::transaction_base& tx, const std::string& shop,
                                const std::string& fingerprint, bool resume);

/// Records the end of a platform ban.
void upsert_api_ban(pqxx::transaction_base& tx, const std::string& shop,
                    std::chrono::system_clock::time_point until);

/// Records the platform's clock offset, read now (on the database's clock).
void upsert_platform_clock(pqxx::transaction_base& tx, const std::string& shop,
                           std::chrono::milliseconds offset);

} // namespace taosync::store

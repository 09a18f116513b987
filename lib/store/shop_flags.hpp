#pragma once
// A shop's flags beside its cursor in taosync.sync_state, written on their own (never by the
// cursor's upsert): whether it is stopped, the refresh-token fingerprint a stop is tied to,
// and the end of the platform's latest ban.

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
};

/// The shop's flags (defaults when it has no row yet).
ShopFlags select_shop_flags(pqxx::transaction_base& tx, const std::string& shop);

/// Records the configured refresh token's fingerprint; with `resume`, also clears a stop.
void upsert_refresh_fingerprint(pqxx::transaction_base& tx, const std::string& shop,
                                const std::string& fingerprint, bool resume);

/// Records the end of a platform ban.
void upsert_api_ban(pqxx::transaction_base& tx, const std::string& shop,
                    std::chrono::system_clock::time_point until);

} // namespace taosync::store

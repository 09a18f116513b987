#pragma once
// A shop stopped by a dead refresh token stays stopped across restarts: every command that
// syncs refuses it (exit 77) until the configured refresh token changes, which lifts the stop.

#include "config/config.hpp"
#include "store/database.hpp"
#include "store/shop_flags.hpp"

#include <boost/asio/awaitable.hpp>

#include <stdexcept>
#include <string>

namespace taosync::daemon {

namespace net = boost::asio;

/// What a start does with the shop.
enum class ShopAdmission {
  go,     ///< not stopped
  resume, ///< stopped, but the configured refresh token changed since: lift the stop
  refuse, ///< stopped, with the refresh token it was stopped with: the seller must re-authorize
};

/// Decides from the stored flags and the configured refresh token's fingerprint.
ShopAdmission admit_shop(const store::ShopFlags& flags, const std::string& refresh_fingerprint);

/// What a stop is tied to: the configured refresh token, or the access token when no refresh
/// token is configured (then only a new access token can help). Hashed before it is stored.
const std::string& stop_key(const config::ApiConfig& api);

/// What the operator must do about a dead refresh token: which credential to change.
std::string reauthorize_hint();

/// A stopped shop was asked to sync again with the same refresh token (exit 77).
class ShopStopped : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// At start, before any API call: throws ShopStopped for a stopped shop, lifts a stop whose
/// refresh token has been changed since (returns true then: stored tokens refreshed from the
/// dead one must not be used), and records `refresh_fingerprint` for the next start.
net::awaitable<bool> check_shop_stop(store::Database& db, const std::string& shop,
                                     const std::string& refresh_fingerprint);

} // namespace taosync::daemon

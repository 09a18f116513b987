#pragma once
// Collecting what the platform owes: each owed order that is due is asked for again through
// /order/get, checked, and written with its lines in one transaction that also settles (or
// refreshes) its owed entry. A failed ask waits longer each time, up to a ceiling, so an order
// that stays broken costs a call an hour, not a loop.

#include "api/platform.hpp"
#include "config/config.hpp"
#include "model/stop.hpp"
#include "store/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace taosync::sync {

namespace net = boost::asio;

/// How owed orders are re-asked.
struct OwedSettings {
  std::string shop;
  int per_cycle{};                              ///< sync.owed.per_cycle
  std::chrono::milliseconds first_backoff{};    ///< sync.poll_interval
  std::chrono::milliseconds max_backoff{};      ///< sync.owed.max_backoff
  std::chrono::milliseconds future_tolerance{}; ///< sync.verify.future_tolerance
  /// Ask every owed order, due or not (`taosyncd once`: one complete attempt now).
  bool ignore_backoff{};

  /// The settings of `cfg`.
  static OwedSettings from(const config::Config& cfg, bool ignore_backoff);
};

/// What one round of re-asks did.
struct OwedTotals {
  std::uint64_t asked = 0;
  std::uint64_t settled = 0; ///< arrived whole and written
  std::uint64_t still_owed = 0;
};

/// The wait before the next ask of an order whose ask failed `attempts` times before.
std::chrono::milliseconds owed_backoff(const OwedSettings& settings, int attempts);

/// Re-asks the due owed orders (at most per_cycle). Throws api::ApiFailure for errors that
/// concern the whole app (a dead token, a refused signature); an error about one order only
/// postpones that order.
net::awaitable<OwedTotals> repay_owed(api::Platform& client, store::Database& db,
                                      const OwedSettings& settings, const model::Stop& stop);

} // namespace taosync::sync

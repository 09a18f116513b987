#pragma once
// Waiting for the database: connect attempts with doubling backoff, logged without flooding,
// given up after a deadline by the one-shot commands and kept up for ever by the daemon.

#include "store/store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace taosync::store {

/// How a caller waits for an unreachable database.
struct ConnectPolicy {
  Millis max_backoff{}; ///< database.reconnect_max_backoff
  /// Give up (DatabaseUnreachable) this long after the first failed attempt; nullopt: never.
  std::optional<Millis> give_up_after;
};

/// Sleeps up to the given time; returns false if the caller wants to stop waiting.
using WaitFn = std::function<bool(Millis)>;

/// Connects, retrying failed attempts with doubling backoff (after each wait `beat`, if set,
/// is called). The first failure is logged at warn with libpq's reason and the next attempt;
/// later ones at most once a minute, with the count. Throws DatabaseUnreachable naming the
/// target and database.connect_timeout once `give_up_after` has passed; returns nullptr if
/// `wait` returns false. Errors other than a failed connection propagate.
std::unique_ptr<Store> connect_store(const ConnectionSettings& settings,
                                     const ConnectPolicy& policy, const WaitFn& wait,
                                     const std::function<void()>& beat = {});

/// connect_store for a one-shot command: gives up after database.connect_timeout.
std::unique_ptr<Store> connect_store_or_give_up(const ConnectionSettings& settings,
                                                Millis max_backoff);

} // namespace taosync::store

#pragma once
// What the platform still owes a shop, in taosync.owed_orders, and the window a shop is held
// at, in taosync.held_windows; read and written inside a caller's transaction.

#include "store/batch.hpp"

#include <pqxx/transaction_base>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taosync::store {

/// An owed order that is due for another ask.
struct DueOwed {
  OwedOrder order;
  int attempts = 0; ///< asks that failed so far
};

/// How much a shop is owed.
struct OwedSummary {
  std::int64_t orders = 0;
  std::int64_t lines = 0;
  std::optional<std::string> newest_reason;
};

/// A window the platform's answers for did not add up: the cursor waits before it.
struct HeldWindow {
  model::TimePoint from;
  model::TimePoint to;
  std::string reason;
  std::optional<std::chrono::system_clock::time_point> since;
};

/// Remembers `owed` (a newer entry for an order replaces the older one, keeping its backoff).
void upsert_owed(pqxx::transaction_base& tx, const std::string& shop,
                 const std::vector<OwedOrder>& owed);

/// Forgets what `settled` orders owed, where their line sets were replaced in this
/// transaction (still in stage_sets: not stale). Returns the entries settled.
std::uint64_t settle_owed(pqxx::transaction_base& tx, const std::string& shop,
                          const std::vector<std::string>& settled);

/// Up to `limit` owed orders due now (or any, if `due_or_not`), the longest waiting first.
std::vector<DueOwed> select_due_owed(pqxx::transaction_base& tx, const std::string& shop, int limit,
                                     bool due_or_not = false);

/// Records a failed ask: the next one waits `delay`; `reason` says what went wrong.
void postpone_owed(pqxx::transaction_base& tx, const std::string& shop, const std::string& id,
                   const std::string& reason, std::chrono::milliseconds delay);

/// Counts of what the shop is owed, with the newest reason.
OwedSummary select_owed_summary(pqxx::transaction_base& tx, const std::string& shop);

/// Records (or refreshes) the window the shop is held at; nullopt clears it.
void upsert_held(pqxx::transaction_base& tx, const std::string& shop,
                 const std::optional<HeldWindow>& held);

/// The window the shop is held at, if any.
std::optional<HeldWindow> select_held(pqxx::transaction_base& tx, const std::string& shop);

} // namespace taosync::store

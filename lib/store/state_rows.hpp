#pragma once
// Reading and writing a shop's row of taosync.sync_state inside a caller's transaction.

#include "store/sync_state.hpp"

#include <pqxx/transaction_base>

namespace taosync::store {

/// The shop's stored state, or a fresh one (only `shop` set) if there is none.
SyncState select_state(pqxx::transaction_base& tx, const std::string& shop);

/// Inserts or replaces the state's row (keyed by state.shop).
void upsert_state(pqxx::transaction_base& tx, const SyncState& state);

} // namespace taosync::store

#pragma once
// Reading and writing, inside a caller's transaction, the two rows a shop's sync resumes from:
// its cursor in taosync.sync_state and its refreshed tokens in taosync.shop_tokens.

#include "model/tokens.hpp"
#include "store/sync_state.hpp"

#include <pqxx/transaction_base>

#include <optional>
#include <string>

namespace taosync::store {

/// The shop's stored state, or a fresh one (only `shop` set) if there is none.
SyncState select_state(pqxx::transaction_base& tx, const std::string& shop);

/// Inserts or replaces the state's row (keyed by state.shop).
void upsert_state(pqxx::transaction_base& tx, const SyncState& state);

/// Tokens persisted after a refresh, if any, and only if they descend from the configured
/// access token whose SHA-256 hex is `config_fingerprint` (a re-authorized seller's new
/// config token wins over stale stored ones).
std::optional<model::Tokens> select_tokens(pqxx::transaction_base& tx, const std::string& shop,
                                           const std::string& config_fingerprint);

/// Stores refreshed tokens, tied to the configured token `config_fingerprint`.
void upsert_tokens(pqxx::transaction_base& tx, const std::string& shop, const model::Tokens& tokens,
                   const std::string& config_fingerprint);

} // namespace taosync::store

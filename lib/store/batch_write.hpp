#pragma once
// The batch write, one transaction: COPY into TEMP staging tables, then set-based statements
// that compare with the stored rows; or, when none of the rows is stored, COPY straight into
// the real tables (store/fresh_write.hpp).

#include "store/batch.hpp"
#include "store/leases.hpp"
#include "store/session.hpp"

#include <pqxx/connection>

#include <optional>

namespace taosync::store {

/// Creates the session's staging tables. Run once per connection, when it opens; not behind
/// a transaction pooler, where each write creates its own (dropped at its commit).
void create_staging(pqxx::connection& conn);

/// Prepares the write statements. Run once per connection, before the first write_batch and
/// after the migrations: libpqxx 7 sends the PREPARE at once, and it names the real tables.
/// Behind a transaction pooler nothing is prepared: the writes send their statements unnamed.
void prepare_batch_statements(pqxx::connection& conn, const Pooling& pooling = {});

/// create_staging, then prepare_batch_statements.
void prepare_batch_write(pqxx::connection& conn);

/// Writes `batch` (and its cursor, if any) in one transaction and commits it, if `fence` (when
/// set) still holds the shop's lease; LeaseLost otherwise, and nothing is written.
WriteResult write_batch(pqxx::connection& conn, const Batch& batch,
                        const std::optional<Fence>& fence = std::nullopt,
                        const Pooling& pooling = {});

} // namespace taosync::store

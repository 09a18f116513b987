#pragma once
// The batch write: COPY into TEMP staging tables, then set-based statements, one transaction.

#include "store/batch.hpp"

#include <pqxx/connection>

namespace taosync::store {

/// Creates the session's staging tables and prepares the write statements. Run once per
/// connection, before the first write_batch.
void prepare_batch_write(pqxx::connection_base& conn);

/// Writes `batch` (and its cursor, if any) in one transaction and commits it.
WriteResult write_batch(pqxx::connection_base& conn, const Batch& batch);

} // namespace taosync::store

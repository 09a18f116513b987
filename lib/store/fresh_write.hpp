#pragma once
// The write of a fresh batch: none of its orders and lines is stored yet, as in every batch of
// a first init. Its rows are COPYed straight into the real tables, not through staging and the
// set-based upserts, which have nothing to compare them with; the status history and the feed
// rows (change_feed.hpp, publish_new_changes) are those of new orders and lines, as the
// compared write would record them.

#include "model/records.hpp"
#include "store/batch.hpp"
#include "store/batch_check.hpp"
#include "store/session.hpp"

#include <pqxx/connection>
#include <pqxx/transaction>

#include <string>

namespace taosync::store {

/// Prepares the fresh write's statements on a write connection (with prepare_batch_write).
void prepare_fresh_write(pqxx::connection& conn, const Pooling& pooling);

/// Whether `b` could be written fresh, as far as the batch alone tells: it has orders, every
/// line set it replaces is of one of them, and every time is within the years 1 to 9999.
bool fresh_candidate(const CheckedBatch& b);

/// Whether none of `b`'s orders is stored for `shop` (lines are only stored with their order).
/// With the shop's lease (or a single writer) nothing can be stored in between; a row that is
/// anyway (a line moved to another order, a one-shot command beside a daemon without leases)
/// fails copy_fresh with pqxx::unique_violation, and the transaction with it.
bool none_stored(pqxx::work& tx, const Pooling& pooling, const std::string& shop,
                 const CheckedBatch& b);

/// COPYs `b`'s orders, lines, shipments, sku properties and their status history (changes from
/// NULL) into the real tables, and the ids, statuses and times of its orders and lines into
/// staging for publish_new_changes; counts them in `result` as inserted and as status changes.
/// Only for a batch none_stored found fresh.
void copy_fresh(pqxx::work& tx, const std::string& shop, const CheckedBatch& b,
                WriteResult& result);

} // namespace taosync::store

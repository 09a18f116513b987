#pragma once
// The change feed's part of a batch write (line status history, the feed rows and their
// publication under the ordering lock), its retention, and how it is read.

#include "store/session.hpp"

#include <pqxx/connection>
#include <pqxx/transaction>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taosync::store {

class Store;

/// Prepares the change feed's statements on a write connection (with prepare_batch_write).
void prepare_change_feed(pqxx::connection& conn, const Pooling& pooling);

/// Records the status changes of the staged lines about to be written and stages their feed
/// rows (line_status, lines_replaced, shipment). Call after the staged lines were pruned and
/// before their stored shipments are deleted. Returns the number of line status changes.
std::uint64_t record_line_changes(pqxx::work& tx, const Pooling& pooling, const std::string& shop);

/// Publishes the batch's staged feed rows into taosync.changes under the feed's ordering lock,
/// and sends the NOTIFYs. The last statement of a write before its commit. Returns the rows.
std::uint64_t publish_changes(pqxx::work& tx, const Pooling& pooling, const std::string& shop);

/// publish_changes for a fresh batch (store/fresh_write.hpp): the feed rows and NOTIFYs of its
/// new orders and lines, read from what copy_fresh staged, under the same ordering lock.
/// Returns the rows.
std::uint64_t publish_new_changes(pqxx::work& tx, const Pooling& pooling, const std::string& shop);

/// Deletes feed rows older than `retention`, at most `batch_rows` per statement and
/// `max_batches` statements, each its own transaction. Returns the rows deleted.
std::uint64_t prune_changes(Store& store, std::chrono::milliseconds retention,
                            int batch_rows = 1000, int max_batches = 10);

/// One row of the feed: its id and the row as one JSON object (id, shop, trade_order_id, kind,
/// detail, at).
struct FeedRow {
  std::int64_t id = 0;
  std::string json;
};

/// Up to `limit` feed rows after `since`, of `shop` (nullopt: every shop), in id order.
std::vector<FeedRow> read_changes(pqxx::connection& conn, std::int64_t since,
                                  const std::optional<std::string>& shop, int limit,
                                  const Pooling& pooling = {});

} // namespace taosync::store

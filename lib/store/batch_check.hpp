#pragma once
// Preparing a batch for staging: records the database would refuse are rejected with a reason
// instead of failing the whole transaction, duplicates are collapsed (newest wins), and text
// is repaired where PostgreSQL would refuse it.

#include "store/batch.hpp"

#include <deque>
#include <string>
#include <vector>

namespace taosync::store {

/// The batch as it will be staged. Points into the Batch it was made from (or into its own
/// repaired copies), so it must not outlive that Batch.
struct CheckedBatch {
  std::vector<const model::Order*> orders;     ///< valid, one per trade_order_id
  std::vector<const model::OrderLine*> lines;  ///< valid, one per line id, of orders in lines_for
  std::vector<std::string> lines_for;          ///< distinct order ids whose line sets are replaced
  std::vector<model::RejectedRecord> rejected; ///< the batch's rejects plus those found here
  std::deque<model::Order> repaired_orders;
  std::deque<model::OrderLine> repaired_lines;
};

/// Checks, de-duplicates and repairs `batch` for staging.
CheckedBatch check_batch(const Batch& batch);

/// The reason `id` cannot be a key (empty, too long, odd characters), or "" if it is fine.
std::string id_problem(std::string_view id);

} // namespace taosync::store

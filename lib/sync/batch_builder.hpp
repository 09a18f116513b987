#pragma once
// Cuts the stream of read windows into write transactions of at most database.batch_orders
// orders. Each batch carries the cursor of the last window it fully contains, so a commit
// never claims more than it holds. Pure.

#include "store/batch.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace taosync::sync {

class BatchBuilder {
public:
  /// `max_orders` caps the orders of one batch (at least 1).
  BatchBuilder(std::string shop, std::size_t max_orders);

  /// Adds one completely read window: its orders, its rejected records and the cursor to
  /// commit once all of it is written. Returns the batches that became ready, in order.
  std::vector<store::Batch> add(std::vector<model::Order> orders,
                                std::vector<model::RejectedRecord> rejected,
                                std::optional<store::SyncState> cursor);

  /// Whatever is pending (orders, rejects or just a cursor), or nullopt.
  std::optional<store::Batch> flush();

private:
  void append(model::Order order);
  store::Batch take();

  std::string shop_;
  std::size_t max_orders_;
  store::Batch current_;
  std::unordered_map<std::string, std::size_t> index_; ///< order id -> position in current_
};

} // namespace taosync::sync

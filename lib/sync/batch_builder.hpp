#pragma once
// Cuts the stream of read windows into write transactions of at most database.batch_orders
// orders. Each batch carries the cursor of the last window it fully contains, so a commit
// never claims more than it holds. The first batches may be smaller, doubling up to the cap:
// the writer starts on the first page's orders instead of waiting for a whole batch. Pure.

#include "store/batch.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace taosync::sync {

class BatchBuilder {
public:
  /// `max_orders` caps the orders of one batch (at least 1); the first batch holds at most
  /// `first_orders`, and each after it at most twice the one before, up to `max_orders`.
  BatchBuilder(std::string shop, std::size_t max_orders, std::size_t first_orders);
  BatchBuilder(std::string shop, std::size_t max_orders)
      : BatchBuilder(std::move(shop), max_orders, max_orders) {}

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
  std::size_t cap_; ///< of the batch being built
  store::Batch current_;
  std::unordered_map<std::string, std::size_t> index_; ///< order id -> position in current_
};

} // namespace taosync::sync

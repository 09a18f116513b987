#include "sync/batch_builder.hpp"

#include "model/newest.hpp"

#include <algorithm>
#include <utility>

namespace taosync::sync {

BatchBuilder::BatchBuilder(std::string shop, std::size_t max_orders, std::size_t first_orders)
    : shop_(std::move(shop)), max_orders_(std::max<std::size_t>(1, max_orders)),
      cap_(std::clamp<std::size_t>(first_orders, 1, max_orders_)) {
  current_.shop = shop_;
}

store::Batch BatchBuilder::take() {
  if (!current_.orders.empty())
    cap_ = std::min(max_orders_, cap_ * 2);
  store::Batch out = std::move(current_);
  current_ = store::Batch{};
  current_.shop = shop_;
  index_.clear();
  return out;
}

void BatchBuilder::append(model::Order order) {
  // An order modified while the sweep ran can show up in two windows: keep the newest.
  std::string id = order.trade_order_id;
  model::keep_newest(current_.orders, index_, std::move(id), std::move(order));
}

std::vector<store::Batch> BatchBuilder::add(std::vector<model::Order> orders,
                                            std::vector<model::RejectedRecord> rejected,
                                            std::optional<store::SyncState> cursor) {
  std::vector<store::Batch> ready;
  if (!current_.orders.empty() && current_.orders.size() + orders.size() > cap_) {
    ready.push_back(take());
  }
  // A window larger than a batch (many orders in one ms) is split; only its last part may
  // carry the cursor, because only then is the whole window written.
  std::size_t i = 0;
  while (orders.size() - i > cap_) {
    for (std::size_t end = i + cap_; i < end; ++i) {
      append(std::move(orders[i]));
    }
    ready.push_back(take());
  }
  for (; i < orders.size(); ++i) {
    append(std::move(orders[i]));
  }
  std::move(rejected.begin(), rejected.end(), std::back_inserter(current_.rejected));
  if (cursor) {
    current_.cursor = std::move(cursor);
  }
  if (current_.orders.size() >= cap_) {
    ready.push_back(take());
  }
  return ready;
}

std::optional<store::Batch> BatchBuilder::flush() {
  if (current_.orders.empty() && current_.rejected.empty() && !current_.cursor) {
    return std::nullopt;
  }
  return take();
}

} // namespace taosync::sync

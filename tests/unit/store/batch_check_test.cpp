// Records the store refuses are rejected under their whole id (or a marked hash of it), never
// under a truncated id that could name another order.

#include "model/rejected_id.hpp"
#include "store/batch_check.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace taosync;

namespace {

model::Order order_with_id(std::string id) {
  model::Order o;
  o.trade_order_id = std::move(id);
  o.status = "pending";
  o.raw_json = "{}";
  return o;
}

} // namespace

TEST_CASE("an order id the store refuses as too long is filed whole, or hashed, never cut") {
  store::Batch batch;
  const std::string longer = "600000000001" + std::string(80, '0');
  const std::string huge = "600000000002" + std::string(4000, '0');
  batch.orders = {order_with_id(longer), order_with_id(huge), order_with_id("600000000003")};
  const auto checked = store::check_batch(batch);
  REQUIRE(checked.orders.size() == 1);
  CHECK(checked.orders[0]->trade_order_id == "600000000003");
  REQUIRE(checked.rejected.size() == 2);
  CHECK(checked.rejected[0].record_id == longer);
  CHECK(checked.rejected[0].reason == "trade_order_id: longer than 64 bytes");
  CHECK(checked.rejected[1].record_id == model::rejected_record_id(huge));
  CHECK(model::is_hashed_id(checked.rejected[1].record_id));
  CHECK_FALSE(store::id_problem(checked.rejected[1].record_id).empty()); // never owed
}

TEST_CASE("a rejected record from the parser with an overlong id is filed by its hash") {
  store::Batch batch;
  const std::string huge(3000, '7');
  batch.rejected.push_back({"/orders/get", huge, "trade_order_id: id too long", "{}"});
  batch.rejected.push_back({"/orders/get", "600000000004", "status: missing", "{}"});
  const auto checked = store::check_batch(batch);
  REQUIRE(checked.rejected.size() == 2);
  CHECK(checked.rejected[0].record_id == model::rejected_record_id(huge));
  CHECK(checked.rejected[1].record_id == "600000000004");
}

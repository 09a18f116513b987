#include "sync/batch_builder.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace taosync;
using namespace std::chrono_literals;

namespace {

std::vector<model::Order> orders(int first, int n, std::int64_t mtime = 1000) {
  std::vector<model::Order> out;
  for (int i = first; i < first + n; ++i) {
    model::Order o;
    o.trade_order_id = std::to_string(i);
    o.modification_time = model::TimePoint(std::chrono::milliseconds(mtime));
    out.push_back(o);
  }
  return out;
}

store::SyncState cursor_at(std::int64_t hwm) {
  store::SyncState s;
  s.shop = std::string(1, 's'); // (assigning a literal trips GCC 12's false -Wrestrict)
  s.hwm = model::TimePoint(std::chrono::milliseconds(hwm));
  return s;
}

std::int64_t hwm_of(const store::Batch& b) {
  return b.cursor->hwm->time_since_epoch().count();
}

} // namespace

TEST_CASE("windows accumulate until the next one would overflow the batch") {
  sync::BatchBuilder b("s", 250);
  CHECK(b.add(orders(0, 100), {}, cursor_at(1)).empty());
  CHECK(b.add(orders(100, 100), {}, cursor_at(2)).empty());
  const auto ready = b.add(orders(200, 100), {}, cursor_at(3));
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].shop == "s");
  CHECK(ready[0].orders.size() == 200);
  CHECK(hwm_of(ready[0]) == 2); // the end of the last window it fully holds
  const auto rest = b.flush();
  REQUIRE(rest);
  CHECK(rest->orders.size() == 100);
  CHECK(hwm_of(*rest) == 3);
  CHECK_FALSE(b.flush());
}

TEST_CASE("a batch that reaches the cap exactly is ready at once") {
  sync::BatchBuilder b("s", 200);
  CHECK(b.add(orders(0, 100), {}, cursor_at(1)).empty());
  const auto ready = b.add(orders(100, 100), {}, cursor_at(2));
  REQUIRE(ready.size() == 1);
  CHECK(ready[0].orders.size() == 200);
  CHECK(hwm_of(ready[0]) == 2);
  CHECK_FALSE(b.flush());
}

TEST_CASE("empty windows make a cursor-only batch") {
  sync::BatchBuilder b("s", 500);
  CHECK(b.add({}, {}, cursor_at(10)).empty());
  CHECK(b.add({}, {}, cursor_at(20)).empty());
  const auto batch = b.flush();
  REQUIRE(batch);
  CHECK(batch->orders.empty());
  CHECK(hwm_of(*batch) == 20);
}

TEST_CASE("a window larger than a batch is split and only its last part carries the cursor") {
  sync::BatchBuilder b("s", 100);
  CHECK(b.add(orders(0, 30), {}, cursor_at(1)).empty());
  const auto ready = b.add(orders(100, 250), {}, cursor_at(2));
  REQUIRE(ready.size() == 3);
  CHECK(ready[0].orders.size() == 30);
  CHECK(hwm_of(ready[0]) == 1);
  CHECK(ready[1].orders.size() == 100);
  CHECK_FALSE(ready[1].cursor);
  CHECK(ready[2].orders.size() == 100);
  CHECK_FALSE(ready[2].cursor);
  const auto rest = b.flush();
  REQUIRE(rest);
  CHECK(rest->orders.size() == 50);
  CHECK(hwm_of(*rest) == 2);
}

TEST_CASE("an order seen twice in a batch keeps its newest version") {
  sync::BatchBuilder b("s", 500);
  (void)b.add(orders(1, 1, 2000), {}, cursor_at(1));
  (void)b.add(orders(1, 1, 1000), {}, cursor_at(2));
  (void)b.add(orders(2, 1, 1000), {}, cursor_at(3));
  (void)b.add(orders(2, 1, 3000), {}, cursor_at(4));
  const auto batch = b.flush();
  REQUIRE(batch);
  REQUIRE(batch->orders.size() == 2);
  CHECK(batch->orders[0].modification_time.time_since_epoch() == 2000ms);
  CHECK(batch->orders[1].modification_time.time_since_epoch() == 3000ms);
}

TEST_CASE("rejected records travel with their window") {
  sync::BatchBuilder b("s", 500);
  model::RejectedRecord r{"/orders/get", "9", "bad modification_time", "{}"};
  (void)b.add(orders(0, 1), {r}, cursor_at(1));
  const auto batch = b.flush();
  REQUIRE(batch);
  REQUIRE(batch->rejected.size() == 1);
  CHECK(batch->rejected[0].record_id == "9");
}

TEST_CASE("a window without a cursor keeps the previous one") {
  sync::BatchBuilder b("s", 500);
  (void)b.add(orders(0, 1), {}, cursor_at(5));
  (void)b.add(orders(1, 1), {}, std::nullopt);
  const auto batch = b.flush();
  REQUIRE(batch);
  CHECK(hwm_of(*batch) == 5);
}

TEST_CASE("the first batches start small and double up to the cap") {
  sync::BatchBuilder b("s", 500, 100);
  std::vector<std::size_t> sizes;
  for (int page = 0; page < 20; ++page)
    for (auto& batch : b.add(orders(page * 100, 100), {}, std::nullopt))
      sizes.push_back(batch.orders.size());
  auto last = b.add({}, {}, cursor_at(9));
  CHECK(last.empty());
  const auto rest = b.flush();
  REQUIRE(rest);
  sizes.push_back(rest->orders.size());
  CHECK(hwm_of(*rest) == 9); // the cursor waits for the window's last order
  // 100, 200, 400, then 500s: 2,000 orders in all
  CHECK(sizes == std::vector<std::size_t>{100, 200, 400, 500, 500, 300});
}

#include "model/newest.hpp"
#include "model/records.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

using namespace taosync::model;

namespace {

Order version(std::string id, std::int64_t ms, std::string status) {
  Order o;
  o.trade_order_id = std::move(id);
  o.modification_time = TimePoint(std::chrono::milliseconds(ms));
  o.status = std::move(status);
  return o;
}

} // namespace

TEST_CASE("newest wins; on a tie the version read last; first-seen order is kept") {
  std::vector<Order> kept;
  std::unordered_map<std::string, std::size_t> at;
  const auto add = [&](Order o) {
    std::string id = o.trade_order_id;
    keep_newest(kept, at, std::move(id), std::move(o));
  };
  add(version("A", 100, "unpaid"));
  add(version("B", 100, "unpaid"));
  add(version("A", 300, "shipped"));
  add(version("A", 200, "paid"));     // older than what is kept: ignored
  add(version("B", 100, "canceled")); // a tie: read later, kept
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].trade_order_id == "A");
  CHECK(kept[0].status == "shipped");
  CHECK(kept[1].trade_order_id == "B");
  CHECK(kept[1].status == "canceled");
}

TEST_CASE("keep_newest works on pointers to records held elsewhere") {
  const std::vector<Order> batch = {version("A", 200, "paid"), version("A", 100, "unpaid")};
  std::vector<const Order*> kept;
  std::unordered_map<std::string_view, std::size_t> at;
  for (const auto& o : batch)
    keep_newest(kept, at, std::string_view(o.trade_order_id), &o);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0]->status == "paid");
  CHECK(supersedes(batch[0], batch[1]));
  CHECK_FALSE(supersedes(batch[1], batch[0]));
}

#include "store/shop_report.hpp"

#include "store/pq.hpp"
#include "store/state_rows.hpp"

#include <pqxx/pqxx>

namespace taosync::store {
namespace {

constexpr std::string_view kCounts = R"sql(
SELECT (SELECT count(*) FROM taosync.orders WHERE shop = $1),
       (SELECT count(*) FROM taosync.order_lines WHERE shop = $1),
       (SELECT count(*) FROM taosync.rejected_records WHERE shop = $1)
)sql";

} // namespace

ShopCounts select_counts(pqxx::transaction_base& tx, const std::string& shop) {
  const auto r = pq::run1(tx, std::string(kCounts), shop);
  return {r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), r[2].as<std::int64_t>()};
}

std::vector<ShopReport> select_shop_reports(pqxx::transaction_base& tx,
                                            const std::vector<std::string>& shops) {
  std::vector<ShopReport> out;
  const auto leases = select_leases(tx);
  for (const std::string& shop : shops) {
    ShopReport& r = out.emplace_back();
    r.state = select_state(tx, shop);
    r.counts = select_counts(tx, shop);
    r.owed = select_owed_summary(tx, shop);
    r.held = select_held(tx, shop);
    r.flags = select_shop_flags(tx, shop);
    for (const Lease& lease : leases)
      if (lease.shop == shop)
        r.lease = lease;
  }
  return out;
}

} // namespace taosync::store

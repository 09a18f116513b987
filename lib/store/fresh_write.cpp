#include "store/fresh_write.hpp"

#include "store/copy_rows.hpp"
#include "store/pq.hpp"
#include "store/text_repair.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace taosync::store {
namespace {

/// Whether any of the order ids $2 (an array literal) is stored for the shop $1: the statement
/// that decides whether a batch is fresh. One primary-key probe per id, written as
/// batch_sql.hpp says (OFFSET 0, the shop as `(SELECT $1::text)`). Lines are not probed: a line
/// is only ever stored with its order, and one stored under another order fails the fresh
/// write's COPY, which is then compared instead.
constexpr Statement kAnyStored{"taosync_any_stored", R"sql(
SELECT EXISTS (SELECT 1 FROM unnest($2::text[]) AS k(id)
               WHERE EXISTS (SELECT 1 FROM taosync.orders
                             WHERE shop = (SELECT $1::text) AND trade_order_id = k.id
                             OFFSET 0))
)sql"};

/// Whether `t` is within the years the fresh write takes (1 to 9999; PostgreSQL takes more).
bool writable(model::TimePoint t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  return ymd.year() >= std::chrono::year(1) && ymd.year() <= std::chrono::year(9999);
}

/// The status history of new orders and lines: changes from NULL (old_status stays NULL).
void copy_history(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  using copy::Into;
  copy::Rows orders(tx, "taosync.order_status_history",
                    {"trade_order_id", "new_status", "modification_time"}, Into::tables, shop);
  for (const model::Order* o : b.orders) {
    orders.begin();
    orders.text(o->trade_order_id);
    orders.text(o->status);
    orders.time(o->modification_time);
  }
  orders.complete();
  copy::Rows lines(tx, "taosync.order_line_status_history",
                   {"trade_order_id", "trade_order_line_id", "new_status", "modification_time"},
                   Into::tables, shop);
  for (const model::OrderLine* l : b.lines) {
    lines.begin();
    lines.text(l->trade_order_id);
    lines.text(l->trade_order_line_id);
    lines.text(l->status);
    lines.time(l->modification_time);
  }
  lines.complete();
}

/// What publish_new_changes reads of the orders and lines: ids, status, time, line ids.
void stage_new(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  using copy::Into;
  copy::Rows orders(tx, "stage_orders", {"trade_order_id", "status", "modification_ms", "line_ids"},
                    Into::staging, shop);
  for (const model::Order* o : b.orders) {
    orders.begin();
    orders.text(o->trade_order_id);
    orders.text(o->status);
    orders.time(o->modification_time);
    orders.ids(o->line_ids);
  }
  orders.complete();
  copy::Rows lines(tx, "stage_lines",
                   {"trade_order_line_id", "trade_order_id", "status", "modification_ms"},
                   Into::staging, shop);
  for (const model::OrderLine* l : b.lines) {
    lines.begin();
    lines.text(l->trade_order_line_id);
    lines.text(l->trade_order_id);
    lines.text(l->status);
    lines.time(l->modification_time);
  }
  lines.complete();
}

} // namespace

void prepare_fresh_write(pqxx::connection& conn, const Pooling& pooling) {
  prepare(conn, pooling, kAnyStored);
}

bool fresh_candidate(const CheckedBatch& b) {
  if (b.orders.empty())
    return false;
  std::unordered_set<std::string_view> ids;
  for (const model::Order* o : b.orders) {
    if (!writable(o->creation_time) || !writable(o->modification_time))
      return false;
    ids.insert(o->trade_order_id);
  }
  for (const auto& id : b.lines_for)
    if (!ids.contains(id))
      return false; // a line set of an order the batch does not list: it may be stored
  for (const model::OrderLine* l : b.lines)
    if (!writable(l->creation_time) || !writable(l->modification_time))
      return false;
  return true;
}

bool none_stored(pqxx::work& tx, const Pooling& pooling, const std::string& shop,
                 const CheckedBatch& b) {
  std::vector<std::string> orders;
  orders.reserve(b.orders.size());
  for (const model::Order* o : b.orders)
    orders.push_back(o->trade_order_id);
  return !run1(tx, pooling, kAnyStored, shop, array_literal(orders))[0].as<bool>();
}

void copy_fresh(pqxx::work& tx, const std::string& shop, const CheckedBatch& b,
                WriteResult& result) {
  using copy::Into;
  copy::copy_orders(tx, b, "taosync.orders", Into::tables, shop);
  copy::copy_lines(tx, b, "taosync.order_lines", Into::tables, shop);
  copy::copy_line_children(tx, b, "taosync.line_shipments", "taosync.line_sku_properties",
                           Into::tables, shop);
  copy_history(tx, shop, b);
  stage_new(tx, shop, b);
  result.inserted = b.orders.size();
  result.lines = b.lines.size();
  result.status_changes = b.orders.size(); // from NULL, as the compared write counts them
  result.line_status_changes = b.lines.size();
}

} // namespace taosync::store

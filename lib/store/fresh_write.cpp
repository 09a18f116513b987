#include "store/fresh_write.hpp"

#include "store/copy_rows.hpp"
#include "store/fresh_sql.hpp"

#include "model/time_text.hpp"
#include "store/text_repair.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <vector>

namespace taosync::store {
namespace {

constexpr const char* kAnyStoredName = "taosync_any_stored";

/// Whether timestamptz_text can write `t`.
bool writable(model::TimePoint t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  return ymd.year() >= std::chrono::year(1) && ymd.year() <= std::chrono::year(9999);
}

void copy_order_rows(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  static const auto kColumns = copy::columns({"raw", "shop"}, copy::order_columns(),
                                             {"creation_time", "modification_time", "line_ids"});
  pqxx::stream_to stream(tx, "taosync.orders", kColumns);
  for (const model::Order* o : b.orders)
    stream << std::tuple_cat(
        std::make_tuple(copy::or_null(o->raw_json), shop.c_str()), copy::order_fields(*o),
        std::make_tuple(timestamptz_text(o->creation_time), timestamptz_text(o->modification_time),
                        array_literal(o->line_ids)));
  stream.complete();
}

void copy_line_rows(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  static const auto kColumns =
      copy::columns({"raw", "shop"}, copy::line_columns(), {"creation_time", "modification_time"});
  pqxx::stream_to stream(tx, "taosync.order_lines", kColumns);
  for (const model::OrderLine* l : b.lines)
    stream << std::tuple_cat(std::make_tuple(copy::or_null(l->raw_json), shop.c_str()),
                             copy::line_fields(*l),
                             std::make_tuple(timestamptz_text(l->creation_time),
                                             timestamptz_text(l->modification_time)));
  stream.complete();
}

void copy_child_rows(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  copy::line_children(tx, b, "taosync.line_shipments", "taosync.line_sku_properties", {"shop"},
                      std::make_tuple(shop.c_str()));
}

/// The status history of new orders and lines: changes from NULL (old_status stays NULL).
void copy_history(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  pqxx::stream_to orders(
      tx, "taosync.order_status_history",
      std::vector<std::string>{"shop", "trade_order_id", "new_status", "modification_time"});
  for (const model::Order* o : b.orders)
    orders << std::make_tuple(shop.c_str(), o->trade_order_id.c_str(), o->status.c_str(),
                              timestamptz_text(o->modification_time));
  orders.complete();
  pqxx::stream_to lines(tx, "taosync.order_line_status_history",
                        std::vector<std::string>{"shop", "trade_order_id", "trade_order_line_id",
                                                 "new_status", "modification_time"});
  for (const model::OrderLine* l : b.lines)
    lines << std::make_tuple(shop.c_str(), l->trade_order_id.c_str(),
                             l->trade_order_line_id.c_str(), l->status.c_str(),
                             timestamptz_text(l->modification_time));
  lines.complete();
}

/// What publish_new_changes reads of the orders and lines: ids, status, time, line ids.
void stage_new(pqxx::work& tx, const CheckedBatch& b) {
  pqxx::stream_to orders(
      tx, "stage_orders",
      std::vector<std::string>{"trade_order_id", "status", "modification_ms", "line_ids"});
  for (const model::Order* o : b.orders)
    orders << std::make_tuple(o->trade_order_id.c_str(), o->status.c_str(),
                              o->modification_time.time_since_epoch().count(),
                              array_literal(o->line_ids));
  orders.complete();
  pqxx::stream_to lines(tx, "stage_lines",
                        std::vector<std::string>{"trade_order_line_id", "trade_order_id", "status",
                                                 "modification_ms"});
  for (const model::OrderLine* l : b.lines)
    lines << std::make_tuple(l->trade_order_line_id.c_str(), l->trade_order_id.c_str(),
                             l->status.c_str(), l->modification_time.time_since_epoch().count());
  lines.complete();
}

} // namespace

void prepare_fresh_write(pqxx::connection_base& conn) {
  conn.prepare(kAnyStoredName, std::string(sql::kAnyStored));
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

bool none_stored(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  std::vector<std::string> orders;
  orders.reserve(b.orders.size());
  for (const model::Order* o : b.orders)
    orders.push_back(o->trade_order_id);
  return !tx.exec_prepared1(kAnyStoredName, shop, array_literal(orders))[0].as<bool>();
}

void copy_fresh(pqxx::work& tx, const std::string& shop, const CheckedBatch& b,
                WriteResult& result) {
  copy_order_rows(tx, shop, b);
  copy_line_rows(tx, shop, b);
  copy_child_rows(tx, shop, b);
  copy_history(tx, shop, b);
  stage_new(tx, b);
  result.inserted = b.orders.size();
  result.lines = b.lines.size();
  result.status_changes = b.orders.size(); // from NULL, as the compared write counts them
  result.line_status_changes = b.lines.size();
}

std::string timestamptz_text(model::TimePoint t) {
  return model::format_timestamptz(t);
}

} // namespace taosync::store

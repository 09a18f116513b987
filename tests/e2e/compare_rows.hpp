#pragma once
// The compare tool's view of the database: which truth key maps to which column, and the
// rows of one chunk of orders fetched in a few set-based queries.

#include <boost/json/object.hpp>
#include <pqxx/transaction_base>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace taosync::e2e::rows {

/// A column value as text; nullopt is SQL NULL (or an absent JSON key).
using Value = std::optional<std::string>;

/// How a value is compared.
enum class Kind { text, money, time_ms, integer };

/// One compared column: its key in the truth JSON ("delivery_info.city") and its column.
struct Field {
  std::string_view truth_key;
  std::string_view column;
  Kind kind;
};

/// Compared columns of taosync.orders (besides trade_order_id, modification_time, line_ids).
extern const std::vector<Field> kOrderFields;
/// Compared columns of taosync.order_lines (besides trade_order_line_id, modification_time).
extern const std::vector<Field> kLineFields;

struct DbOrder {
  std::int64_t modification_ms = 0;
  std::vector<std::string> line_ids; ///< sorted
  std::vector<Value> values;         ///< in kOrderFields order
};

struct DbLine {
  std::string trade_order_id;
  std::int64_t modification_ms = 0;
  std::vector<Value> values; ///< in kLineFields order
};

struct ShipmentRow {
  std::int64_t order_no = 0;
  Value tracking_number;
  Value logistics_id;
};

/// property_id, property_name, value_id, value_text
using SkuRow = std::array<std::string, 4>;

/// The database rows of one chunk of orders.
struct DbChunk {
  std::unordered_map<std::string, DbOrder> orders;
  std::unordered_map<std::string, DbLine> lines; ///< every line of those orders
  std::unordered_map<std::string, std::vector<ShipmentRow>> shipments; ///< by line id
  std::unordered_map<std::string, std::vector<SkuRow>> sku;            ///< by line id
  std::int64_t shipment_rows = 0;
  std::int64_t sku_rows = 0;
};

/// Fetches the orders with `order_ids` and all their lines.
void fetch_orders_and_lines(pqxx::transaction_base& tx, const std::string& shop,
                            const std::vector<std::string>& order_ids, DbChunk& out);

/// Fetches shipments and sku properties of `line_ids`.
void fetch_line_children(pqxx::transaction_base& tx, const std::string& shop,
                         const std::vector<std::string>& line_ids, DbChunk& out);

/// SQL selecting a timestamptz column as epoch milliseconds text.
std::string time_ms_expr(const std::string& column);

/// A PostgreSQL text[] literal.
std::string pg_text_array(const std::vector<std::string>& items);

/// The JSON value at a dotted path, or nullptr.
const boost::json::value* json_path(const boost::json::object& obj, std::string_view dotted);

/// A JSON scalar as text (numbers in decimal), nullopt for null or absent.
Value json_text(const boost::json::value* v);

/// Equality under `kind` (NULL equals "", decimals by value).
bool same_value(Kind kind, const Value& a, const Value& b);

/// The sku properties encoded in a line's `sku_info` string, sorted; nullopt if unparsable.
std::optional<std::vector<SkuRow>> parse_sku_info(const Value& sku_info);

} // namespace taosync::e2e::rows

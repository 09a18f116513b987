#pragma once
// The domain records: orders, lines and what goes with them, typed as the platform's order
// API sends them. Shared by the API client, the store and the sync engine; pure values.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taosync::model {

/// An API time: epoch milliseconds on the wire.
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

/// `delivery_info` of an order. Strings are kept exactly as sent (trailing spaces too).
struct DeliveryInfo {
  std::string area;
  std::string country_code; // may be "CN" while state is "台灣": store what was sent
  std::string city;
  std::string detail_address;
  std::string receiver_name;
  std::string state;
  std::string receiver_phone;
  bool operator==(const DeliveryInfo&) const = default;
};

/// A decimal amount as sent ("62") and its currency code ("TWD"). Never a double.
struct Money {
  std::string amount;
  std::string currency_code;
  bool operator==(const Money&) const = default;
};

/// One order as listed by /orders/get (and the head of /order/get).
struct Order {
  std::string trade_order_id;
  std::string buyer_id;
  std::string buyer_full_name;
  std::string seller_id;
  std::string seller_full_name;
  std::string status; // lower case; unknown statuses are kept as they come
  std::string payment_channel;
  Money actual_fee;
  Money shipping_fee;
  Money actual_shipping_fee;
  TimePoint creation_time;
  TimePoint modification_time;
  DeliveryInfo delivery;
  std::vector<std::string> line_ids; // unquoted: the API wraps each id in literal quotes
  /// How many lines the listing says the order has, when it names no line ids (Lazada's
  /// items_count): the lines fetched by order id are counted against it.
  std::optional<std::int64_t> line_count;
  std::string raw_json; // the record exactly as received (/order/get: without its lines)
  bool operator==(const Order&) const = default;
};

/// One entry of a line's `shipment_list`.
struct Shipment {
  std::int64_t order_no = 0;
  std::optional<std::string> tracking_number;
  std::optional<std::string> logistics_id;
  bool operator==(const Shipment&) const = default;
};

/// One property of a line's `sku_info` (which the API sends as a JSON-encoded string).
struct SkuProperty {
  std::int64_t property_id = 0;
  std::string property_name;
  std::int64_t value_id = 0;
  std::string value_text;
  bool operator==(const SkuProperty&) const = default;
};

/// One order line from /order/items/get or /order/get's `trade_order_line_list`.
struct OrderLine {
  std::string trade_order_line_id;
  std::string trade_order_id;
  std::string product_id;
  std::string sku_id;
  std::string package_id; // alphanumeric
  std::string product_title;
  std::string product_main_image;
  std::string product_detail_url;
  std::string buyer_full_name;
  std::string status;
  std::int64_t quantity = 0;
  Money unit_fee;
  Money actual_fee;
  Money shipping_fee;
  Money actual_shipping_fee;
  TimePoint creation_time;
  TimePoint modification_time;
  std::vector<Shipment> shipments;
  std::vector<SkuProperty> sku_properties;
  std::string sku_info; // the encoded string as sent
  std::string raw_json;
  bool operator==(const OrderLine&) const = default;
};

/// A record that failed to parse or validate; it goes to taosync.rejected_records.
struct RejectedRecord {
  std::string endpoint;  // "/orders/get", ...
  std::string record_id; // best effort; empty when the id itself is what is broken
  std::string reason;    // names the field and the problem
  std::string raw_json;  // truncated to a sane size by the parser
};

/// /order/get's `module`: the order with its lines embedded.
struct OrderDetail {
  Order order; ///< trade_order_id is empty when the order itself was rejected
  std::vector<OrderLine> lines;
  std::vector<RejectedRecord> rejected; ///< the order (when invalid) or lines that failed
};

/// One page of a list endpoint. Good records and rejected ones are both kept.
template <class T> struct Page {
  std::vector<T> items;
  std::vector<RejectedRecord> rejected;
  /// Why the answer cannot be the complete list it claims to be (a success envelope without
  /// `model_list`, or `success: false`); empty when it looks whole. The caller decides what
  /// an incomplete answer costs: a window re-read, or lines owed.
  std::string problem;
  std::int64_t total_count = 0;
  std::int64_t page_no = 0;
  std::int64_t page_size = 0;
};

} // namespace taosync::model

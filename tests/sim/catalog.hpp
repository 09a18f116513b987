#pragma once
// What an order and its lines say, derived from (seed, id) and small tables instead of being
// stored: the simulator keeps only ids, times and statuses per order, which is what lets it hold
// a million orders in little memory. The seed's two orders come from literal data.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace taosync::sim {

/// The seed's orders and lines, served exactly as in the seed document.
inline constexpr std::uint64_t kSeedOrderA = 558757367941; // line 558757467941
inline constexpr std::uint64_t kSeedOrderB = 546108399700; // line 546108499700

/// Generated ids: order = kIdBase + slot * kSlotStride + r (r < kLineStride), and its k-th line
/// (k < 5) = order + (k + 1) * kLineStride, like the seed's line = order + 100000.
inline constexpr std::uint64_t kIdBase = 600000000000;
inline constexpr std::uint64_t kSlotStride = 300000;
inline constexpr std::uint64_t kLineStride = 50000;
inline constexpr int kMaxLines = 5;

/// One `shipment_list` entry; tracking and logistics ids show once the line is on its way.
struct ShipmentFields {
  std::string tracking_number;
  std::string logistics_id;
};

/// The static content of one order line.
struct LineFields {
  std::uint64_t line_id = 0;
  std::string product_id;
  std::string sku_id;
  std::string package_id;
  std::string product_title;
  std::string product_main_image;
  std::string product_detail_url;
  std::string sku_info; ///< the JSON array, not yet encoded as a string
  std::int64_t unit_fee = 0;
  std::int64_t quantity = 1;
  std::int64_t shipping_fee = 0;
  std::vector<ShipmentFields> shipments; ///< order_no = index + 1

  /// unit_fee × quantity + shipping_fee, in TWD.
  std::int64_t actual_fee() const { return unit_fee * quantity + shipping_fee; }
};

/// The static content of one order (everything but times and status).
struct OrderFields {
  std::uint64_t order_id = 0;
  std::string buyer_id;
  std::string buyer_full_name; ///< may end in a space, as in the seed
  std::string payment_channel;
  std::string area;
  std::string country_code; ///< "CN" with state "台灣" sometimes, as in the seed
  std::string city;
  std::string detail_address;
  std::string receiver_name; ///< masked: "黃**雲"
  std::string state;
  std::string receiver_phone; ///< masked: "09******62"
  std::int64_t shipping_fee = 0;
  std::vector<LineFields> lines;

  /// Sum of the lines' actual fees (the shipping fee is carried by the first line).
  std::int64_t actual_fee() const;
};

/// True for the seed's two orders.
bool is_seed_order(std::uint64_t order_id);

/// Number of lines (1..5) of an order.
int line_count_of(std::uint64_t seed, std::uint64_t order_id);

/// Id of the k-th line of an order.
std::uint64_t line_id_of(std::uint64_t order_id, int k);

/// The order a line id belongs to and the line's position; {0, -1} if no order can own it.
std::pair<std::uint64_t, int> owner_of_line(std::uint64_t line_id);

/// Everything static about an order and its lines.
OrderFields describe_order(std::uint64_t seed, std::uint64_t order_id);

/// How many of a line's shipments (the last ones) carry tracking numbers in a status.
int tracked_shipments(std::string_view status, int shipments);

} // namespace taosync::sim

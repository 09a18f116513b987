#pragma once
// Orders and lines as JSON, in exactly the seed's key order per endpoint, with the seed's quirks
// (quoted line ids, sku_info as an encoded string, money as strings) and, when asked, broken
// records (--bad-record-rate) or the truth's "_sim_bad" marks.

#include "catalog.hpp"
#include "shop.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace taosync::sim {

/// What is broken in a record served with --bad-record-rate.
enum class BadKind { none, non_numeric_fee, missing_id, wrong_type, huge_title };

/// "non_numeric_fee", "missing_id", "wrong_type", "huge_title" (or "" for none).
std::string_view bad_kind_name(BadKind kind);

/// Whether (and how) a record is broken: decided by (seed, id, modification_time) alone, so
/// the same version of a record is always broken the same way. The seed's records never are.
BadKind bad_kind_for(std::uint64_t seed, double rate, std::uint64_t id, std::int64_t mtime_ms,
                     bool is_line);

/// The seller name in /order/get and in windowed listings (the seed's later examples).
inline constexpr std::string_view kSellerName = "台灣淘寶測試店鋪";
/// The seller name in listings without a modification window (the seed's first example).
inline constexpr std::string_view kSellerNameUnwindowed = "淘寶台灣測試店鋪";
inline constexpr std::string_view kSellerId = "2000005665181";

/// How records are written.
struct RenderMode {
  std::uint64_t seed = 1;
  double bad_rate = 0; ///< share of records to break (0 = none)
  bool truth = false;  ///< mark bad records with "_sim_bad" instead of breaking them
  std::string_view seller_name = kSellerName;
};

/// One /orders/get `model_list` entry.
void render_order_summary(std::string& out, const OrderRec& rec, const OrderFields& fields,
                          const RenderMode& mode);

/// One /order/items/get `model_list` entry (the k-th line of the order).
void render_item_line(std::string& out, const OrderRec& rec, const OrderFields& fields, int k,
                      const RenderMode& mode);

/// /order/get's `module`: the order with `trade_order_line_list`. Also each /_sim/truth entry.
void render_order_module(std::string& out, const OrderRec& rec, const OrderFields& fields,
                         const RenderMode& mode);

} // namespace taosync::sim

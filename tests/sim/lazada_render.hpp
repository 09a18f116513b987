#pragma once
// The simulator's orders as Lazada's order API shows them, and the truth a correct Lazada sync
// stores of them. The data is the same shop as for Taobao TW (times in whole seconds); what
// differs is the dialect: `order_id`, `statuses`, `items_count`, prices as "12.00" strings,
// times as "2020-06-25 17:23:07 +0800", one item per unit (each simulated line is one unit).
// The truth is written in the compare tool's shape, mapped by the rules of the README, so that
// the daemon's mapping is checked against an independent one.

#include "catalog.hpp"
#include "shop.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace taosync::sim {

/// The currency of the simulated Lazada country (Singapore).
inline constexpr std::string_view kLazadaCurrency = "SGD";

/// `ms` as Lazada's answers write times: whole seconds at +08:00.
std::string lazada_time(std::int64_t ms);

/// One /orders/get `data.orders` entry (also /order/get's `data`).
void render_lazada_order(std::string& out, const OrderRec& rec, const OrderFields& fields);

/// One `order_items` entry: the k-th line of the order, as one unit.
void render_lazada_item(std::string& out, const OrderRec& rec, const OrderFields& fields, int k);

/// The /_sim/truth entry of a Lazada order: what a correct sync stores, in the truth's shape.
void render_lazada_truth(std::string& out, const OrderRec& rec, const OrderFields& fields);

} // namespace taosync::sim

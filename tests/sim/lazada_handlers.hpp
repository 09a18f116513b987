#pragma once
// The Lazada dialect of the order endpoints (taosync-sim --platform lazada): /orders/get by
// update time with offset paging under the 5,000 cap, /orders/items/get by order ids, and
// /order/get; the gateway, tokens and throttling are the same as Taobao TW's.

#include "api_handlers.hpp"

namespace taosync::sim {

/// No page may start at or past this offset: a listing asked for one is refused (E014).
inline constexpr std::int64_t kLazadaOffsetCap = 5000;
/// Orders one /orders/items/get call takes at most.
inline constexpr std::size_t kLazadaMaxOrderIds = 50;

/// /orders/get: update_after (required), update_before, created_after, created_before, sort_by,
/// sort_direction, offset, limit.
ApiAnswer lazada_orders_get(SimState& state, Seller& seller, const api::Params& params,
                            const std::string& request_id);

/// /orders/items/get: order_ids as [1,2,3] (or strings); unknown ids are absent.
ApiAnswer lazada_items_get(SimState& state, Seller& seller, const api::Params& params,
                           const std::string& request_id);

/// /order/get: order_id; the order without its items.
ApiAnswer lazada_order_get(SimState& state, Seller& seller, const api::Params& params,
                           const std::string& request_id);

} // namespace taosync::sim

#pragma once
// The platform's endpoints: /orders/get, /order/items/get, /order/get and
// /auth/token/refresh, after the gateway's checks have passed.

#include "gate.hpp"
#include "state.hpp"

#include <string>
#include <variant>

namespace taosync::sim {

/// A full JSON response body, or a platform error.
using ApiAnswer = std::variant<std::string, ApiError>;

/// /orders/get of `seller` (the access token's): Order_Status, Page_Size, Page,
/// modification_time_start/_end.
ApiAnswer orders_get(SimState& state, Seller& seller, const api::Params& params,
                     const std::string& request_id);

/// /order/items/get: trade_order_line_id_list (one bare id or a JSON array), Page_Size.
ApiAnswer order_items_get(SimState& state, Seller& seller, const api::Params& params,
                          const std::string& request_id);

/// /order/get: trade_order_id.
ApiAnswer order_get(SimState& state, Seller& seller, const api::Params& params,
                    const std::string& request_id);

/// /auth/token/refresh: refresh_token, of whichever seller holds it.
ApiAnswer token_refresh(SimState& state, const api::Params& params, const std::string& request_id);

/// --churn-per-page: applies that many lifecycle changes before a listing is answered, so the
/// result set shifts between any two successive listing requests (pages of one listing, or
/// windows of a sweep), whatever the dialect.
void churn_before_listing(SimState& state, Seller& seller);

/// The error envelope: {"type":..,"code":..,"message":..,"request_id":..}.
std::string error_body(const ApiError& error, const std::string& request_id);

} // namespace taosync::sim

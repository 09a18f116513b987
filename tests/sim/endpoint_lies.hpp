#pragma once
// The lies each endpoint can tell (see lies.hpp for the kinds), applied to an answer that was
// rendered honestly from the shop.

#include "lies.hpp"
#include "listing.hpp"
#include "query.hpp"
#include "shop.hpp"

#include <string>

namespace taosync::sim {

/// /orders/get: no_list, success_false, short_page; then one record each for future_time,
/// outside_window (windowed listings only), bad_byte, duplicate_key, bad_escape, nul,
/// huge_number and long_id; then unstable_count or count_mismatch.
void lie_in_orders(Liar& liar, Listing& listing, const ListQuery& query);

/// /order/items/get: no_list, success_false, missing_lines; then one record each for
/// foreign_line, bad_byte, bad_escape, nul, huge_number and long_id.
void lie_in_items(Liar& liar, Listing& listing, const Shop& shop);

/// /order/get, on the rendered `module` of an order with `lines` lines: future_time,
/// foreign_line, bad_byte, duplicate_key, bad_escape, nul, huge_number and long_id edit the
/// module (the order's own values). Returns false when the answer must be success_false
/// (`"success":false` with a null module).
bool lie_in_order(Liar& liar, std::string& module, int lines, const Shop& shop);

/// Any of the three endpoints: bom prefixes the whole body.
void lie_in_body(Liar& liar, std::string& body);

} // namespace taosync::sim

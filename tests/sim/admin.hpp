#pragma once
// The unsigned admin endpoints' bodies: /_sim/stats, /_sim/sellers, /_sim/control,
// /_sim/mutate. (The truth is streamed by the server, see truth_chunk().)

#include "state.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace taosync::sim {

/// GET /_sim/stats: the app's figures, then each seller's.
std::string stats_body(SimState& state);

/// GET /_sim/sellers: each seller's name, order count and current tokens.
std::string sellers_body(const SimState& state);

/// The current LiveSettings as JSON (the answer of /_sim/control).
std::string settings_body(const LiveSettings& live);

/// POST /_sim/control: applies the JSON object's keys; the seller keys apply to the seller
/// named by "seller" (the first if none). Returns "" on success, else the problem (unknown key
/// or seller, wrong type).
std::string apply_control(SimState& state, std::string_view body);

/// POST /_sim/mutate?n=K: applies K lifecycle changes to `seller` now; returns the JSON answer.
std::string mutate_body(SimState& state, Seller& seller, std::int64_t n);

/// Appends truth entries for `seller`'s orders [begin, end) (by id order), one per line, each
/// preceded by a comma unless it is the very first order.
void truth_chunk(const SimState& state, const Seller& seller, std::size_t begin, std::size_t end,
                 std::string& out);

} // namespace taosync::sim

#pragma once
// The unsigned admin endpoints' bodies: /_sim/stats, /_sim/control, /_sim/mutate. (The truth
// is streamed by the server, see truth_chunk().)

#include "state.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace taosync::sim {

/// GET /_sim/stats.
std::string stats_body(SimState& state);

/// The current LiveSettings as JSON (the answer of /_sim/control).
std::string settings_body(const LiveSettings& live);

/// POST /_sim/control: applies the JSON object's keys. Returns "" on success, else the problem
/// (unknown key, wrong type).
std::string apply_control(SimState& state, std::string_view body);

/// POST /_sim/mutate?n=K: applies K lifecycle changes now; returns the JSON answer.
std::string mutate_body(SimState& state, std::int64_t n);

/// Appends truth entries for orders [begin, end) (by id order), one per line, each preceded by
/// a comma unless it is the very first order.
void truth_chunk(const SimState& state, std::size_t begin, std::size_t end, std::string& out);

} // namespace taosync::sim

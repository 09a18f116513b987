#pragma once
// Injected faults (--fault-rate): what a flaky gateway does to a call.

#include "prng.hpp"

#include <array>
#include <string_view>

namespace taosync::sim {

/// One kind of fault; `none` means the call is served normally.
enum class Fault { none, http_500, http_502, http_503, reset, truncated, malformed, stall };

/// "http_500", "reset", ... as counted in /_sim/stats.
constexpr std::string_view fault_name(Fault f) {
  constexpr std::array<std::string_view, 8> kNames = {"none",  "http_500",  "http_502",  "http_503",
                                                      "reset", "truncated", "malformed", "stall"};
  return kNames[static_cast<std::size_t>(f)];
}

/// Rolls whether a call gets a fault, and which. Stalls are rarer: they cost the client a
/// whole timeout.
inline Fault roll_fault(double rate, Prng& rng) {
  if (rate <= 0 || rng.unit() >= rate)
    return Fault::none;
  static constexpr std::array<int, 7> kWeights = {15, 15, 15, 15, 15, 15, 10};
  return static_cast<Fault>(1 + pick_weighted(rng.next(), kWeights));
}

} // namespace taosync::sim

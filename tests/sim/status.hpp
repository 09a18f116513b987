#pragma once
// Order statuses of the platform (lower case on the wire) and the lifecycle edges between them.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace taosync::sim {

/// The statuses the simulator produces. Stored as one byte per order.
enum class Status : std::uint8_t {
  unpaid,
  pending,
  ready_to_ship,
  shipped,
  delivered,
  canceled,
  returned,
  failed,
  lost,
};

/// Number of statuses; also the index of the "all statuses" counters.
inline constexpr std::size_t kStatusCount = 9;

inline constexpr std::array<std::string_view, kStatusCount> kStatusNames = {
    "unpaid",   "pending",  "ready_to_ship", "shipped", "delivered",
    "canceled", "returned", "failed",        "lost"};

/// The wire name of a status ("ready_to_ship").
constexpr std::string_view status_name(Status s) {
  return kStatusNames[static_cast<std::size_t>(s)];
}

/// Parses a wire name; nullopt for names the simulator does not produce.
constexpr std::optional<Status> parse_status(std::string_view name) {
  for (std::size_t i = 0; i < kStatusCount; ++i)
    if (kStatusNames[i] == name)
      return static_cast<Status>(i);
  return std::nullopt;
}

/// True for the lifecycle edges: unpaid→pending→ready_to_ship→shipped→delivered→returned, and
/// →canceled from any status before shipped.
constexpr bool is_allowed_edge(Status from, Status to) {
  using enum Status;
  switch (from) {
  case unpaid:
    return to == pending || to == canceled;
  case pending:
    return to == ready_to_ship || to == canceled;
  case ready_to_ship:
    return to == shipped || to == canceled;
  case shipped:
    return to == delivered;
  case delivered:
    return to == returned;
  default:
    return false;
  }
}

/// True while the lifecycle can still move the order forward (delivered→returned aside).
constexpr bool is_active(Status s) {
  return s == Status::unpaid || s == Status::pending || s == Status::ready_to_ship ||
         s == Status::shipped;
}

} // namespace taosync::sim

#include "obs/api_ban.hpp"

#include <algorithm>
#include <ctime>

namespace taosync::obs {

void ApiBan::record(WallClock::time_point until) {
  const auto rep = until.time_since_epoch().count();
  auto seen = until_.load();
  while (seen < rep && !until_.compare_exchange_weak(seen, rep)) {
  }
}

std::optional<ApiBan::WallClock::time_point> ApiBan::in_force(WallClock::time_point now) const {
  const WallClock::time_point until{WallClock::duration(until_.load())};
  if (until <= now)
    return std::nullopt;
  return until;
}

ApiBan::WallClock::time_point ApiBan::latest() const {
  return WallClock::time_point{WallClock::duration(until_.load())};
}

void ApiBan::clear() {
  until_.store(0);
}

ApiBan& api_ban() {
  static ApiBan instance;
  return instance;
}

std::string format_utc(ApiBan::WallClock::time_point t) {
  const std::time_t secs = ApiBan::WallClock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string describe_ban(ApiBan::WallClock::time_point until, ApiBan::WallClock::time_point now) {
  // Rounded up: "0s left" would read as over while the ban still holds.
  const auto left = std::chrono::ceil<std::chrono::seconds>(until - now);
  return "banned by the platform (ApiCallLimit) until " + format_utc(until) + ", " +
         std::to_string(std::max<std::chrono::seconds::rep>(left.count(), 0)) + "s left";
}

} // namespace taosync::obs

#include "call_rate.hpp"

namespace taosync::daemon {

void CallRate::add(Clock::time_point at, std::uint64_t total) {
  if (!samples_.empty() && total < samples_.back().second)
    samples_.clear();
  samples_.emplace_back(at, total);
  // Keep one sample at least kWindow old as the base, none older.
  while (samples_.size() > 2 && samples_[1].first <= at - kWindow)
    samples_.pop_front();
}

std::optional<double> CallRate::per_minute() const {
  if (samples_.size() < 2)
    return std::nullopt;
  const auto& [from, first] = samples_.front();
  const auto& [to, last] = samples_.back();
  const std::chrono::duration<double> span = to - from;
  if (span < kMinSpan)
    return std::nullopt;
  return static_cast<double>(last - first) / span.count() * 60.0;
}

} // namespace taosync::daemon

#include "sync/init_progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace taosync::sync {

InitProgress::InitProgress(std::uint64_t total, Clock::time_point start, std::chrono::seconds every)
    : total_(total), start_(start), last_report_(start), every_(every) {}

bool InitProgress::due(Clock::time_point now) {
  if (now - last_report_ < every_) {
    return false;
  }
  last_report_ = now;
  return true;
}

double InitProgress::percent() const {
  if (total_ == 0) {
    return 100.0;
  }
  return std::min(100.0, 100.0 * static_cast<double>(done_) / static_cast<double>(total_));
}

double InitProgress::rate(Clock::time_point now) const {
  const std::chrono::duration<double> elapsed = now - start_;
  return elapsed.count() > 0 ? static_cast<double>(done_) / elapsed.count() : 0.0;
}

std::optional<std::chrono::seconds> InitProgress::eta(Clock::time_point now) const {
  const double r = rate(now);
  if (r <= 0) {
    return std::nullopt;
  }
  const double left = done_ >= total_ ? 0.0 : static_cast<double>(total_ - done_);
  return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(left / r)));
}

std::string InitProgress::line(Clock::time_point now) const {
  char buf[160];
  const auto left = eta(now);
  std::snprintf(buf, sizeof buf, "init %.0f%% (%llu/%llu), %.0f orders/s, ETA %s", percent(),
                static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                rate(now), left ? (std::to_string(left->count()) + "s").c_str() : "unknown");
  return buf;
}

} // namespace taosync::sync

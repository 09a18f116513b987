#include "throttle.hpp"

#include <algorithm>
#include <cmath>

namespace taosync::sim {

void Throttle::configure(double rate, int burst, std::chrono::seconds ban, Clock::time_point now) {
  rate_ = rate;
  burst_ = burst > 0 ? burst : std::max(1.0, rate);
  tokens_ = burst_;
  ban_ = ban;
  last_ = now;
  ban_until_ = {};
}

std::optional<std::chrono::seconds> Throttle::admit(Clock::time_point now) {
  if (rate_ <= 0)
    return std::nullopt;
  auto left = [&] {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(ban_until_ - now).count();
    return std::chrono::seconds(std::max<std::int64_t>(1, (ms + 999) / 1000));
  };
  if (now < ban_until_)
    return left();
  std::chrono::duration<double> elapsed = now - last_;
  last_ = now;
  tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return std::nullopt;
  }
  ban_until_ = now + ban_;
  return left();
}

} // namespace taosync::sim

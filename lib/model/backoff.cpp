#include "model/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace taosync::model {
namespace {

using std::chrono::milliseconds;

double thread_unit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

/// initial * factor^n, within [0, cap]; computed in double, so no count of failures overflows.
milliseconds ceiling(const BackoffSettings& s, int n) {
  const auto cap = std::max(s.cap, milliseconds(0));
  const auto first = std::clamp(s.initial, milliseconds(0), cap);
  if (n <= 0 || first == milliseconds(0))
    return first;
  const double grown = static_cast<double>(first.count()) * std::pow(s.factor, n);
  if (!(grown < static_cast<double>(cap.count()))) // also past the largest double
    return cap;
  return milliseconds(static_cast<milliseconds::rep>(grown));
}

/// Full jitter: `unit` (clamped to [0, 1]) of the way from 0 to `ceiling`, rounded.
milliseconds jittered(milliseconds ceiling, double unit) {
  const double clamped = std::clamp(unit, 0.0, 1.0);
  return milliseconds(
      static_cast<milliseconds::rep>(std::llround(clamped * static_cast<double>(ceiling.count()))));
}

} // namespace

Backoff::Backoff(BackoffSettings settings, UnitDraw draw)
    : settings_(settings), draw_(draw ? std::move(draw) : UnitDraw(thread_unit)) {}

milliseconds Backoff::next() {
  const auto most = ceiling(settings_, taken_);
  if (taken_ < std::numeric_limits<int>::max())
    ++taken_;
  return settings_.full_jitter ? jittered(most, draw_()) : most;
}

Backoff& Backoff::skip(int n) {
  taken_ = std::clamp(n, 0, std::numeric_limits<int>::max() - taken_) + taken_;
  return *this;
}

} // namespace taosync::model

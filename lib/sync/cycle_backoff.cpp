#include "sync/cycle_backoff.hpp"

#include <algorithm>

namespace taosync::sync {
namespace {

/// `base` doubled `times` times, stopping once it reaches the cap; never above the cap unless
/// the poll interval itself is.
std::chrono::milliseconds doubled(std::chrono::milliseconds base, int times,
                                  std::chrono::milliseconds poll_interval) {
  auto wait = base;
  for (int i = 0; i < times && wait < kMaxCycleBackoff; ++i)
    wait *= 2;
  return std::min(wait, std::max(kMaxCycleBackoff, poll_interval));
}

} // namespace

std::chrono::milliseconds failure_backoff(std::chrono::milliseconds poll_interval, int failed) {
  return doubled(poll_interval, std::max(0, failed - 1), poll_interval);
}

std::chrono::milliseconds held_backoff(std::chrono::milliseconds poll_interval,
                                       std::chrono::milliseconds verify_backoff, int held) {
  return doubled(std::max(poll_interval, verify_backoff), held, poll_interval);
}

} // namespace taosync::sync

#include "sync/cycle_backoff.hpp"

#include "model/backoff.hpp"

#include <algorithm>

namespace taosync::sync {
namespace {

/// Doubling from `first`, never above the cap unless the poll interval itself is.
model::Backoff doubling(std::chrono::milliseconds first, std::chrono::milliseconds poll_interval) {
  return model::Backoff({.initial = first, .cap = std::max(kMaxCycleBackoff, poll_interval)});
}

} // namespace

std::chrono::milliseconds failure_backoff(std::chrono::milliseconds poll_interval, int failed) {
  return doubling(poll_interval, poll_interval).skip(failed - 1).next();
}

std::chrono::milliseconds held_backoff(std::chrono::milliseconds poll_interval,
                                       std::chrono::milliseconds verify_backoff, int held) {
  return doubling(std::max(poll_interval, verify_backoff), poll_interval).skip(held).next();
}

} // namespace taosync::sync

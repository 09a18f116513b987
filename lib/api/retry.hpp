#pragma once
// How a transient failure is retried (api.retry.*): exponential backoff with full jitter,
// capped.

#include "config/config.hpp"
#include "model/backoff.hpp"

#include <algorithm>
#include <chrono>

namespace taosync::api {

/// How often and how patiently a transient failure is retried. The numbers come from
/// `api.retry` (from()), whose defaults are the config's.
struct RetryPolicy {
  int max_attempts{}; ///< attempts in all, the first included
  std::chrono::milliseconds initial_backoff{};
  std::chrono::milliseconds max_backoff{};
  std::chrono::milliseconds max_retry_after{}; ///< longest Retry-After honoured (retry_after.hpp)

  /// The policy of `api.retry`.
  static RetryPolicy from(const config::ApiConfig::Retry& retry) {
    return RetryPolicy{std::max(1, retry.max_attempts), retry.initial_backoff, retry.max_backoff,
                       retry.max_retry_after};
  }

  /// The waits between attempts: initial_backoff doubling up to max_backoff, each drawn
  /// uniformly from [0, that ceiling] (full jitter).
  model::BackoffSettings backoff() const {
    return {.initial = initial_backoff, .cap = max_backoff, .full_jitter = true};
  }
};

} // namespace taosync::api

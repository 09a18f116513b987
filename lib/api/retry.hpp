#pragma once
// Exponential backoff with full jitter, capped (api.retry.*).

#include "config/config.hpp"

#include <chrono>
#include <cstdint>
#include <random>

namespace taosync::api {

/// How often and how patiently a transient failure is retried. The numbers come from
/// `api.retry` (from()), whose defaults are the config's.
struct RetryPolicy {
  int max_attempts{}; ///< attempts in all, the first included
  std::chrono::milliseconds initial_backoff{};
  std::chrono::milliseconds max_backoff{};
  std::chrono::milliseconds max_retry_after{}; ///< longest Retry-After honoured (retry_after.hpp)

  /// The policy of `api.retry`.
  static RetryPolicy from(const config::ApiConfig::Retry& retry);
};

/// The ceiling of the wait before retry number `retry` (1 = the first retry):
/// min(max_backoff, initial_backoff * 2^(retry-1)).
std::chrono::milliseconds backoff_ceiling(const RetryPolicy& policy, int retry);

/// Full jitter: a wait uniformly spread over [0, ceiling]; `unit` is a draw from [0, 1).
std::chrono::milliseconds full_jitter(std::chrono::milliseconds ceiling, double unit);

/// Draws backoff waits for a policy from its own random engine.
class Backoff {
public:
  explicit Backoff(RetryPolicy policy, std::uint64_t seed = std::random_device{}());

  /// The wait before retry number `retry` (1 = the first retry).
  std::chrono::milliseconds delay(int retry);

  /// The policy in force.
  const RetryPolicy& policy() const { return policy_; }
  /// Replaces the policy (SIGHUP).
  void set_policy(RetryPolicy policy) { policy_ = policy; }

private:
  RetryPolicy policy_;
  std::mt19937_64 random_;
};

} // namespace taosync::api

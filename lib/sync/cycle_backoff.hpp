#pragma once
// How long an engine waits before its next cycle when the last ones went wrong: each shop
// backs off on its own, so one broken seller cannot burn the app's shared quota or its
// success rate while the other shops go on at their poll interval.

#include <chrono>

namespace taosync::sync {

/// The longest wait either backoff reaches (unless the poll interval is longer still).
inline constexpr std::chrono::milliseconds kMaxCycleBackoff = std::chrono::minutes(5);

/// After `failed` cycles in a row ended in an error (a circuit breaker per shop): the poll
/// interval after the first, then doubling, up to kMaxCycleBackoff. 0 failures: the poll.
std::chrono::milliseconds failure_backoff(std::chrono::milliseconds poll_interval, int failed);

/// After `held` cycles in a row ended held at a window that did not verify: at least the
/// verify backoff, doubling with each, up to kMaxCycleBackoff.
std::chrono::milliseconds held_backoff(std::chrono::milliseconds poll_interval,
                                       std::chrono::milliseconds verify_backoff, int held);

} // namespace taosync::sync

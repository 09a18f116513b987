#pragma once
// Calls per minute from a running total of calls sampled now and then: its rise over the last
// minute (or over the samples so far, once they span a few seconds). Pure: the caller passes
// the clock.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

namespace taosync::daemon {

class CallRate {
public:
  using Clock = std::chrono::steady_clock;
  /// The span the rate is measured over, at most.
  static constexpr std::chrono::seconds kWindow{60};
  /// Samples closer together than this tell no rate yet.
  static constexpr std::chrono::seconds kMinSpan{4};

  /// Records the total at `at`. A total lower than the last one (a new client, a restarted
  /// shop) starts the measurement over.
  void add(Clock::time_point at, std::uint64_t total);
  /// Calls per minute over the samples of the last kWindow; nullopt until they span kMinSpan.
  std::optional<double> per_minute() const;

private:
  std::deque<std::pair<Clock::time_point, std::uint64_t>> samples_; ///< oldest first
};

} // namespace taosync::daemon

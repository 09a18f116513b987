#pragma once
// Progress of the init sweep: count, share of the estimated total, rate and ETA, reported at a
// steady cadence. Pure: the caller passes the clock.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace taosync::sync {

class InitProgress {
public:
  using Clock = std::chrono::steady_clock;

  /// `total` is the estimate (total_count over the range still to sweep).
  InitProgress(std::uint64_t total, Clock::time_point start,
               std::chrono::seconds every = std::chrono::seconds(10));

  /// Sets the estimate once it is known.
  void set_total(std::uint64_t total) { total_ = total; }

  /// Counts orders just committed.
  void add(std::uint64_t orders) { done_ += orders; }

  /// True if a report is due at `now` (the first `every` after the last one); marks it done.
  bool due(Clock::time_point now);

  std::uint64_t done() const { return done_; }
  std::uint64_t total() const { return total_; }
  /// Percent of the estimate, capped at 100 (the estimate can be exceeded by new orders).
  double percent() const;
  /// Orders per second since the start.
  double rate(Clock::time_point now) const;
  /// Time left at the current rate; nullopt while the rate is unknown.
  std::optional<std::chrono::seconds> eta(Clock::time_point now) const;
  /// "init 41% (41000/100000), 5200 orders/s, ETA 11s".
  std::string line(Clock::time_point now) const;

private:
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  Clock::time_point start_;
  Clock::time_point last_report_;
  std::chrono::seconds every_;
};

} // namespace taosync::sync

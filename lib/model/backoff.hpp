#pragma once
// Exponential backoff: the one way taosync waits longer after each failure in a row, from
// the API client's retries down to the metrics endpoint's accept loop.

#include <chrono>
#include <functional>

namespace taosync::model {

/// The shape of a backoff: the first delay, how each grows on the one before, the ceiling,
/// and whether delays are drawn at random under it (full jitter spreads retries that failed
/// together, so they do not return together).
struct BackoffSettings {
  std::chrono::milliseconds initial{};
  double factor = 2.0;
  std::chrono::milliseconds cap = std::chrono::milliseconds::max(); ///< max(): no ceiling
  bool full_jitter = false;
};

/// A draw from [0, 1): the random source of full jitter.
using UnitDraw = std::function<double()>;

/// The delays of one run of failures: `initial`, then `factor` times the one before, never
/// above `cap` (the first included) nor below zero. With full jitter each delay is drawn
/// uniformly from [0, that ceiling].
class Backoff {
public:
  /// Without `draw`, full jitter draws from a random engine of the calling thread.
  explicit Backoff(BackoffSettings settings, UnitDraw draw = {});

  /// The delay before the next retry.
  std::chrono::milliseconds next();
  /// A success: the next delay is `initial` again.
  void reset() { taken_ = 0; }
  /// Passes over `n` delays: resumes a run whose failures were counted elsewhere (a count kept
  /// in the database, a streak the caller reports).
  Backoff& skip(int n);

private:
  BackoffSettings settings_;
  UnitDraw draw_;
  int taken_ = 0; ///< delays handed out since the last reset
};

} // namespace taosync::model

#pragma once
// How long an accept loop waits after a failed accept(): EMFILE and ENFILE last until some
// descriptor is closed, so retrying at once would only spin.

#include <chrono>

namespace taosync::obs {

/// 100 ms after the first failure, doubling up to 1 s; back to 100 ms after a success.
class AcceptBackoff {
public:
  static constexpr std::chrono::milliseconds kFirst{100};
  static constexpr std::chrono::milliseconds kMax{1000};

  /// The wait after one more failure in a row.
  std::chrono::milliseconds next();
  /// An accept succeeded.
  void reset() { next_ = kFirst; }

private:
  std::chrono::milliseconds next_ = kFirst;
};

} // namespace taosync::obs

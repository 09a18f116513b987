#include "obs/accept_backoff.hpp"

#include <algorithm>

namespace taosync::obs {

std::chrono::milliseconds AcceptBackoff::next() {
  const auto wait = next_;
  next_ = std::min(next_ * 2, kMax);
  return wait;
}

} // namespace taosync::obs

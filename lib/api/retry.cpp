#include "api/retry.hpp"

#include <algorithm>

namespace taosync::api {

RetryPolicy RetryPolicy::from(const config::ApiConfig::Retry& retry) {
  return RetryPolicy{std::max(1, retry.max_attempts), retry.initial_backoff, retry.max_backoff,
                     retry.max_retry_after};
}

} // namespace taosync::api

#pragma once
// One app's calls, one attempt loop: pace with the shared token bucket, sign, send over the
// pooled connections, parse, and retry what docs/design.md §1 says to retry (ApiCallLimit after the
// ban, transient errors with backoff, either no sooner than a Retry-After header asks). Auth
// errors go back to the client, which refreshes.

#include "api/client.hpp"
#include "api/connection_pool.hpp"
#include "api/platform_clock.hpp"
#include "api/rate_limiter.hpp"
#include "api/retry.hpp"
#include "api/signer.hpp"
#include "api/url.hpp"
#include "obs/log_throttle.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

/// ApiCallLimit answers one call accepts before it gives up (each waits out its ban).
inline constexpr int kMaxThrottlesPerCall = 100;

/// Consumes a 200 response body: parses and keeps the value, or returns the body's error.
using BodyHandler = std::function<std::optional<ApiError>(std::string_view body)>;

/// What one call sends.
struct CallSpec {
  const Url* gateway = nullptr; ///< base_url or auth_url
  std::string_view path;        ///< "/orders/get"; signed and appended to the gateway path
  const Params* business = nullptr;
  std::string_view access_token; ///< empty for the token refresh
  std::string_view description;  ///< describe_call(): safe to log
  CallCounters* tally = nullptr; ///< the calling client's own counts (many clients, one caller)
};

/// How far the platform's clock may be from the host's before it is said (sync.clock.*).
struct ClockLimits {
  std::chrono::milliseconds warn_offset;      ///< a warn line, at most every 10 minutes
  std::chrono::milliseconds unhealthy_offset; ///< /healthz fails
  static ClockLimits from(const config::Config& cfg);
};

/// Sends calls for one app: one rate limit, one connection pool and one retry policy, shared
/// by the clients of every shop of the app. Single-threaded: use it from coroutines of one
/// executor.
class Caller {
public:
  /// `cfg` is the api settings in force, shared with whoever publishes the next ones.
  explicit Caller(std::shared_ptr<const config::ApiConfig> cfg);

  /// Runs a call until it succeeds (nullopt) or ends in an error, which it returns: auth,
  /// refresh_dead or fatal at once, transient once api.retry.max_attempts are spent, throttled
  /// once kMaxThrottlesPerCall bans are. It neither throws for an answer nor logs the end:
  /// the client throws once and whoever catches logs once.
  net::awaitable<std::optional<ApiError>> run(const CallSpec& spec, const BodyHandler& handle);

  /// Puts new settings in force (SIGHUP): the rate limit, timeout, response cap, retry
  /// policy and connection count. Keys and URLs are read at construction only: a reload
  /// keeps them (config::plan_reload).
  void reconfigure(std::shared_ptr<const config::ApiConfig> cfg);

  /// Shares the app's rate limit with `daemons` daemons in all (at least 1): this one paces
  /// its calls to api.rate_limit / daemons.
  void set_share(std::size_t daemons);

  /// The settings in force.
  const config::ApiConfig& settings() const { return *cfg_; }

  /// Counts one retry that the caller of run() decided on (after a token refresh).
  void count_retry(CallCounters* tally = nullptr);

  /// Ends every call at once (shutdown): waits and requests in flight fail, and so does every
  /// later run(), with cancelled_failure. Call it on the calls' executor.
  void cancel() { stop_.request(); }

  /// The app's totals so far, over every client (refreshes are the clients' to count).
  CallCounters counters() const;

  /// The platform's clock as every answer's `Date` showed it: one for the app, shared by
  /// every shop, since they all talk to one platform.
  const PlatformClock& platform_clock() const { return clock_; }

  /// The newest modification time of an answer read at `received`: a finer reading of the
  /// platform's clock than the `Date`'s second (PlatformClock checks it against the `Date`s).
  void observe_platform_time(model::TimePoint newest,
                             std::chrono::steady_clock::time_point received) {
    clock_.observe_time(newest, received);
  }

  /// When the platform's clock is far enough from the host's to say so (SIGHUP applies it).
  void set_clock_limits(ClockLimits limits) { clock_limits_ = limits; }

private:
  /// Takes an answer's `Date` and says (log, metrics, /healthz) how far the clocks are apart.
  void observe_date(std::string_view date, std::chrono::steady_clock::time_point sent,
                    std::chrono::steady_clock::time_point received);

  /// What one attempt came to: its error, if any, and the wait its answer asked for.
  struct Attempt {
    std::optional<ApiError> error;
    std::optional<std::chrono::seconds> retry_after; ///< a 429, 503 or ApiCallLimit's header
  };

  net::awaitable<Attempt> attempt(const CallSpec& spec, const BodyHandler& handle);

  void apply_rate();

  std::shared_ptr<const config::ApiConfig> cfg_; // holds the app secret: never logged
  std::size_t share_ = 1;                        // daemons sharing the app's rate limit
  RateLimiter limiter_;
  ConnectionPool pool_;
  RetryPolicy retry_; // api.retry, replaced on reload
  CallCounters counters_;
  model::Stop stop_; ///< cancel()
  PlatformClock clock_;
  std::optional<ClockLimits> clock_limits_; // none: reported in the metrics only
  obs::LogThrottle clock_log_{std::chrono::minutes(10)};
};

} // namespace taosync::api

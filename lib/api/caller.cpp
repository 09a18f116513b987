#include "api/caller.hpp"

#include "api/async_sleep.hpp"
#include "api/call_params.hpp"
#include "api/network_error.hpp"
#include "api/parse.hpp"
#include "api/retry_after.hpp"
#include "obs/api_ban.hpp"
#include "obs/metrics.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace taosync::api {
namespace {

using Clock = std::chrono::steady_clock;

HttpLimits limits_of(const config::ApiConfig& cfg) {
  return HttpLimits{cfg.timeout, cfg.max_response_bytes};
}

// A non-200 answer: the platform's envelope if the body holds one, else the status.
ApiError error_of_status(std::string_view path, const HttpResponse& response) {
  if (auto error = parse_error(path, response.body); error && error->code != "malformed_body")
    return *error;
  return http_status_error(response.status, path);
}

// The wait an answer asks for: 429 and 503 may say Retry-After, and so may a throttle.
std::optional<std::chrono::seconds> retry_after_of(const HttpResponse& response,
                                                   const ApiError& error) {
  if (response.retry_after.empty() ||
      (response.status != 429 && response.status != 503 && error.kind != ErrorKind::throttled))
    return std::nullopt;
  return parse_retry_after(response.retry_after, std::chrono::system_clock::now());
}

// The platform may echo what it was sent; no secret may reach a log or an error.
void redact(std::string& text, std::string_view secret) {
  if (secret.size() < 4)
    return;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
    text.replace(pos, secret.size(), "***");
}

// The error a call ends with when retrying stops helping: the last error, saying why.
ApiError given_up(ApiError error, const std::string& why) {
  error.message = why + "; last error " + error.code + ": " + error.message;
  return error;
}

// "4m 59s ahead of", "250ms behind": an offset for a log line or /healthz.
std::string describe_offset(std::chrono::milliseconds offset) {
  using std::chrono::minutes;
  const auto magnitude = offset < std::chrono::milliseconds::zero() ? -offset : offset;
  const std::string side = offset < std::chrono::milliseconds::zero() ? " behind" : " ahead of";
  if (magnitude < std::chrono::seconds(1))
    return std::to_string(magnitude.count()) + "ms" + side;
  const auto secs = std::chrono::floor<std::chrono::seconds>(magnitude);
  if (secs < minutes(1))
    return std::to_string(secs.count()) + "s" + side;
  return std::to_string(secs / minutes(1)) + "m " + std::to_string((secs % minutes(1)).count()) +
         "s" + side;
}

} // namespace

ClockLimits ClockLimits::from(const config::Config& cfg) {
  return ClockLimits{cfg.sync.clock.warn_offset, cfg.sync.clock.unhealthy_offset};
}

Caller::Caller(std::shared_ptr<const config::ApiConfig> cfg)
    : cfg_(std::move(cfg)), limiter_(cfg_->rate_limit.requests_per_second, cfg_->rate_limit.burst),
      pool_(cfg_->ca_file, static_cast<std::size_t>(std::max(cfg_->max_in_flight, 1))),
      retry_(RetryPolicy::from(cfg_->retry)) {}

void Caller::reconfigure(std::shared_ptr<const config::ApiConfig> cfg) {
  cfg_ = std::move(cfg);
  apply_rate();
  retry_ = RetryPolicy::from(cfg_->retry);
  pool_.set_max_idle(static_cast<std::size_t>(std::max(cfg_->max_in_flight, 1)));
}

void Caller::set_share(std::size_t daemons) {
  daemons = std::max<std::size_t>(daemons, 1);
  if (daemons == share_)
    return;
  share_ = daemons;
  apply_rate();
  spdlog::info("rate limit: {} daemon(s) share the app's {} calls/s: this one paces to {:.2f}/s",
               share_, cfg_->rate_limit.requests_per_second,
               cfg_->rate_limit.requests_per_second / static_cast<double>(share_));
}

void Caller::apply_rate() {
  const double n = static_cast<double>(share_);
  const int burst = std::max(1, static_cast<int>(cfg_->rate_limit.burst / n));
  limiter_.set_rate(cfg_->rate_limit.requests_per_second / n, burst);
}

CallCounters Caller::counters() const {
  CallCounters counters = counters_;
  counters.calls = pool_.requests_sent(); // every request that left, re-sends included
  return counters;
}

void Caller::count_retry(CallCounters* tally) {
  ++counters_.retries;
  if (tally)
    ++tally->retries;
  obs::metrics().retried();
}

net::awaitable<Caller::Attempt> Caller::attempt(const CallSpec& spec, const BodyHandler& handle) {
  // One attempt, one snapshot: a reload while it waits does not mix settings.
  const std::shared_ptr<const config::ApiConfig> cfg = cfg_;
  throw_if_stopped(stop_, spec.description);
  co_await limiter_.acquire(&stop_);
  const SystemParams system{
      cfg->app_key, spec.access_token,
      std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now())};
  const std::string target = spec.gateway->path + std::string(spec.path) + "?" +
                             signed_query(spec.path, *spec.business, system, cfg->app_secret);
  const auto start = Clock::now();
  auto response = co_await pool_.get(*spec.gateway, target, limits_of(*cfg), &stop_,
                                     spec.tally ? &spec.tally->calls : nullptr);
  throw_if_stopped(stop_, spec.description); // not an answer: never counted or retried
  if (response.ok())
    observe_date(response.value().date, start, Clock::now());
  std::optional<ApiError> error;
  if (!response.ok())
    error = response.error();
  else if (response.value().status != 200)
    error = error_of_status(spec.path, response.value());
  else
    error = handle(response.value().body);
  if (error) {
    redact(error->message, spec.access_token);
    redact(error->message, cfg->app_secret);
    if (const auto it = spec.business->find("refresh_token"); it != spec.business->end())
      redact(error->message, it->second);
  }
  const std::chrono::duration<double> latency = Clock::now() - start;
  obs::metrics().api_call(spec.path, error ? to_string(error->kind) : "ok", latency);
  spdlog::debug("{} -> {} in {:.1f} ms", spec.description, error ? error->code : "ok",
                latency.count() * 1000.0);
  co_return Attempt{error, error && response.ok() ? retry_after_of(response.value(), *error)
                                                  : std::nullopt};
}

void Caller::observe_date(std::string_view date, Clock::time_point sent,
                          Clock::time_point received) {
  const auto parsed = parse_http_date(date);
  if (!parsed)
    return; // no Date (or a malformed one): the clock keeps what it had
  const int steps_before = clock_.steps_back();
  clock_.observe_date(DateSample{*parsed, sent, received, std::chrono::system_clock::now()});
  if (clock_.steps_back() != steps_before)
    spdlog::warn("the platform's clock went back (its Date reads {}): windows follow it from now "
                 "on, and the cursor waits until it passes the cursor again",
                 date);
  const auto offset = *clock_.offset();
  const auto magnitude = offset < std::chrono::milliseconds::zero() ? -offset : offset;
  obs::Metrics::PlatformClockFigures figures{std::chrono::duration<double>(offset).count(), {}};
  if (clock_limits_) {
    const std::string said = "the platform's clock is " + describe_offset(offset) +
                             " this host's (from the API's Date headers; windows follow the "
                             "platform's clock)";
    if (magnitude > clock_limits_->unhealthy_offset)
      figures.problem = said + ", more than sync.clock.unhealthy_offset " +
                        config::format_duration(clock_limits_->unhealthy_offset) +
                        ": fix the host's clock (NTP)";
    if (magnitude > clock_limits_->warn_offset)
      clock_log_.log(spdlog::level::warn, "platform clock",
                     said + "; more than sync.clock.warn_offset " +
                         config::format_duration(clock_limits_->warn_offset) +
                         ": check the host's clock (NTP)");
  }
  obs::metrics().set_platform_clock(std::move(figures));
}

net::awaitable<std::optional<ApiError>> Caller::run(const CallSpec& spec,
                                                    const BodyHandler& handle) {
  int failures = 0;
  int throttles = 0;
  for (;;) {
    auto [error, retry_after] = co_await attempt(spec, handle);
    if (!error)
      co_return std::nullopt;
    const RetryPolicy& policy = retry_;
    if (error->kind == ErrorKind::throttled) {
      ++counters_.throttled;
      if (spec.tally)
        ++spec.tally->throttled;
      obs::metrics().throttled();
      if (++throttles > kMaxThrottlesPerCall)
        co_return given_up(*error, "still throttled after " + std::to_string(throttles) + " bans");
      const auto ban = honour_retry_after(error->ban, retry_after, policy);
      const auto until = std::chrono::system_clock::now() + ban;
      obs::api_ban().record(until);
      // Calls in flight are refused by the same ban: the first one says so, once.
      if (limiter_.pause_until(Clock::now() + ban))
        spdlog::warn("{}: the platform banned the app ({}{}); every call pauses for {}s, until {}",
                     spec.description, error->code, retry_after_note(retry_after, policy),
                     std::chrono::ceil<std::chrono::seconds>(ban).count(), obs::format_utc(until));
      else
        spdlog::debug("{}: refused by the ban in force ({})", spec.description, error->code);
      count_retry(spec.tally);
      continue;
    }
    if (error->kind != ErrorKind::transient)
      co_return error;
    if (++failures >= policy.max_attempts)
      co_return given_up(*error, "gave up after " + std::to_string(failures) + " attempts");
    // A backoff at this call's count, from the policy now in force: a reload shapes the
    // retries still to come.
    const auto backoff = model::Backoff(policy.backoff()).skip(failures - 1).next();
    const auto wait = honour_retry_after(backoff, retry_after, policy);
    spdlog::warn("{}: attempt {}/{} failed ({}: {}{}); retrying in {} ms", spec.description,
                 failures, policy.max_attempts, error->code, error->message,
                 retry_after_note(retry_after, policy), wait.count());
    count_retry(spec.tally);
    co_await sleep_for(wait, &stop_);
  }
}

} // namespace taosync::api

#include "state.hpp"

#include <cmath>
#include <cstdio>

namespace taosync::sim {

namespace {

ShopConfig shop_config(const SimOptions& o) {
  ShopConfig c;
  c.seed = o.seed;
  c.orders = o.orders;
  c.anchor_ms = o.anchor_ms < 0 ? wall_ms() : o.anchor_ms;
  c.history = o.history;
  return c;
}

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Exponential inter-event time of a Poisson process of `rate` per second.
double exponential(Prng& rng, double rate) {
  return -std::log(1.0 - rng.unit()) / rate;
}

constexpr int kMaxEventsPerTick = 100000;

} // namespace

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

SimState::SimState(SimOptions options)
    : options_(std::move(options)), live_(options_.live), shop_(shop_config(options_)),
      tokens_(options_.access_token, options_.refresh_token, options_.token_ttl, wall_ms(),
              options_.seed),
      gate_{options_.app_key, options_.app_secret, std::chrono::seconds(7200)},
      fault_rng_(hash_of(options_.seed, 0xFA017u)), latency_rng_(hash_of(options_.seed, 0x1A7u)),
      lie_rng_(hash_of(options_.seed, 0x11E5u)), process_rng_(hash_of(options_.seed, 0x9055u)) {
  apply_rate_limit();
}

void SimState::apply_rate_limit() {
  throttle_.configure(live_.rate_limit, live_.burst, std::chrono::seconds(options_.ban_seconds),
                      Throttle::Clock::now());
}

std::int64_t SimState::change_event(std::int64_t now) {
  // A platform batch job: every 10th change event touches K orders in the very same ms.
  ++change_events_;
  int n = live_.bulk_same_ms > 1 && change_events_ % 10 == 0 ? live_.bulk_same_ms : 1;
  return static_cast<std::int64_t>(shop_.apply_changes(n, now).size());
}

std::int64_t SimState::mutate(std::int64_t n) {
  if (frozen_ > 0) {
    deferred_ += n;
    return 0;
  }
  return static_cast<std::int64_t>(shop_.apply_changes(static_cast<int>(n), wall_ms()).size());
}

void SimState::thaw() {
  if (--frozen_ == 0 && deferred_ > 0) {
    auto n = deferred_;
    deferred_ = 0;
    mutate(n);
  }
}

void SimState::tick() {
  if (frozen_ > 0)
    return; // the processes catch up after the truth stream
  auto now_s = steady_seconds();
  auto now = wall_ms();
  if (live_.arrivals != arrivals_rate_ || next_arrival_s_ < 0) {
    arrivals_rate_ = live_.arrivals;
    next_arrival_s_ = arrivals_rate_ > 0 ? now_s + exponential(process_rng_, arrivals_rate_) : -1;
  }
  if (live_.changes != changes_rate_ || next_change_s_ < 0) {
    changes_rate_ = live_.changes;
    next_change_s_ = changes_rate_ > 0 ? now_s + exponential(process_rng_, changes_rate_) : -1;
  }
  for (int i = 0; arrivals_rate_ > 0 && next_arrival_s_ <= now_s && i < kMaxEventsPerTick; ++i) {
    shop_.add_order(now);
    next_arrival_s_ += exponential(process_rng_, arrivals_rate_);
  }
  for (int i = 0; changes_rate_ > 0 && next_change_s_ <= now_s && i < kMaxEventsPerTick; ++i) {
    change_event(now);
    next_change_s_ += exponential(process_rng_, changes_rate_);
  }
}

std::string SimState::next_request_id() {
  char buf[48];
  auto h = hash_of(options_.seed, ++requests_);
  std::snprintf(buf, sizeof buf, "0b%06x%013lld%04u", static_cast<unsigned>(h & 0xFFFFFF),
                static_cast<long long>(wall_ms()), static_cast<unsigned>(requests_ % 10000));
  return buf;
}

} // namespace taosync::sim

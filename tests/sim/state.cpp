#include "state.hpp"

#include <atomic>
#include <cstdio>
#include <stdexcept>

namespace taosync::sim {

namespace {

std::atomic<std::int64_t> g_clock_offset_ms{0};

std::vector<std::unique_ptr<Seller>> make_sellers(const SimOptions& o) {
  set_platform_clock_offset(o.live.clock_offset); // before anything is stamped
  // parse_options() checks these for the command line; SimOptions built in code may not be.
  if (o.sellers < 1 || o.sellers > kMaxSellers)
    throw std::invalid_argument("sellers: must be within 1.." + std::to_string(kMaxSellers) +
                                ", got " + std::to_string(o.sellers));
  if (!o.seller_orders.empty() && o.seller_orders.size() != static_cast<std::size_t>(o.sellers))
    throw std::invalid_argument("seller_orders: lists " + std::to_string(o.seller_orders.size()) +
                                " sellers but sellers is " + std::to_string(o.sellers));
  auto anchor = o.anchor_ms < 0 ? wall_ms() : o.anchor_ms;
  std::vector<std::unique_ptr<Seller>> sellers;
  sellers.reserve(static_cast<std::size_t>(o.sellers));
  for (int i = 0; i < o.sellers; ++i)
    sellers.push_back(std::make_unique<Seller>(seller_config(o, i, anchor), o, wall_ms()));
  return sellers;
}

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() +
         g_clock_offset_ms.load(std::memory_order_relaxed);
}

void set_platform_clock_offset(std::chrono::milliseconds offset) {
  g_clock_offset_ms.store(offset.count(), std::memory_order_relaxed);
}

SimState::SimState(SimOptions options)
    : options_(std::move(options)), live_(options_.live),
      sellers_(make_sellers(options_)), gate_{options_.app_key, options_.app_secret,
                                              std::chrono::seconds(7200)},
      fault_rng_(hash_of(options_.seed, 0xFA017u)), latency_rng_(hash_of(options_.seed, 0x1A7u)),
      lie_rng_(hash_of(options_.seed, 0x11E5u)) {
  apply_rate_limit();
}

Seller* SimState::find_seller(std::string_view name) {
  for (auto& s : sellers_)
    if (s->name() == name)
      return s.get();
  return nullptr;
}

Seller* SimState::seller_by_access_token(std::string_view token) {
  for (auto& s : sellers_)
    if (s->tokens().holds_access(token))
      return s.get();
  return nullptr;
}

Seller* SimState::seller_by_refresh_token(std::string_view token) {
  for (auto& s : sellers_)
    if (s->tokens().knows_refresh(token))
      return s.get();
  return nullptr;
}

void SimState::apply_rate_limit() {
  throttle_.configure(live_.rate_limit, live_.burst, std::chrono::seconds(options_.ban_seconds),
                      Throttle::Clock::now());
}

std::int64_t SimState::mutate(Seller& seller, std::int64_t n) {
  return seller.mutate(n, frozen_ > 0, wall_ms());
}

void SimState::thaw() {
  if (--frozen_ == 0)
    for (auto& s : sellers_)
      s->apply_deferred(wall_ms());
}

void SimState::tick() {
  if (frozen_ > 0)
    return; // the processes catch up after the truth stream
  auto now_s = steady_seconds();
  auto now = wall_ms();
  for (auto& s : sellers_)
    s->tick(live_, now_s, now);
}

std::string SimState::next_request_id() {
  char buf[48];
  auto h = hash_of(options_.seed, ++requests_);
  std::snprintf(buf, sizeof buf, "0b%06x%013lld%04u", static_cast<unsigned>(h & 0xFFFFFF),
                static_cast<long long>(wall_ms()), static_cast<unsigned>(requests_ % 10000));
  return buf;
}

} // namespace taosync::sim

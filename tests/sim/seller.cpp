#include "seller.hpp"

#include <cmath>

namespace taosync::sim {

namespace {

/// Exponential inter-event time of a Poisson process of `rate` per second.
double exponential_gap(Prng& rng, double rate) {
  return -std::log(1.0 - rng.unit()) / rate;
}

constexpr int kMaxEventsPerTick = 100000;

} // namespace

SellerConfig seller_config(const SimOptions& options, int index, std::int64_t anchor_ms) {
  const bool many = options.sellers > 1;
  const auto number = std::to_string(index + 1);
  SellerConfig c;
  c.name = "shop-" + number;
  c.seed =
      index == 0 ? options.seed : hash_of(options.seed, 0x5E11E5u, static_cast<unsigned>(index));
  c.token_suffix = many ? "-" + number : "";
  c.access_token = options.access_token + c.token_suffix;
  c.refresh_token = options.refresh_token + c.token_suffix;
  c.shop.seed = c.seed;
  c.shop.orders = orders_of_seller(options, index);
  c.shop.anchor_ms = anchor_ms;
  c.shop.history = options.history;
  // The seed's two orders belong to one real shop: only the first seller holds them.
  c.shop.seed_orders = index == 0 && options.platform == Dialect::taobao;
  c.shop.time_step_ms = options.platform == Dialect::lazada ? 1000 : 1; // Lazada: whole seconds
  c.shop.id_lane = static_cast<std::uint32_t>(index);
  c.shop.id_lanes = static_cast<std::uint32_t>(options.sellers);
  return c;
}

Seller::Seller(SellerConfig config, const SimOptions& options, std::int64_t now_ms)
    : config_(std::move(config)), shop_(config_.shop),
      tokens_(config_.access_token, config_.refresh_token, options.token_ttl, now_ms, config_.seed,
              config_.token_suffix),
      process_rng_(hash_of(config_.seed, 0x9055u)) {}

std::int64_t Seller::change_event(int bulk_same_ms, std::int64_t now_ms) {
  // A platform batch job: every 10th change event touches K orders in the very same ms.
  ++change_events_;
  int n = bulk_same_ms > 1 && change_events_ % 10 == 0 ? bulk_same_ms : 1;
  return static_cast<std::int64_t>(shop_.apply_changes(n, now_ms).size());
}

std::int64_t Seller::mutate(std::int64_t n, bool frozen, std::int64_t now_ms) {
  if (frozen) {
    deferred_ += n;
    return 0;
  }
  return static_cast<std::int64_t>(shop_.apply_changes(static_cast<int>(n), now_ms).size());
}

void Seller::apply_deferred(std::int64_t now_ms) {
  if (deferred_ > 0) {
    auto n = deferred_;
    deferred_ = 0;
    mutate(n, false, now_ms);
  }
}

void Seller::tick(const LiveSettings& live, double now_s, std::int64_t now_ms) {
  if (live.arrivals != arrivals_rate_ || next_arrival_s_ < 0) {
    arrivals_rate_ = live.arrivals;
    next_arrival_s_ =
        arrivals_rate_ > 0 ? now_s + exponential_gap(process_rng_, arrivals_rate_) : -1;
  }
  if (live.changes != changes_rate_ || next_change_s_ < 0) {
    changes_rate_ = live.changes;
    next_change_s_ = changes_rate_ > 0 ? now_s + exponential_gap(process_rng_, changes_rate_) : -1;
  }
  for (int i = 0; arrivals_rate_ > 0 && next_arrival_s_ <= now_s && i < kMaxEventsPerTick; ++i) {
    shop_.add_order(now_ms);
    next_arrival_s_ += exponential_gap(process_rng_, arrivals_rate_);
  }
  for (int i = 0; changes_rate_ > 0 && next_change_s_ <= now_s && i < kMaxEventsPerTick; ++i) {
    change_event(live.bulk_same_ms, now_ms);
    next_change_s_ += exponential_gap(process_rng_, changes_rate_);
  }
}

} // namespace taosync::sim

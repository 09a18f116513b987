#pragma once
// One seller behind the simulated gateway: its shop (orders), its tokens, its share of the
// arrival and change processes, and its call counts. Sellers share the app: its key and secret,
// its rate limit, faults and lies.

#include "gate.hpp"
#include "options.hpp"
#include "prng.hpp"
#include "shop.hpp"
#include "stats.hpp"

#include <cstdint>
#include <string>

namespace taosync::sim {

/// How seller `index` (0-based) of `count` is set up from the command line. With one seller it
/// is exactly the single shop of a simulator that knows nothing of sellers.
struct SellerConfig {
  std::string name;          ///< "shop-<index+1>"
  std::uint64_t seed = 1;    ///< its data seed: --seed for the first seller
  std::string access_token;  ///< --access-token, suffixed "-<index+1>" when count > 1
  std::string refresh_token; ///< --refresh-token, suffixed likewise
  std::string token_suffix;  ///< "" or "-<index+1>": also ends every token it is issued
  ShopConfig shop;
};

/// Seller `index` (0-based) of `options.sellers`.
SellerConfig seller_config(const SimOptions& options, int index, std::int64_t anchor_ms);

/// A seller's state. Used from the io_context's thread only.
class Seller {
public:
  /// Generates the seller's orders.
  Seller(SellerConfig config, const SimOptions& options, std::int64_t now_ms);

  const std::string& name() const { return config_.name; }
  std::uint64_t seed() const { return config_.seed; }
  /// The refresh token it started with (it stays valid unless revoked).
  const std::string& initial_refresh_token() const { return config_.refresh_token; }
  Shop& shop() { return shop_; }
  const Shop& shop() const { return shop_; }
  TokenBook& tokens() { return tokens_; }
  const TokenBook& tokens() const { return tokens_; }
  /// Its API calls per endpoint and outcome.
  CallCounts& calls() { return calls_; }
  const CallCounts& calls() const { return calls_; }

  /// Applies n lifecycle changes now, or defers them while `frozen`. Returns those applied.
  std::int64_t mutate(std::int64_t n, bool frozen, std::int64_t now_ms);

  /// Applies the changes deferred while frozen.
  void apply_deferred(std::int64_t now_ms);

  /// Runs its arrival and change processes up to `now_s` (steady seconds).
  void tick(const LiveSettings& live, double now_s, std::int64_t now_ms);

private:
  std::int64_t change_event(int bulk_same_ms, std::int64_t now_ms);

  SellerConfig config_;
  Shop shop_;
  TokenBook tokens_;
  CallCounts calls_;
  Prng process_rng_;
  std::int64_t deferred_ = 0;
  std::uint64_t change_events_ = 0;
  double next_arrival_s_ = -1; // seconds on the steady clock; < 0 = not scheduled
  double next_change_s_ = -1;
  double arrivals_rate_ = 0;
  double changes_rate_ = 0;
};

} // namespace taosync::sim

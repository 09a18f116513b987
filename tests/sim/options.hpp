#pragma once
// The taosync-sim command line (see tests/sim/README.md for every flag).

#include "lies.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::sim {

/// Paging order of /orders/get; the real platform does not document its own.
enum class SortOrder { creation_desc, modification_asc, modification_desc, id_asc };

/// Returns "creation_desc", ...
std::string_view sort_name(SortOrder s);

/// Settings that POST /_sim/control may change while the simulator runs.
struct LiveSettings {
  double arrivals = 0;        ///< new orders per second (Poisson)
  double changes = 0;         ///< lifecycle changes per second (Poisson)
  int bulk_same_ms = 0;       ///< every 10th change event hits this many orders in one ms
  int churn_per_page = 0;     ///< changes applied before each /orders/get
  double fault_rate = 0;      ///< share of /rest calls that get a fault
  double bad_record_rate = 0; ///< share of records served broken
  double rate_limit = 0;      ///< calls per second; 0 = unlimited
  int burst = 0;              ///< bucket size; 0 = max(1, rate_limit)
  std::chrono::milliseconds latency_mean{0};
  std::chrono::milliseconds latency_jitter{0};
  LieRates lies; ///< rate (0..1) of every lie kind
  /// Retry-After (seconds) on 503 faults, unavailable answers and ApiCallLimit; 0 = no header.
  int retry_after = 0;
  int unavailable_calls = 0;    ///< the next N API calls are answered unavailable_status
  int unavailable_status = 503; ///< 503 or 429
  /// The platform's clock minus the host's: its stamps, checks and Date headers run this far
  /// off (a platform whose clock is behind, or a host whose clock is ahead).
  std::chrono::milliseconds clock_offset{0};
};

/// Everything the command line sets.
/// Which platform's order API the simulator speaks.
enum class Dialect { taobao, lazada };

struct SimOptions {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 0; ///< 0 = pick a free port
  std::uint64_t orders = 1000;   ///< total orders at start, the seed's two included
  int sellers = 1;               ///< sellers served by the one gateway (1..kMaxSellers)
  /// Orders at start of each seller (its size is `sellers`); empty = `orders` for every one.
  std::vector<std::uint64_t> seller_orders;
  std::uint64_t seed = 1;
  std::string app_key = "test-app-key";
  std::string app_secret = "test-app-secret";
  std::string access_token = "test-access-token";
  std::string refresh_token = "test-refresh-token";
  std::chrono::milliseconds token_ttl{0}; ///< 0 = access tokens never expire
  std::chrono::milliseconds history = std::chrono::days{90};
  /// Creation times end here (epoch ms). Fixed by default so that the data is deterministic;
  /// the default is the seed's modification_time_end (2020-06-25).
  std::int64_t anchor_ms = 1593076987000;
  SortOrder sort = SortOrder::creation_desc;
  int ban_seconds = 1;
  std::chrono::milliseconds stall{35000};
  int max_page_size = 100;
  int max_ids = 50;
  bool gzip = true; ///< compress API answers for a request that accepts gzip
  /// taobao: milliseconds, pages; lazada: whole seconds, offsets under the 5,000 cap, items by
  /// order id (and no seed orders: theirs are Taobao's).
  Dialect platform = Dialect::taobao;
  LiveSettings live;
};

/// Most sellers one simulator serves: their order ids share the id space (see seller.hpp).
inline constexpr int kMaxSellers = 1000;

/// Orders at start of seller `index` (0-based).
std::uint64_t orders_of_seller(const SimOptions& options, int index);

/// Parses a duration such as "250ms", "30s", "2m", "1h", "90d"; a bare number is seconds.
/// Throws std::invalid_argument naming the text.
std::chrono::milliseconds parse_duration(std::string_view text);

/// Parses the command line (argv[1..]). Throws std::invalid_argument naming the bad flag.
SimOptions parse_options(const std::vector<std::string>& args);

/// The --help text.
std::string usage();

} // namespace taosync::sim

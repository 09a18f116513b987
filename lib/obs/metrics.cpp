#include "obs/metrics.hpp"

#include "obs/api_ban.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>

namespace taosync::obs {

namespace {

using Clock = std::chrono::steady_clock;

/// Latency buckets in seconds, shared by the API and DB histograms.
constexpr std::array<double, 13> kBuckets{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                          0.5,   1.0,   2.5,  5.0,   10.0, 30.0};

/// A cumulative Prometheus histogram (not thread-safe on its own; guarded by Impl::mu).
struct Histogram {
  std::array<std::uint64_t, kBuckets.size()> counts{};
  std::uint64_t count = 0;
  double sum = 0;

  void observe(double v) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      if (v <= kBuckets[i])
        ++counts[i];
    }
    ++count;
    sum += v;
  }
};

/// Escapes a label value: backslash, double quote and newline (exposition format rules).
std::string escape_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

/// Formats a sample value the way Prometheus reads it (+Inf, integers without exponent).
std::string num(double v) {
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v))
    return "NaN";
  std::ostringstream os;
  os.precision(15);
  os << v;
  return os.str();
}

void header(std::ostringstream& os, const char* name, const char* type, const char* help) {
  os << "# HELP " << name << ' ' << help << '\n' << "# TYPE " << name << ' ' << type << '\n';
}

void scalar(std::ostringstream& os, const char* name, const char* type, const char* help,
            double value) {
  header(os, name, type, help);
  os << name << ' ' << num(value) << '\n';
}

void histogram(std::ostringstream& os, const char* name, const char* help, const Histogram& h,
               const std::string& labels = {}) {
  if (help)
    header(os, name, "histogram", help);
  const std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    os << name << "_bucket{" << labels << sep << "le=\"" << num(kBuckets[i]) << "\"} "
       << h.counts[i] << '\n';
  }
  os << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << h.count << '\n';
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  os << name << "_sum" << braces << ' ' << num(h.sum) << '\n';
  os << name << "_count" << braces << ' ' << h.count << '\n';
}

} // namespace

/// One shop's figures (guarded by Impl::mu).
struct ShopFigures {
  int live = 0; ///< ShopMetrics alive for the shop (a handover may overlap a takeover)
  std::uint64_t orders = 0;
  std::uint64_t lines = 0;
  std::uint64_t rejected = 0;
  std::uint64_t rereads = 0;
  std::uint64_t held_total = 0;
  double cursor_lag = 0;
  std::optional<std::chrono::system_clock::time_point> last_success_wall;
  std::optional<Clock::time_point> last_success_mono;
  std::uint64_t init_done = 0;
  std::uint64_t init_total = 0;
  std::optional<Clock::time_point> init_moved_at;
  bool held = false;
  std::uint64_t owed_orders = 0;
  std::uint64_t owed_lines = 0;
  bool waiting = false;
};

double seconds_since(const std::optional<Clock::time_point>& t) {
  if (!t)
    return std::numeric_limits<double>::infinity();
  return std::chrono::duration<double>(Clock::now() - *t).count();
}

struct Metrics::Impl {
  mutable std::mutex mu;
  std::map<std::pair<std::string, std::string>, std::uint64_t> api_calls; // endpoint, outcome
  std::map<std::string, Histogram> api_latency;                           // by endpoint
  std::uint64_t throttled = 0;
  std::uint64_t retries = 0;
  Histogram db_write;
  std::map<std::string, ShopFigures> shops;
  std::uint64_t leases_taken = 0;
  std::uint64_t lease_takeovers = 0;
  std::uint64_t leases_lost = 0;
  std::optional<std::size_t> leases_held;
  PlatformClockFigures platform_clock;
  struct Pending {
    Clock::time_point since;
    std::string blocker;
  };
  std::map<std::string, Pending> db_pending; // by who

  /// Runs `change` on `shop`'s figures under the lock.
  template <class F> void with_shop(const std::string& shop, F&& change) {
    std::lock_guard lock(mu);
    change(shops[shop]);
  }
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::api_call(std::string_view endpoint, std::string_view outcome,
                       std::chrono::duration<double> latency) {
  std::lock_guard lock(impl_->mu);
  ++impl_->api_calls[{std::string(endpoint), std::string(outcome)}];
  impl_->api_latency[std::string(endpoint)].observe(latency.count());
}

void Metrics::throttled() {
  std::lock_guard lock(impl_->mu);
  ++impl_->throttled;
}

void Metrics::retried() {
  std::lock_guard lock(impl_->mu);
  ++impl_->retries;
}

void Metrics::db_write(std::chrono::duration<double> latency) {
  std::lock_guard lock(impl_->mu);
  impl_->db_write.observe(latency.count());
}

void Metrics::lease_taken(bool from_peer) {
  std::lock_guard lock(impl_->mu);
  ++impl_->leases_taken;
  if (from_peer)
    ++impl_->lease_takeovers;
}

void Metrics::lease_lost() {
  std::lock_guard lock(impl_->mu);
  ++impl_->leases_lost;
}

void Metrics::set_leases_held(std::size_t n) {
  std::lock_guard lock(impl_->mu);
  impl_->leases_held = n;
}

std::optional<std::size_t> Metrics::leases_held() const {
  std::lock_guard lock(impl_->mu);
  return impl_->leases_held;
}

void Metrics::set_platform_clock(PlatformClockFigures figures) {
  std::lock_guard lock(impl_->mu);
  impl_->platform_clock = std::move(figures);
}

Metrics::PlatformClockFigures Metrics::platform_clock() const {
  std::lock_guard lock(impl_->mu);
  return impl_->platform_clock;
}

std::vector<Metrics::ShopFreshness> Metrics::freshness() const {
  std::lock_guard lock(impl_->mu);
  std::vector<ShopFreshness> out;
  for (const auto& [shop, f] : impl_->shops)
    if (f.live > 0)
      out.push_back({shop, seconds_since(f.last_success_mono), seconds_since(f.init_moved_at),
                     f.init_moved_at && f.init_done < f.init_total, f.waiting});
  return out;
}

ShopMetrics::ShopMetrics(Metrics& metrics, std::string shop)
    : metrics_(metrics), shop_(std::move(shop)) {
  metrics_.impl_->with_shop(shop_, [](ShopFigures& f) { ++f.live; });
}

ShopMetrics::~ShopMetrics() {
  metrics_.impl_->with_shop(shop_, [](ShopFigures& f) {
    --f.live;
    if (f.live == 0) { // what it showed is no longer this daemon's to show; counters stay
      ShopFigures counters;
      counters.orders = f.orders;
      counters.lines = f.lines;
      counters.rejected = f.rejected;
      counters.rereads = f.rereads;
      counters.held_total = f.held_total;
      f = counters;
    }
  });
}

void ShopMetrics::rejected(std::uint64_t n) {
  metrics_.impl_->with_shop(shop_, [n](ShopFigures& f) { f.rejected += n; });
}

void ShopMetrics::orders_synced(std::uint64_t n) {
  metrics_.impl_->with_shop(shop_, [n](ShopFigures& f) { f.orders += n; });
}

void ShopMetrics::lines_synced(std::uint64_t n) {
  metrics_.impl_->with_shop(shop_, [n](ShopFigures& f) { f.lines += n; });
}

void ShopMetrics::set_cursor_lag(std::chrono::duration<double> lag) {
  metrics_.impl_->with_shop(shop_, [lag](ShopFigures& f) { f.cursor_lag = lag.count(); });
}

void ShopMetrics::set_last_success(std::chrono::system_clock::time_point t) {
  metrics_.impl_->with_shop(shop_, [t](ShopFigures& f) {
    f.last_success_wall = t;
    f.last_success_mono = Clock::now();
  });
}

void ShopMetrics::set_init_progress(std::uint64_t done, std::uint64_t total) {
  metrics_.impl_->with_shop(shop_, [done, total](ShopFigures& f) {
    if (!f.init_moved_at || done != f.init_done || total != f.init_total)
      f.init_moved_at = Clock::now();
    f.init_done = done;
    f.init_total = total;
  });
}

void ShopMetrics::window_reread(std::uint64_t n) {
  metrics_.impl_->with_shop(shop_, [n](ShopFigures& f) { f.rereads += n; });
}

void ShopMetrics::window_held() {
  metrics_.impl_->with_shop(shop_, [](ShopFigures& f) { ++f.held_total; });
}

void ShopMetrics::set_held(bool held) {
  metrics_.impl_->with_shop(shop_, [held](ShopFigures& f) { f.held = held; });
}

void ShopMetrics::set_waiting(bool waiting) {
  metrics_.impl_->with_shop(shop_, [waiting](ShopFigures& f) { f.waiting = waiting; });
}

void ShopMetrics::set_owed(std::uint64_t orders, std::uint64_t lines) {
  metrics_.impl_->with_shop(shop_, [orders, lines](ShopFigures& f) {
    f.owed_orders = orders;
    f.owed_lines = lines;
  });
}

void Metrics::set_db_pending(const std::string& who, std::optional<Clock::time_point> since) {
  std::lock_guard lock(impl_->mu);
  if (since)
    impl_->db_pending[who] = {*since, {}};
  else
    impl_->db_pending.erase(who);
}

void Metrics::set_db_blocker(const std::string& who, std::string blocker) {
  std::lock_guard lock(impl_->mu);
  if (auto it = impl_->db_pending.find(who); it != impl_->db_pending.end())
    it->second.blocker = std::move(blocker);
}

std::optional<Metrics::DbPending> Metrics::longest_db_pending() const {
  std::lock_guard lock(impl_->mu);
  std::optional<DbPending> out;
  const auto now = Clock::now();
  for (const auto& [who, p] : impl_->db_pending)
    if (!out || now - p.since > out->age)
      out = DbPending{who, now - p.since, p.blocker};
  return out;
}

namespace {

/// One sample per shop: every shop ever synced for a counter, the live ones for a gauge.
template <class Value>
void per_shop(std::ostringstream& os, const char* name, const char* type, const char* help,
              const std::map<std::string, ShopFigures>& shops, Value value) {
  header(os, name, type, help);
  const bool gauge = std::string_view(type) == "gauge";
  for (const auto& [shop, f] : shops)
    if (!gauge || f.live > 0)
      os << name << "{shop=\"" << escape_label(shop) << "\"} " << num(value(f)) << '\n';
}

double count(std::uint64_t n) {
  return static_cast<double>(n);
}

} // namespace

std::string Metrics::render() const {
  std::lock_guard lock(impl_->mu);
  const Impl& m = *impl_;
  std::ostringstream os;
  const auto& shops = m.shops;
  per_shop(os, "taosync_orders_synced_total", "counter", "Orders written to PostgreSQL.", shops,
           [](const ShopFigures& f) { return count(f.orders); });
  per_shop(os, "taosync_lines_synced_total", "counter", "Order lines written to PostgreSQL.", shops,
           [](const ShopFigures& f) { return count(f.lines); });
  header(os, "taosync_api_calls_total", "counter", "API calls by endpoint and outcome.");
  for (const auto& [key, n] : m.api_calls) {
    os << "taosync_api_calls_total{endpoint=\"" << escape_label(key.first) << "\",outcome=\""
       << escape_label(key.second) << "\"} " << n << '\n';
  }
  header(os, "taosync_api_call_duration_seconds", "histogram",
         "API call latency in seconds, by endpoint.");
  for (const auto& [endpoint, h] : m.api_latency) {
    histogram(os, "taosync_api_call_duration_seconds", nullptr, h,
              "endpoint=\"" + escape_label(endpoint) + "\"");
  }
  scalar(os, "taosync_api_throttled_total", "counter", "ApiCallLimit answers (bans).",
         count(m.throttled));
  scalar(os, "taosync_api_retries_total", "counter", "API call attempts after the first.",
         count(m.retries));
  scalar(os, "taosync_api_ban_until_timestamp_seconds", "gauge",
         "Unix time the latest ApiCallLimit ban ends (0 = none yet).",
         std::chrono::duration<double>(api_ban().latest().time_since_epoch()).count());
  if (m.platform_clock.offset_seconds)
    scalar(os, "taosync_platform_clock_offset_seconds", "gauge",
           "The platform's clock minus this host's, from the API answers' Date headers.",
           *m.platform_clock.offset_seconds);
  per_shop(os, "taosync_rejected_records_total", "counter",
           "Records that failed to parse or validate and went to rejected_records.", shops,
           [](const ShopFigures& f) { return count(f.rejected); });
  per_shop(os, "taosync_cursor_lag_seconds", "gauge", "Now minus the high-water mark.", shops,
           [](const ShopFigures& f) { return f.cursor_lag; });
  per_shop(
      os, "taosync_last_success_timestamp_seconds", "gauge",
      "Unix time of the last successful sync cycle (0 = none yet).", shops,
      [](const ShopFigures& f) {
        return f.last_success_wall
                   ? std::chrono::duration<double>(f.last_success_wall->time_since_epoch()).count()
                   : 0.0;
      });
  histogram(os, "taosync_db_write_duration_seconds", "Write transaction latency in seconds.",
            m.db_write);
  Clock::duration pending{};
  for (const auto& [who, p] : m.db_pending)
    pending = std::max(pending, Clock::now() - p.since);
  scalar(os, "taosync_db_pending_seconds", "gauge",
         "Age of the oldest database job still in flight, retries included (0 = none).",
         std::chrono::duration<double>(pending).count());
  per_shop(os, "taosync_init_progress_ratio", "gauge", "Fraction of the init sweep done (0..1).",
           shops, [](const ShopFigures& f) {
             return f.init_total ? std::min(1.0, count(f.init_done) / count(f.init_total)) : 0.0;
           });
  per_shop(os, "taosync_init_orders_done", "gauge", "Orders swept by the init so far.", shops,
           [](const ShopFigures& f) { return count(f.init_done); });
  per_shop(os, "taosync_init_orders_total", "gauge", "Estimated orders the init will sweep.", shops,
           [](const ShopFigures& f) { return count(f.init_total); });
  per_shop(os, "taosync_window_rereads_total", "counter",
           "Listing answers that did not add up and were asked again.", shops,
           [](const ShopFigures& f) { return count(f.rereads); });
  per_shop(os, "taosync_windows_held_total", "counter",
           "Windows held because their answers never added up.", shops,
           [](const ShopFigures& f) { return count(f.held_total); });
  per_shop(os, "taosync_sync_held", "gauge",
           "1 while the cursor is held before a window that could not be verified.", shops,
           [](const ShopFigures& f) { return f.held ? 1.0 : 0.0; });
  per_shop(os, "taosync_owed_orders", "gauge",
           "Orders the platform still owes (lines missing or record unusable).", shops,
           [](const ShopFigures& f) { return count(f.owed_orders); });
  per_shop(os, "taosync_owed_lines", "gauge", "Lines the platform still owes.", shops,
           [](const ShopFigures& f) { return count(f.owed_lines); });
  scalar(os, "taosync_leases_held", "gauge", "Shop leases this daemon holds now.",
         count(m.leases_held.value_or(0)));
  scalar(os, "taosync_leases_taken_total", "counter", "Shop leases this daemon took.",
         count(m.leases_taken));
  scalar(os, "taosync_lease_takeovers_total", "counter",
         "Shop leases taken that another daemon held last (taken over).", count(m.lease_takeovers));
  scalar(os, "taosync_leases_lost_total", "counter",
         "Shop leases lost: found taken or expired, or not confirmed in time (not handed over).",
         count(m.leases_lost));
  return os.str();
}

Metrics& metrics() {
  static Metrics instance;
  return instance;
}

} // namespace taosync::obs

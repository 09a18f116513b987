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

struct Metrics::Impl {
  mutable std::mutex mu;
  std::map<std::pair<std::string, std::string>, std::uint64_t> api_calls; // endpoint, outcome
  std::map<std::string, Histogram> api_latency;                           // by endpoint
  std::uint64_t throttled = 0;
  std::uint64_t retries = 0;
  std::uint64_t rejected = 0;
  std::uint64_t orders = 0;
  std::uint64_t lines = 0;
  Histogram db_write;
  double cursor_lag = 0;
  std::optional<std::chrono::system_clock::time_point> last_success_wall;
  std::optional<Clock::time_point> last_success_mono;
  std::uint64_t init_done = 0;
  std::uint64_t init_total = 0;
  std::optional<Clock::time_point> init_moved_at;
  std::uint64_t rereads = 0;
  std::uint64_t held_total = 0;
  bool held = false;
  std::uint64_t owed_orders = 0;
  std::uint64_t owed_lines = 0;
  struct Pending {
    Clock::time_point since;
    std::string blocker;
  };
  std::map<std::string, Pending> db_pending; // by who
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

void Metrics::rejected(std::uint64_t n) {
  std::lock_guard lock(impl_->mu);
  impl_->rejected += n;
}

void Metrics::window_reread(std::uint64_t n) {
  std::lock_guard lock(impl_->mu);
  impl_->rereads += n;
}

void Metrics::window_held() {
  std::lock_guard lock(impl_->mu);
  ++impl_->held_total;
}

void Metrics::set_held(bool held) {
  std::lock_guard lock(impl_->mu);
  impl_->held = held;
}

void Metrics::set_owed(std::uint64_t orders, std::uint64_t lines) {
  std::lock_guard lock(impl_->mu);
  impl_->owed_orders = orders;
  impl_->owed_lines = lines;
}

void Metrics::orders_synced(std::uint64_t n) {
  std::lock_guard lock(impl_->mu);
  impl_->orders += n;
}

void Metrics::lines_synced(std::uint64_t n) {
  std::lock_guard lock(impl_->mu);
  impl_->lines += n;
}

void Metrics::db_write(std::chrono::duration<double> latency) {
  std::lock_guard lock(impl_->mu);
  impl_->db_write.observe(latency.count());
}

void Metrics::set_cursor_lag(std::chrono::duration<double> lag) {
  std::lock_guard lock(impl_->mu);
  impl_->cursor_lag = lag.count();
}

void Metrics::set_last_success(std::chrono::system_clock::time_point t) {
  std::lock_guard lock(impl_->mu);
  impl_->last_success_wall = t;
  impl_->last_success_mono = Clock::now();
}

void Metrics::set_init_progress(std::uint64_t done, std::uint64_t total) {
  std::lock_guard lock(impl_->mu);
  if (!impl_->init_moved_at || done != impl_->init_done || total != impl_->init_total) {
    impl_->init_moved_at = Clock::now();
  }
  impl_->init_done = done;
  impl_->init_total = total;
}

double Metrics::seconds_since_last_success() const {
  std::lock_guard lock(impl_->mu);
  if (!impl_->last_success_mono)
    return std::numeric_limits<double>::infinity();
  return std::chrono::duration<double>(Clock::now() - *impl_->last_success_mono).count();
}

double Metrics::seconds_since_init_progress() const {
  std::lock_guard lock(impl_->mu);
  if (!impl_->init_moved_at)
    return std::numeric_limits<double>::infinity();
  return std::chrono::duration<double>(Clock::now() - *impl_->init_moved_at).count();
}

bool Metrics::init_in_progress() const {
  std::lock_guard lock(impl_->mu);
  return impl_->init_moved_at && impl_->init_done < impl_->init_total;
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

std::string Metrics::render() const {
  std::lock_guard lock(impl_->mu);
  const Impl& m = *impl_;
  std::ostringstream os;
  scalar(os, "taosync_orders_synced_total", "counter", "Orders written to PostgreSQL.",
         static_cast<double>(m.orders));
  scalar(os, "taosync_lines_synced_total", "counter", "Order lines written to PostgreSQL.",
         static_cast<double>(m.lines));
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
         static_cast<double>(m.throttled));
  scalar(os, "taosync_api_retries_total", "counter", "API call attempts after the first.",
         static_cast<double>(m.retries));
  scalar(os, "taosync_api_ban_until_timestamp_seconds", "gauge",
         "Unix time the latest ApiCallLimit ban ends (0 = none yet).",
         std::chrono::duration<double>(api_ban().latest().time_since_epoch()).count());
  scalar(os, "taosync_rejected_records_total", "counter",
         "Records that failed to parse or validate and went to rejected_records.",
         static_cast<double>(m.rejected));
  scalar(os, "taosync_cursor_lag_seconds", "gauge", "Now minus the high-water mark.", m.cursor_lag);
  const double last =
      m.last_success_wall
          ? std::chrono::duration<double>(m.last_success_wall->time_since_epoch()).count()
          : 0.0;
  scalar(os, "taosync_last_success_timestamp_seconds", "gauge",
         "Unix time of the last successful sync cycle (0 = none yet).", last);
  histogram(os, "taosync_db_write_duration_seconds", "Write transaction latency in seconds.",
            m.db_write);
  Clock::duration pending{};
  for (const auto& [who, p] : m.db_pending)
    pending = std::max(pending, Clock::now() - p.since);
  scalar(os, "taosync_db_pending_seconds", "gauge",
         "Age of the oldest database job still in flight, retries included (0 = none).",
         std::chrono::duration<double>(pending).count());
  const double ratio =
      m.init_total ? static_cast<double>(m.init_done) / static_cast<double>(m.init_total) : 0.0;
  scalar(os, "taosync_init_progress_ratio", "gauge", "Fraction of the init sweep done (0..1).",
         std::min(ratio, 1.0));
  scalar(os, "taosync_init_orders_done", "gauge", "Orders swept by the init so far.",
         static_cast<double>(m.init_done));
  scalar(os, "taosync_init_orders_total", "gauge", "Estimated orders the init will sweep.",
         static_cast<double>(m.init_total));
  scalar(os, "taosync_window_rereads_total", "counter",
         "Listing answers that did not add up and were asked again.",
         static_cast<double>(m.rereads));
  scalar(os, "taosync_windows_held_total", "counter",
         "Windows held because their answers never added up.", static_cast<double>(m.held_total));
  scalar(os, "taosync_sync_held", "gauge",
         "1 while the cursor is held before a window that could not be verified.",
         m.held ? 1.0 : 0.0);
  scalar(os, "taosync_owed_orders", "gauge",
         "Orders the platform still owes (lines missing or record unusable).",
         static_cast<double>(m.owed_orders));
  scalar(os, "taosync_owed_lines", "gauge", "Lines the platform still owes.",
         static_cast<double>(m.owed_lines));
  return os.str();
}

Metrics& metrics() {
  static Metrics instance;
  return instance;
}

} // namespace taosync::obs

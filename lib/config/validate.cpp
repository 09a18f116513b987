// Range and form checks over a whole Config; the first problem found is a ConfigError
// naming its dotted key.

#include "config/config.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace taosync::config {

namespace {

void require(bool ok, const std::string& key, const std::string& reason) {
  if (!ok)
    throw ConfigError(key, reason);
}

void in_range(std::int64_t v, std::int64_t lo, std::int64_t hi, const std::string& key) {
  require(v >= lo && v <= hi, key,
          "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
              std::to_string(v));
}

void positive(Millis d, const std::string& key) {
  require(d > Millis{0}, key, "must be greater than 0");
}

/// The host of "scheme://host[:port]/..." (brackets kept off an IPv6 literal).
std::string url_host(const std::string& url) {
  const auto start = url.find("://") + 3;
  const auto end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    authority = authority.substr(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    return authority.substr(1, authority.find(']') - 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void check_url(const std::string& url, bool allow_insecure, const std::string& key) {
  const bool https = url.rfind("https://", 0) == 0;
  const bool http = url.rfind("http://", 0) == 0;
  require(https || http, key, "must start with https:// (or http:// for loopback)");
  const std::string host = url_host(url);
  require(!host.empty(), key, "has no host");
  require(https || allow_insecure || is_loopback(host), key,
          "plain http:// is only allowed for loopback hosts; set api.allow_insecure_http: true "
          "to allow it for '" +
              host + "'");
}

void check_api(const ApiConfig& a) {
  check_url(a.base_url, a.allow_insecure_http, "api.base_url");
  check_url(a.auth_url, a.allow_insecure_http, "api.auth_url");
  require(!a.app_key.empty(), "api.app_key", "is required");
  require(!a.app_secret.empty(), "api.app_secret",
          "is required (set api.app_secret, api.app_secret_file or the app_secret credential)");
  require(!a.access_token.empty(), "api.access_token",
          "is required (set api.access_token, api.access_token_file or the access_token "
          "credential)");
  if (a.ca_file) {
    std::error_code ec;
    require(std::filesystem::is_regular_file(*a.ca_file, ec), "api.ca_file",
            "no such file '" + *a.ca_file + "'");
  }
  require(a.max_response_bytes >= 1024, "api.max_response_bytes", "must be at least 1024");
  positive(a.timeout, "api.timeout");
  in_range(a.items_batch_size, 1, 50, "api.items_batch_size");
  in_range(a.max_in_flight, 1, 256, "api.max_in_flight");
  in_range(a.max_page_size, 1, 10000, "api.max_page_size");
  require(a.rate_limit.requests_per_second > 0, "api.rate_limit.requests_per_second",
          "must be greater than 0");
  in_range(a.rate_limit.burst, 1, 1000000, "api.rate_limit.burst");
  in_range(a.retry.max_attempts, 1, 1000, "api.retry.max_attempts");
  positive(a.retry.initial_backoff, "api.retry.initial_backoff");
  require(a.retry.max_backoff >= a.retry.initial_backoff, "api.retry.max_backoff",
          "must be at least api.retry.initial_backoff");
}

/// libpq takes whole seconds: a sub-second value would silently round.
void whole_seconds(Millis d, Millis at_least, const std::string& key) {
  require(d >= at_least && d % std::chrono::seconds(1) == Millis{0}, key,
          "must be whole seconds, at least " + format_duration(at_least));
}

void check_database(const DatabaseConfig& d) {
  require(!d.url.empty(), "database.url", "is required");
  in_range(d.batch_orders, 1, 100000, "database.batch_orders");
  positive(d.reconnect_max_backoff, "database.reconnect_max_backoff");
  whole_seconds(d.connect_timeout, std::chrono::seconds(2), "database.connect_timeout");
  require(d.statement_timeout >= Millis{0}, "database.statement_timeout",
          "must not be negative (0 disables it)");
  require(d.lock_timeout >= Millis{0}, "database.lock_timeout",
          "must not be negative (0 disables it)");
  whole_seconds(d.keepalives_idle, std::chrono::seconds(1), "database.keepalives_idle");
  whole_seconds(d.keepalives_interval, std::chrono::seconds(1), "database.keepalives_interval");
  in_range(d.keepalives_count, 1, 1000, "database.keepalives_count");
  positive(d.report_blocked_after, "database.report_blocked_after");
}

void check_sync(const SyncConfig& s, int max_page_size) {
  require(!s.shop.empty() && s.shop.size() <= 64 &&
              std::all_of(s.shop.begin(), s.shop.end(),
                          [](unsigned char c) {
                            return std::isalnum(c) || c == '_' || c == '-' || c == '.';
                          }),
          "sync.shop", "must be 1-64 characters of A-Z a-z 0-9 _ - .");
  positive(s.poll_interval, "sync.poll_interval");
  in_range(s.page_size, 1, max_page_size, "sync.page_size");
  require(s.window.overlap >= Millis{0}, "sync.window.overlap", "must not be negative");
  require(s.window.lag >= Millis{0}, "sync.window.lag", "must not be negative");
  require(s.window.max_length >= std::chrono::seconds(1), "sync.window.max_length",
          "must be at least 1s");
  in_range(s.verify.rereads, 0, 20, "sync.verify.rereads");
  require(s.verify.backoff >= Millis{10} && s.verify.backoff <= std::chrono::minutes(10),
          "sync.verify.backoff", "must be between 10ms and 10m");
  require(s.verify.future_tolerance >= std::chrono::minutes(1), "sync.verify.future_tolerance",
          "must be at least 1m");
  in_range(s.owed.per_cycle, 0, 10000, "sync.owed.per_cycle");
  require(s.owed.max_backoff >= std::chrono::seconds(1), "sync.owed.max_backoff",
          "must be at least 1s");
  require(s.reconcile.at >= std::chrono::minutes(0) && s.reconcile.at < std::chrono::hours(24),
          "sync.reconcile.at", "must be a time of day HH:MM");
  require(!s.reconcile.timezone.empty(), "sync.reconcile.timezone", "is required");
}

void check_listen(const std::string& listen) {
  if (listen.empty())
    return; // disabled
  const auto colon = listen.rfind(':');
  require(colon != std::string::npos && colon > 0, "metrics.listen",
          "expected HOST:PORT such as 127.0.0.1:9464, got '" + listen + "'");
  const std::string port = listen.substr(colon + 1);
  require(
      !port.empty() && port.size() <= 5 &&
          std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }) &&
          std::stoi(port) <= 65535,
      "metrics.listen", "bad port in '" + listen + "'");
}

} // namespace

void validate(const Config& cfg) {
  check_api(cfg.api);
  check_database(cfg.database);
  check_sync(cfg.sync, cfg.api.max_page_size);
  static const std::set<std::string> kLevels{"trace", "debug",    "info", "warn",
                                             "error", "critical", "off"};
  require(kLevels.contains(cfg.log.level), "log.level",
          "must be one of trace, debug, info, warn, error, critical, off; got '" + cfg.log.level +
              "'");
  static const std::set<std::string> kFormats{"auto", "text", "journal", "json"};
  require(kFormats.contains(cfg.log.format), "log.format",
          "must be one of auto, text, journal, json; got '" + cfg.log.format + "'");
  check_listen(cfg.metrics.listen);
  positive(cfg.metrics.healthy_within, "metrics.healthy_within");
  in_range(cfg.metrics.max_connections, 1, 10000, "metrics.max_connections");
  positive(cfg.metrics.read_timeout, "metrics.read_timeout");
  require(cfg.shutdown_timeout >= std::chrono::seconds(1), "shutdown_timeout",
          "must be at least 1s");
}

} // namespace taosync::config

// The effective config as YAML with secrets masked (check-config), secret extraction for log
// redaction, and the warning for inline secrets in a file others can read.

#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <sys/stat.h>

#include <cstdio>
#include <regex>

namespace taosync::config {

namespace {

constexpr const char* kMask = "***";

std::string masked(const std::string& secret) {
  return secret.empty() ? "" : kMask;
}

/// The password in a libpq URL ("postgresql://u:PASS@h/db", "?password=PASS") or key=value
/// string ("password=PASS" / "password='P S'"); empty if none.
std::string database_password(const std::string& url) {
  std::smatch m;
  static const std::regex kUserinfo(R"(^[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*:([^@/]*)@)");
  if (std::regex_search(url, m, kUserinfo))
    return m[1].str();
  static const std::regex kQuery(R"([?&]password=([^&]*))");
  if (std::regex_search(url, m, kQuery))
    return m[1].str();
  static const std::regex kQuoted(R"((?:^|\s)password\s*=\s*'((?:[^'\\]|\\.)*)')");
  if (std::regex_search(url, m, kQuoted))
    return m[1].str();
  static const std::regex kPlain(R"((?:^|\s)password\s*=\s*([^\s']\S*))");
  if (std::regex_search(url, m, kPlain))
    return m[1].str();
  return "";
}

std::string hhmm(std::chrono::minutes at) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(at.count() / 60),
                static_cast<int>(at.count() % 60));
  return buf;
}

std::string rfc3339(TimePoint t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

void emit_api(YAML::Emitter& e, const ApiConfig& a) {
  e << YAML::Key << "api" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "base_url" << YAML::Value << a.base_url;
  e << YAML::Key << "auth_url" << YAML::Value << a.auth_url;
  e << YAML::Key << "app_key" << YAML::Value << a.app_key;
  e << YAML::Key << "app_secret" << YAML::Value << masked(a.app_secret);
  e << YAML::Key << "access_token" << YAML::Value << masked(a.access_token);
  e << YAML::Key << "refresh_token" << YAML::Value << masked(a.refresh_token);
  e << YAML::Key << "ca_file" << YAML::Value;
  if (a.ca_file)
    e << *a.ca_file;
  else
    e << YAML::Null;
  e << YAML::Key << "allow_insecure_http" << YAML::Value << a.allow_insecure_http;
  e << YAML::Key << "max_response_bytes" << YAML::Value << a.max_response_bytes;
  e << YAML::Key << "timeout" << YAML::Value << format_duration(a.timeout);
  e << YAML::Key << "items_batch_size" << YAML::Value << a.items_batch_size;
  e << YAML::Key << "max_in_flight" << YAML::Value << a.max_in_flight;
  e << YAML::Key << "max_page_size" << YAML::Value << a.max_page_size;
  e << YAML::Key << "rate_limit" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "requests_per_second" << YAML::Value << a.rate_limit.requests_per_second;
  e << YAML::Key << "burst" << YAML::Value << a.rate_limit.burst << YAML::EndMap;
  e << YAML::Key << "retry" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "max_attempts" << YAML::Value << a.retry.max_attempts;
  e << YAML::Key << "initial_backoff" << YAML::Value << format_duration(a.retry.initial_backoff);
  e << YAML::Key << "max_backoff" << YAML::Value << format_duration(a.retry.max_backoff);
  e << YAML::EndMap << YAML::EndMap;
}

void emit_sync(YAML::Emitter& e, const SyncConfig& s) {
  e << YAML::Key << "sync" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "shop" << YAML::Value << s.shop;
  e << YAML::Key << "poll_interval" << YAML::Value << format_duration(s.poll_interval);
  e << YAML::Key << "page_size" << YAML::Value << s.page_size;
  e << YAML::Key << "window" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "overlap" << YAML::Value << format_duration(s.window.overlap);
  e << YAML::Key << "lag" << YAML::Value << format_duration(s.window.lag);
  e << YAML::Key << "max_length" << YAML::Value << format_duration(s.window.max_length);
  e << YAML::EndMap;
  e << YAML::Key << "init" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "start" << YAML::Value << rfc3339(s.init.start) << YAML::EndMap;
  e << YAML::Key << "verify" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "rereads" << YAML::Value << s.verify.rereads;
  e << YAML::Key << "backoff" << YAML::Value << format_duration(s.verify.backoff);
  e << YAML::Key << "future_tolerance" << YAML::Value << format_duration(s.verify.future_tolerance);
  e << YAML::EndMap;
  e << YAML::Key << "owed" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "per_cycle" << YAML::Value << s.owed.per_cycle;
  e << YAML::Key << "max_backoff" << YAML::Value << format_duration(s.owed.max_backoff);
  e << YAML::EndMap;
  e << YAML::Key << "reconcile" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "enabled" << YAML::Value << s.reconcile.enabled;
  e << YAML::Key << "at" << YAML::Value << YAML::DoubleQuoted << hhmm(s.reconcile.at);
  e << YAML::Key << "timezone" << YAML::Value << s.reconcile.timezone;
  e << YAML::Key << "refetch_lines" << YAML::Value << s.reconcile.refetch_lines;
  e << YAML::EndMap << YAML::EndMap;
}

} // namespace

std::string mask_database_url(const std::string& url) {
  const std::string pw = database_password(url);
  if (pw.empty())
    return url;
  std::string out = url;
  for (auto pos = out.find(pw); pos != std::string::npos; pos = out.find(pw, pos + 3)) {
    out.replace(pos, pw.size(), kMask);
  }
  return out;
}

std::vector<std::string> secret_values(const Config& cfg) {
  std::vector<std::string> out;
  for (const std::string* s :
       {&cfg.api.app_secret, &cfg.api.access_token, &cfg.api.refresh_token}) {
    if (!s->empty())
      out.push_back(*s);
  }
  if (std::string pw = database_password(cfg.database.url); !pw.empty()) {
    out.push_back(std::move(pw));
  }
  return out;
}

std::string render_masked(const Config& cfg) {
  YAML::Emitter e;
  e << YAML::BeginMap;
  emit_api(e, cfg.api);
  e << YAML::Key << "database" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "url" << YAML::Value << mask_database_url(cfg.database.url);
  e << YAML::Key << "batch_orders" << YAML::Value << cfg.database.batch_orders;
  e << YAML::Key << "reconnect_max_backoff" << YAML::Value
    << format_duration(cfg.database.reconnect_max_backoff);
  e << YAML::Key << "connect_timeout" << YAML::Value
    << format_duration(cfg.database.connect_timeout);
  e << YAML::Key << "statement_timeout" << YAML::Value
    << format_duration(cfg.database.statement_timeout);
  e << YAML::Key << "lock_timeout" << YAML::Value << format_duration(cfg.database.lock_timeout);
  e << YAML::Key << "keepalives_idle" << YAML::Value
    << format_duration(cfg.database.keepalives_idle);
  e << YAML::Key << "keepalives_interval" << YAML::Value
    << format_duration(cfg.database.keepalives_interval);
  e << YAML::Key << "keepalives_count" << YAML::Value << cfg.database.keepalives_count;
  e << YAML::Key << "report_blocked_after" << YAML::Value
    << format_duration(cfg.database.report_blocked_after) << YAML::EndMap;
  emit_sync(e, cfg.sync);
  e << YAML::Key << "log" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "level" << YAML::Value << cfg.log.level;
  e << YAML::Key << "format" << YAML::Value << cfg.log.format << YAML::EndMap;
  e << YAML::Key << "metrics" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "listen" << YAML::Value << YAML::DoubleQuoted << cfg.metrics.listen;
  e << YAML::Key << "healthy_within" << YAML::Value << format_duration(cfg.metrics.healthy_within);
  e << YAML::Key << "max_connections" << YAML::Value << cfg.metrics.max_connections;
  e << YAML::Key << "read_timeout" << YAML::Value << format_duration(cfg.metrics.read_timeout)
    << YAML::EndMap;
  e << YAML::Key << "shutdown_timeout" << YAML::Value
    << format_duration(std::chrono::duration_cast<Millis>(cfg.shutdown_timeout));
  e << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

std::optional<std::string> inline_secret_warning(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || (st.st_mode & (S_IRGRP | S_IROTH)) == 0) {
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception&) {
    return std::nullopt; // the loader reports the syntax error
  }
  // Lookups of absent keys yield invalid nodes; check IsDefined before any type query.
  auto scalar = [](const YAML::Node& map, const char* key) -> std::string {
    if (!map.IsDefined() || !map.IsMap())
      return "";
    const YAML::Node v = map[key];
    return v.IsDefined() && v.IsScalar() ? v.Scalar() : "";
  };
  std::string keys;
  auto note = [&keys](const std::string& key) { keys += (keys.empty() ? "" : ", ") + key; };
  if (!root.IsMap())
    return std::nullopt;
  const YAML::Node api = root["api"];
  for (const char* k : {"app_secret", "access_token", "refresh_token"}) {
    if (!scalar(api, k).empty())
      note(std::string("api.") + k);
  }
  if (!database_password(scalar(root["database"], "url")).empty())
    note("database.url");
  if (keys.empty())
    return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return "config file '" + path + "' holds inline secrets (" + keys +
         ") and is readable by group or others (mode " + mode +
         "); chmod 0600 it, or use *_file keys or systemd LoadCredential=";
}

} // namespace taosync::config

// Loading the YAML config into the typed Config: every key read through a Section, so an
// unknown or mistyped key is an error naming it; secrets from files and systemd credentials.

#include "config/config.hpp"
#include "config/bounded_file.hpp"
#include "config/timezone.hpp"
#include "config/yaml_section.hpp"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace taosync::config {

namespace {

using detail::Section;
namespace fs = std::filesystem;

std::string trim_right(std::string s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.pop_back();
  }
  return s;
}

/// Reads a secret file, without its trailing newline; errors name the key and the path.
std::string read_secret_file(const std::string& key, const fs::path& path) {
  std::string text;
  try {
    text = trim_right(read_bounded_file(path));
  } catch (const FileRefused& e) {
    throw ConfigError(key, e.what());
  }
  if (text.empty())
    throw ConfigError(key, "file '" + path.string() + "' is empty");
  return text;
}

/// Where the loader finds relative files and systemd credentials.
struct Sources {
  fs::path base_dir;
  fs::path credentials_dir; ///< empty: no credentials
};

/// `name` inline, or `name_file`, overridden by the credential `credential` when present.
std::string secret(Section& s, const std::string& name, const std::string& credential,
                   const Sources& src) {
  const auto inline_value = s.string(name);
  const auto file = s.string(name + "_file");
  if (!src.credentials_dir.empty()) {
    // "name" from LoadCredential=name:FILE, "taosync_name" from the unit's directory form
    // LoadCredential=taosync:/etc/taosync/credentials.
    for (const std::string& id : {credential, "taosync_" + credential}) {
      const fs::path cred = src.credentials_dir / id;
      std::error_code ec;
      if (fs::exists(cred, ec))
        return read_secret_file("credential " + id, cred);
    }
  }
  if (inline_value && file) {
    throw ConfigError(s.key_path(name), "set either " + name + " or " + name + "_file, not both");
  }
  if (file) {
    const fs::path p = fs::path(*file).is_absolute() ? fs::path(*file) : src.base_dir / *file;
    return read_secret_file(s.key_path(name + "_file"), p);
  }
  return inline_value.value_or("");
}

template <class T, class V> void set(T& field, const std::optional<V>& v) {
  if (v)
    field = static_cast<T>(*v);
}

void read_api(Section s, ApiConfig& a, const Sources& src) {
  set(a.base_url, s.string("base_url"));
  set(a.auth_url, s.string("auth_url"));
  set(a.app_key, s.string("app_key"));
  a.app_secret = secret(s, "app_secret", "app_secret", src);
  a.access_token = secret(s, "access_token", "access_token", src);
  a.refresh_token = secret(s, "refresh_token", "refresh_token", src);
  if (auto ca = s.string("ca_file")) {
    a.ca_file = fs::path(*ca).is_absolute() ? *ca : (src.base_dir / *ca).string();
  }
  set(a.allow_insecure_http, s.boolean("allow_insecure_http"));
  set(a.max_response_bytes, s.bytes("max_response_bytes"));
  set(a.timeout, s.duration("timeout"));
  set(a.items_batch_size, s.integer("items_batch_size"));
  set(a.max_in_flight, s.integer("max_in_flight"));
  set(a.max_page_size, s.integer("max_page_size"));
  Section rl = s.child("rate_limit");
  set(a.rate_limit.requests_per_second, rl.number("requests_per_second"));
  set(a.rate_limit.burst, rl.integer("burst"));
  rl.finish();
  Section rt = s.child("retry");
  set(a.retry.max_attempts, rt.integer("max_attempts"));
  set(a.retry.initial_backoff, rt.duration("initial_backoff"));
  set(a.retry.max_backoff, rt.duration("max_backoff"));
  rt.finish();
  s.finish();
}

void read_database(Section s, DatabaseConfig& d, const Sources& src) {
  const std::string url = secret(s, "url", "database_url", src);
  if (!url.empty())
    d.url = url;
  set(d.batch_orders, s.integer("batch_orders"));
  set(d.reconnect_max_backoff, s.duration("reconnect_max_backoff"));
  set(d.connect_timeout, s.duration("connect_timeout"));
  set(d.statement_timeout, s.duration("statement_timeout"));
  set(d.lock_timeout, s.duration("lock_timeout"));
  set(d.keepalives_idle, s.duration("keepalives_idle"));
  set(d.keepalives_interval, s.duration("keepalives_interval"));
  set(d.keepalives_count, s.integer("keepalives_count"));
  set(d.report_blocked_after, s.duration("report_blocked_after"));
  s.finish();
}

/// Reads `n` digits at `p` (advancing it); nullopt if they are not all digits.
std::optional<int> digits(const std::string& s, std::size_t& p, std::size_t n) {
  if (p + n > s.size())
    return std::nullopt;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i, ++p) {
    if (!std::isdigit(static_cast<unsigned char>(s[p])))
      return std::nullopt;
    v = v * 10 + (s[p] - '0');
  }
  return v;
}

bool expect(const std::string& s, std::size_t& p, char c) {
  return p < s.size() && s[p++] == c;
}

/// "YYYY-MM-DD" at the start of `s`.
std::optional<std::chrono::local_days> parse_date(const std::string& s, std::size_t& p) {
  const auto y = digits(s, p, 4);
  if (!y || !expect(s, p, '-'))
    return std::nullopt;
  const auto m = digits(s, p, 2);
  if (!m || !expect(s, p, '-'))
    return std::nullopt;
  const auto d = digits(s, p, 2);
  if (!d)
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*y},
                                        std::chrono::month{static_cast<unsigned>(*m)},
                                        std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok())
    return std::nullopt;
  return std::chrono::local_days{ymd};
}

/// The "THH:MM:SS[.fff](Z|+HH:MM)" part of RFC 3339, as a UTC instant on `day`.
std::optional<TimePoint> parse_rfc3339_time(const std::string& s, std::size_t& p,
                                            std::chrono::local_days day) {
  using namespace std::chrono;
  if (p >= s.size() || (s[p] != 'T' && s[p] != 't' && s[p] != ' '))
    return std::nullopt;
  ++p;
  const auto h = digits(s, p, 2);
  if (!h || !expect(s, p, ':'))
    return std::nullopt;
  const auto mi = digits(s, p, 2);
  if (!mi || !expect(s, p, ':'))
    return std::nullopt;
  const auto se = digits(s, p, 2);
  if (!se || *h > 23 || *mi > 59 || *se > 60)
    return std::nullopt;
  milliseconds frac{0};
  if (p < s.size() && s[p] == '.') {
    int scale = 100;
    for (++p; p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])); ++p, scale /= 10) {
      frac += milliseconds{(s[p] - '0') * scale};
    }
  }
  seconds offset{0};
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int sign = s[p++] == '-' ? -1 : 1;
    const auto oh = digits(s, p, 2);
    if (!oh || !expect(s, p, ':'))
      return std::nullopt;
    const auto om = digits(s, p, 2);
    if (!om)
      return std::nullopt;
    offset = seconds{sign * (*oh * 3600 + *om * 60)};
  } else {
    return std::nullopt;
  }
  const auto local = day.time_since_epoch() + hours{*h} + minutes{*mi} + seconds{*se} + frac;
  return TimePoint{duration_cast<milliseconds>(local - offset)};
}

/// "2024-01-31" (local midnight in `tz`) or RFC 3339 "2024-01-31T08:00:00+08:00".
TimePoint parse_start(const std::string& key, const std::string& text, const TimeZone& tz) {
  std::size_t p = 0;
  if (const auto day = parse_date(text, p)) {
    if (p == text.size()) {
      return std::chrono::time_point_cast<std::chrono::milliseconds>(
          tz.to_sys(std::chrono::local_seconds{*day}));
    }
    if (const auto t = parse_rfc3339_time(text, p, *day); t && p == text.size())
      return *t;
  }
  throw ConfigError(key, "expected a date YYYY-MM-DD or an RFC 3339 time, got '" + text + "'");
}

/// "HH:MM" as minutes after midnight.
std::chrono::minutes parse_hhmm(const std::string& key, const std::string& text) {
  if (text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
      std::isdigit(static_cast<unsigned char>(text[1])) &&
      std::isdigit(static_cast<unsigned char>(text[3])) &&
      std::isdigit(static_cast<unsigned char>(text[4]))) {
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (h < 24 && m < 60)
      return std::chrono::minutes(h * 60 + m);
  }
  throw ConfigError(key, "expected a local time HH:MM (00:00..23:59), got '" + text + "'");
}

void read_sync(Section s, SyncConfig& c) {
  set(c.shop, s.string("shop"));
  set(c.poll_interval, s.duration("poll_interval"));
  set(c.page_size, s.integer("page_size"));
  Section w = s.child("window");
  set(c.window.overlap, w.duration("overlap"));
  set(c.window.lag, w.duration("lag"));
  set(c.window.max_length, w.duration("max_length"));
  w.finish();
  Section v = s.child("verify");
  set(c.verify.rereads, v.integer("rereads"));
  set(c.verify.backoff, v.duration("backoff"));
  set(c.verify.future_tolerance, v.duration("future_tolerance"));
  v.finish();
  Section owed = s.child("owed");
  set(c.owed.per_cycle, owed.integer("per_cycle"));
  set(c.owed.max_backoff, owed.duration("max_backoff"));
  owed.finish();
  Section r = s.child("reconcile");
  set(c.reconcile.enabled, r.boolean("enabled"));
  if (auto at = r.string("at"))
    c.reconcile.at = parse_hhmm(r.key_path("at"), *at);
  set(c.reconcile.timezone, r.string("timezone"));
  set(c.reconcile.refetch_lines, r.boolean("refetch_lines"));
  r.finish();
  std::optional<TimeZone> tz;
  try {
    tz = TimeZone::load(c.reconcile.timezone);
  } catch (const std::exception& e) {
    throw ConfigError(r.key_path("timezone"), e.what());
  }
  Section i = s.child("init");
  if (auto start = i.string("start"))
    c.init.start = parse_start(i.key_path("start"), *start, *tz);
  i.finish();
  s.finish();
}

Config parse_with(const std::string& yaml_text, const Sources& src) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError("(yaml)", "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  Config cfg;
  Section top(root, "");
  read_api(top.child("api"), cfg.api, src);
  read_database(top.child("database"), cfg.database, src);
  read_sync(top.child("sync"), cfg.sync);
  Section log = top.child("log");
  set(cfg.log.level, log.string("level"));
  set(cfg.log.format, log.string("format"));
  log.finish();
  Section m = top.child("metrics");
  set(cfg.metrics.listen, m.string("listen"));
  set(cfg.metrics.healthy_within, m.duration("healthy_within"));
  set(cfg.metrics.max_connections, m.integer("max_connections"));
  set(cfg.metrics.read_timeout, m.duration("read_timeout"));
  m.finish();
  if (auto t = top.duration("shutdown_timeout")) {
    if (*t % std::chrono::seconds(1) != Millis{0}) {
      throw ConfigError("shutdown_timeout", "must be whole seconds, got " + format_duration(*t));
    }
    cfg.shutdown_timeout = std::chrono::duration_cast<Seconds>(*t);
  }
  top.finish();
  validate(cfg);
  return cfg;
}

std::string env_credentials_dir() {
  const char* d = std::getenv("CREDENTIALS_DIRECTORY");
  return d ? d : "";
}

} // namespace

Config parse_config(const std::string& yaml_text, const std::string& base_dir,
                    const std::string& credentials_dir) {
  return parse_with(yaml_text, Sources{base_dir, credentials_dir});
}

Config parse_config(const std::string& yaml_text) {
  return parse_config(yaml_text, fs::current_path().string(), env_credentials_dir());
}

Config load_config(const std::string& path, const std::string& credentials_dir) {
  std::string text;
  try {
    text = read_bounded_file(path);
  } catch (const FileRefused& e) {
    throw ConfigError("(file)", std::string("config file ") + e.what());
  }
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  return parse_with(text, Sources{base, credentials_dir});
}

Config load_config(const std::string& path) {
  return load_config(path, env_credentials_dir());
}

} // namespace taosync::config

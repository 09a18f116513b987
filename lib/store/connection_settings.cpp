#include "store/connection_settings.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <utility>

namespace taosync::store {
namespace {

/// libpq's keyword -> value for what `url` sets explicitly; nullopt-like empty map with
/// `ok` false when libpq cannot parse it.
struct Parsed {
  bool ok = false;
  std::map<std::string, std::string> values;
};

Parsed parse_conninfo(std::string_view url) {
  Parsed out;
  char* error = nullptr;
  const std::string text(url);
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(text.c_str(), &error), &PQconninfoFree);
  if (error != nullptr)
    PQfreemem(error);
  if (!options)
    return out;
  out.ok = true;
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o)
    if (o->val != nullptr)
      out.values.emplace(o->keyword, o->val);
  return out;
}

bool is_uri_form(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

/// Whole seconds, rounded up: libpq's timeouts and keepalive settings take integers.
std::string seconds(Millis d) {
  return std::to_string((d.count() + 999) / 1000);
}

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : std::move(fallback);
}

} // namespace

ConnectionSettings connection_settings(const config::DatabaseConfig& db) {
  ConnectionSettings s;
  s.url = db.url;
  s.connect_timeout = db.connect_timeout;
  s.statement_timeout = db.statement_timeout;
  s.lock_timeout = db.lock_timeout;
  s.keepalives_idle = db.keepalives_idle;
  s.keepalives_interval = db.keepalives_interval;
  s.keepalives_count = db.keepalives_count;
  s.pooler = db.pooler == "transaction" ? Pooler::transaction
             : db.pooler == "session"   ? Pooler::session
                                        : Pooler::none;
  return s;
}

ConnectionSettings connection_settings(std::string url) {
  config::DatabaseConfig db;
  db.url = std::move(url);
  return connection_settings(db);
}

std::string with_libpq_defaults(std::string_view url,
                                const std::vector<std::pair<std::string, std::string>>& params) {
  const Parsed parsed = parse_conninfo(url);
  std::string out(url);
  if (!parsed.ok)
    return out;
  const bool uri = is_uri_form(url);
  bool have_query = uri && out.find('?') != std::string::npos;
  for (const auto& [key, value] : params) {
    if (parsed.values.contains(key))
      continue;
    if (uri) {
      out += have_query ? '&' : '?';
      have_query = true;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
    out.append(key).append("=").append(value);
  }
  return out;
}

const char* pooler_name(Pooler p) {
  switch (p) {
  case Pooler::session:
    return "session";
  case Pooler::transaction:
    return "transaction";
  case Pooler::none:
    break;
  }
  return "none";
}

std::string application_name() {
  return "taosyncd-" + std::to_string(::getpid());
}

std::string libpq_url(const ConnectionSettings& s) {
  return with_libpq_defaults(s.url, {
                                        {"connect_timeout", seconds(s.connect_timeout)},
                                        {"keepalives", "1"},
                                        {"keepalives_idle", seconds(s.keepalives_idle)},
                                        {"keepalives_interval", seconds(s.keepalives_interval)},
                                        {"keepalives_count", std::to_string(s.keepalives_count)},
                                        {"fallback_application_name", application_name()},
                                    });
}

std::string describe_target(std::string_view url) {
  const Parsed parsed = parse_conninfo(url);
  auto value = [&](const char* key, const char* env, std::string fallback) {
    const auto it = parsed.values.find(key);
    return it != parsed.values.end() && !it->second.empty() ? it->second
                                                            : env_or(env, std::move(fallback));
  };
  // libpq's own defaults: the Unix socket directory, 5432, and a database named as the user.
  const char* os_user = std::getenv("USER");
  const std::string user = value("user", "PGUSER", os_user != nullptr ? os_user : "");
  const std::string host =
      value("host", "PGHOST", value("hostaddr", "PGHOSTADDR", "/var/run/postgresql"));
  return host + ":" + value("port", "PGPORT", "5432") + "/" + value("dbname", "PGDATABASE", user);
}

} // namespace taosync::store

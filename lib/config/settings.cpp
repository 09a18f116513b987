// The settings table. Adding a key: a field (with its default) in config.hpp, one row here,
// then the code that uses it. Parsing, checks, check-config, reloads and the example config
// follow from the row; `config_settings_test` fails until config/taosync.example.yaml is
// regenerated.

#include "config/settings.hpp"
#include "config/setting_kinds.hpp"
#include "config/shops.hpp"

#include <algorithm>
#include <cctype>

namespace taosync::config {

namespace {

using namespace detail;
using namespace std::chrono_literals;

constexpr Reload live = Reload::live;
constexpr Reload restart = Reload::restart;

// The key and its field, spelled once: the dotted key is the field's path in Config.
#define TAOSYNC_KEY(path)                                                                          \
#path, [](auto& c) -> auto& {                                                                    \
    return c.path;                                                                                 \
  }

bool daemon_id_text(const std::string& s) {
  return s.size() <= 128 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isgraph(c) != 0; });
}

std::vector<Setting> api_rows() {
  std::vector<Setting> rows;
  rows.push_back(text_key(TAOSYNC_KEY(api.base_url), web_url(), restart,
                          "Gateway of the order API (https; plain http only for loopback unless "
                          "allow_insecure_http)."));
  rows.push_back(text_key(TAOSYNC_KEY(api.auth_url), web_url(), restart,
                          "Token endpoint (/auth/token/refresh)."));
  // Required when a shop is on Taobao TW (a cross rule): a Lazada-only config has none.
  rows.push_back(text_key(TAOSYNC_KEY(api.app_key), any<std::string>(), restart,
                          "The app key of your Taobao TW Open Platform app (required when a shop "
                          "is on Taobao TW, the default platform)."));
  rows.back().placeholder = "CHANGE-ME";
  rows.push_back(secret_key(TAOSYNC_KEY(api.app_secret), "app_secret", whole_value,
                            any<std::string>(), restart,
                            "The app secret (required with api.app_key)."));
  // Required unless `shops:` lists the shops with their own tokens (a cross rule).
  rows.push_back(secret_key(TAOSYNC_KEY(api.access_token), "access_token", whole_value,
                            any<std::string>(), restart,
                            "The seller's access token (one shop; several: the shops list)."));
  rows.push_back(secret_key(TAOSYNC_KEY(api.refresh_token), "refresh_token", whole_value,
                            any<std::string>(), restart,
                            "The seller's refresh token; without it an expired access token stops "
                            "the sync."));
  rows.push_back(file_path_key(TAOSYNC_KEY(api.ca_file), existing_file(), restart,
                               "PEM bundle of trusted CAs; null: the system store. Peer and host "
                               "name are always verified."));
  rows.push_back(flag_key(TAOSYNC_KEY(api.allow_insecure_http), restart,
                          "Allow plain http:// to a non-loopback host. Never in production."));
  rows.push_back(bytes_key(TAOSYNC_KEY(api.max_response_bytes), at_least_bytes(1024), live,
                           "Responses larger than this are refused (KiB/MiB/GiB suffixes "
                           "accepted)."));
  rows.push_back(duration_key(TAOSYNC_KEY(api.timeout), positive(), live,
                              "Deadline of one call: connect + write + read."));
  rows.push_back(integer_key(TAOSYNC_KEY(api.items_batch_size), between(1, 50), "ids", live,
                             "Line ids per /order/items/get call."));
  rows.push_back(integer_key(TAOSYNC_KEY(api.max_in_flight), between(1, 256), "calls", live,
                             "Concurrent API calls at most (and idle connections kept)."));
  rows.push_back(integer_key(TAOSYNC_KEY(api.max_page_size), between(1, 10000), "orders", live,
                             "Largest Page_Size the platform accepts for /orders/get."));
  rows.push_back(number_key(TAOSYNC_KEY(api.rate_limit.requests_per_second), above_zero(),
                            "calls/s", live, "One token bucket shared by every call of the app."));
  rows.push_back(integer_key(TAOSYNC_KEY(api.rate_limit.burst), between(1, 1000000), "calls", live,
                             "Bucket size: calls that may go out at once after an idle spell."));
  rows.push_back(integer_key(TAOSYNC_KEY(api.retry.max_attempts), between(1, 1000), "attempts",
                             live,
                             "Attempts per call for transient errors (5xx, timeouts, ISP/SYSTEM "
                             "errors) before giving up."));
  rows.push_back(duration_key(TAOSYNC_KEY(api.retry.initial_backoff), positive(), live,
                              "First backoff; doubles per attempt, with full jitter."));
  rows.push_back(duration_key(TAOSYNC_KEY(api.retry.max_backoff), positive(), live,
                              "Backoff ceiling (at least initial_backoff)."));
  rows.push_back(duration_key(TAOSYNC_KEY(api.retry.max_retry_after), positive(), live,
                              "Longest wait honoured when a 429, 503 or ApiCallLimit answer "
                              "says Retry-After (seconds or an HTTP date); a longer one is "
                              "held to this."));
  return rows;
}

/// The Lazada app; required when a shop is on Lazada (cross rules).
std::vector<Setting> lazada_rows() {
  std::vector<Setting> rows;
  rows.push_back(text_key(TAOSYNC_KEY(lazada.app_key), any<std::string>(), restart,
                          "The app key of your Lazada Open Platform app (required when a shop has "
                          "platform: lazada)."));
  rows.push_back(secret_key(TAOSYNC_KEY(lazada.app_secret), "lazada_app_secret", whole_value,
                            any<std::string>(), restart,
                            "The Lazada app secret (required with lazada.app_key)."));
  rows.push_back(text_key(TAOSYNC_KEY(lazada.auth_url), web_url(), restart,
                          "Lazada's token endpoint host (/auth/token/refresh)."));
  rows.push_back(number_key(TAOSYNC_KEY(lazada.rate_limit.requests_per_second), above_zero(),
                            "calls/s", live,
                            "One token bucket shared by every call of the Lazada app."));
  rows.push_back(integer_key(TAOSYNC_KEY(lazada.rate_limit.burst), between(1, 1000000), "calls",
                             live, "Bucket size of the Lazada app's calls."));
  return rows;
}

std::vector<Setting> database_rows() {
  std::vector<Setting> rows;
  rows.push_back(secret_key(TAOSYNC_KEY(database.url), "database_url", database_password,
                            required(), restart,
                            "Any libpq connection string (URL or key=value). It may hold a "
                            "password: then prefer url_file or the database_url credential. "
                            "Default: the local socket, database taosync."));
  rows.push_back(integer_key(TAOSYNC_KEY(database.batch_orders), between(1, 100000), "orders", live,
                             "Orders per write transaction, at most."));
  rows.push_back(duration_key(TAOSYNC_KEY(database.reconnect_max_backoff), positive(), restart,
                              "Ceiling of the reconnect backoff after a dropped connection."));
  rows.push_back(duration_key(TAOSYNC_KEY(database.connect_timeout), whole_seconds_from(2s),
                              restart,
                              "once, migrate, status, resync and audit give up (exit 69) when the "
                              "database cannot be reached for this long; `run` keeps waiting. Also "
                              "libpq's connect_timeout of each attempt unless the url sets one."));
  rows.push_back(duration_key(TAOSYNC_KEY(database.statement_timeout), not_negative("disables it"),
                              restart,
                              "Longest one SQL statement may run (PostgreSQL statement_timeout). A "
                              "statement cut by it fails with an error naming this key."));
  rows.push_back(duration_key(TAOSYNC_KEY(database.lock_timeout), not_negative("disables it"),
                              restart,
                              "Longest one statement waits for a lock (PostgreSQL lock_timeout). A "
                              "write cut by it is logged with the lock and its holder, and retried "
                              "whole with backoff."));
  rows.push_back(duration_key(TAOSYNC_KEY(database.keepalives_idle), whole_seconds_from(1s),
                              restart,
                              "TCP keepalives of every connection, unless the url sets them: idle "
                              "time before the first probe. A dead peer is noticed after idle + "
                              "interval x count."));
  rows.push_back(duration_key(TAOSYNC_KEY(database.keepalives_interval), whole_seconds_from(1s),
                              restart, "Time between keepalive probes."));
  rows.push_back(integer_key(TAOSYNC_KEY(database.keepalives_count), between(1, 1000), "probes",
                             restart, "Unanswered probes before the connection counts as dead."));
  rows.push_back(duration_key(TAOSYNC_KEY(database.report_blocked_after), positive(), restart,
                              "A database job waiting this long is looked into from a second "
                              "connection, and what blocks it is logged at warn, once per 10s per "
                              "blocker."));
  rows.push_back(choice_key(TAOSYNC_KEY(database.pooler), {"none", "session", "transaction"},
                            restart,
                            "What url reaches: PostgreSQL itself (none), or a pooler such as "
                            "PgBouncer in that pool_mode. transaction: every transaction sets its "
                            "own timeouts, creates its own staging tables and sends its "
                            "statements unnamed. A start that finds a pooler other than the one "
                            "named here exits 78 (see docs/operations.md)."));
  rows.push_back(secret_key(TAOSYNC_KEY(database.listen_url), "database_listen_url",
                            database_password, any<std::string>(), restart,
                            "A direct connection to PostgreSQL (not through a pooler) for LISTEN, "
                            "which `changes --follow` waits on. Empty: url; behind a transaction "
                            "pooler, --follow then re-reads the feed every second instead."));
  return rows;
}

std::vector<Setting> sync_rows() {
  std::vector<Setting> rows;
  rows.push_back(text_key(TAOSYNC_KEY(sync.shop),
                          matching("1-64 of A-Z a-z 0-9 _ - .", valid_shop_name,
                                   "must be 1-64 characters of A-Z a-z 0-9 _ - ."),
                          restart, "The shop key stored in every table."));
  rows.push_back(duration_key(TAOSYNC_KEY(sync.poll_interval), within(100ms, 24h), live,
                              "Time between incremental polls."));
  rows.push_back(integer_key(TAOSYNC_KEY(sync.page_size), between(1, 10000), "orders", live,
                             "Page_Size of /orders/get (at most api.max_page_size)."));
  rows.push_back(integer_key(TAOSYNC_KEY(sync.parallel_inits), between(1, 1000), "shops", restart,
                             "Shops of this daemon that run their init at once; the others wait "
                             "their turn, so memory stays bounded and the shops already synced "
                             "keep their share of the rate limit for their polls."));
  rows.push_back(duration_key(TAOSYNC_KEY(sync.window.overlap), not_negative(), live,
                              "Each window re-reads this much before the cursor (catches boundary "
                              "stragglers)."));
  rows.push_back(duration_key(TAOSYNC_KEY(sync.window.lag), not_negative(), live,
                              "Windows end this long before now (keeps clear of writes still "
                              "committing upstream)."));
  rows.push_back(
      duration_key(TAOSYNC_KEY(sync.window.max_length), at_least(1s), live, "Longest window."));
  rows.push_back(integer_key(TAOSYNC_KEY(sync.window.max_pages), between(1, 100), "pages", live,
                             "Pages of sync.page_size one window may span. A window's pages are "
                             "kept only as one set: every page with the same total_count and no "
                             "order twice; when the orders change while paging, the sweep reads "
                             "one page per window until it ends. 1: always one page per window."));
  // sync.init.start reads the (checked) zone: these rows come before it.
  rows.push_back(flag_key(TAOSYNC_KEY(sync.reconcile.enabled), live,
                          "Once a day, re-sweep the previous local day's modification window."));
  rows.push_back(time_of_day_key(TAOSYNC_KEY(sync.reconcile.at), live, "Local time to run it."));
  rows.push_back(zone_key(TAOSYNC_KEY(sync.reconcile.timezone), live,
                          "IANA time zone of `at`, of the day boundaries and of init.start's "
                          "date."));
  rows.push_back(flag_key(TAOSYNC_KEY(sync.reconcile.refetch_lines), live,
                          "Also re-fetch every line of the re-swept orders (more API calls)."));
  rows.push_back(instant_key(
      TAOSYNC_KEY(sync.init.start), [](const Config& c) { return c.sync.reconcile.timezone; }, live,
      "Where the first sweep starts: a date YYYY-MM-DD (local midnight in "
      "sync.reconcile.timezone) or an RFC 3339 time. Default: the epoch (everything)."));
  return rows;
}

/// How far the platform's answers are trusted, and what it still owes.
std::vector<Setting> sync_trust_rows() {
  std::vector<Setting> rows;
  rows.push_back(integer_key(TAOSYNC_KEY(sync.verify.rereads), between(0, 10), "re-reads", live,
                             "An answer that does not add up (a page holding fewer records than "
                             "its total_count, an envelope without its list, success: false) is "
                             "re-read this many times, with backoff, before its window is held: "
                             "the cursor stays before it and the shop shows as stuck."));
  rows.push_back(duration_key(TAOSYNC_KEY(sync.verify.backoff), within(10ms, 1min), live,
                              "Wait before the first re-read; doubles with each one (the waits "
                              "feed the watchdog, and are bounded by this ceiling)."));
  rows.push_back(duration_key(
      TAOSYNC_KEY(sync.verify.future_tolerance), within(1min, 7 * 24h), live,
      "A record whose modification_time is later than now plus this is "
      "rejected (it would make the monotonic upsert refuse every later "
      "real update of that order); at most 7d, so a lie cannot be let through by a wide setting."));
  rows.push_back(integer_key(TAOSYNC_KEY(sync.owed.per_cycle), between(1, 10000), "orders", live,
                             "Orders whose lines did not all come back, or whose listed record "
                             "could not be stored, are owed and re-asked through /order/get: at "
                             "most this many per cycle."));
  rows.push_back(duration_key(TAOSYNC_KEY(sync.owed.max_backoff), at_least(1s), live,
                              "Ceiling of the wait between asks for one owed order (the wait "
                              "doubles from poll_interval)."));
  rows.push_back(duration_key(
      TAOSYNC_KEY(sync.clock.warn_offset), at_least(1s), live,
      "Windows end at the platform's clock (the answers' Date headers), not this host's; a "
      "difference between the two larger than this is logged at warn (at most every 10 minutes) "
      "and shown by taosync_platform_clock_offset_seconds and the status page."));
  rows.push_back(duration_key(TAOSYNC_KEY(sync.clock.unhealthy_offset), at_least(1s), live,
                              "A difference between the platform's clock and this host's larger "
                              "than this makes /healthz fail, naming it: fix the host's NTP."));
  return rows;
}

std::vector<Setting> other_rows() {
  std::vector<Setting> rows;
  rows.push_back(choice_key(TAOSYNC_KEY(log.level),
                            {"trace", "debug", "info", "warn", "error", "critical", "off"}, live,
                            "Least severe level logged."));
  rows.push_back(choice_key(TAOSYNC_KEY(log.format), {"auto", "text", "journal", "json"}, restart,
                            "auto: journal under systemd, text otherwise; json: one object per "
                            "line."));
  rows.push_back(text_key(TAOSYNC_KEY(metrics.listen), host_port(), restart,
                          "HOST:PORT of the Prometheus /metrics and /healthz endpoint; \"\" "
                          "disables it."));
  rows.push_back(duration_key(TAOSYNC_KEY(metrics.healthy_within), positive(), live,
                              "/healthz answers 200 while the last successful cycle is younger "
                              "than this (or while a platform ban of known length is waited "
                              "out)."));
  rows.push_back(integer_key(TAOSYNC_KEY(metrics.max_connections), between(1, 10000), "connections",
                             restart,
                             "Connections served at once; more wait in the listen backlog."));
  rows.push_back(duration_key(TAOSYNC_KEY(metrics.read_timeout), positive(), restart,
                              "A request must arrive whole within this; an idle keep-alive "
                              "connection is closed after it."));
  rows.push_back(flag_key(TAOSYNC_KEY(ha.leases), restart,
                          "Several daemons may share the database and the shops: each shop is "
                          "written only by the daemon holding its lease, and a write whose "
                          "lease was lost rolls back; `once` takes the lease for its run. On "
                          "by default, so a second daemon started by mistake is harmless."));
  rows.push_back(duration_key(TAOSYNC_KEY(ha.lease_ttl), within(5s, 10min), restart,
                              "A lease (and a daemon's heartbeat) not renewed for this long "
                              "expires and a peer takes the shop over; renewed every third of "
                              "it."));
  rows.push_back(text_key(TAOSYNC_KEY(ha.daemon_id),
                          matching("up to 128 printable characters, no spaces", daemon_id_text,
                                   "must be up to 128 printable characters without spaces"),
                          restart,
                          "This daemon's name in taosync.daemons and taosync.shop_leases; \"\": "
                          "<hostname>:<pid>:<random>, new at every start."));
  rows.push_back(duration_key(TAOSYNC_KEY(changes.retention), not_negative("keeps every row"),
                              restart,
                              "Rows of the change feed (taosync.changes) older than this are "
                              "deleted, in small batches at most once an hour."));
  rows.push_back(seconds_key(TAOSYNC_KEY(shutdown_timeout), at_least_seconds(1s), live,
                             "On SIGTERM, the transaction in flight commits or rolls back within "
                             "this."));
  return rows;
}

#undef TAOSYNC_KEY

std::vector<Setting> all_rows() {
  std::vector<Setting> rows;
  for (auto part : {api_rows, lazada_rows, database_rows, sync_rows, sync_trust_rows, other_rows}) {
    auto more = part();
    std::move(more.begin(), more.end(), std::back_inserter(rows));
  }
  for (Setting& s : rows) {
    if (s.secret && s.placeholder.empty())
      s.placeholder = "/etc/taosync/credentials/" + s.credential;
  }
  return rows;
}

} // namespace

std::string Setting::name() const {
  return key.substr(key.rfind('.') + 1);
}

std::string Setting::section() const {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
}

std::vector<std::string> Setting::yaml_names() const {
  if (secret)
    return {name(), name() + "_file"};
  return {name()};
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> kRows = all_rows();
  return kRows;
}

const Setting* find_setting(const std::string& key) {
  for (const Setting& s : settings()) {
    if (s.key == key)
      return &s;
  }
  return nullptr;
}

} // namespace taosync::config

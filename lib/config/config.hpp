#pragma once
// The daemon's configuration: one typed struct, loaded and validated from YAML. Each field's
// initializer is its key's default; every key has one row in the settings table
// (settings.cpp), which parses, checks, renders and reloads it.

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::config {

using Millis = std::chrono::milliseconds;
using Seconds = std::chrono::seconds;
/// A wall-clock instant with millisecond precision, as the API reports times.
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

/// A config error; `key` is the dotted YAML path ("sync.window.lag") it concerns.
class ConfigError : public std::runtime_error {
public:
  ConfigError(std::string key, const std::string& reason)
      : std::runtime_error(key + ": " + reason), key_(std::move(key)) {}
  /// The dotted key the error is about.
  const std::string& key() const { return key_; }

private:
  std::string key_;
};

/// Everything the API client needs.
struct ApiConfig {
  std::string base_url = "https://api.taobao.tw/rest";
  std::string auth_url = "https://auth.taobao.tw/rest";
  std::string app_key;
  std::string app_secret;    ///< secret: never logged
  std::string access_token;  ///< secret: never logged
  std::string refresh_token; ///< secret: never logged; optional
  std::optional<std::string> ca_file;
  bool allow_insecure_http = false;
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  Millis timeout{std::chrono::seconds(30)}; ///< per call: connect+write+read
  int items_batch_size = 50;
  int max_in_flight = 8;
  int max_page_size = 100;
  struct RateLimit {
    double requests_per_second = 10.0;
    int burst = 10;
  } rate_limit;
  struct Retry {
    int max_attempts = 8;
    Millis initial_backoff{200};
    Millis max_backoff{std::chrono::seconds(30)};
    Millis max_retry_after{std::chrono::minutes(5)};
  } retry;
};

struct DatabaseConfig {
  std::string url = "postgresql:///taosync"; ///< any libpq connection string; may hold a password
  int batch_orders = 500;                    ///< orders per write transaction (upper bound)
  Millis reconnect_max_backoff{std::chrono::seconds(30)};
  /// How long the one-shot commands try to reach the database before exiting 69; also
  /// libpq's connect_timeout of each attempt (unless the URL sets one).
  Millis connect_timeout{std::chrono::seconds(30)};
  Millis statement_timeout{std::chrono::minutes(5)}; ///< per statement; 0 disables
  Millis lock_timeout{std::chrono::seconds(30)};     ///< per lock wait; 0 disables
  /// TCP keepalives of every connection (libpq keepalives_*), unless the URL sets them.
  Millis keepalives_idle{std::chrono::seconds(60)};
  Millis keepalives_interval{std::chrono::seconds(10)};
  int keepalives_count = 6;
  /// A database job waiting this long is looked into: what blocks it is logged.
  Millis report_blocked_after{std::chrono::seconds(5)};
  /// What sits between taosyncd and PostgreSQL: "none", or a pooler such as PgBouncer in
  /// "session" or "transaction" pool_mode.
  std::string pooler = "none";
  /// A direct connection (no pooler) for LISTEN, which `changes --follow` waits on; empty:
  /// url, or polling where a transaction pooler cannot carry LISTEN.
  std::string listen_url;
};

struct WindowConfig {
  Millis overlap{std::chrono::minutes(2)};
  Millis lag{std::chrono::seconds(30)};
  Millis max_length{std::chrono::hours(24)};
  int max_pages = 20; ///< pages one window may span, read as one verified set
};

struct ReconcileConfig {
  bool enabled = true;
  std::chrono::minutes at{30}; ///< local time of day (00:30)
  std::string timezone = "Asia/Taipei";
  bool refetch_lines = false;
};

struct SyncConfig {
  std::string shop = "default"; ///< the shop key in every table
  Millis poll_interval{std::chrono::seconds(60)};
  int page_size = 100;
  int parallel_inits = 4; ///< shops of a daemon running their init at once
  WindowConfig window;
  struct Init {
    TimePoint start{}; ///< default: the epoch ("far past")
  } init;
  ReconcileConfig reconcile;
  /// How far the platform's answers are trusted.
  struct Verify {
    int rereads = 3;                                 ///< re-reads of an answer that does not add up
    Millis backoff{std::chrono::seconds(1)};         ///< wait before the first re-read; doubles
    Millis future_tolerance{std::chrono::hours(24)}; ///< clock skew allowed in record times
  } verify;
  /// Orders the platform still owes (lines missing, records unusable).
  struct Owed {
    int per_cycle = 50;                        ///< owed orders re-asked per cycle, at most
    Millis max_backoff{std::chrono::hours(1)}; ///< ceiling of the wait between asks
  } owed;
  /// How far the platform's clock may be from the host's before it is said.
  struct Clock {
    Millis warn_offset{std::chrono::seconds(30)};      ///< a warn line, at most every 10 min
    Millis unhealthy_offset{std::chrono::minutes(10)}; ///< /healthz fails
  } clock;
};

struct LogConfig {
  std::string level = "info";  ///< trace|debug|info|warn|error
  std::string format = "auto"; ///< auto|text|journal|json
};

struct MetricsConfig {
  std::string listen = "127.0.0.1:9464"; ///< empty disables the endpoint
  Millis healthy_within{std::chrono::minutes(5)};
  int max_connections = 16;                      ///< connections served at once
  Millis read_timeout{std::chrono::seconds(10)}; ///< a request (or an idle connection) at most
};

/// The marketplace a shop sells on.
enum class Platform {
  taobao_tw, ///< Taobao Taiwan: the app of `api`
  lazada,    ///< Lazada: the app of `lazada`, the gateway of the shop's country
};

/// The Lazada countries, each with its own seller API gateway (api::lazada::gateway_of).
inline constexpr std::array<std::string_view, 6> kLazadaCountries{"sg", "my", "th",
                                                                  "ph", "vn", "id"};

/// One seller's shop synced by the app. Listed under `shops:`; without that list the one shop
/// is `sync.shop` with the tokens of `api`.
struct ShopConfig {
  std::string name;                    ///< the `shop` key in every table
  std::string access_token;            ///< secret: never logged
  std::string refresh_token;           ///< secret: never logged; optional
  std::optional<TimePoint> init_start; ///< overrides sync.init.start for this shop
  Platform platform = Platform::taobao_tw;
  std::string country;                 ///< lazada: one of kLazadaCountries (gateway, currency)
  std::optional<std::string> base_url; ///< lazada: instead of the country's gateway
};

/// The Lazada app: its own key, secret, token host and rate limit. Every other api.* setting
/// (timeouts, retries, batch sizes, CA file) is shared with the Taobao TW app.
struct LazadaConfig {
  std::string app_key;
  std::string app_secret; ///< secret: never logged
  std::string auth_url = "https://auth.lazada.com/rest";
  ApiConfig::RateLimit rate_limit;
};

/// Several daemons sharing one database and one list of shops: each shop is synced by the one
/// daemon holding its lease.
struct HaConfig {
  bool leases = true;                         ///< take a shop's lease before writing it
  Millis lease_ttl{std::chrono::seconds(30)}; ///< a lease not renewed for this long expires
  std::string daemon_id; ///< empty: "<hostname>:<pid>:<random>", chosen at start
};

/// The change feed (taosync.changes).
struct ChangesConfig {
  Millis retention{std::chrono::hours(24 * 30)}; ///< rows older than this are deleted; 0 keeps
};

/// The whole configuration.
struct Config {
  /// The shops, from `shops:` (empty: the one shop of `sync.shop` and the `api` tokens; see
  /// shops_of). Reloads live: a shop added starts its init, a shop removed stops (its rows
  /// stay).
  std::vector<ShopConfig> shops;
  ApiConfig api;
  LazadaConfig lazada;
  DatabaseConfig database;
  SyncConfig sync;
  LogConfig log;
  MetricsConfig metrics;
  HaConfig ha;
  ChangesConfig changes;
  Seconds shutdown_timeout{10};
};

/// The config in force, immutable and shared by the components that read it; a reload
/// publishes a new one rather than changing fields under a running component.
using Snapshot = std::shared_ptr<const Config>;

/// The shops to sync: `cfg.shops`, or the one shop of `sync.shop` and the `api` tokens.
std::vector<ShopConfig> shops_of(const Config& cfg);

/// `cfg` as one shop's engine sees it: sync.shop, the api tokens and sync.init.start are the
/// shop's.
Config for_shop(const Config& cfg, const ShopConfig& shop);

/// The api settings a Lazada shop's calls use: api.* with the Lazada app's key, secret, token
/// host and rate limit.
ApiConfig lazada_api(const Config& cfg);

/// The platform's name as the config spells it ("taobao_tw", "lazada").
std::string_view platform_name(Platform platform);

/// True when some shop of `cfg` is on `platform`.
bool has_platform(const Config& cfg, Platform platform);

/// The api settings of a snapshot, sharing its lifetime.
inline std::shared_ptr<const ApiConfig> api_part(const Snapshot& snapshot) {
  return {snapshot, &snapshot->api};
}

/// Loads and validates a YAML file; throws ConfigError naming the bad key.
Config load_config(const std::string& path);

/// Parses and validates YAML text (used by load_config and tests).
Config parse_config(const std::string& yaml_text);

/// Parses "250ms", "30s", "2m", "1h", "1d" (and sums like "1h30m"); throws std::invalid_argument.
Millis parse_duration(const std::string& text);

/// The shortest exact spelling of a duration in parse_duration's syntax ("90s" -> "90s",
/// 120000 ms -> "2m").
std::string format_duration(Millis d);

/// Loads and validates a YAML file, resolving relative `*_file` paths against the file's
/// directory and applying `$CREDENTIALS_DIRECTORY` overrides from `credentials_dir` (empty:
/// none). For tests; load_config uses the environment.
Config load_config(const std::string& path, const std::string& credentials_dir);

/// Parses YAML text with explicit base directory and credentials directory (empty: none).
Config parse_config(const std::string& yaml_text, const std::string& base_dir,
                    const std::string& credentials_dir);

/// Checks every value's range and form; throws ConfigError naming the first bad key.
void validate(const Config& cfg);

/// What a reload (SIGHUP) puts in force: which changed keys apply now and which wait for a
/// restart, from each key's row in the settings table.
struct ReloadPlan {
  /// The loaded values of live keys and the running values of restart-only keys.
  Config next;
  std::vector<std::string> applied;      ///< changed live keys, dotted, in table order
  std::vector<std::string> need_restart; ///< changed restart-only keys, kept as they run
};

/// Compares the config in force with a freshly loaded (valid) one, key by key. Throws
/// ConfigError if the mix of old and new values breaks a rule that relates keys.
ReloadPlan plan_reload(const Config& running, Config loaded);

/// The effective config as YAML, with every secret replaced by "***" (and the password of
/// database.url masked).
std::string render_masked(const Config& cfg);

/// The example config (config/taosync.example.yaml): every key with its doc, its type, unit,
/// accepted values and reload behaviour, and its default (or a placeholder where there is
/// none), as a commented YAML file that loads.
std::string example_config();

/// A libpq URL or key=value string with its password replaced by "***".
std::string mask_database_url(const std::string& url);

/// Every secret string the config holds (app secret, tokens, DB password), for log redaction.
std::vector<std::string> secret_values(const Config& cfg);

/// A warning if the file at `path` holds an inline secret and is readable by group or
/// others; nullopt otherwise. Names the keys, never the values.
std::optional<std::string> inline_secret_warning(const std::string& path);

} // namespace taosync::config

#include "config/config.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace taosync::config;
using taosync::testing::TempDir;
using namespace std::chrono_literals;

namespace {

const std::string kMinimal = R"(
api:
  app_key: "123456"
  app_secret: "s3cr3t-app"
  access_token: "tok-access-1"
database:
  url: "postgresql://taosync:dbpw-xyz@127.0.0.1:5432/taosync"
)";

Config parse(const std::string& text) {
  return parse_config(text, "/nonexistent", "");
}

/// The key a ConfigError names for this text, or "" if it parses.
std::string error_key(const std::string& text) {
  try {
    parse(text);
  } catch (const ConfigError& e) {
    return e.key();
  }
  return "";
}

} // namespace

TEST_CASE("a minimal config gets every documented default") {
  const Config c = parse(kMinimal);
  CHECK(c.api.app_key == "123456");
  CHECK(c.api.app_secret == "s3cr3t-app");
  CHECK(c.api.base_url == "https://api.taobao.tw/rest");
  CHECK(c.api.items_batch_size == 50);
  CHECK(c.api.max_response_bytes == 16u * 1024 * 1024);
  CHECK(c.sync.poll_interval == 60s);
  CHECK(c.sync.window.overlap == 2min);
  CHECK(c.sync.window.lag == 30s);
  CHECK(c.sync.reconcile.at == 30min);
  CHECK(c.sync.reconcile.timezone == "Asia/Taipei");
  CHECK(c.metrics.listen == "127.0.0.1:9464");
  CHECK(c.shutdown_timeout == 10s);
}

TEST_CASE("every key of the example config is accepted") {
  // The shipped example must load (secrets come from files next to it in the test).
  TempDir dir;
  dir.write("app_secret", "x\n");
  dir.write("access_token", "y\n");
  std::ifstream in(std::string(TAOSYNC_SOURCE_DIR) + "/config/taosync.example.yaml");
  REQUIRE(in);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const Config c = parse_config(text, dir.path().string(), dir.path().string());
  CHECK(c.api.app_secret == "x");
  CHECK(c.api.access_token == "y");
}

TEST_CASE("full config: every key is read into its field") {
  const Config c = parse(kMinimal + R"(
sync:
  shop: tw-main
  poll_interval: 5s
  page_size: 80
  window: {overlap: 1m, lag: 2s, max_length: 6h}
  init: {start: "2024-01-31"}
  reconcile: {enabled: false, at: "01:15", timezone: Europe/Berlin, refetch_lines: true}
log: {level: debug, format: json}
metrics: {listen: "[::1]:9100", healthy_within: 10m}
shutdown_timeout: 20s
)");
  CHECK(c.sync.shop == "tw-main");
  CHECK(c.sync.poll_interval == 5s);
  CHECK(c.sync.page_size == 80);
  CHECK(c.sync.window.max_length == 6h);
  CHECK(c.sync.reconcile.at == 75min);
  CHECK_FALSE(c.sync.reconcile.enabled);
  CHECK(c.sync.reconcile.refetch_lines);
  // A bare date is local midnight in the reconcile time zone (Berlin, winter: UTC+1).
  CHECK(c.sync.init.start ==
        std::chrono::sys_days{std::chrono::year{2024} / 1 / 30} + std::chrono::hours{23});
  CHECK(c.log.format == "json");
  CHECK(c.metrics.healthy_within == 10min);
  CHECK(c.shutdown_timeout == 20s);
}

TEST_CASE("init.start accepts RFC 3339 with offsets") {
  const Config c = parse(kMinimal + "sync: {init: {start: \"2024-01-31T08:00:00.5+08:00\"}}\n");
  CHECK(c.sync.init.start ==
        std::chrono::sys_days{std::chrono::year{2024} / 1 / 31} + std::chrono::milliseconds{500});
}

TEST_CASE("unknown keys are errors naming the dotted key") {
  try {
    parse(kMinimal + "sync:\n  pol_interval: 30s\n");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.key() == "sync.pol_interval");
    CHECK(std::string(e.what()) == "sync.pol_interval: unknown key");
  }
  CHECK(error_key(kMinimal + "sync: {window: {overlapp: 1m}}\n") == "sync.window.overlapp");
  CHECK(error_key(kMinimal + "bogus: 1\n") == "bogus");
  CHECK(error_key(kMinimal + "api2: {}\n") == "api2");
}

TEST_CASE("bad values name their key") {
  const std::pair<const char*, const char*> cases[] = {
      {"sync: {poll_interval: 30}\n", "sync.poll_interval"},
      {"sync: {poll_interval: 0s}\n", "sync.poll_interval"},
      {"sync: {page_size: 0}\n", "sync.page_size"},
      {"sync: {page_size: 101}\n", "sync.page_size"},
      {"sync: {page_size: abc}\n", "sync.page_size"},
      {"api2:\n", "api2"},
      {"sync: {reconcile: {at: \"25:00\"}}\n", "sync.reconcile.at"},
      {"sync: {reconcile: {at: \"7:30\"}}\n", "sync.reconcile.at"},
      {"sync: {reconcile: {timezone: Mars/Base}}\n", "sync.reconcile.timezone"},
      {"sync: {reconcile: {enabled: maybe}}\n", "sync.reconcile.enabled"},
      {"sync: {init: {start: yesterday}}\n", "sync.init.start"},
      {"sync: {init: {start: \"2024-02-30\"}}\n", "sync.init.start"},
      {"sync: {shop: \"a b\"}\n", "sync.shop"},
      {"sync: {window: {max_length: 0s}}\n", "sync.window.max_length"},
      {"log: {level: loud}\n", "log.level"},
      {"log: {format: xml}\n", "log.format"},
      {"metrics: {listen: nonsense}\n", "metrics.listen"},
      {"metrics: {listen: \"127.0.0.1:99999\"}\n", "metrics.listen"},
      {"shutdown_timeout: 1500ms\n", "shutdown_timeout"},
      {"database: {batch_orders: 0}\n", "database"}, // a second `database:` mapping
  };
  for (const auto& [extra, key] : cases) {
    CAPTURE(extra);
    CHECK(error_key(kMinimal + extra) == key);
  }
}

TEST_CASE("database settings are validated") {
  const std::string api = "api: {app_key: k, app_secret: s, access_token: t}\n";
  CHECK(error_key(api + "database: {batch_orders: 0}\n") == "database.batch_orders");
  CHECK(error_key(api + "database: {reconnect_max_backoff: 0s}\n") ==
        "database.reconnect_max_backoff");
  CHECK(error_key(api + "database: {url: \"\"}\n") == "");
  CHECK(parse(api + "database: {url: \"\"}\n").database.url == "postgresql:///taosync");
  // libpq takes whole seconds, and a connect_timeout of 1 is read as 2 by libpq.
  CHECK(error_key(api + "database: {connect_timeout: 1s}\n") == "database.connect_timeout");
  CHECK(error_key(api + "database: {connect_timeout: 2500ms}\n") == "database.connect_timeout");
  CHECK(error_key(api + "database: {keepalives_idle: 500ms}\n") == "database.keepalives_idle");
  CHECK(error_key(api + "database: {keepalives_count: 0}\n") == "database.keepalives_count");
  CHECK(error_key(api + "database: {report_blocked_after: 0s}\n") ==
        "database.report_blocked_after");
  CHECK(error_key(api + "database: {lock_timout: 1s}\n") == "database.lock_timout");
  // 0s turns a server-side timeout off, as in PostgreSQL.
  const auto off = parse(api + "database: {statement_timeout: 0s, lock_timeout: 0s}\n");
  CHECK(off.database.statement_timeout == 0s);
  CHECK(off.database.lock_timeout == 0s);
}

TEST_CASE("database deadlines and keepalives have sane defaults") {
  const Config c = parse(kMinimal);
  CHECK(c.database.connect_timeout == 30s);
  CHECK(c.database.statement_timeout == 5min);
  CHECK(c.database.lock_timeout == 30s);
  CHECK(c.database.keepalives_idle == 60s);
  CHECK(c.database.keepalives_interval == 10s);
  CHECK(c.database.keepalives_count == 6);
  CHECK(c.database.report_blocked_after == 5s);
  const Config set = parse(kMinimal + "  connect_timeout: 5s\n  lock_timeout: 2s\n");
  CHECK(set.database.connect_timeout == 5s);
  CHECK(set.database.lock_timeout == 2s);
}

TEST_CASE("api validation: urls, ranges, rates") {
  const std::string base = "api:\n  app_key: k\n  app_secret: s\n  access_token: t\n";
  CHECK(error_key(base + "  base_url: ftp://x/rest\n") == "api.base_url");
  CHECK(error_key(base + "  auth_url: http://auth.example.com/rest\n") == "api.auth_url");
  CHECK(error_key(base + "  base_url: http://127.0.0.1:8080/rest\n") == "");
  CHECK(error_key(base + "  base_url: http://example.com/rest\n  allow_insecure_http: true\n") ==
        "");
  CHECK(error_key(base + "  items_batch_size: 51\n") == "api.items_batch_size");
  CHECK(error_key(base + "  items_batch_size: 0\n") == "api.items_batch_size");
  CHECK(error_key(base + "  rate_limit: {requests_per_second: 0}\n") ==
        "api.rate_limit.requests_per_second");
  CHECK(error_key(base + "  rate_limit: {burst: 0}\n") == "api.rate_limit.burst");
  CHECK(error_key(base + "  retry: {max_attempts: 0}\n") == "api.retry.max_attempts");
  CHECK(error_key(base + "  retry: {max_retry_after: 0s}\n") == "api.retry.max_retry_after");
  CHECK(parse(base).api.retry.max_retry_after == std::chrono::minutes(5));
  CHECK(parse(base + "  retry: {max_retry_after: 90s}\n").api.retry.max_retry_after ==
        std::chrono::seconds(90));
  CHECK(error_key(base + "  max_response_bytes: 1MiB\n") == "");
  CHECK(error_key(base + "  max_response_bytes: 1MB\n") == "api.max_response_bytes");
  CHECK(error_key(base + "  ca_file: /nonexistent/ca.pem\n") == "api.ca_file");
  CHECK(error_key(base + "  max_page_size: 50\nsync: {page_size: 60}\n") == "sync.page_size");
}

TEST_CASE("required secrets: exactly one of inline or file") {
  CHECK(error_key("api: {app_secret: s, access_token: t}\n") == "api.app_key");
  CHECK(error_key("api: {app_key: k, access_token: t}\n") == "api.app_secret");
  CHECK(error_key("api: {app_key: k, app_secret: s}\n") == "api.access_token");
  TempDir dir;
  dir.write("secret.txt", "from-file\n");
  const std::string both = "api: {app_key: k, app_secret: s, app_secret_file: secret.txt, "
                           "access_token: t}\n";
  CHECK_THROWS_WITH_AS(parse_config(both, dir.path().string(), ""),
                       doctest::Contains("api.app_secret: set either"), ConfigError);
  const Config c = parse_config("api: {app_key: k, app_secret_file: secret.txt, access_token: t}\n",
                                dir.path().string(), "");
  CHECK(c.api.app_secret == "from-file"); // trailing newline dropped, relative to base dir
  CHECK(error_key("api: {app_key: k, app_secret_file: /nonexistent/x, access_token: t}\n") ==
        "api.app_secret_file");
}

TEST_CASE("systemd credentials override the file's secrets") {
  TempDir creds;
  creds.write("app_secret", "cred-secret\n");
  creds.write("access_token", "cred-access");
  creds.write("refresh_token", "cred-refresh");
  creds.write("database_url", "postgresql://u:cred-pw@db/x\n");
  // No secret in the file at all is fine when the credentials exist.
  const Config c = parse_config("api: {app_key: k}\n", "/", creds.path().string());
  CHECK(c.api.app_secret == "cred-secret");
  CHECK(c.api.access_token == "cred-access");
  CHECK(c.api.refresh_token == "cred-refresh");
  CHECK(c.database.url == "postgresql://u:cred-pw@db/x");
  const Config d = parse_config(kMinimal, "/", creds.path().string());
  CHECK(d.api.app_secret == "cred-secret");
}

TEST_CASE("credentials from the unit's directory form carry a taosync_ prefix") {
  TempDir creds;
  creds.write("taosync_app_secret", "dir-secret\n");
  creds.write("taosync_access_token", "dir-access\n");
  const Config c = parse_config("api: {app_key: k}\n", "/", creds.path().string());
  CHECK(c.api.app_secret == "dir-secret");
  CHECK(c.api.access_token == "dir-access");
  CHECK(c.database.url == "postgresql:///taosync");
}

TEST_CASE("load_config reads a file, and errors name the key") {
  TempDir dir;
  const auto path = dir.write("taosync.yaml", kMinimal + "sync:\n  pol_interval: 30s\n");
  CHECK_THROWS_WITH_AS(load_config(path, ""), "sync.pol_interval: unknown key", ConfigError);
  CHECK_THROWS_AS(load_config((dir.path() / "missing.yaml").string(), ""), ConfigError);
  CHECK_THROWS_AS(parse("api: [1, 2\n"), ConfigError);
  const auto good = dir.write("good.yaml", kMinimal);
  CHECK(load_config(good, "").api.app_key == "123456");
}

TEST_CASE("secret values are never echoed in errors") {
  try {
    parse("api: {app_key: k, app_secret: [s3cr3t-in-a-list], access_token: t}\n");
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.key() == "api.app_secret");
    CHECK(std::string(e.what()).find("s3cr3t") == std::string::npos);
  }
}

TEST_CASE("metrics connection limits: defaults, values, and bad values named") {
  const Config d = parse(kMinimal);
  CHECK(d.metrics.max_connections == 16);
  CHECK(d.metrics.read_timeout == 10s);
  const Config c = parse(kMinimal + "metrics: {max_connections: 4, read_timeout: 2s}\n");
  CHECK(c.metrics.max_connections == 4);
  CHECK(c.metrics.read_timeout == 2s);
  CHECK(render_masked(c).find("max_connections: 4") != std::string::npos);
  CHECK(error_key(kMinimal + "metrics: {max_connections: 0}\n") == "metrics.max_connections");
  CHECK(error_key(kMinimal + "metrics: {read_timeout: 0s}\n") == "metrics.read_timeout");
}

TEST_CASE("database.pooler names what the url reaches, and nothing else") {
  CHECK(parse(kMinimal).database.pooler == "none");
  CHECK(parse(kMinimal).database.listen_url.empty());
  const Config c = parse(kMinimal + "  pooler: transaction\n"
                                    "  listen_url: \"postgresql://taosync@db-direct/taosync\"\n");
  CHECK(c.database.pooler == "transaction");
  CHECK(c.database.listen_url == "postgresql://taosync@db-direct/taosync");
  CHECK_THROWS_WITH_AS(parse(kMinimal + "  pooler: pgbouncer\n"),
                       "database.pooler: must be one of none, session, transaction; got "
                       "'pgbouncer'",
                       ConfigError);
}

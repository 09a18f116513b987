#include "config/config.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace taosync::config;
using taosync::testing::TempDir;

namespace {
const std::string kInline = R"(
api:
  app_key: "123456"
  app_secret: "s3cr3t-app"
  access_token: "tok-access-1"
  refresh_token: "tok-refresh-1"
database:
  url: "postgresql://taosync:dbpw-xyz@127.0.0.1:5432/taosync"
)";
} // namespace

TEST_CASE("render_masked hides every secret and round-trips through the loader") {
  const Config c = parse_config(kInline, "/", "");
  const std::string out = render_masked(c);
  for (const char* secret : {"s3cr3t-app", "tok-access-1", "tok-refresh-1", "dbpw-xyz"}) {
    CAPTURE(secret);
    CHECK(out.find(secret) == std::string::npos);
  }
  CHECK(out.find("app_secret: \"***\"") != std::string::npos);
  CHECK(out.find("postgresql://taosync:***@127.0.0.1:5432/taosync") != std::string::npos);
  CHECK(out.find("poll_interval: 1m") != std::string::npos);
  // The masked output is still a valid config with the same non-secret values.
  const Config back = parse_config(out, "/", "");
  CHECK(back.sync.poll_interval == c.sync.poll_interval);
  CHECK(back.sync.reconcile.at == c.sync.reconcile.at);
  CHECK(back.sync.init.start == c.sync.init.start);
  CHECK(back.metrics.listen == c.metrics.listen);
  CHECK(out.find("lock_timeout: 30s") != std::string::npos);
  CHECK(back.database.statement_timeout == c.database.statement_timeout);
  CHECK(back.database.keepalives_count == c.database.keepalives_count);
}

TEST_CASE("mask_database_url handles URL and key=value forms") {
  CHECK(mask_database_url("postgresql://u:pw@h/db") == "postgresql://u:***@h/db");
  CHECK(mask_database_url("postgresql://u@h/db?password=pw&sslmode=require") ==
        "postgresql://u@h/db?password=***&sslmode=require");
  CHECK(mask_database_url("host=h user=u password=pw dbname=x") ==
        "host=h user=u password=*** dbname=x");
  CHECK(mask_database_url("host=h password='p w' dbname=x") == "host=h password='***' dbname=x");
  CHECK(mask_database_url("postgresql:///taosync") == "postgresql:///taosync");
}

TEST_CASE("secret_values lists every secret for log redaction") {
  const auto s = secret_values(parse_config(kInline, "/", ""));
  CHECK(s.size() == 4);
  CHECK(std::find(s.begin(), s.end(), std::string("dbpw-xyz")) != s.end());
  CHECK(std::find(s.begin(), s.end(), std::string("tok-refresh-1")) != s.end());
}

TEST_CASE("inline secrets in a group/other-readable file draw a warning") {
  TempDir dir;
  const auto open_file = dir.write("open.yaml", kInline, 0644);
  const auto w = inline_secret_warning(open_file);
  REQUIRE(w);
  CHECK(w->find("api.app_secret") != std::string::npos);
  CHECK(w->find("database.url") != std::string::npos);
  CHECK(w->find("0644") != std::string::npos);
  CHECK(w->find("s3cr3t") == std::string::npos);
  CHECK_FALSE(inline_secret_warning(dir.write("closed.yaml", kInline, 0600)));
  const auto no_secrets = dir.write("files.yaml", "api: {app_key: k, app_secret_file: x}\n", 0644);
  CHECK_FALSE(inline_secret_warning(no_secrets));
}

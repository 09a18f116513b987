// The settings table and what is made from it: the example config, check-config's masking and
// the reload decision.

#include "config/settings.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace taosync::config;
using taosync::testing::TempDir;
using namespace std::chrono_literals;

namespace {

const std::string kExamplePath = std::string(TAOSYNC_SOURCE_DIR) + "/config/taosync.example.yaml";

const std::string kWithSecrets = R"(
api:
  app_key: "123456"
  app_secret: "s3cr3t-app"
  access_token: "tok-access-1"
  refresh_token: "tok-refresh-1"
lazada:
  app_key: "654321"
  app_secret: "lz-s3cr3t"
database:
  url: "postgresql://taosync:dbpw-xyz@127.0.0.1:6432/taosync"
  pooler: transaction
  listen_url: "postgresql://taosync:listenpw-1@127.0.0.1:5432/taosync"
)";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

} // namespace

TEST_CASE("every key has exactly one row, with a type, a doc and a field") {
  std::set<std::string> keys;
  for (const Setting& s : settings()) {
    CAPTURE(s.key);
    CHECK(keys.insert(s.key).second);
    CHECK_FALSE(s.type.empty());
    CHECK_FALSE(s.doc.empty());
    CHECK(find_setting(s.key) == &s);
    CHECK(s.same(Config{}, Config{}));
  }
  CHECK(keys.contains("api.max_in_flight"));
  CHECK(keys.contains("shutdown_timeout"));
  CHECK(find_setting("sync.pol_interval") == nullptr);
}

TEST_CASE("the committed example config is the one the settings table generates") {
  const std::string generated = example_config();
  if (std::getenv("TAOSYNC_WRITE_EXAMPLE")) {
    std::ofstream(kExamplePath) << generated;
  }
  const bool same = read_text(kExamplePath) == generated;
  const auto fresh = std::filesystem::temp_directory_path() / "taosync.example.yaml.generated";
  if (!same) {
    std::ofstream(fresh) << generated;
  }
  CHECK_MESSAGE(same, "config/taosync.example.yaml is stale: run taosync_config_test with "
                      "TAOSYNC_WRITE_EXAMPLE=1 to regenerate it (the table's version is in "
                          << fresh.string() << ")");
}

TEST_CASE("the example config documents every key with its default") {
  const std::string text = read_text(kExamplePath);
  TempDir creds;
  creds.write("app_secret", "x\n");
  creds.write("access_token", "y\n");
  const Config example = parse_config(text, creds.path().string(), creds.path().string());
  const Config defaults{};
  for (const Setting& s : settings()) {
    CAPTURE(s.key);
    CHECK(text.find(s.name() + ":") != std::string::npos);
    CHECK(text.find(s.check) != std::string::npos);
    if (!s.secret && s.placeholder.empty())
      CHECK(s.same(example, defaults));
  }
}

TEST_CASE("check-config shows every secret row masked, and redaction lists them") {
  const Config c = parse_config(kWithSecrets, "/", "");
  const std::string out = render_masked(c);
  for (const char* secret :
       {"s3cr3t-app", "lz-s3cr3t", "tok-access-1", "tok-refresh-1", "dbpw-xyz", "listenpw-1"}) {
    CAPTURE(secret);
    CHECK(out.find(secret) == std::string::npos);
  }
  std::size_t secrets = 0;
  for (const Setting& s : settings()) {
    if (!s.secret)
      continue;
    ++secrets;
    CAPTURE(s.key);
    CHECK(s.yaml(c).find("***") != std::string::npos);
  }
  CHECK(secret_values(c).size() == secrets);
}

TEST_CASE("a reload applies live keys and keeps restart-only ones, naming them") {
  const Config running = parse_config(kWithSecrets, "/", "");
  Config loaded = running;
  loaded.api.base_url = "https://other.example/rest";
  loaded.sync.shop = "other";
  loaded.sync.poll_interval = 5s;
  loaded.sync.window.lag = 1s;
  loaded.log.level = "debug";
  loaded.log.format = "json";
  const ReloadPlan plan = plan_reload(running, loaded);
  CHECK(plan.applied ==
        std::vector<std::string>{"sync.poll_interval", "sync.window.lag", "log.level"});
  CHECK(plan.need_restart == std::vector<std::string>{"api.base_url", "sync.shop", "log.format"});
  CHECK(plan.next.sync.poll_interval == 5s);
  CHECK(plan.next.log.level == "debug");
  CHECK(plan.next.api.base_url == running.api.base_url);
  CHECK(plan.next.sync.shop == "default");
  CHECK(plan.next.log.format == "auto");
}

TEST_CASE("an unchanged reload changes nothing, and a changed secret is named, never shown") {
  const Config running = parse_config(kWithSecrets, "/", "");
  const ReloadPlan same = plan_reload(running, running);
  CHECK(same.applied.empty());
  CHECK(same.need_restart.empty());
  Config loaded = running;
  loaded.api.app_secret = "new-s3cr3t";
  const ReloadPlan plan = plan_reload(running, loaded);
  CHECK(plan.need_restart == std::vector<std::string>{"api.app_secret"});
  CHECK(plan.next.api.app_secret == "s3cr3t-app");
}

TEST_CASE("a row's check names its key, with the range in the message") {
  try {
    parse_config("api: {app_key: k, app_secret: s, access_token: t, max_in_flight: 300}\n", "/",
                 "");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) == "api.max_in_flight: must be between 1 and 256, got 300");
  }
  CHECK(find_setting("api.max_in_flight")->check == "1..256");
  CHECK(find_setting("api.max_in_flight")->reload == Reload::live);
  CHECK(find_setting("sync.shop")->reload == Reload::restart);
}

TEST_CASE("a row is checked before later rows read it: a bad zone is named, not the date") {
  const std::string api = "api: {app_key: k, app_secret: s, access_token: t}\n";
  try {
    parse_config(api + "sync: {reconcile: {timezone: Mars/Base}, init: {start: \"2024-01-31\"}}\n",
                 "/", "");
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.key() == "sync.reconcile.timezone");
  }
}

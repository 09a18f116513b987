#include "config/config.hpp"
#include "config/time_text.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

using namespace taosync::config;
using taosync::testing::TempDir;

namespace {

const std::string kApp = R"(
api:
  app_key: "123456"
  app_secret: "s3cr3t-app"
database:
  url: "postgresql:///taosync"
)";

Config parse_shops(const std::string& shops, const std::string& base = "/nonexistent",
                   const std::string& credentials = "") {
  return parse_config(kApp + shops, base, credentials);
}

/// The key and message of the ConfigError for this shops text, or "" if it parses.
std::string shops_error(const std::string& shops) {
  try {
    parse_shops(shops);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("shops: each with its own tokens and optional init start") {
  const Config c = parse_shops(R"(
shops:
  - name: store-a
    access_token: "tok-a-access"
    refresh_token: "tok-a-refresh"
  - name: store-b
    access_token: "tok-b-access"
    init: {start: "2024-01-01"}
)");
  const auto shops = shops_of(c);
  REQUIRE(shops.size() == 2);
  CHECK(shops[0].name == "store-a");
  CHECK(shops[0].refresh_token == "tok-a-refresh");
  CHECK_FALSE(shops[0].init_start);
  REQUIRE(shops[1].init_start);
  // local midnight in Asia/Taipei (UTC+8)
  CHECK(detail::format_instant(*shops[1].init_start) == "2023-12-31T16:00:00Z");

  const Config b = for_shop(c, shops[1]);
  CHECK(b.sync.shop == "store-b");
  CHECK(b.api.access_token == "tok-b-access");
  CHECK(b.api.refresh_token.empty());
  CHECK(b.sync.init.start == *shops[1].init_start);
  CHECK(b.api.app_secret == "s3cr3t-app"); // the app's settings stay shared

  // tokens are secrets: masked in check-config, registered for log redaction
  const std::string shown = render_masked(c);
  CHECK(shown.find("tok-a-access") == std::string::npos);
  CHECK(shown.find("name: \"store-b\"") != std::string::npos);
  const auto secrets = secret_values(c);
  CHECK(std::find(secrets.begin(), secrets.end(), "tok-b-access") != secrets.end());
  CHECK(std::find(secrets.begin(), secrets.end(), "tok-a-refresh") != secrets.end());
}

TEST_CASE("without shops: the one shop of sync.shop and the api tokens, as before") {
  CHECK(shops_error("").find("api.access_token: is required") == 0);
  const Config c = parse_config(R"(
api: {app_key: "1", app_secret: "s", access_token: "tok-one", refresh_token: "tok-r"}
sync: {shop: main}
)",
                                "/nonexistent", "");
  CHECK(c.shops.empty());
  const auto shops = shops_of(c);
  REQUIRE(shops.size() == 1);
  CHECK(shops[0].name == "main");
  CHECK(shops[0].access_token == "tok-one");
  CHECK(shops[0].refresh_token == "tok-r");
  CHECK(render_masked(c).find("shops:") == std::string::npos);
}

TEST_CASE("bad shops entries name the entry and the key") {
  CHECK(shops_error("shops: {name: a}\n").find("shops: must be a list") == 0);
  CHECK(shops_error("shops: []\n").find("shops: is empty") == 0);
  CHECK(shops_error("shops:\n  - access_token: t\n").find("shops[0].name: is required") == 0);
  CHECK(shops_error("shops:\n  - name: \"a b\"\n    access_token: t\n").find("shops[0].name") == 0);
  CHECK(shops_error("shops:\n  - name: a\n").find("shops[0].access_token: is required") == 0);
  CHECK(shops_error("shops:\n  - name: a\n    access_token: t\n  - name: a\n    access_token: u\n")
            .find("shops[1].name: shop 'a' is listed twice") == 0);
  CHECK(shops_error("shops:\n  - name: a\n    access_token: t\n    colour: red\n")
            .find("shops[0].colour: unknown key") == 0);
  // an error never echoes a token
  CHECK(shops_error("shops:\n  - name: a\n    access_token: tok-zzz\n    acces_token: x\n")
            .find("tok-zzz") == std::string::npos);
}

TEST_CASE("shop tokens from files and from systemd credentials named after the shop") {
  TempDir dir;
  std::ofstream(dir.path() / "a.token") << "tok-from-file\n";
  std::filesystem::create_directories(dir.path() / "creds");
  std::ofstream(dir.path() / "creds" / "store-b_access_token") << "tok-from-credential";
  const Config c = parse_shops(R"(
shops:
  - name: store-a
    access_token_file: a.token
  - name: store-b
    access_token: "overridden"
)",
                               dir.path().string(), (dir.path() / "creds").string());
  CHECK(c.shops[0].access_token == "tok-from-file");
  CHECK(c.shops[1].access_token == "tok-from-credential");
}

TEST_CASE("a reload that changes the shops applies live") {
  const Config before = parse_shops("shops:\n  - name: a\n    access_token: t\n");
  Config after = parse_shops("shops:\n  - name: a\n    access_token: t\n  - name: b\n"
                             "    access_token: u\n");
  const auto plan = plan_reload(before, after);
  CHECK(std::find(plan.applied.begin(), plan.applied.end(), "shops") != plan.applied.end());
  CHECK(plan.need_restart.empty());
  CHECK(plan.next.shops.size() == 2);
}

TEST_CASE("a Lazada shop names its country, and takes the Lazada app's key, secret and host") {
  const Config c = parse_shops(R"(
lazada:
  app_key: "654321"
  app_secret: "lz-secret"
  rate_limit: {requests_per_second: 4, burst: 2}
shops:
  - name: tw-store
    access_token: "tok-tw"
  - name: sg-store
    platform: lazada
    country: sg
    access_token: "tok-sg"
    refresh_token: "ref-sg"
  - name: lab
    platform: lazada
    country: ph
    base_url: "http://127.0.0.1:9000/rest"
    access_token: "tok-lab"
)");
  const auto shops = shops_of(c);
  REQUIRE(shops.size() == 3);
  CHECK(shops[0].platform == Platform::taobao_tw);
  CHECK(shops[1].platform == Platform::lazada);
  CHECK(shops[1].country == "sg");
  CHECK(shops[2].base_url == "http://127.0.0.1:9000/rest");
  const Config sg = for_shop(c, shops[1]);
  CHECK(sg.api.app_key == "654321");
  CHECK(sg.api.app_secret == "lz-secret");
  CHECK(sg.api.auth_url == "https://auth.lazada.com/rest");
  CHECK(sg.api.rate_limit.requests_per_second == 4);
  CHECK(sg.api.access_token == "tok-sg");
  CHECK(sg.api.refresh_token == "ref-sg");
  CHECK(sg.api.timeout == c.api.timeout); // the rest of api.* is shared
  const Config tw = for_shop(c, shops[0]);
  CHECK(tw.api.app_key == "123456");
  const std::string shown = render_masked(c);
  CHECK(shown.find("platform: lazada") != std::string::npos);
  CHECK(shown.find("country: sg") != std::string::npos);
  CHECK(shown.find("lz-secret") == std::string::npos);
}

TEST_CASE("a Lazada shop's platform, country and app are checked, naming the key") {
  const std::string app = "lazada: {app_key: \"1\", app_secret: \"s\"}\n";
  CHECK(shops_error(app + "shops:\n  - {name: a, access_token: t, platform: shopee}\n")
            .find("shops[0].platform: must be taobao_tw or lazada, got 'shopee'") !=
        std::string::npos);
  CHECK(shops_error(app + "shops:\n  - {name: a, access_token: t, platform: lazada}\n")
            .find("shops[0].country: is required for a Lazada shop") != std::string::npos);
  CHECK(shops_error(app + "shops:\n  - {name: a, access_token: t, platform: lazada, country: tw}\n")
            .find("'tw' is not a Lazada country") != std::string::npos);
  CHECK(shops_error(app + "shops:\n  - {name: a, access_token: t, country: sg}\n")
            .find("shops[0].country: is for Lazada shops") != std::string::npos);
  CHECK(shops_error("shops:\n  - {name: a, access_token: t, platform: lazada, country: my}\n")
            .find("lazada.app_key: is required") != std::string::npos);
  CHECK(shops_error("lazada: {app_key: \"1\"}\nshops:\n  - {name: a, access_token: t, platform: "
                    "lazada, country: my}\n")
            .find("lazada.app_secret: is required") != std::string::npos);
}

TEST_CASE("a config of Lazada shops alone needs no Taobao TW app") {
  const Config c = parse_config(R"(
lazada: {app_key: "1", app_secret: "s"}
database: {url: "postgresql:///taosync"}
shops:
  - {name: a, access_token: t, platform: lazada, country: th}
)",
                                "/nonexistent", "");
  CHECK(c.api.app_key.empty());
  CHECK(has_platform(c, Platform::lazada));
  CHECK_FALSE(has_platform(c, Platform::taobao_tw));
  CHECK_THROWS_WITH_AS(parse_config("database: {url: \"postgresql:///taosync\"}\napi: "
                                    "{access_token: t}\n",
                                    "/nonexistent", ""),
                       doctest::Contains("api.app_key: is required"), ConfigError);
}

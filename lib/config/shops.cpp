// The `shops:` list: one entry per seller of the app, each with its own tokens and optional
// overrides. It is a list, not a key, so it is read here rather than by a settings-table row;
// its entries use the same readers (secrets inline, as `*_file` or as a systemd credential
// named after the shop; instants in sync.reconcile.timezone).

#include "config/shops.hpp"
#include "config/setting_kinds.hpp"
#include "config/time_text.hpp"
#include "config/timezone.hpp"
#include "config/yaml_section.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace taosync::config {

bool valid_shop_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '-' || c == '.';
         });
}

namespace {

ShopConfig read_shop(const YAML::Node& node, const std::string& path, const Sources& src,
                     const std::string& zone) {
  if (!node.IsMap())
    throw ConfigError(path, "must be a mapping with name and access_token");
  detail::Section s(node, path);
  ShopConfig shop;
  shop.name = s.string("name").value_or("");
  if (!valid_shop_name(shop.name))
    throw ConfigError(s.key_path("name"), "is required: 1 to 64 letters, digits, '_', '-' or '.'");
  // Credentials named after the shop: LoadCredential=<shop>_access_token:FILE.
  shop.access_token =
      detail::read_secret(s, "access_token", shop.name + "_access_token", src).value_or("");
  if (shop.access_token.empty())
    throw ConfigError(s.key_path("access_token"),
                      "is required (set access_token, access_token_file or the " + shop.name +
                          "_access_token credential)");
  shop.refresh_token =
      detail::read_secret(s, "refresh_token", shop.name + "_refresh_token", src).value_or("");
  const std::string platform = s.string("platform").value_or("taobao_tw");
  if (platform == "lazada")
    shop.platform = Platform::lazada;
  else if (platform != "taobao_tw")
    throw ConfigError(s.key_path("platform"),
                      "must be taobao_tw or lazada, got '" + platform + "'");
  shop.country = s.string("country").value_or("");
  shop.base_url = s.string("base_url");
  if (shop.platform == Platform::taobao_tw && (!shop.country.empty() || shop.base_url))
    throw ConfigError(s.key_path(shop.country.empty() ? "base_url" : "country"),
                      "is for Lazada shops (platform: lazada); a Taobao TW shop uses api.base_url");
  // The country picks the gateway (unless base_url names another) and the currency.
  if (shop.platform == Platform::lazada &&
      std::find(kLazadaCountries.begin(), kLazadaCountries.end(), shop.country) ==
          kLazadaCountries.end())
    throw ConfigError(s.key_path("country"),
                      (shop.country.empty() ? std::string("is required for a Lazada shop")
                                            : "'" + shop.country + "' is not a Lazada country") +
                          ": one of sg, my, th, ph, vn, id");
  detail::Section init = s.child("init");
  if (const auto start = init.string("start"))
    shop.init_start = detail::parse_instant(init.key_path("start"), *start, TimeZone::load(zone));
  init.finish();
  s.finish();
  return shop;
}

} // namespace

std::vector<ShopConfig> read_shops(const YAML::Node& list, const Sources& src,
                                   const std::string& zone) {
  std::vector<ShopConfig> shops;
  if (!list.IsDefined() || list.IsNull())
    return shops;
  if (!list.IsSequence())
    throw ConfigError("shops", "must be a list of shops (- name: ..., access_token: ...)");
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "shops[" + std::to_string(i) + "]";
    ShopConfig shop = read_shop(list[i], path, src, zone);
    if (!names.insert(shop.name).second)
      throw ConfigError(path + ".name", "shop '" + shop.name + "' is listed twice");
    shops.push_back(std::move(shop));
  }
  if (shops.empty())
    throw ConfigError("shops", "is empty: list at least one shop, or remove the key");
  return shops;
}

std::vector<ShopConfig> shops_of(const Config& cfg) {
  if (!cfg.shops.empty())
    return cfg.shops;
  ShopConfig only;
  only.name = cfg.sync.shop;
  only.access_token = cfg.api.access_token;
  only.refresh_token = cfg.api.refresh_token;
  return {only};
}

ApiConfig lazada_api(const Config& cfg) {
  ApiConfig api = cfg.api;
  api.app_key = cfg.lazada.app_key;
  api.app_secret = cfg.lazada.app_secret;
  api.auth_url = cfg.lazada.auth_url;
  api.rate_limit = cfg.lazada.rate_limit;
  return api;
}

std::string_view platform_name(Platform platform) {
  return platform == Platform::lazada ? "lazada" : "taobao_tw";
}

bool has_platform(const Config& cfg, Platform platform) {
  const auto shops = shops_of(cfg);
  return std::any_of(shops.begin(), shops.end(),
                     [platform](const ShopConfig& s) { return s.platform == platform; });
}

Config for_shop(const Config& cfg, const ShopConfig& shop) {
  Config c = cfg;
  c.shops.clear();
  c.sync.shop = shop.name;
  if (shop.platform == Platform::lazada)
    c.api = lazada_api(cfg);
  c.api.access_token = shop.access_token;
  c.api.refresh_token = shop.refresh_token;
  if (shop.init_start)
    c.sync.init.start = *shop.init_start;
  return c;
}

std::string render_shops(const Config& cfg) {
  if (cfg.shops.empty())
    return "";
  std::string out = "shops:\n";
  for (const auto& shop : cfg.shops) {
    out += "  - name: \"" + shop.name + "\"\n";
    out += "    access_token: \"***\"\n";
    out += std::string("    refresh_token: ") + (shop.refresh_token.empty() ? "\"\"" : "\"***\"") +
           "\n";
    if (shop.init_start)
      out += "    init: {start: \"" + detail::format_instant(*shop.init_start) + "\"}\n";
    if (shop.platform != Platform::taobao_tw)
      out += "    platform: " + std::string(platform_name(shop.platform)) + "\n";
    if (!shop.country.empty())
      out += "    country: " + shop.country + "\n";
    if (shop.base_url)
      out += "    base_url: \"" + *shop.base_url + "\"\n";
  }
  return out;
}

} // namespace taosync::config

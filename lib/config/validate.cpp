// Validation: every row's own check, in table order, then the rules that relate keys. The
// first problem found is a ConfigError naming its dotted key.

#include "config/setting_checks.hpp"
#include "config/settings.hpp"

namespace taosync::config {

namespace {

/// Plain http:// only to loopback, unless api.allow_insecure_http.
void transport_is_safe(const Config& c, const std::string& url, const std::string& key) {
  const std::string host = detail::url_host(url);
  if (url.rfind("https://", 0) == 0 || c.api.allow_insecure_http || detail::is_loopback(host))
    return;
  throw ConfigError(key, "plain http:// is only allowed for loopback hosts; set "
                         "api.allow_insecure_http: true to allow it for '" +
                             host + "'");
}

std::vector<CrossRule> make_cross_rules() {
  return {
      [](const Config& c) {
        if (c.shops.empty() && c.api.access_token.empty())
          throw ConfigError("api.access_token",
                            "is required (set api.access_token, api.access_token_file or the "
                            "access_token credential, or list the shops under shops:)");
      },
      [](const Config& c) {
        if (!has_platform(c, Platform::taobao_tw))
          return;
        if (c.api.app_key.empty())
          throw ConfigError("api.app_key", "is required (a shop is on Taobao TW)");
        if (c.api.app_secret.empty())
          throw ConfigError("api.app_secret", "is required (set api.app_secret, "
                                              "api.app_secret_file or the app_secret credential)");
      },
      [](const Config& c) {
        if (!has_platform(c, Platform::lazada))
          return;
        if (c.lazada.app_key.empty())
          throw ConfigError("lazada.app_key", "is required (a shop has platform: lazada)");
        if (c.lazada.app_secret.empty())
          throw ConfigError("lazada.app_secret",
                            "is required (set lazada.app_secret, lazada.app_secret_file or the "
                            "lazada_app_secret credential)");
        transport_is_safe(c, c.lazada.auth_url, "lazada.auth_url");
        for (const auto& shop : c.shops)
          if (shop.base_url)
            transport_is_safe(c, *shop.base_url, "shops[" + shop.name + "].base_url");
      },
      [](const Config& c) { transport_is_safe(c, c.api.base_url, "api.base_url"); },
      [](const Config& c) { transport_is_safe(c, c.api.auth_url, "api.auth_url"); },
      [](const Config& c) {
        if (c.sync.clock.unhealthy_offset < c.sync.clock.warn_offset)
          throw ConfigError("sync.clock.unhealthy_offset",
                            "must be at least sync.clock.warn_offset");
      },
      [](const Config& c) {
        if (c.api.retry.max_backoff < c.api.retry.initial_backoff)
          throw ConfigError("api.retry.max_backoff", "must be at least api.retry.initial_backoff");
      },
      [](const Config& c) {
        if (c.sync.page_size > c.api.max_page_size)
          throw ConfigError("sync.page_size", "must be between 1 and " +
                                                  std::to_string(c.api.max_page_size) + ", got " +
                                                  std::to_string(c.sync.page_size));
      },
  };
}

} // namespace

const std::vector<CrossRule>& cross_rules() {
  static const std::vector<CrossRule> kRules = make_cross_rules();
  return kRules;
}

void validate(const Config& cfg) {
  for (const Setting& s : settings())
    s.validate(cfg);
  for (const CrossRule& rule : cross_rules())
    rule(cfg);
}

} // namespace taosync::config

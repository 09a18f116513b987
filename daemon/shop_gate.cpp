#include "shop_gate.hpp"

#include <spdlog/spdlog.h>

namespace taosync::daemon {

ShopAdmission admit_shop(const store::ShopFlags& flags, const std::string& refresh_fingerprint) {
  if (!flags.stopped)
    return ShopAdmission::go;
  // A stop recorded before fingerprints were kept has none: the first start resumes it.
  return flags.refresh_fingerprint == refresh_fingerprint ? ShopAdmission::refuse
                                                          : ShopAdmission::resume;
}

const std::string& stop_key(const config::ApiConfig& api) {
  return api.refresh_token.empty() ? api.access_token : api.refresh_token;
}

std::string reauthorize_hint() {
  return "the seller must re-authorize the app in the Taobao seller center; then put the new "
         "refresh token in the refresh_token credential (/etc/taosync/credentials/refresh_token) "
         "or api.refresh_token_file / api.refresh_token, and the new access token likewise "
         "(access_token), and start taosyncd again. The shop stays stopped until its configured "
         "refresh token changes";
}

net::awaitable<bool> check_shop_stop(store::Database& db, const std::string& shop,
                                     const std::string& refresh_fingerprint) {
  const store::ShopFlags flags = co_await db.load_flags(shop);
  const ShopAdmission admission = admit_shop(flags, refresh_fingerprint);
  if (admission == ShopAdmission::refuse)
    throw ShopStopped("shop " + shop + " is stopped (" + flags.stopped_reason + "); " +
                      reauthorize_hint());
  const bool resume = admission == ShopAdmission::resume;
  if (resume)
    spdlog::warn("shop {} was stopped ({}); its configured refresh token has changed since: "
                 "resuming with the configured tokens",
                 shop, flags.stopped_reason);
  if (resume || flags.refresh_fingerprint != refresh_fingerprint) {
    co_await db.save_refresh_fingerprint(shop, refresh_fingerprint, resume);
  }
  co_return resume;
}

} // namespace taosync::daemon

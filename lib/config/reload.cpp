// The reload decision (SIGHUP), from each key's row in the settings table.

#include "config/config.hpp"
#include "config/settings.hpp"

#include <algorithm>

namespace taosync::config {

ReloadPlan plan_reload(const Config& running, Config loaded) {
  ReloadPlan plan{std::move(loaded), {}, {}};
  for (const Setting& row : settings()) {
    if (row.same(running, plan.next))
      continue;
    if (row.reload == Reload::live) {
      plan.applied.push_back(row.key);
    } else {
      plan.need_restart.push_back(row.key);
      row.keep(plan.next, running);
    }
  }
  // Shops come and go live; the runtime restarts a shop's pipeline only when it is added.
  const auto same_shop = [](const ShopConfig& a, const ShopConfig& b) {
    return a.name == b.name && a.access_token == b.access_token &&
           a.refresh_token == b.refresh_token && a.init_start == b.init_start;
  };
  if (!std::equal(running.shops.begin(), running.shops.end(), plan.next.shops.begin(),
                  plan.next.shops.end(), same_shop))
    plan.applied.emplace_back("shops");
  validate(plan.next);
  return plan;
}

} // namespace taosync::config

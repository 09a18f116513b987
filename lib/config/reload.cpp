#include "config/reload.hpp"
#include "config/settings.hpp"

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
  validate(plan.next);
  return plan;
}

} // namespace taosync::config

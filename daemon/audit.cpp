// `taosyncd audit`: sampled stored orders against /order/get.

#include "commands.hpp"
#include "exit_codes.hpp"
#include "order_diff.hpp"
#include "runtime.hpp"

#include "store/store.hpp"
#include "sync/answer_check.hpp"
#include "sync/detail_check.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

namespace taosync::daemon {

namespace {

using StoredOrder = std::optional<model::OrderDetail>;

/// Audits the sample; returns how many orders differ.
net::awaitable<int> audit_sample(Runtime& rt, int sample) {
  const std::string shop = rt.first_shop().name;
  const auto ids = co_await rt.database().sample_recent_orders(shop, sample);
  int differing = 0, pending = 0, missing = 0, rejected = 0;
  for (const std::string& id : ids) {
    const StoredOrder stored = co_await rt.database().load_order(shop, id);
    const model::OrderDetail fresh = co_await rt.first_shop().client->get_order(id);
    const auto latest = sync::latest_believable(rt.config().sync.verify.future_tolerance);
    const auto checked = sync::check_detail(fresh, id, {}, latest, shop);
    if (!checked.order_usable || !checked.problem.empty()) {
      // An answer the sync would not store whole is not a yardstick for the database.
      std::cout << "order " << id << ": /order/get's answer is rejected (" << checked.problem
                << "); not compared\n";
      ++rejected;
      continue;
    }
    if (!stored) {
      std::cout << "order " << id << ": sampled but no longer loadable from the database\n";
      ++missing;
      continue;
    }
    const OrderDiff diff = diff_orders(*stored, fresh);
    if (diff.changed_upstream) {
      std::cout << "order " << id << ": changed upstream since the last sync (pending)\n";
      ++pending;
    } else if (!diff.differences.empty()) {
      ++differing;
      std::cout << "order " << id << ": " << diff.differences.size() << " difference(s)\n";
      for (const auto& line : diff.differences)
        std::cout << "  " << line << "\n";
    }
  }
  std::cout << "audited " << ids.size() << " orders of shop " << shop << ": " << differing
            << " differ, " << pending << " pending, " << missing << " missing, " << rejected
            << " answer(s) rejected\n";
  // Nothing verified is not a clean bill of health: rejected answers count against it.
  co_return differing + missing + rejected;
}

} // namespace

int cmd_audit(const CliOptions& opts) {
  return with_config(opts.config_path, [&](const config::Config& cfg) {
    Runtime rt(cfg, DatabaseWait::connect_timeout);
    return run_to_exit_code(rt.io(), [&rt, &opts]() -> net::awaitable<int> {
      co_await rt.start(one_shop(rt.config(), opts.shop));
      const int bad = co_await audit_sample(rt, opts.sample);
      co_return bad > 0 ? kExFailure : kExOk;
    });
  });
}

} // namespace taosync::daemon

#include "sync/owed_repair.hpp"
#include "sync/answer_check.hpp"

#include "sync/detail_check.hpp"

#include "model/backoff.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

namespace taosync::sync {

namespace {

// The platform's answer for an order that does not exist (any more).
constexpr std::string_view kNotFound = "order_not_found";

net::awaitable<void> postpone(store::Database& db, const OwedSettings& settings,
                              const store::DueOwed& due, const std::string& reason) {
  co_await db.postpone_owed(settings.shop, due.order.trade_order_id, reason,
                            owed_backoff(settings, due.attempts));
}

/// What one ask came to.
struct AskResult {
  std::string problem;      ///< empty: settled
  bool unreachable = false; ///< the platform kept failing: stop this round
};

// Asks for one owed order.
net::awaitable<AskResult> repay_one(api::Platform& client, store::Database& db,
                                    const OwedSettings& settings, const store::DueOwed& due) {
  const auto& id = due.order.trade_order_id;
  std::optional<model::OrderDetail> detail;
  AskResult failure;
  try {
    detail = co_await client.get_order(id);
  } catch (const api::ApiFailure& e) {
    const auto kind = e.error().kind;
    if (kind != api::ErrorKind::transient && e.error().code != kNotFound)
      throw; // about the app, not this order
    failure = AskResult{e.what(), kind == api::ErrorKind::transient};
  }
  if (!detail)
    co_return failure;
  OwedContext owed{due.order.line_ids, due.order.modification_time};
  CheckedDetail checked = check_detail(std::move(*detail), id, owed,
                                       latest_believable(settings.future_tolerance), settings.shop);
  std::string problem = checked.problem;
  if (checked.order_usable || !checked.batch.rejected.empty()) {
    const auto result = co_await db.write_batch(std::move(checked.batch));
    if (checked.order_usable && result.stale > 0)
      problem = "the stored row is newer than /order/get's answer";
  }
  co_return AskResult{problem, false};
}

} // namespace

std::chrono::milliseconds owed_backoff(const OwedSettings& settings, int attempts) {
  const auto first = std::max(settings.first_backoff, std::chrono::milliseconds(1000));
  return model::Backoff({.initial = first, .cap = settings.max_backoff}).skip(attempts).next();
}

net::awaitable<OwedTotals> repay_owed(api::Platform& client, store::Database& db,
                                      const OwedSettings& settings, const model::Stop& stop) {
  OwedTotals totals;
  if (settings.per_cycle <= 0)
    co_return totals;
  const auto due = co_await db.due_owed(settings.shop, settings.per_cycle, settings.ignore_backoff);
  for (const auto& d : due) {
    if (stop.requested())
      break;
    ++totals.asked;
    const AskResult r = co_await repay_one(client, db, settings, d);
    if (r.problem.empty()) {
      ++totals.settled;
      continue;
    }
    ++totals.still_owed;
    co_await postpone(db, settings, d, r.problem);
    spdlog::debug("owed order {} still owed ({} ask(s) failed): {}", d.order.trade_order_id,
                  d.attempts + 1, r.problem);
    if (r.unreachable)
      break; // the client already retried with backoff: try the rest next cycle
  }
  if (totals.asked > 0)
    spdlog::info("owed orders: asked {}, {} arrived whole, {} still owed", totals.asked,
                 totals.settled, totals.still_owed);
  co_return totals;
}

OwedSettings OwedSettings::from(const config::Config& cfg, bool ignore_backoff) {
  return OwedSettings{cfg.sync.shop,
                      cfg.sync.owed.per_cycle,
                      cfg.sync.poll_interval,
                      cfg.sync.owed.max_backoff,
                      cfg.sync.verify.future_tolerance,
                      ignore_backoff};
}

} // namespace taosync::sync

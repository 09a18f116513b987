#include "sync/owed_repair.hpp"

#include "sync/detail_check.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <optional>

namespace taosync::sync {

namespace {

// The platform's answer for an order that does not exist (any more).
constexpr std::string_view kNotFound = "order_not_found";

model::TimePoint latest_trusted(const OwedSettings& s) {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()) +
         s.future_tolerance;
}

net::awaitable<void> postpone(store::Writer& writer, const OwedSettings& settings,
                              const store::DueOwed& due, const std::string& reason) {
  // An explicit std::function: GCC 12 destroys an implicitly converted temporary passed to a
  // coroutine's by-value parameter twice.
  std::function<void(store::Store&)> job =
      [shop = settings.shop, id = due.order.trade_order_id, reason,
       delay = owed_backoff(settings, due.attempts)](store::Store& s) {
        s.postpone_owed(shop, id, reason, delay);
      };
  co_await writer.run<void>(std::move(job));
}

/// What one ask came to.
struct AskResult {
  std::string problem;      ///< empty: settled
  bool unreachable = false; ///< the platform kept failing: stop this round
};

// Asks for one owed order.
net::awaitable<AskResult> repay_one(api::Client& client, store::Writer& writer,
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
  CheckedDetail checked =
      check_detail(std::move(*detail), id, owed, latest_trusted(settings), settings.shop);
  std::string problem = checked.problem;
  if (checked.order_usable || !checked.batch.rejected.empty()) {
    const auto result = co_await writer.write(std::move(checked.batch));
    if (checked.order_usable && result.stale > 0)
      problem = "the stored row is newer than /order/get's answer";
  }
  co_return AskResult{problem, false};
}

} // namespace

std::chrono::milliseconds owed_backoff(const OwedSettings& settings, int attempts) {
  auto wait = std::max(settings.first_backoff, std::chrono::milliseconds(1000));
  for (int i = 0; i < attempts && wait < settings.max_backoff; ++i)
    wait *= 2;
  return std::min(wait, settings.max_backoff);
}

net::awaitable<OwedTotals> repay_owed(api::Client& client, store::Writer& writer,
                                      const OwedSettings& settings,
                                      const std::atomic<bool>& stopping) {
  OwedTotals totals;
  if (settings.per_cycle <= 0)
    co_return totals;
  std::function<std::vector<store::DueOwed>(store::Store&)> job =
      [shop = settings.shop, n = settings.per_cycle,
       all = settings.ignore_backoff](store::Store& s) { return s.due_owed(shop, n, all); };
  const auto due = co_await writer.run<std::vector<store::DueOwed>>(std::move(job));
  for (const auto& d : due) {
    if (stopping)
      break;
    ++totals.asked;
    const AskResult r = co_await repay_one(client, writer, settings, d);
    if (r.problem.empty()) {
      ++totals.settled;
      continue;
    }
    ++totals.still_owed;
    co_await postpone(writer, settings, d, r.problem);
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

#include "sync/line_fanout.hpp"

#include "model/endpoints.hpp"
#include "sync/answer_check.hpp"

#include "sync/line_batches.hpp"
#include "sync/workers.hpp"

#include "store/batch_check.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <iterator>
#include <unordered_map>

namespace taosync::sync {

namespace {

template <class T> void append(std::vector<T>& to, std::vector<T>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

/// The shared work list of the fan-out workers (all on one executor: no locking needed).
struct FanoutWork {
  api::Platform& client;
  const std::vector<std::vector<std::string>>& calls;
  std::size_t next = 0;
  bool failed = false;
  FetchedLines out;
};

// One worker: takes the next call until none is left or another worker failed.
net::awaitable<void> fanout_worker(FanoutWork& work) {
  while (!work.failed && work.next < work.calls.size()) {
    const auto& ids = work.calls[work.next++];
    try {
      auto page = co_await work.client.get_lines(ids);
      ++work.out.calls;
      if (!page.problem.empty()) {
        // not the list it claims to be: none of its ids counts as answered
        ++work.out.incomplete_answers;
        spdlog::warn("/order/items/get for {} line(s) (first {}): {}; they stay owed", ids.size(),
                     ids.front(), page.problem);
        continue;
      }
      append(work.out.lines, std::move(page.items));
      append(work.out.rejected, std::move(page.rejected));
    } catch (...) {
      work.failed = true; // the others stop taking new calls
      throw;
    }
  }
}

net::awaitable<StoredVersions> stored_versions(store::Database& db, const store::Batch& batch) {
  std::vector<std::string> ids;
  ids.reserve(batch.orders.size());
  for (const auto& o : batch.orders) {
    ids.push_back(o.trade_order_id);
  }
  co_return co_await db.stored_versions(batch.shop, ids);
}

void warn_missing(const LineCollation& c) {
  const auto& first = c.incomplete.front();
  const std::string example = first.missing_line_ids.empty()
                                  ? std::to_string(first.missing) + " line(s)"
                                  : "line " + first.missing_line_ids.front();
  spdlog::warn("{} order(s) with line(s) missing or unusable after a re-ask (e.g. {} of order "
               "{}); their other lines are stored and the rest is owed",
               c.incomplete.size(), example, first.trade_order_id);
}

// Listing records that could not be stored, but name an order: ask for it again later.
void owe_rejected_orders(store::Batch& batch) {
  for (const auto& r : batch.rejected)
    if (r.endpoint == model::kOrdersPath && store::id_problem(r.record_id).empty())
      batch.owed.push_back(store::OwedOrder{r.record_id, {}, std::nullopt, r.reason});
}

} // namespace

net::awaitable<FetchedLines> fetch_lines(api::Platform& client,
                                         const std::vector<std::vector<std::string>>& calls,
                                         std::size_t max_in_flight) {
  FanoutWork work{client, calls, 0, false, {}};
  if (calls.empty()) {
    co_return std::move(work.out);
  }
  const auto workers = std::clamp<std::size_t>(max_in_flight, 1, calls.size());
  // named: GCC 12 co_await (docs/design.md)
  const MakeWorker make = [&work] { return fanout_worker(work); };
  co_await run_workers(workers, make);
  co_return std::move(work.out);
}

net::awaitable<FanoutStats> fill_lines(api::Platform& client, store::Database& db,
                                       store::Batch& batch, const FanoutSettings& settings) {
  FanoutStats stats;
  owe_rejected_orders(batch);
  if (batch.orders.empty()) {
    co_return stats;
  }
  StoredVersions stored;
  if (!settings.refetch_all) {
    stored = co_await stored_versions(db, batch);
  }
  const auto& rules = client.listing_rules();
  const auto by = rules.lines_by;
  const auto batch_size =
      std::min<std::size_t>(settings.items_batch_size,
                            static_cast<std::size_t>(std::max(1, rules.max_ids_per_line_call)));
  const LinePlan plan = plan_line_fetch(batch.orders, stored, batch_size, settings.refetch_all, by);
  FetchedLines got = co_await fetch_lines(client, plan.calls, settings.max_in_flight);
  LineCollation c = collate_lines(batch.orders, plan.orders, got.lines,
                                  latest_believable(settings.future_tolerance), by);
  if (!c.incomplete.empty()) {
    // One more ask for what did not come back (a record can vanish from one answer in churn).
    const auto retry_calls = chunk_ids(c.ids_to_ask_again(by), batch_size);
    auto again = co_await fetch_lines(client, retry_calls, settings.max_in_flight);
    got.calls += again.calls;
    append(got.lines, std::move(again.lines));
    append(got.rejected, std::move(again.rejected));
    c = collate_lines(batch.orders, plan.orders, std::move(got.lines),
                      latest_believable(settings.future_tolerance), by);
    if (!c.incomplete.empty()) {
      warn_missing(c);
    }
  }
  if (by == model::LinesBy::order_id)
    name_counted_lines(batch.orders, c, stored); // before its lines move into the batch
  stats.orders = plan.orders.size();
  stats.missing_lines = c.missing_lines();
  stats.calls = got.calls;
  stats.lines = c.lines.size();
  batch.lines = std::move(c.lines);
  // By line id, incomplete sets too: the stored lines the order still lists are kept. By
  // order id the listing names no lines to keep, so only complete sets replace stored ones.
  batch.lines_for = by == model::LinesBy::line_id ? plan.orders : c.complete;
  batch.settled = std::move(c.complete);
  std::unordered_map<std::string, const model::Order*> by_id;
  for (const auto& o : batch.orders)
    by_id[o.trade_order_id] = &o;
  for (auto& missing : c.incomplete) {
    const auto* order = by_id.at(missing.trade_order_id);
    const auto n = missing.missing;
    batch.owed.push_back(store::OwedOrder{
        missing.trade_order_id, std::move(missing.missing_line_ids), order->modification_time,
        std::to_string(n) + " line(s) missing or unusable in /order/items/get answers"});
  }
  append(batch.rejected, std::move(got.rejected));
  append(batch.rejected, std::move(c.rejected));
  co_return stats;
}

FanoutSettings FanoutSettings::from(const config::Config& cfg, bool refetch_all) {
  return FanoutSettings{static_cast<std::size_t>(std::max(1, cfg.api.items_batch_size)),
                        static_cast<std::size_t>(std::max(1, cfg.api.max_in_flight)), refetch_all,
                        cfg.sync.verify.future_tolerance};
}

} // namespace taosync::sync

#include "sync/line_fanout.hpp"

#include "sync/line_batches.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <iterator>
#include <unordered_map>

namespace taosync::sync {

namespace {

template <class T> void append(std::vector<T>& to, std::vector<T>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

/// The shared work list of the fan-out workers (all on one executor: no locking needed).
struct FanoutWork {
  api::Client& client;
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
      append(work.out.accounted, attribute_anonymous_rejects(ids, page.items, page.rejected));
      append(work.out.lines, std::move(page.items));
      append(work.out.rejected, std::move(page.rejected));
    } catch (...) {
      work.failed = true; // the others stop taking new calls
      throw;
    }
  }
}

using StoredTimes = std::unordered_map<std::string, api::TimePoint>;

net::awaitable<StoredTimes> stored_times(store::Writer& writer, const store::Batch& batch) {
  std::vector<std::string> ids;
  ids.reserve(batch.orders.size());
  for (const auto& o : batch.orders) {
    ids.push_back(o.trade_order_id);
  }
  // An explicit std::function: GCC 12 destroys an implicitly converted temporary passed to a
  // coroutine's by-value parameter twice.
  std::function<StoredTimes(store::Store&)> job = [shop = batch.shop,
                                                   ids = std::move(ids)](store::Store& s) {
    return s.modification_times(shop, ids);
  };
  co_return co_await writer.run<StoredTimes>(std::move(job));
}

void warn_missing(const LineCollation& c) {
  spdlog::warn("{} line(s) of {} order(s) missing from /order/items/get answers (e.g. line {} "
               "of order {}); those orders keep their stored lines",
               c.missing_line_ids.size(), c.incomplete.size(), c.missing_line_ids.front(),
               c.incomplete.front());
}

} // namespace

net::awaitable<FetchedLines> fetch_lines(api::Client& client,
                                         const std::vector<std::vector<std::string>>& calls,
                                         std::size_t max_in_flight) {
  FanoutWork work{client, calls, 0, false, {}};
  if (calls.empty()) {
    co_return std::move(work.out);
  }
  auto ex = co_await net::this_coro::executor;
  using Op = decltype(net::co_spawn(ex, fanout_worker(work), net::deferred));
  std::vector<Op> ops;
  const auto workers = std::clamp<std::size_t>(max_in_flight, 1, calls.size());
  for (std::size_t i = 0; i < workers; ++i) {
    ops.push_back(net::co_spawn(ex, fanout_worker(work), net::deferred));
  }
  auto group = net::experimental::make_parallel_group(std::move(ops));
  auto [order, errors] =
      co_await group.async_wait(net::experimental::wait_for_all(), net::use_awaitable);
  (void)order;
  for (const auto& e : errors) {
    if (e) {
      std::rethrow_exception(e);
    }
  }
  co_return std::move(work.out);
}

net::awaitable<FanoutStats> fill_lines(api::Client& client, store::Writer& writer,
                                       store::Batch& batch, const FanoutSettings& settings) {
  FanoutStats stats;
  if (batch.orders.empty()) {
    co_return stats;
  }
  StoredTimes stored;
  if (!settings.refetch_all) {
    stored = co_await stored_times(writer, batch);
  }
  const LinePlan plan =
      plan_line_fetch(batch.orders, stored, settings.items_batch_size, settings.refetch_all);
  FetchedLines got = co_await fetch_lines(client, plan.calls, settings.max_in_flight);
  LineCollation c =
      collate_lines(batch.orders, plan.orders, got.lines, got.rejected, got.accounted);
  if (!c.missing_line_ids.empty()) {
    // One more ask for what did not come back (a record can vanish from one answer in churn).
    const auto retry_calls = chunk_ids(c.missing_line_ids, settings.items_batch_size);
    auto again = co_await fetch_lines(client, retry_calls, settings.max_in_flight);
    got.calls += again.calls;
    append(got.lines, std::move(again.lines));
    append(got.rejected, std::move(again.rejected));
    append(got.accounted, std::move(again.accounted));
    c = collate_lines(batch.orders, plan.orders, got.lines, got.rejected, got.accounted);
    if (!c.missing_line_ids.empty()) {
      warn_missing(c);
    }
  }
  stats.orders = c.complete.size();
  stats.missing_lines = c.missing_line_ids.size();
  stats.calls = got.calls;
  batch.lines = lines_of(batch.orders, c.complete, std::move(got.lines));
  stats.lines = batch.lines.size();
  batch.lines_for = std::move(c.complete);
  append(batch.rejected, std::move(got.rejected));
  co_return stats;
}

} // namespace taosync::sync

#include "sync/window_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace taosync::sync {

namespace {

// Passes over an overfull millisecond before settling for the union of what was seen.
constexpr int kMaxPasses = 6;

api::OrdersQuery query_for(const Window& w, int page, int page_size) {
  api::OrdersQuery q;
  q.modified_from = w.from;
  q.modified_to = w.to;
  q.page = page;
  q.page_size = page_size;
  return q;
}

struct Pass {
  std::vector<api::Order> orders;
  std::vector<api::RejectedRecord> rejected;
};

// Adds `orders` to `seen`, keeping the newest version of each order.
void keep_newest(std::map<std::string, api::Order>& seen, std::vector<api::Order>&& orders) {
  for (auto& o : orders) {
    auto [it, fresh] = seen.try_emplace(o.trade_order_id, o);
    if (!fresh && it->second.modification_time < o.modification_time) {
      it->second = std::move(o);
    }
  }
}

// Reads every page of `w` once, starting from an already read first page if given.
net::awaitable<Pass> read_pass(api::Client& client, const Window& w, int page_size,
                               api::Page<api::Order> first, WindowRead& read) {
  Pass pass;
  std::int64_t total = first.total_count;
  pass.orders = std::move(first.items);
  pass.rejected = std::move(first.rejected);
  for (int page = 2; static_cast<std::int64_t>(page - 1) * page_size < total; ++page) {
    const auto query = query_for(w, page, page_size); // named: see read_next_window
    auto p = co_await client.list_orders(query);
    ++read.calls;
    total = p.total_count; // the set may change while paging: follow the latest count
    std::move(p.items.begin(), p.items.end(), std::back_inserter(pass.orders));
    std::move(p.rejected.begin(), p.rejected.end(), std::back_inserter(pass.rejected));
  }
  co_return pass;
}

// The fallback for more than a page of orders in one millisecond: page through, and re-read
// until two consecutive passes saw the same orders (ids and modification times). Whatever any
// pass saw is kept (the newest version of each order): a re-read is harmless, a miss is not.
net::awaitable<void> page_through(api::Client& client, const Window& w, int page_size,
                                  api::Page<api::Order> first, WindowRead& read) {
  std::map<std::string, api::Order> seen;
  Pass previous = co_await read_pass(client, w, page_size, std::move(first), read);
  bool agreed = false;
  for (int pass = 2; pass <= kMaxPasses && !agreed; ++pass) {
    const auto query = query_for(w, 1, page_size);
    auto p1 = co_await client.list_orders(query);
    ++read.calls;
    Pass current = co_await read_pass(client, w, page_size, std::move(p1), read);
    agreed = passes_agree(previous.orders, current.orders);
    keep_newest(seen, std::move(previous.orders));
    previous = std::move(current);
  }
  if (!agreed) {
    spdlog::warn("orders modified at {} ms kept changing over {} passes; keeping every order "
                 "seen",
                 w.from.time_since_epoch().count(), kMaxPasses);
  }
  keep_newest(seen, std::move(previous.orders));
  for (auto& [id, o] : seen) {
    read.orders.push_back(std::move(o));
  }
  read.rejected = std::move(previous.rejected);
  read.paged = true;
}

} // namespace

net::awaitable<WindowRead> read_next_window(api::Client& client, WindowPlanner& planner) {
  WindowRead read;
  const int page_size = planner.settings().page_size;
  for (;;) {
    const Window w = planner.next();
    // a named query: GCC 12 mishandles temporaries in a co_await expression
    const auto query = query_for(w, 1, page_size);
    auto page = co_await client.list_orders(query);
    if (read.calls++ == 0) {
      read.first_total = page.total_count;
    }
    const Verdict v = planner.observe(w, page.total_count);
    if (v == Verdict::split) {
      continue;
    }
    read.window = w;
    if (v == Verdict::accept) {
      read.orders = std::move(page.items);
      read.rejected = std::move(page.rejected);
      co_return read;
    }
    spdlog::info("{} orders share modification time {} ms: paging through that millisecond",
                 page.total_count, w.from.time_since_epoch().count());
    co_await page_through(client, w, page_size, std::move(page), read);
    planner.accept(w, static_cast<std::int64_t>(read.orders.size()));
    co_return read;
  }
}

} // namespace taosync::sync

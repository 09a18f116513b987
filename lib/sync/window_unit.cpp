#include "sync/window_unit.hpp"

#include "model/listing_rules.hpp"
#include "model/newest.hpp"
#include "model/time_text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace taosync::sync::detail {

namespace {

// Passes over an overfull unit of time before settling for the union of what was seen.
constexpr int kMaxPasses = 6;

struct Pass {
  std::vector<model::Order> orders;
  std::vector<model::RejectedRecord> rejected;
};

// What the passes over one unit of time saw: the newest version of each order.
struct Seen {
  std::vector<model::Order> orders;
  std::unordered_map<std::string, std::size_t> at;

  void add(std::vector<model::Order>&& pass) {
    for (auto& o : pass) {
      std::string id = o.trade_order_id;
      model::keep_newest(orders, at, std::move(id), std::move(o));
    }
  }
};

// Reads every page of the one-unit window `w` once, from a verified first page.
net::awaitable<std::optional<Pass>> read_pass(Attempt& a, const Window& w,
                                              model::Page<model::Order> first) {
  Pass pass;
  std::int64_t total = first.total_count;
  pass.orders = std::move(first.items);
  pass.rejected = std::move(first.rejected);
  for (int page = 2; static_cast<std::int64_t>(page - 1) * a.page_size < total; ++page) {
    auto p = co_await a.ask(w, page);
    if (!p || !a.verify(*p, w, page))
      co_return std::nullopt;
    total = p->total_count; // the set may change while paging: follow the latest count
    std::move(p->items.begin(), p->items.end(), std::back_inserter(pass.orders));
    std::move(p->rejected.begin(), p->rejected.end(), std::back_inserter(pass.rejected));
  }
  co_return pass;
}

} // namespace

// The fallback for more than a page of orders in one unit of time: page through, and re-read
// until two consecutive passes saw the same orders (ids and modification times). Whatever any
// pass saw is kept (the newest version of each order): a re-read is harmless, a miss is not.
// Returns false when an answer did not add up (a.problem says why).
net::awaitable<bool> page_through(Attempt& a, const Window& w, model::Page<model::Order> first,
                                  const model::Stop& stop) {
  Seen seen;
  auto previous = co_await read_pass(a, w, std::move(first));
  if (!previous)
    co_return false;
  bool agreed = false;
  for (int pass = 2; pass <= kMaxPasses && !agreed; ++pass) {
    co_await stop.wait(a.limits.pass_pause * (pass - 1), a.limits.on_wait); // never a burst
    auto p1 = co_await a.ask(w, 1);
    if (!p1 || !a.verify(*p1, w, 1))
      co_return false;
    auto current = co_await read_pass(a, w, std::move(*p1));
    if (!current)
      co_return false;
    agreed = passes_agree(previous->orders, current->orders);
    seen.add(std::move(previous->orders));
    previous = std::move(current);
  }
  if (!agreed) {
    spdlog::warn("orders modified at {} kept changing over {} passes; keeping every order seen",
                 model::format_time(w.from), kMaxPasses);
  }
  seen.add(std::move(previous->orders));
  a.read.orders = std::move(seen.orders);
  a.read.rejected = std::move(previous->rejected);
  a.read.paged = true;
  co_return true;
}

// Why the single time unit whose first page is `first` cannot be paged through, or nullopt:
// more pages than one unit may take, or more than the listing's offset cap lets any page reach.
std::optional<std::string> beyond_paging(const model::Page<model::Order>& first, const Attempt& a) {
  const auto& rules = a.client.listing_rules();
  const int pages = rules.reachable_pages(a.page_size, a.limits.max_ms_pages);
  if (first.total_count <= static_cast<std::int64_t>(pages) * a.page_size)
    return std::nullopt;
  if (pages < a.limits.max_ms_pages)
    return "total_count " + std::to_string(first.total_count) +
           " for one unit of modification time is beyond the listing's offset cap (" +
           std::to_string(rules.offset_cap) + " orders)";
  return "total_count " + std::to_string(first.total_count) +
         " for one unit of modification time is beyond " + std::to_string(pages) + " pages";
}

// More orders share the one unit of modification time `w` than the offset cap lets a page
// reach (`total` by its first answer): reads it in slices of creation time that each fit,
// halving a slice that does not, each slice paged until two passes agree. Creation times never
// change, so an order is in exactly one slice; orders only leave a unit of the past (a change
// moves them to now), so the slices' union is the unit whole. Returns false when an answer did
// not add up, or a single unit of creation time still holds too many (a.problem says why).
net::awaitable<bool> read_by_creation(Attempt& a, const Window& w, std::int64_t total,
                                      const model::Stop& stop) {
  const auto& rules = a.client.listing_rules();
  const Millis unit = std::max(rules.resolution, Millis(1));
  const auto fits =
      static_cast<std::int64_t>(rules.reachable_pages(a.page_size, a.limits.max_ms_pages)) *
      a.page_size;
  // Every page twice (two passes agree), and a few calls for each halving.
  a.extra_calls = static_cast<int>(
      std::min<std::int64_t>(100000, 3 * ((total + a.page_size - 1) / a.page_size) + 64));
  Seen all;
  std::vector<model::RejectedRecord> rejected;
  std::vector<Window> slices{Window{TimePoint{}, w.to}}; // nothing is created after it changes
  std::int64_t found = 0;
  while (!slices.empty()) {
    a.created = slices.back();
    slices.pop_back();
    auto first = co_await a.ask(w, 1);
    if (!first)
      co_return false;
    if (!first->problem.empty()) {
      a.problem = first->problem;
      co_return false;
    }
    if (first->total_count == 0)
      continue;
    if (first->total_count > fits) {
      const Window c = *a.created;
      if (c.length() <= unit) {
        a.problem = std::to_string(first->total_count) + " orders modified at " +
                    model::format_time(w.from) + " were all created at " +
                    model::format_time(c.from) + ": beyond the listing's offset cap (" +
                    std::to_string(rules.offset_cap) + " orders) however it is cut";
        co_return false;
      }
      const TimePoint mid = model::unit_end_by(c.from + (c.to - c.from) / 2, unit);
      slices.push_back(Window{mid + Millis(1), c.to}); // the earlier half is read first
      slices.push_back(Window{c.from, mid});
      continue;
    }
    if (!a.verify(*first, w, 1))
      co_return false;
    found += first->total_count;
    if (!co_await page_through(a, w, std::move(*first), stop))
      co_return false;
    all.add(std::move(a.read.orders));
    std::move(a.read.rejected.begin(), a.read.rejected.end(), std::back_inserter(rejected));
  }
  a.created.reset();
  if (found > total) {
    a.problem = "the creation-time slices of " + model::format_time(w.from) + " hold " +
                std::to_string(found) + " orders, more than the " + std::to_string(total) +
                " its total_count said";
    co_return false;
  }
  a.read.orders = std::move(all.orders);
  a.read.rejected = std::move(rejected);
  a.read.paged = true;
  co_return true;
}

} // namespace taosync::sync::detail

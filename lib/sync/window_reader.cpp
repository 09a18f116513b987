#include "sync/window_reader.hpp"

#include "model/backoff.hpp"
#include "model/endpoints.hpp"
#include "obs/log_throttle.hpp"
#include "sync/cycle_summary.hpp"
#include "sync/window_unit.hpp"
#include "sync/workers.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace taosync::sync {

using detail::Attempt;

namespace {

using Clock = std::chrono::system_clock;

// Re-reads and held windows can repeat every cycle on a platform that keeps lying: one line
// per kind a minute, with a count of the rest.
obs::LogThrottle& window_log() {
  static obs::LogThrottle throttle{std::chrono::minutes(1)};
  return throttle;
}

model::OrdersQuery query_for(const Window& w, int page, int page_size,
                             const std::optional<Window>& created) {
  model::OrdersQuery q;
  q.modified_from = w.from;
  q.modified_to = w.to;
  q.page = page;
  q.page_size = page_size;
  if (created) {
    q.created_from = created->from;
    q.created_to = created->to;
  }
  return q;
}

/// How reading the pages after a window's first one ended.
enum class Paging {
  read,    ///< every page, as one set: the window is read
  changed, ///< the orders changed while paging: nothing of it can be kept
  failed,  ///< an answer did not add up (a.problem says why)
};

// The pages of a window read as one set: each page is checked against the first and kept as
// it arrives, from a few workers at once.
struct PageSlots {
  PageSlots(Attempt& attempt, const Window& window, std::int64_t first_total)
      : a(attempt), w(window), total(first_total),
        last(static_cast<int>((first_total + attempt.page_size - 1) / attempt.page_size)) {}

  Attempt& a;
  const Window& w;
  std::int64_t total; ///< the first page's total_count
  int last = 1;       ///< the window's last page
  int next = 2;       ///< the next page to ask
  bool out_of_budget = false;
  std::optional<Paging> ended; ///< set once a page did not add up
  std::unordered_set<std::string> ids;
  std::vector<model::Order> orders; ///< kept orders not handed to a.early
  std::vector<model::RejectedRecord> rejected;
  std::vector<SeenOrder> seen; ///< every order kept, for the planner if the window is split
};

// Checks page `page` against the set so far (the first page's total_count, no order twice)
// and keeps it: its orders go to a.early if given. The orders of a window in the past can
// only leave it (a change moves an order's modification_time to now), and an order that leaves
// shifts the pages after it, so a different count or an order seen twice means one may have
// been skipped: the window is then not read (ended says why), and nothing of it moves a cursor.
net::awaitable<void> take_page(PageSlots& s, model::Page<model::Order>& p, int page) {
  if (page > 1) { // the first page was verified by the caller
    if (p.problem.empty() && p.total_count != s.total) {
      s.ended = Paging::changed;
      co_return;
    }
    if (!s.a.verify(p, s.w, page)) {
      s.ended = Paging::failed;
      co_return;
    }
  }
  for (const auto& o : p.items) {
    if (!s.ids.insert(o.trade_order_id).second) {
      s.ended = Paging::changed;
      co_return;
    }
  }
  auto seen = seen_orders(p.items);
  s.seen.insert(s.seen.end(), seen.begin(), seen.end());
  std::move(p.rejected.begin(), p.rejected.end(), std::back_inserter(s.rejected));
  if (s.a.early && !p.items.empty()) {
    s.a.read.early += p.items.size();
    auto handed = (*s.a.early)(std::move(p.items)); // named: GCC 12 co_await (docs/design.md)
    co_await std::move(handed);
  } else {
    std::move(p.items.begin(), p.items.end(), std::back_inserter(s.orders));
  }
}

// One worker: asks the next page and keeps it, until none is left, one did not add up, or the
// attempt's budget ran out.
net::awaitable<void> page_worker(PageSlots& s) {
  while (!s.ended && !s.out_of_budget && s.next <= s.last) {
    const int page = s.next++;
    auto p = co_await s.a.ask(s.w, page);
    if (!p) {
      s.out_of_budget = true; // a.problem says so
      co_return;
    }
    if (!s.ended)
      co_await take_page(s, *p, page);
  }
}

// Reads pages 2.. of `w` after its verified first page, at most limits.pages_in_flight at
// once, and keeps them only as one set (take_page). Throws the first ApiFailure once every
// worker has finished.
net::awaitable<Paging> read_rest(PageSlots& s, model::Page<model::Order>& first) {
  co_await take_page(s, first, 1);
  if (s.ended)
    co_return *s.ended;
  const int workers = std::clamp(s.a.limits.pages_in_flight, 1, std::max(1, s.last - 1));
  // named: GCC 12 co_await (docs/design.md)
  const MakeWorker make = [&s] { return page_worker(s); };
  co_await run_workers(static_cast<std::size_t>(workers), make);
  if (s.ended)
    co_return *s.ended;
  co_return s.out_of_budget ? Paging::failed : Paging::read;
}

// One attempt: splits until a window fits its capacity, then verifies what it keeps. Returns
// true when the window was read; false with a.problem set when an answer did not add up.
net::awaitable<bool> attempt_window(Attempt& a, WindowPlanner& planner, const model::Stop& stop) {
  std::optional<Window> last;
  for (;;) {
    const Window w = planner.next();
    a.read.window = w;
    if (last && *last == w) {
      a.problem = "the same window was planned twice (total_count contradicts itself)";
      co_return false;
    }
    last = w;
    auto page = co_await a.ask(w, 1);
    if (!page)
      co_return false;
    if (a.read.calls == 1)
      a.read.first_total = page->total_count;
    spdlog::debug("window [{} .. {}] ({} ms): total_count {}", model::format_time(w.from),
                  model::format_time(w.to), w.length().count(), page->total_count);
    if (!page->problem.empty()) {
      a.problem = page->problem;
      co_return false;
    }
    if (page->total_count <= a.page_size) {
      if (!a.verify(*page, w, 1))
        co_return false;
      planner.observe(w, page->total_count); // accepts: the planner moves past w
      a.read.orders = std::move(page->items);
      a.read.rejected = std::move(page->rejected);
      co_return true;
    }
    const Millis unit = planner.settings().resolution;
    if (page->total_count <= planner.capacity() && w.length() > unit) {
      // more than a page, within what a window may span: its pages as one set
      if (!a.verify(*page, w, 1))
        co_return false;
      const std::int64_t total = page->total_count;
      PageSlots slots(a, w, total);
      const Paging paging = co_await read_rest(slots, *page);
      if (paging == Paging::failed)
        co_return false;
      if (paging == Paging::read) {
        planner.observe(w, total); // accepts
        a.read.orders = std::move(slots.orders);
        a.read.rejected = std::move(slots.rejected);
        co_return true;
      }
      window_log().log(spdlog::level::info, "narrow",
                       fmt::format("window [{} .. {}]: the orders changed while paging its {} "
                                   "orders; one page per window for the rest of this sweep",
                                   model::format_time(w.from), model::format_time(w.to), total));
      planner.narrow();
      planner.observe(w, total, slots.seen); // splits: more than the one page it may now hold
      continue;
    }
    if (w.length() > unit) {
      // splits: the next window is shorter, cut where the orders this answer showed say it fits
      const auto seen = seen_orders(page->items);
      planner.observe(w, page->total_count, seen);
      continue;
    }
    if (auto why = beyond_paging(*page, a)) {
      if (!a.client.listing_rules().creation_filter) {
        a.problem = std::move(why);
        co_return false;
      }
      spdlog::info("{} orders share modification time {} (one listing unit), more than the "
                   "offset cap lets a page reach: reading it in slices of creation time",
                   page->total_count, model::format_time(w.from));
      if (!co_await read_by_creation(a, w, page->total_count, stop))
        co_return false;
      planner.accept(w, static_cast<std::int64_t>(a.read.orders.size()));
      co_return true;
    }
    if (!a.verify(*page, w, 1))
      co_return false;
    spdlog::info("{} orders share modification time {}{}: paging through it", page->total_count,
                 model::format_time(w.from), unit > Millis(1) ? " (one listing unit)" : "");
    if (!co_await page_through(a, w, std::move(*page), stop))
      co_return false;
    planner.accept(w, static_cast<std::int64_t>(a.read.orders.size()));
    co_return true;
  }
}

} // namespace

namespace detail {

net::awaitable<std::optional<model::Page<model::Order>>> Attempt::ask(const Window& w, int page) {
  if (calls >= limits.max_calls + extra_calls) {
    problem = "no consistent answer within " + std::to_string(limits.max_calls + extra_calls) +
              " calls (total_count never settled)";
    co_return std::nullopt;
  }
  ++calls;
  ++read.calls;
  // named: GCC 12 co_await (docs/design.md)
  const auto query = query_for(w, page, page_size, created);
  co_return co_await client.list_orders(query);
}

bool Attempt::verify(model::Page<model::Order>& p, const Window& w, int page) {
  if (auto why = listing_problem(p, page, page_size)) {
    problem = std::move(why);
    return false;
  }
  reject_untrusted_orders(p.items, p.rejected,
                          TimeBounds{w, latest_believable(limits.future_tolerance)},
                          model::kOrdersPath);
  return true;
}

} // namespace detail

net::awaitable<WindowRead> read_next_window(api::Platform& client, WindowPlanner& planner,
                                            const ReadLimits& limits, const model::Stop& stop,
                                            const EarlyOrders* early) {
  WindowRead read;
  const int page_size = planner.settings().page_size;
  model::Backoff backoff({.initial = limits.backoff}); // doubling; limits.rereads ends it
  for (int attempt = 0;; ++attempt) {
    Attempt a{client, limits, page_size, read, early, 0, 0, std::nullopt, std::nullopt};
    read.orders.clear();
    read.rejected.clear();
    read.paged = false;
    if (co_await attempt_window(a, planner, stop))
      co_return read;
    const auto& w = read.window;
    if (attempt >= limits.rereads || stop.requested()) {
      read.held = *a.problem;
      window_log().log(spdlog::level::warn, "held",
                       fmt::format("window [{} .. {}] held after {} re-read(s): {}; the cursor "
                                   "stays before it",
                                   model::format_time(w.from), model::format_time(w.to), attempt,
                                   read.held));
      co_return read;
    }
    const auto wait = backoff.next();
    window_log().log(spdlog::level::warn, "reread",
                     fmt::format("window [{} .. {}]: {}; re-reading in {}ms ({} of {})",
                                 model::format_time(w.from), model::format_time(w.to), *a.problem,
                                 wait.count(), attempt + 1, limits.rereads));
    ++read.rereads;
    co_await stop.wait(wait, limits.on_wait);
  }
}

ReadLimits ReadLimits::from(const config::SyncConfig::Verify& verify) {
  ReadLimits limits; // the rest keeps its defaults; on_wait is the engine's to set
  limits.rereads = verify.rereads;
  limits.backoff = verify.backoff;
  limits.future_tolerance = verify.future_tolerance;
  return limits;
}

} // namespace taosync::sync

// read_next_window against an in-process taosync-sim through the real api::Client: windows
// split until their answer fits a page (or the pages a window may span, read as one set), a
// crowded millisecond is paged until two passes agree, and answers that do not add up are
// re-read and then held, never taken as read.

#include "sim_fixture.hpp"
#include "sync/window_reader.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <map>

using namespace taosync;
using namespace taosync::sync;
using namespace taosync::sync::test;

namespace {

// Re-reads and passes without the production waits: these tests count attempts, not time.
ReadLimits quick_limits() {
  ReadLimits limits = ReadLimits::from(config::Config{}.sync.verify);
  limits.rereads = 2;
  limits.backoff = 1ms;
  limits.pass_pause = 1ms;
  return limits;
}

// The orders handed to EarlyOrders, a vector per call, with the window being read then.
struct EarlyPages {
  std::vector<std::vector<model::Order>> pages;
  std::vector<std::size_t> read_index; ///< the read each page came during
};

// Reads `range` window by window until it is covered or a window is held (the last read).
// With `early`, the reader hands on the orders of verified pages there.
std::vector<WindowRead> read_range(const config::ApiConfig& cfg, Window range, int page_size,
                                   const ReadLimits& limits, bool stop = false, int max_pages = 1,
                                   EarlyPages* early = nullptr) {
  const std::function<net::awaitable<std::vector<WindowRead>>(api::Client&)> body =
      [&](api::Client& client) -> net::awaitable<std::vector<WindowRead>> {
    std::vector<WindowRead> reads;
    const EarlyOrders take = [&](std::vector<model::Order> orders) -> net::awaitable<void> {
      early->pages.push_back(std::move(orders));
      early->read_index.push_back(reads.size());
      co_return;
    };
    // The whole range may be one window, so that the first answer overflows and splits.
    WindowPlanner planner(PlannerSettings{page_size, max_pages, 0.8, range.length()});
    planner.start(range.from, range.to);
    model::Stop stop_signal(co_await net::this_coro::executor);
    if (stop)
      stop_signal.request();
    while (!planner.done()) {
      auto read =
          co_await read_next_window(client, planner, limits, stop_signal, early ? &take : nullptr);
      const bool held = !read.held.empty();
      if (held) {
        // the planner has not moved past a held window
        CHECK(planner.position() == read.window.from);
      }
      reads.push_back(std::move(read));
      if (held)
        break;
    }
    co_return reads;
  };
  return with_client(cfg, body);
}

std::size_t orders_in(const std::vector<WindowRead>& reads) {
  std::size_t n = 0;
  for (const auto& r : reads)
    n += r.orders.size();
  return n;
}

std::set<std::string> ids_in(const std::vector<WindowRead>& reads) {
  std::set<std::string> ids;
  for (const auto& r : reads)
    for (const auto& o : r.orders)
      ids.insert(o.trade_order_id);
  return ids;
}

// Every kept order lies inside the window it was read in.
void check_inside_windows(const std::vector<WindowRead>& reads) {
  for (const auto& r : reads)
    for (const auto& o : r.orders) {
      CAPTURE(o.trade_order_id);
      CHECK(o.modification_time >= r.window.from);
      CHECK(o.modification_time <= r.window.to);
    }
}

} // namespace

TEST_CASE("windows split until each answer fits a page, and together read every order once") {
  sim::testkit::SimHarness sim(shop_of(1000));
  const auto range = whole_history();
  const auto reads = read_range(client_config(sim.port()), range, 100, quick_limits());

  REQUIRE_FALSE(reads.empty());
  CHECK(reads.front().first_total == 1000); // the first window asked was the whole range
  CHECK(reads.front().calls > 1);           // ... and it was split
  CHECK(reads.front().window.from == range.from);
  CHECK(reads.back().window.to == range.to);
  for (std::size_t i = 0; i < reads.size(); ++i) {
    CAPTURE(i);
    CHECK(reads[i].held.empty());
    CHECK_FALSE(reads[i].paged);
    CHECK(reads[i].orders.size() <= 100);
    CHECK(reads[i].rereads == 0);
    if (i > 0) {
      CHECK(reads[i].window.from == reads[i - 1].window.to + 1ms); // no gap, no overlap
    }
  }
  check_inside_windows(reads);
  CHECK(orders_in(reads) == 1000);
  CHECK(ids_in(reads).size() == 1000);
}

TEST_CASE("a window of several pages is read whole, as one set of distinct orders") {
  sim::testkit::SimHarness sim(shop_of(1000));
  const auto range = whole_history();
  const auto reads =
      read_range(client_config(sim.port()), range, 100, quick_limits(), false, /*max_pages=*/20);

  REQUIRE(reads.size() == 1); // 1,000 orders fit the 2,000 a window may span
  CHECK(reads[0].held.empty());
  CHECK(reads[0].window == range);
  CHECK(reads[0].calls == 10); // its ten pages, nothing more
  CHECK(reads[0].orders.size() == 1000);
  CHECK(ids_in(reads).size() == 1000);
  check_inside_windows(reads);
}

TEST_CASE("with EarlyOrders, a window of several pages hands on each page's orders as it is "
          "verified, and the read keeps only the rest") {
  sim::testkit::SimHarness sim(shop_of(1000));
  const auto range = whole_history();
  EarlyPages early;
  const auto reads = read_range(client_config(sim.port()), range, 100, quick_limits(), false,
                                /*max_pages=*/20, &early);

  REQUIRE(reads.size() == 1);
  CHECK(reads[0].held.empty());
  CHECK(reads[0].calls == 10);
  CHECK(reads[0].orders.empty()); // all of it went early
  CHECK(reads[0].early == 1000);
  CHECK(early.pages.size() == 10); // a page at a time
  std::set<std::string> ids;
  for (const auto& page : early.pages) {
    CHECK(page.size() == 100);
    for (const auto& o : page) {
      CHECK(o.modification_time >= range.from);
      CHECK(o.modification_time <= range.to);
      ids.insert(o.trade_order_id);
    }
  }
  CHECK(ids.size() == 1000);
}

TEST_CASE("with EarlyOrders and a platform that lies now and then, every order is handed on, "
          "early or with its window, and every window is still read whole") {
  // Rare enough that no window is held (each attempt asks up to five pages), frequent enough
  // that some attempts fail after handing pages on.
  sim::testkit::SimHarness sim(
      lying_shop(1000, {{sim::Lie::short_page, 0.05}, {sim::Lie::count_mismatch, 0.05}}));
  auto limits = quick_limits();
  limits.rereads = 12;
  EarlyPages early;
  const auto reads = read_range(client_config(sim.port()), whole_history(), 100, limits, false,
                                /*max_pages=*/5, &early);

  for (const auto& r : reads)
    CHECK(r.held.empty());
  auto ids = ids_in(reads);
  for (std::size_t i = 0; i < early.pages.size(); ++i)
    for (const auto& o : early.pages[i]) {
      // not before the window being read (which may have split since), nor after the range; a
      // re-read hands it on again, which is harmless
      CHECK(o.modification_time >= reads.at(early.read_index[i]).window.from);
      CHECK(o.modification_time <= reads.back().window.to);
      ids.insert(o.trade_order_id);
    }
  CHECK(ids.size() == 1000);
}

TEST_CASE("orders that change while a window is paged: its pages are dropped, the sweep reads "
          "one page per window, and no order that stayed is missed") {
  auto options = shop_of(1000);
  // Every listing request moves two orders' modification_time to now (out of the range),
  // shifting the pages after them: paging through the window would skip orders.
  options.live.churn_per_page = 2;
  sim::testkit::SimHarness sim(options);
  const auto range = whole_history();
  const auto reads =
      read_range(client_config(sim.port()), range, 100, quick_limits(), false, /*max_pages=*/20);

  for (const auto& r : reads) {
    CHECK(r.held.empty());
    CHECK(r.orders.size() <= 100); // after the change, one page per window
  }
  check_inside_windows(reads);
  const auto read = ids_in(reads);
  // what is still in the range was there all along, and each of those was read
  for (const auto& id : truth_modified_within(sim.port(), range)) {
    CAPTURE(id);
    CHECK(read.count(id) == 1);
  }
}

TEST_CASE("more than a page in one millisecond is paged through and each of its orders kept once") {
  sim::testkit::SimHarness sim(shop_of(300));
  const auto before =
      std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  sim::testkit::HttpClient admin(sim.port());
  // 120 changes in one millisecond; an order may be hit twice
  REQUIRE(admin.post("/_sim/mutate?n=120", "").status == 200);
  const Window range{before - 1s, before + 10s};

  const auto reads = read_range(client_config(sim.port()), range, 20, quick_limits());

  int paged = 0;
  for (const auto& r : reads) {
    CHECK(r.held.empty());
    if (r.paged) {
      ++paged;
      CHECK(r.window.length() == 1ms);
      CHECK(r.orders.size() > 2 * 20); // three pages or more
      CHECK(ids_of(r.orders) == truth_modified_at(sim.port(), r.window.from));
      CHECK(ids_of(r.orders).size() == r.orders.size());
    } else {
      CHECK(r.orders.empty()); // nothing else changed in the range
    }
  }
  CHECK(paged == 1);
  check_inside_windows(reads);
}

TEST_CASE("a listing that never adds up is re-read with backoff, then its window is held") {
  for (const std::string kind :
       {"short_page", "count_mismatch", "no_list", "success_false", "unstable_count"}) {
    CAPTURE(kind);
    auto options = shop_of(300);
    options.live.lies[*sim::lie_from_name(kind)] = 1;
    sim::testkit::SimHarness sim(options);
    const auto limits = quick_limits();

    const auto reads = read_range(client_config(sim.port()), whole_history(), 100, limits);

    REQUIRE_FALSE(reads.empty());
    const auto& held = reads.back();
    CHECK_FALSE(held.held.empty());
    CHECK(held.rereads == static_cast<std::uint64_t>(limits.rereads));
    CHECK(held.orders.empty());
    CHECK(lies_told(sim.port(), kind) > 0);
  }
}

TEST_CASE("a stop while an answer does not add up holds the window without re-reading") {
  auto options = shop_of(300);
  options.live.lies[sim::Lie::short_page] = 1;
  sim::testkit::SimHarness sim(options);

  const auto reads =
      read_range(client_config(sim.port()), whole_history(), 100, quick_limits(), true);

  REQUIRE_FALSE(reads.empty());
  CHECK_FALSE(reads.back().held.empty());
  CHECK(reads.back().rereads == 0);
}

TEST_CASE("a lie told now and then costs re-reads, and every window is still read whole") {
  sim::testkit::SimHarness sim(
      lying_shop(1000, {{sim::Lie::short_page, 0.3}, {sim::Lie::count_mismatch, 0.2}}));
  auto limits = quick_limits();
  limits.rereads = 8;

  const auto reads = read_range(client_config(sim.port()), whole_history(), 100, limits);

  std::uint64_t rereads = 0;
  for (const auto& r : reads) {
    CHECK(r.held.empty());
    rereads += r.rereads;
  }
  CHECK(rereads > 0);
  check_inside_windows(reads);
  CHECK(orders_in(reads) == 1000);
  CHECK(ids_in(reads).size() == 1000);
}

TEST_CASE("records with a poisoned modification time are rejected, and the rest of the window "
          "is kept") {
  sim::testkit::SimHarness sim(
      lying_shop(1000, {{sim::Lie::future_time, 0.5}, {sim::Lie::outside_window, 0.5}}));

  const auto reads = read_range(client_config(sim.port()), whole_history(), 100, quick_limits());

  std::set<std::string> rejected;
  for (const auto& r : reads) {
    CHECK(r.held.empty());
    for (const auto& rec : r.rejected) {
      CHECK(rec.endpoint == "/orders/get");
      CHECK(rec.reason.find("modification_time") != std::string::npos);
      rejected.insert(rec.record_id);
    }
  }
  check_inside_windows(reads);
  CHECK_FALSE(rejected.empty());
  const auto kept = ids_in(reads);
  for (const auto& id : rejected)
    CHECK_FALSE(kept.contains(id)); // a poisoned record is never kept as well
  CHECK(kept.size() + rejected.size() == 1000);
}

// run_sweep, the list -> lines -> write pipeline, against an in-process taosync-sim through the
// real api::Client and a real store::Database on a throwaway PostgreSQL: batches commit in
// order with the cursor of the last window they hold, a stop ends it at a batch boundary, and
// a failure in a stage or a held window leaves the database at the last commit.

#include "sim_fixture.hpp"
#include "store/database.hpp"
#include "store/pq.hpp"
#include "store/shop_report.hpp"
#include "store/state_rows.hpp"
#include "sync/sweep.hpp"

#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <exception>

using namespace taosync;
using namespace taosync::sync;
using namespace taosync::sync::test;

namespace {

constexpr const char* kSweepShop = "shop-sweep";
constexpr std::size_t kBatchOrders = 150;

/// What a sweep did, as the caller saw it.
struct SweepRun {
  SweepTotals totals;
  std::vector<CommittedBatch> committed;
  std::exception_ptr failure; ///< what run_sweep threw, if anything
};

/// Called after each commit, on the sweep's executor; may request a stop.
using AfterCommit = std::function<void(const CommittedBatch&, model::Stop& stop)>;

SweepOptions sweep_options() {
  // The configured defaults (a default-initialized SweepOptions leaves its fan-out unset).
  SweepOptions options = SweepOptions::from(config::Config{}, false);
  options.shop = kSweepShop;
  options.batch_orders = kBatchOrders;
  options.read_limits.rereads = 1;
  options.read_limits.backoff = 1ms;
  options.read_limits.pass_pause = 1ms;
  return options;
}

// Sweeps `range` with a fresh planner; each window's cursor is its end.
SweepRun sweep(const config::ApiConfig& cfg, store::Database& database, Window range,
               const AfterCommit& after_commit = {}, int max_pages = 1, int rereads = 1) {
  SweepRun run;
  SweepOptions options = sweep_options();
  options.read_limits.rereads = rereads;
  const std::function<net::awaitable<bool>(api::Client&)> body =
      [&](api::Client& client) -> net::awaitable<bool> {
    WindowPlanner planner(PlannerSettings{100, max_pages, 0.8, range.length()});
    model::Stop stop(co_await net::this_coro::executor);
    // Named std::functions: GCC 12 co_await (docs/design.md).
    CursorFor cursor_for = [](TimePoint end, bool) {
      store::SyncState s;
      s.shop = kSweepShop;
      s.hwm = end;
      return std::optional<store::SyncState>(s);
    };
    OnCommit on_commit = [&](const CommittedBatch& b) {
      run.committed.push_back(b);
      if (after_commit)
        after_commit(b, stop);
    };
    try {
      run.totals = co_await run_sweep(client, database, planner, range, options,
                                      std::move(cursor_for), std::move(on_commit), stop);
    } catch (...) {
      run.failure = std::current_exception();
    }
    co_return true;
  };
  with_client(cfg, body);
  return run;
}

// The hwm of the last committed batch that carried a cursor.
std::optional<TimePoint> last_cursor(const std::vector<CommittedBatch>& committed) {
  std::optional<TimePoint> hwm;
  for (const auto& b : committed)
    if (b.cursor)
      hwm = b.cursor->hwm;
  return hwm;
}

std::uint64_t orders_committed(const std::vector<CommittedBatch>& committed) {
  std::uint64_t n = 0;
  for (const auto& b : committed)
    n += b.orders;
  return n;
}

// The shop's 1,000 orders and all their lines are stored, and the cursor is at the range's end.
void check_all_stored(const std::string& url, const sim::testkit::SimHarness& sim, Window range) {
  store::Store db(url);
  const auto counts =
      db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); });
  CHECK(counts.orders == 1000);
  CHECK(counts.lines == sim_stats(sim.port()).at("lines").to_number<std::int64_t>());
  CHECK(db.read("load_state", [&](auto& t) { return store::select_state(t, kSweepShop); }).hwm ==
        range.to);
}

std::size_t batches_with_orders(const std::vector<CommittedBatch>& committed) {
  return static_cast<std::size_t>(std::count_if(
      committed.begin(), committed.end(), [](const CommittedBatch& b) { return b.orders > 0; }));
}

void query(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  tx.exec(sql);
  tx.commit();
}

std::string what(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  }
}

} // namespace

TEST_CASE("a sweep commits every order once, in batches that carry the cursor of the last "
          "window they hold") {
  sim::testkit::SimHarness sim(shop_of(1000));
  const auto url = migrated_database();
  store::Database database(url, 100ms);
  const auto range = whole_history();

  const auto run = sweep(client_config(sim.port()), database, range);

  REQUIRE_FALSE(run.failure);
  CHECK(run.totals.complete);
  CHECK_FALSE(run.totals.held);
  CHECK(run.totals.listed == 1000);
  CHECK(run.totals.written.inserted == 1000);
  CHECK(run.totals.batches == run.committed.size());
  CHECK(run.committed.size() >= (1000 + kBatchOrders - 1) / kBatchOrders);
  std::optional<TimePoint> previous;
  for (const auto& b : run.committed) {
    CHECK(b.orders <= kBatchOrders);
    if (b.cursor) {
      if (previous) {
        CHECK(*b.cursor->hwm > *previous); // batches commit in order
      }
      previous = b.cursor->hwm;
    }
  }
  REQUIRE(run.committed.back().cursor);
  CHECK(run.committed.back().cursor->hwm == range.to);

  check_all_stored(url, sim, range);
}

TEST_CASE("with twenty-page windows whose orders go on page by page, and a platform that lies "
          "now and then, the sweep stores every order and ends at the range's end") {
  // Rare enough that no window is held (an attempt asks up to ten pages), frequent enough that
  // some attempts fail after handing pages on.
  sim::testkit::SimHarness sim(
      lying_shop(1000, {{sim::Lie::short_page, 0.03}, {sim::Lie::count_mismatch, 0.03}}));
  const auto url = migrated_database();
  store::Database database(url, 100ms);
  const auto range = whole_history();

  const auto run =
      sweep(client_config(sim.port()), database, range, {}, /*max_pages=*/20, /*rereads=*/12);

  REQUIRE_FALSE(run.failure);
  CHECK(run.totals.complete);
  CHECK(run.totals.listed >= 1000); // a window re-read hands its orders on again
  check_all_stored(url, sim, range);
}

TEST_CASE("a stop ends the sweep at a batch boundary, and a new sweep from its cursor finishes "
          "the range") {
  sim::testkit::SimHarness sim(shop_of(1000));
  const auto url = migrated_database();
  store::Database database(url, 100ms);
  const auto range = whole_history();
  const auto cfg = client_config(sim.port());

  const auto first = sweep(cfg, database, range, [](const CommittedBatch&, auto& stop) {
    stop.request(); // a SIGTERM after the first commit
  });

  REQUIRE_FALSE(first.failure);
  CHECK_FALSE(first.totals.complete);
  // The write in flight beside the first finishes whole, and the cursor they earned commits;
  // batches only fetched are not written.
  REQUIRE(batches_with_orders(first.committed) >= 1);
  REQUIRE(batches_with_orders(first.committed) <= 2);
  store::Store db(url);
  CHECK(db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); }).orders ==
        static_cast<std::int64_t>(orders_committed(first.committed)));
  const auto hwm =
      db.read("load_state", [&](auto& t) { return store::select_state(t, kSweepShop); }).hwm;
  REQUIRE(hwm);
  CHECK(hwm == last_cursor(first.committed));

  const auto rest = sweep(cfg, database, Window{*hwm + 1ms, range.to});

  REQUIRE_FALSE(rest.failure);
  CHECK(rest.totals.complete);
  CHECK(db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); }).orders ==
        1000);
  CHECK(db.read("load_state", [&](auto& t) { return store::select_state(t, kSweepShop); }).hwm ==
        range.to);
}

TEST_CASE("an API failure mid-sweep is thrown, and the database keeps what was committed with "
          "its cursor") {
  auto options = shop_of(1000);
  options.stall = 50ms; // a stall fault closes the connection soon
  sim::testkit::SimHarness sim(options);
  const auto url = migrated_database();
  store::Database database(url, 100ms);

  const auto run = sweep(client_config(sim.port()), database, whole_history(),
                         [&](const CommittedBatch& b, auto&) {
                           if (b.cursor) // from here on every call fails, past its retries
                             control(sim.port(), R"({"fault_rate":1})");
                         });

  REQUIRE(run.failure);
  CHECK_THROWS_AS(std::rethrow_exception(run.failure), api::ApiFailure);
  REQUIRE_FALSE(run.committed.empty());
  store::Store db(url);
  CHECK(db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); }).orders ==
        static_cast<std::int64_t>(orders_committed(run.committed)));
  CHECK(db.read("load_state", [&](auto& t) { return store::select_state(t, kSweepShop); }).hwm ==
        last_cursor(run.committed));
  CHECK(db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); }).orders <
        1000);
}

TEST_CASE("a failed write ends the sweep with its error, and the batches before it stay "
          "committed") {
  sim::testkit::SimHarness sim(shop_of(1000));
  const auto url = migrated_database();
  store::Database database(url, 100ms);

  const auto run = sweep(client_config(sim.port()), database, whole_history(),
                         [&](const CommittedBatch&, auto&) {
                           // every later write finds its table gone
                           pqxx::connection conn(url);
                           pqxx::work tx(conn);
                           tx.exec("ALTER TABLE IF EXISTS taosync.order_lines RENAME TO gone");
                           tx.commit();
                         });

  REQUIRE(run.failure);
  CHECK(what(run.failure).find("order_lines") != std::string::npos);
  // The write in flight beside the first may finish before the table goes; none after it.
  REQUIRE(batches_with_orders(run.committed) >= 1);
  REQUIRE(batches_with_orders(run.committed) <= 2);
  query(url, "ALTER TABLE taosync.gone RENAME TO order_lines");
  store::Store db(url);
  CHECK(db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); }).orders ==
        static_cast<std::int64_t>(orders_committed(run.committed)));
  CHECK(db.read("load_state", [&](auto& t) { return store::select_state(t, kSweepShop); }).hwm ==
        last_cursor(run.committed));
}

TEST_CASE("with two writes in flight, a failed one keeps the cursor before it, and a sweep from "
          "the cursor stores every order") {
  sim::testkit::SimHarness sim(shop_of(1000));
  const auto url = migrated_database();
  store::Database database(url, 100ms);
  const auto range = whole_history();
  const auto cfg = client_config(sim.port());
  // The order modified 601st is refused, so the write that holds it fails; the one beside it
  // may commit. Its cursor must not: it would pass the refused order, which a sweep from there
  // would skip. (Its time comes from a first sweep into another database.)
  const auto scratch = migrated_database();
  {
    store::Database other(scratch, 100ms);
    REQUIRE_FALSE(sweep(cfg, other, range).failure);
  }
  pqxx::connection conn(scratch);
  pqxx::nontransaction tx(conn);
  const auto refused = store::pq::run1(tx, "SELECT modification_time FROM taosync.orders "
                                           "ORDER BY modification_time OFFSET 600 LIMIT 1")[0]
                           .as<std::string>();
  query(url, R"sql(
CREATE FUNCTION test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.modification_time = ')sql" +
                 refused + R"sql(' THEN
    RAISE EXCEPTION 'test: order % refused', NEW.trade_order_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER test_boom BEFORE INSERT ON taosync.orders FOR EACH ROW EXECUTE FUNCTION test_boom();
)sql");

  const auto first = sweep(cfg, database, range);

  REQUIRE(first.failure);
  CHECK(what(first.failure).find("test: order") != std::string::npos);
  query(url, "DROP TRIGGER test_boom ON taosync.orders");
  store::Store db(url);
  const auto hwm =
      db.read("load_state", [&](auto& t) { return store::select_state(t, kSweepShop); }).hwm;
  REQUIRE(hwm);
  CHECK(hwm == last_cursor(first.committed));
  CHECK(db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); }).orders <
        1000);

  const auto rest = sweep(cfg, database, Window{*hwm + 1ms, range.to});

  REQUIRE_FALSE(rest.failure);
  CHECK(rest.totals.complete);
  CHECK(db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); }).orders ==
        1000);
  CHECK(db.read("load_state", [&](auto& t) { return store::select_state(t, kSweepShop); }).hwm ==
        range.to);
}

TEST_CASE("a window whose answers never add up ends the sweep held, after committing everything "
          "before it") {
  // Large enough that listing, a few windows ahead of the writer, is far from done at the
  // first commit.
  sim::testkit::SimHarness sim(shop_of(4000));
  const auto url = migrated_database();
  store::Database database(url, 100ms);

  const auto run = sweep(client_config(sim.port()), database, whole_history(),
                         [&](const CommittedBatch& b, auto&) {
                           if (b.cursor) // from here on every listing page drops a record
                             control(sim.port(), R"({"lies":{"short_page":1}})");
                         });

  REQUIRE_FALSE(run.failure);
  CHECK_FALSE(run.totals.complete);
  REQUIRE(run.totals.held);
  CHECK_FALSE(run.totals.held_reason.empty());
  store::Store db(url);
  const auto hwm =
      db.read("load_state", [&](auto& t) { return store::select_state(t, kSweepShop); }).hwm;
  REQUIRE(hwm);
  CHECK(*hwm + 1ms == run.totals.held->from); // the cursor waits right before the held window
  CHECK(hwm == last_cursor(run.committed));
  CHECK(db.read("counts", [&](auto& t) { return store::select_counts(t, kSweepShop); }).orders ==
        static_cast<std::int64_t>(orders_committed(run.committed)));
}

#include "sync/sweep.hpp"

#include "sync/batch_builder.hpp"
#include "sync/cursor_ledger.hpp"
#include "sync/window_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>

namespace taosync::sync {

namespace {

// Orders of read windows waiting for the fetcher (at most; a window counts with all it may
// hold, so with twenty-page windows one waits), and batches with their lines waiting for the
// writer: none, a batch is handed over as the writer takes it. With the window being read, the
// batch being fetched and the ones being written, what is in memory stays within a few windows
// and batches, however large the shop.
constexpr std::int64_t kQueuedOrders = 600;
constexpr std::size_t kBatchQueue = 0;
// Batch writes at once, each on its own connection (store::Database::write_batch): while one
// publishes its feed and commits, the next COPYs its rows. Their cursors: sync/cursor_ledger.hpp.
constexpr std::size_t kWritesInFlight = 2;

std::size_t window_queue(std::int64_t window_capacity) {
  return static_cast<std::size_t>(std::max<std::int64_t>(1, kQueuedOrders / window_capacity));
}

struct WindowItem {
  std::optional<WindowRead> read; ///< nullopt: end of the stream
  bool last = false;
  bool early = false; ///< read->orders are early orders of a window still being read
};
struct BatchItem {
  std::optional<store::Batch> batch; ///< nullopt: end of the stream
};
using WindowChannel = net::experimental::channel<void(boost::system::error_code, WindowItem)>;
using BatchChannel = net::experimental::channel<void(boost::system::error_code, BatchItem)>;
/// A batch write's end: what it did, or how it failed.
struct Written {
  CommittedBatch done;
  std::exception_ptr failure;
};
using WrittenChannel = net::experimental::channel<void(boost::system::error_code, Written)>;

/// The order and line ids a batch writes (its orders, line sets, owed and rejected records).
/// Two writes at once never share one: each then reads the other's rows as committed, and the
/// monotonic upsert, the histories and the feed see every version of an order in turn.
using Keys = std::unordered_set<std::string>;

Keys keys_of(const store::Batch& b) {
  Keys keys;
  const auto add = [&](const std::string& id) {
    if (!id.empty()) // a rejected record whose id is what is broken
      keys.insert(id);
  };
  for (const auto& o : b.orders)
    add(o.trade_order_id);
  for (const auto& l : b.lines) {
    add(l.trade_order_id);
    add(l.trade_order_line_id);
  }
  for (const auto& id : b.lines_for)
    add(id);
  for (const auto& o : b.owed)
    add(o.trade_order_id);
  for (const auto& id : b.settled)
    add(id);
  for (const auto& r : b.rejected)
    add(r.record_id);
  return keys;
}

bool share_a_key(const Keys& a, const Keys& b) {
  const Keys& small = a.size() <= b.size() ? a : b;
  const Keys& large = a.size() <= b.size() ? b : a;
  return std::any_of(small.begin(), small.end(),
                     [&](const std::string& k) { return large.contains(k); });
}

void add(store::WriteResult& to, const store::WriteResult& r) {
  to.inserted += r.inserted;
  to.updated += r.updated;
  to.unchanged += r.unchanged;
  to.stale += r.stale;
  to.lines += r.lines;
  to.status_changes += r.status_changes;
  to.rejected += r.rejected;
  to.owed += r.owed;
  to.settled += r.settled;
  to.times.copy += r.times.copy;
  to.times.statements += r.times.statements;
  to.times.feed += r.times.feed;
  to.times.commit += r.times.commit;
}

class Pipeline {
public:
  Pipeline(net::any_io_executor ex, api::Platform& client, store::Database& db,
           WindowPlanner& planner, const SweepOptions& options, CursorFor cursor_for,
           OnCommit on_commit, const model::Stop& stop)
      : client_(client), db_(db), planner_(planner), options_(options),
        cursor_for_(std::move(cursor_for)), on_commit_(std::move(on_commit)), stop_(stop),
        windows_(ex, window_queue(planner.capacity())), batches_(ex, kBatchQueue) {}

  // Runs the three stages to their end and returns the totals, or throws the first failure.
  net::awaitable<SweepTotals> run() {
    auto ex = co_await net::this_coro::executor;
    auto group = net::experimental::make_parallel_group(net::co_spawn(ex, list(), net::deferred),
                                                        net::co_spawn(ex, fetch(), net::deferred),
                                                        net::co_spawn(ex, write(), net::deferred));
    co_await group.async_wait(net::experimental::wait_for_all(), net::use_awaitable);
    if (failure_) {
      std::rethrow_exception(failure_);
    }
    totals_.complete = ended_ && planner_.done() && !quitting();
    co_return totals_;
  }

private:
  bool quitting() const { return failure_ != nullptr || stop_.requested(); }

  // Records the first real failure; errors of a stage whose neighbour already quit are noise.
  void fail(std::exception_ptr e) {
    if (!quitting()) {
      failure_ = std::move(e);
    }
  }

  // No more input wanted: wakes a producer blocked on a full queue, refuses later sends.
  template <class Channel> static void shut(Channel& ch) {
    ch.cancel();
    ch.close();
  }

  // Stage 1: reads windows and queues them: the orders of each page as it is verified, then the
  // window, read whole, with what is left (rejected records) and its cursor.
  net::awaitable<void> list() {
    std::exception_ptr err;
    // named: GCC 12 co_await (docs/design.md)
    const EarlyOrders early = [this](std::vector<model::Order> orders) {
      return send_early(std::move(orders));
    };
    try {
      while (!planner_.done() && !quitting()) {
        WindowRead read =
            co_await read_next_window(client_, planner_, options_.read_limits, stop_, &early);
        if (totals_.list_calls == 0 && options_.on_estimate && read.held.empty()) {
          options_.on_estimate(read.first_total);
        }
        totals_.list_calls += read.calls;
        totals_.rereads += read.rereads;
        if (!read.held.empty()) {
          // What came before is written with its cursor; nothing from here on may move it.
          totals_.held = read.window;
          totals_.held_reason = std::move(read.held);
          break;
        }
        const bool last = planner_.done();
        WindowItem item{std::move(read), last}; // named: GCC 12 co_await (docs/design.md)
        co_await windows_.async_send({}, std::move(item), net::use_awaitable);
      }
    } catch (...) {
      err = std::current_exception();
    }
    fail(err);
    // the end marker; refused harmlessly if the fetcher has quit
    WindowItem end;
    co_await windows_.async_send({}, std::move(end), net::as_tuple(net::use_awaitable));
  }

  net::awaitable<void> send_early(std::vector<model::Order> orders) {
    WindowItem item{WindowRead{}, false, true}; // named: GCC 12 co_await (docs/design.md)
    item.read->orders = std::move(orders);
    co_await windows_.async_send({}, std::move(item), net::use_awaitable);
  }

  // Stage 2: cuts windows into batches and fetches their lines.
  net::awaitable<void> fetch() {
    std::exception_ptr err;
    try {
      // the first batch is a page: the writer starts while the rest is listed and fetched
      const auto page = static_cast<std::size_t>(std::max(1, planner_.settings().page_size));
      BatchBuilder builder(options_.shop, options_.batch_orders, page);
      for (;;) {
        WindowItem item = co_await windows_.async_receive(net::use_awaitable);
        if (!item.read || quitting()) {
          break;
        }
        totals_.listed += item.read->orders.size();
        // Early orders carry nothing more; a window read whole, its rejected records and cursor.
        std::optional<store::SyncState> cursor;
        if (!item.early) {
          ++totals_.windows;
          cursor = cursor_for_(item.read->window.to, item.last);
        }
        auto ready = builder.add(std::move(item.read->orders), std::move(item.read->rejected),
                                 std::move(cursor));
        for (auto& batch : ready) {
          co_await ship(std::move(batch));
        }
      }
      if (!quitting()) {
        if (auto batch = builder.flush()) {
          co_await ship(std::move(*batch));
        }
      }
    } catch (...) {
      err = std::current_exception();
    }
    fail(err);
    shut(windows_);
    BatchItem end;
    co_await batches_.async_send({}, std::move(end), net::as_tuple(net::use_awaitable));
  }

  net::awaitable<void> ship(store::Batch batch) {
    if (quitting()) {
      co_return;
    }
    const FanoutStats stats = co_await fill_lines(client_, db_, batch, options_.fanout);
    totals_.line_calls += stats.calls;
    totals_.missing_lines += stats.missing_lines;
    BatchItem item{std::move(batch)};
    co_await batches_.async_send({}, std::move(item), net::use_awaitable);
  }

  // Stage 3: writes batches, up to kWritesInFlight at once, each committing the cursor the
  // ledger gives it. A batch that shares an order or line with a write in flight waits for it.
  // A stop or a failure lets the writes in flight finish whole.
  net::awaitable<void> write() {
    auto ex = co_await net::this_coro::executor;
    std::exception_ptr err;
    try {
      for (;;) {
        const auto waiting = std::chrono::steady_clock::now();
        BatchItem item = co_await batches_.async_receive(net::use_awaitable);
        totals_.writer_waited +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - waiting).count();
        if (!item.batch) {
          ended_ = true;
          break;
        }
        if (quitting()) {
          break;
        }
        Keys keys = keys_of(*item.batch);
        // A batch of a cursor alone waits for the writes in flight, and so commits its cursor.
        const bool cursor_only = keys.empty();
        while (!in_flight_.empty() &&
               (cursor_only || in_flight_.size() == kWritesInFlight || beside_a_sharer(keys))) {
          err = co_await take_oldest();
          if (err) {
            break;
          }
        }
        if (err || quitting()) {
          break; // the writes in flight finish; this batch is not written
        }
        item.batch->cursor = ledger_.dispatch(std::move(item.batch->cursor));
        start_write(ex, std::move(*item.batch), std::move(keys));
      }
    } catch (...) {
      err = std::current_exception();
    }
    // take_oldest does not throw: every write started is awaited before the sweep ends.
    while (!in_flight_.empty()) {
      auto failed = co_await take_oldest();
      if (!err) {
        err = failed;
      }
    }
    // What the committed batches earned is committed too, at the range's end, on a stop or
    // after another stage failed; not after a write failed (a lost lease or database would
    // refuse it too; the next sweep re-reads).
    if (!err) {
      err = co_await write_unwritten_cursor(ex);
    }
    fail(err);
    shut(batches_);
  }

  bool beside_a_sharer(const Keys& keys) const {
    return std::any_of(in_flight_.begin(), in_flight_.end(),
                       [&](const InFlight& w) { return share_a_key(w.keys, keys); });
  }

  // Starts writing `batch`; its end arrives on its channel in in_flight_.
  void start_write(const net::any_io_executor& ex, store::Batch batch, Keys keys) {
    auto ch = std::make_shared<WrittenChannel>(ex, 1);
    CommittedBatch done{batch.orders.size(), batch.lines.size(), batch.cursor, {}};
    net::co_spawn(ex, write_one(db_, std::move(batch), std::move(done), ch), net::detached);
    if (in_flight_.empty()) {
      busy_since_ = std::chrono::steady_clock::now();
    }
    in_flight_.push_back(InFlight{std::move(ch), std::move(keys)});
  }

  static net::awaitable<void> write_one(store::Database& db, store::Batch batch,
                                        CommittedBatch done, std::shared_ptr<WrittenChannel> ch) {
    Written written{std::move(done), nullptr};
    try {
      written.done.result = co_await db.write_batch(std::move(batch));
    } catch (...) {
      written.failure = std::current_exception();
    }
    co_await ch->async_send({}, std::move(written), net::as_tuple(net::use_awaitable));
  }

  // Waits for the oldest write in flight and counts it; returns its failure, if any.
  net::awaitable<std::exception_ptr> take_oldest() {
    auto ch = std::move(in_flight_.front().written);
    in_flight_.pop_front();
    auto [ec, written] = co_await ch->async_receive(net::as_tuple(net::use_awaitable));
    if (in_flight_.empty()) {
      totals_.writer_busy +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - busy_since_).count();
    }
    if (ec || written.failure) {
      ledger_.failed();
      co_return written.failure ? written.failure
                                : std::make_exception_ptr(boost::system::system_error(ec));
    }
    ledger_.committed();
    try {
      counted(written.done);
    } catch (...) {
      co_return std::current_exception();
    }
    co_return nullptr;
  }

  // The cursor the last batches earned, if none of them committed it, in a write of its own.
  net::awaitable<std::exception_ptr> write_unwritten_cursor(const net::any_io_executor& ex) {
    auto cursor = ledger_.unwritten();
    if (!cursor) {
      co_return nullptr;
    }
    try {
      store::Batch batch;
      batch.shop = options_.shop;
      batch.cursor = ledger_.dispatch(std::move(cursor)); // alone: it carries it
      start_write(ex, std::move(batch), {});
    } catch (...) {
      co_return std::current_exception();
    }
    co_return co_await take_oldest();
  }

  void counted(const CommittedBatch& done) {
    ++totals_.batches;
    totals_.fresh_batches += done.result.fresh ? 1 : 0;
    add(totals_.written, done.result);
    if (on_commit_) {
      on_commit_(done);
    }
  }

  /// A batch write in flight.
  struct InFlight {
    std::shared_ptr<WrittenChannel> written;
    Keys keys;
  };

  api::Platform& client_;
  store::Database& db_;
  WindowPlanner& planner_;
  const SweepOptions& options_;
  CursorFor cursor_for_;
  OnCommit on_commit_;
  const model::Stop& stop_;
  WindowChannel windows_;
  BatchChannel batches_;
  std::deque<InFlight> in_flight_; ///< oldest first, as ledger_ counts them
  CursorLedger ledger_;
  std::chrono::steady_clock::time_point busy_since_; ///< since in_flight_ was last empty
  SweepTotals totals_;
  std::exception_ptr failure_;
  bool ended_ = false;
};

} // namespace

net::awaitable<SweepTotals> run_sweep(api::Platform& client, store::Database& db,
                                      WindowPlanner& planner, Window range,
                                      const SweepOptions& options, CursorFor cursor_for,
                                      OnCommit on_commit, const model::Stop& stop) {
  planner.start(range.from, range.to);
  auto ex = co_await net::this_coro::executor;
  Pipeline pipeline(ex, client, db, planner, options, std::move(cursor_for), std::move(on_commit),
                    stop);
  co_return co_await pipeline.run();
}

SweepOptions SweepOptions::from(const config::Config& cfg, bool refetch_all) {
  return SweepOptions{cfg.sync.shop,
                      static_cast<std::size_t>(std::max(1, cfg.database.batch_orders)),
                      FanoutSettings::from(cfg, refetch_all),
                      ReadLimits::from(cfg.sync.verify),
                      {}};
}

} // namespace taosync::sync

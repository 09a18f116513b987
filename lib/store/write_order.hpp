#pragma once
// The order of a shop's batch writes when two run at once, on two connections: while one
// batch's transaction publishes its change feed and commits, the next one COPYs its rows.
//
// Each write of a shop takes a ticket, in the order the writes are asked for. Write t
// - starts only once write t-1 has written its rows (or ended), so that t-1 never waits for a
//   row that t inserted: an order listed twice mid-init would otherwise make the earlier batch
//   wait on the later one's key while the later one waits for the earlier one's commit, a
//   deadlock PostgreSQL cannot see because half of it is here;
// - takes its commit turn (owed orders, cursor, fence, feed, commit) only after t-1 has ended,
//   and fails if t-1 failed while t was asked for beside it: its cursor covers t-1's orders
//   (a write asked for after t-1 ended comes from a sweep that saw how t-1 ended);
// - fails too if t-1 has to start its transaction again (a lost connection) after t wrote its
//   rows, because t-1 could then wait on t's rows.
// A failed write fails those after it; the sweep ends and starts again from the cursor, as
// after any failed write.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace taosync::store {

class WriteOrder {
public:
  using Ticket = std::uint64_t;

  /// The next ticket of `shop` (the thread that asks for the writes, in their order).
  Ticket take(const std::string& shop);

  /// Called at the start of every attempt of write `t` (its thread). A second attempt after
  /// rows_in() fails a successor that has written its rows.
  void attempt(const std::string& shop, Ticket t);
  /// Waits until write t-1 has written its rows or ended. Throws WriterStopped after stop().
  void wait_rows(const std::string& shop, Ticket t);
  /// Whether write t-1 has written its rows or ended; if not, `ready` is called (once, on the
  /// thread that lets it go, or on stop()) when it has. A write is handed to its connection's
  /// thread only then, so that a thread never waits for a write queued behind another.
  bool rows_ready(const std::string& shop, Ticket t, std::function<void()> ready);
  /// Write `t` has written its rows.
  void rows_in(const std::string& shop, Ticket t);
  /// Waits until write t-1 has ended; throws if it failed (and `t` was asked for beside it),
  /// or started again after this write wrote its rows; WriterStopped after stop().
  void wait_turn(const std::string& shop, Ticket t);
  /// Write `t` has ended (committed if `ok`). Once per ticket, from any thread.
  void done(const std::string& shop, Ticket t, bool ok);

  /// Ends every wait (shutdown): waiting writes throw WriterStopped.
  void stop();

private:
  struct Write {
    bool beside = false; ///< asked for while the write before it had not ended
    bool rows = false;
    bool ended = false;
    bool ok = false;
    int attempts = 0;
    int attempts_seen = -1; ///< the predecessor's attempts when this write passed wait_rows
    std::vector<std::function<void()>> on_rows; ///< of the next write: called at rows or end
  };
  struct Shop {
    Ticket next = 0;
    std::map<Ticket, Write> writes; ///< those not ended, and the last ended one
  };

  /// Waits on `ready` (under `lock`) with a log line every 10 s naming the shop and `what`.
  template <class Ready>
  void wait(std::unique_lock<std::mutex>& lock, const std::string& shop, Ticket t, const char* what,
            Ready ready);
  /// Write t-1 of `s`, or nullptr if there is none (t is the first, or t-1 ended and was
  /// forgotten after t ended: never while t waits).
  const Write* before(const Shop& s, Ticket t) const;
  /// Takes the callbacks waiting for `w`'s rows, to be called outside the lock.
  static std::vector<std::function<void()>> release(Write& w);

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Shop> shops_;
  bool stopped_ = false;
};

/// A write that may run beside the shop's previous one: its ticket.
struct OrderedWrite {
  WriteOrder& order;
  WriteOrder::Ticket ticket;
};

} // namespace taosync::store

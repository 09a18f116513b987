#include "sync/cursor_ledger.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <random>
#include <utility>
#include <vector>

using namespace taosync;
using namespace taosync::sync;

namespace {

/// A cursor told apart by its checkpoint: the init swept up to `ms`.
store::SyncState checkpoint(std::int64_t ms) {
  store::SyncState s;
  s.shop = "shop-a";
  s.init_cursor = model::TimePoint(std::chrono::milliseconds(ms));
  return s;
}

/// The checkpoint of `s`, or -1 for no cursor.
std::int64_t ms(const std::optional<store::SyncState>& s) {
  return s ? std::chrono::duration_cast<std::chrono::milliseconds>(
                 s->init_cursor->time_since_epoch())
                 .count()
           : -1;
}

} // namespace

TEST_CASE("a batch written alone commits its own cursor") {
  CursorLedger ledger;
  CHECK(ms(ledger.dispatch(checkpoint(10))) == 10);
  ledger.committed();
  CHECK(ms(ledger.dispatch(std::nullopt)) == -1); // no window ends in it
  ledger.committed();
  CHECK(ms(ledger.dispatch(checkpoint(30))) == 30);
  ledger.committed();
  CHECK_FALSE(ledger.unwritten());
}

TEST_CASE("beside another write, a batch commits only what the committed batches earned") {
  CursorLedger ledger;
  CHECK(ms(ledger.dispatch(checkpoint(10))) == 10); // alone
  CHECK(ms(ledger.dispatch(checkpoint(20))) == -1); // beside 1, which carries a cursor
  ledger.committed();                               // 1
  CHECK(ms(ledger.dispatch(checkpoint(30))) == -1); // beside 2: 2 has not committed, 1's is written
  ledger.committed();                               // 2: earns 20
  CHECK(ms(ledger.dispatch(checkpoint(40))) == 20); // beside 3: carries what 2 earned
  ledger.committed();                               // 3: earns 30
  CHECK(ms(ledger.dispatch(checkpoint(50))) == -1); // 4 carries a cursor already
  ledger.committed();                               // 4: earns 40, writes 20
  ledger.committed();                               // 5: earns 50
  CHECK(ledger.in_flight() == 0);
  CHECK(ms(ledger.unwritten()) == 50); // the sweep's end commits it on its own
}

TEST_CASE("a batch alone again carries its own cursor, passing what was earned before") {
  CursorLedger ledger;
  ledger.dispatch(std::nullopt);
  CHECK(ms(ledger.dispatch(checkpoint(20))) == -1);
  ledger.committed();
  ledger.committed(); // earns 20
  CHECK(ms(ledger.unwritten()) == 20);
  CHECK(ms(ledger.dispatch(checkpoint(30))) == 30);
  ledger.committed();
  CHECK_FALSE(ledger.unwritten());
}

TEST_CASE("after a failed write, the batches after it earn nothing") {
  CursorLedger ledger;
  ledger.dispatch(checkpoint(10));
  ledger.committed(); // writes 10
  ledger.dispatch(checkpoint(20));
  ledger.dispatch(checkpoint(30));
  ledger.failed();    // 2
  ledger.committed(); // 3 committed its rows, but its cursor would pass 2's
  CHECK_FALSE(ledger.unwritten());
  CHECK(ms(ledger.dispatch(checkpoint(40))) == -1);
}

TEST_CASE("what 1 earned is carried by the next write once nothing in flight carries one") {
  CursorLedger ledger;
  ledger.dispatch(std::nullopt);                    // 1, alone, no cursor
  CHECK(ms(ledger.dispatch(checkpoint(20))) == -1); // 2
  ledger.committed();                               // 1
  CHECK(ms(ledger.dispatch(checkpoint(30))) == -1); // 3: nothing earned yet
  ledger.committed();                               // 2: earns 20
  CHECK(ms(ledger.dispatch(std::nullopt)) == 20);
  CHECK_THROWS_AS(CursorLedger().committed(), std::logic_error);
}

TEST_CASE("random runs of two writes in flight: a cursor committed never passes a batch that "
          "has not committed, and cursors commit in order") {
  std::mt19937 random(12345);
  for (int run = 0; run < 2000; ++run) {
    CAPTURE(run);
    CursorLedger ledger;
    // Batch n holds cursor n (or none); committed[n]: its write committed.
    std::vector<bool> committed(1, true); // batch 0: the stored state before the sweep
    std::deque<std::pair<std::int64_t, std::int64_t>> in_flight; // (batch, cursor it carries)
    std::int64_t stored = 0, next = 1;
    bool failed = false;
    const auto prefix_committed = [&](std::int64_t n) {
      for (std::int64_t i = 1; i <= n; ++i)
        if (!committed[static_cast<std::size_t>(i)])
          return false;
      return true;
    };
    const auto finish_oldest = [&](bool ok) {
      const auto [batch, carries] = in_flight.front();
      in_flight.pop_front();
      if (ok) {
        ledger.committed();
        committed[static_cast<std::size_t>(batch)] = true;
        if (carries > 0) {
          CHECK(carries > stored); // in order
          stored = carries;
        }
      } else {
        ledger.failed();
        failed = true;
      }
    };
    for (int step = 0; step < 40; ++step) {
      const bool dispatch = in_flight.size() < 2 && (in_flight.empty() || random() % 2 == 0);
      if (dispatch && !failed) {
        const std::int64_t n = next++;
        committed.push_back(false);
        const bool has_cursor = random() % 4 != 0;
        const auto carried =
            ms(ledger.dispatch(has_cursor ? std::optional(checkpoint(n)) : std::nullopt));
        if (carried >= 0) {
          // every batch up to the cursor has committed, or it is this batch's own, alone
          CHECK((prefix_committed(carried) ||
                 (carried == n && in_flight.empty() && prefix_committed(n - 1))));
          for (const auto& w : in_flight)
            CHECK(w.second == 0); // one carrier in flight at most
        }
        in_flight.emplace_back(n, std::max<std::int64_t>(0, carried));
      } else if (!in_flight.empty()) {
        finish_oldest(random() % 50 != 0);
      }
    }
    while (!in_flight.empty())
      finish_oldest(true);
    if (const auto rest = ledger.unwritten(); rest) {
      CHECK(ms(rest) > stored);
      CHECK(prefix_committed(ms(rest)));
    }
  }
}

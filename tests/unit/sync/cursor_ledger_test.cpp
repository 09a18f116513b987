#include "sync/cursor_ledger.hpp"

#include <doctest/doctest.h>

#include <optional>

using namespace taosync;
using namespace taosync::sync;

namespace {

/// A cursor told apart by its checkpoint: the init swept up to `ms`.
store::SyncState cursor(std::int64_t ms) {
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
  CHECK(ms(ledger.dispatch(cursor(10))) == 10);
  ledger.committed();
  CHECK(ms(ledger.dispatch(std::nullopt)) == -1); // no window ends in it
  ledger.committed();
  CHECK(ms(ledger.dispatch(cursor(30))) == 30);
  ledger.committed();
  CHECK_FALSE(ledger.unwritten());
}

TEST_CASE("beside another write, a batch commits only what the committed batches earned") {
  CursorLedger ledger;
  CHECK(ms(ledger.dispatch(cursor(10))) == 10); // alone
  CHECK(ms(ledger.dispatch(cursor(20))) == -1); // beside 1, which carries a cursor
  ledger.committed();                           // 1
  CHECK(ms(ledger.dispatch(cursor(30))) == -1); // beside 2: 2 has not committed, 1's is written
  ledger.committed();                           // 2: earns 20
  CHECK(ms(ledger.dispatch(cursor(40))) == 20); // beside 3: carries what 2 earned
  ledger.committed();                           // 3: earns 30
  CHECK(ms(ledger.dispatch(cursor(50))) == -1); // 4 carries a cursor already
  ledger.committed();                           // 4: earns 40, writes 20
  ledger.committed();                           // 5: earns 50
  CHECK(ledger.in_flight() == 0);
  CHECK(ms(ledger.unwritten()) == 50); // the sweep's end commits it on its own
}

TEST_CASE("a batch alone again carries its own cursor, passing what was earned before") {
  CursorLedger ledger;
  ledger.dispatch(std::nullopt);
  CHECK(ms(ledger.dispatch(cursor(20))) == -1);
  ledger.committed();
  ledger.committed(); // earns 20
  CHECK(ms(ledger.unwritten()) == 20);
  CHECK(ms(ledger.dispatch(cursor(30))) == 30);
  ledger.committed();
  CHECK_FALSE(ledger.unwritten());
}

TEST_CASE("after a failed write, the batches after it earn nothing") {
  CursorLedger ledger;
  ledger.dispatch(cursor(10));
  ledger.committed(); // writes 10
  ledger.dispatch(cursor(20));
  ledger.dispatch(cursor(30));
  ledger.failed();    // 2
  ledger.committed(); // 3 committed its rows, but its cursor would pass 2's
  CHECK_FALSE(ledger.unwritten());
  CHECK(ms(ledger.dispatch(cursor(40))) == -1);
}

TEST_CASE("what 1 earned is carried by the next write once nothing in flight carries one") {
  CursorLedger ledger;
  ledger.dispatch(std::nullopt);                // 1, alone, no cursor
  CHECK(ms(ledger.dispatch(cursor(20))) == -1); // 2
  ledger.committed();                           // 1
  CHECK(ms(ledger.dispatch(cursor(30))) == -1); // 3: nothing earned yet
  ledger.committed();                           // 2: earns 20
  CHECK(ms(ledger.dispatch(std::nullopt)) == 20);
  CHECK_THROWS_AS(CursorLedger().committed(), std::logic_error);
}

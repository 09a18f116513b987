#include "store/store.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {
constexpr const char* kFlagsShop = "shop-flags";
}

TEST_CASE("a shop without a row has default flags") {
  Store store(migrated_database());
  const ShopFlags f = store.load_flags(kFlagsShop);
  CHECK_FALSE(f.stopped);
  CHECK(f.refresh_fingerprint.empty());
  CHECK_FALSE(f.api_banned_until);
}

TEST_CASE("the fingerprint is kept beside a stop, and only a resume lifts the stop") {
  Store store(migrated_database());
  store.save_refresh_fingerprint(kFlagsShop, "fp-1", false); // creates the row
  CHECK_FALSE(store.load_state(kFlagsShop).init_done);       // a fresh cursor all the same
  SyncState s = store.load_state(kFlagsShop);
  s.stopped = true;
  s.stopped_reason = "refresh token refused";
  store.save_state(s); // the cursor's upsert leaves the fingerprint alone
  ShopFlags f = store.load_flags(kFlagsShop);
  CHECK(f.stopped);
  CHECK(f.stopped_reason == "refresh token refused");
  CHECK(f.refresh_fingerprint == "fp-1");

  store.save_refresh_fingerprint(kFlagsShop, "fp-1", false);
  CHECK(store.load_flags(kFlagsShop).stopped);
  store.save_refresh_fingerprint(kFlagsShop, "fp-2", true);
  f = store.load_flags(kFlagsShop);
  CHECK_FALSE(f.stopped);
  CHECK(f.stopped_reason.empty());
  CHECK(f.refresh_fingerprint == "fp-2");
  CHECK_FALSE(store.load_state(kFlagsShop).stopped);
}

TEST_CASE("a ban end round-trips to the millisecond and survives cursor saves") {
  Store store(migrated_database());
  const auto until =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1764300000123));
  store.save_api_ban(kFlagsShop, until);
  SyncState s = store.load_state(kFlagsShop);
  s.last_cycle_orders = 7;
  store.save_state(s);
  CHECK(store.load_flags(kFlagsShop).api_banned_until == until);
}

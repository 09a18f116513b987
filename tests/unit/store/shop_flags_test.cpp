#include "store/shop_flags.hpp"
#include "store/state_rows.hpp"
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
  const ShopFlags f =
      store.read("load_flags", [&](auto& tx) { return select_shop_flags(tx, kFlagsShop); });
  CHECK_FALSE(f.stopped);
  CHECK(f.refresh_fingerprint.empty());
  CHECK_FALSE(f.api_banned_until);
}

TEST_CASE("the fingerprint is kept beside a stop, and only a resume lifts the stop") {
  Store store(migrated_database());
  store.write("save_refresh_fingerprint", [&](auto& tx) {
    upsert_refresh_fingerprint(tx, kFlagsShop, "fp-1", false);
  }); // creates the row
  CHECK_FALSE(store.read("load_state", [&](auto& tx) { return select_state(tx, kFlagsShop); })
                  .init_done); // a fresh cursor all the same
  SyncState s = store.read("load_state", [&](auto& tx) { return select_state(tx, kFlagsShop); });
  s.stopped = true;
  s.stopped_reason = "refresh token refused";
  store.write("save_state", [&](auto& tx) {
    upsert_state(tx, s);
  }); // the cursor's upsert leaves the fingerprint alone
  ShopFlags f =
      store.read("load_flags", [&](auto& tx) { return select_shop_flags(tx, kFlagsShop); });
  CHECK(f.stopped);
  CHECK(f.stopped_reason == "refresh token refused");
  CHECK(f.refresh_fingerprint == "fp-1");

  store.write("save_refresh_fingerprint",
              [&](auto& tx) { upsert_refresh_fingerprint(tx, kFlagsShop, "fp-1", false); });
  CHECK(store.read("load_flags", [&](auto& tx) { return select_shop_flags(tx, kFlagsShop); })
            .stopped);
  store.write("save_refresh_fingerprint",
              [&](auto& tx) { upsert_refresh_fingerprint(tx, kFlagsShop, "fp-2", true); });
  f = store.read("load_flags", [&](auto& tx) { return select_shop_flags(tx, kFlagsShop); });
  CHECK_FALSE(f.stopped);
  CHECK(f.stopped_reason.empty());
  CHECK(f.refresh_fingerprint == "fp-2");
  CHECK_FALSE(
      store.read("load_state", [&](auto& tx) { return select_state(tx, kFlagsShop); }).stopped);
}

TEST_CASE("a ban end round-trips to the millisecond and survives cursor saves") {
  Store store(migrated_database());
  const auto until =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1764300000123));
  store.write("save_api_ban", [&](auto& tx) { upsert_api_ban(tx, kFlagsShop, until); });
  SyncState s = store.read("load_state", [&](auto& tx) { return select_state(tx, kFlagsShop); });
  s.last_cycle_orders = 7;
  store.write("save_state", [&](auto& tx) { upsert_state(tx, s); });
  CHECK(store.read("load_flags", [&](auto& tx) { return select_shop_flags(tx, kFlagsShop); })
            .api_banned_until == until);
}

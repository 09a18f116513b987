#pragma once
// What `taosyncd status` and the status page show of each shop, read inside a caller's
// transaction: its cursor, counts, what it is owed, the window it is held at, its flags and its
// lease.

#include "store/leases.hpp"
#include "store/owed_rows.hpp"
#include "store/shop_flags.hpp"
#include "store/sync_state.hpp"

#include <pqxx/transaction_base>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taosync::store {

/// Order, line and rejected counts of a shop.
struct ShopCounts {
  std::int64_t orders = 0;
  std::int64_t lines = 0;
  std::int64_t rejected = 0;
};

/// Everything stored about a shop that `taosyncd status` and the status page show.
struct ShopReport {
  SyncState state;
  ShopCounts counts;
  OwedSummary owed;
  std::optional<HeldWindow> held;
  ShopFlags flags;
  std::optional<Lease> lease; ///< its row in shop_leases, if it ever had a lease
};

/// The shop's order, line and rejected counts.
ShopCounts select_counts(pqxx::transaction_base& tx, const std::string& shop);

/// The report of each of `shops`, in that order (read them in one read-only transaction, so
/// that they agree with each other).
std::vector<ShopReport> select_shop_reports(pqxx::transaction_base& tx,
                                            const std::vector<std::string>& shops);

} // namespace taosync::store

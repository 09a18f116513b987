#pragma once
// Compares the database with the simulator's /_sim/truth: every order (all columns), line,
// shipment and sku property; reports missing, extra, duplicate and stale rows, and checks
// that records the simulator served broken (`_sim_bad`) are absent or older, never corrupt,
// and present in taosync.rejected_records.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace taosync::e2e {

/// What to compare.
struct CompareOptions {
  int sim_port = 0;
  std::string db_url;
  std::string shop = "default";         ///< the database's `shop` column
  std::string seller;                   ///< the simulator's seller ("shop-2"); empty: its first
  std::size_t chunk_orders = 1000;      ///< truth orders compared per database round
  std::size_t max_details = 25;         ///< difference lines kept in the report
  std::set<std::string> ignore_columns; ///< e.g. {"orders.seller_full_name"}
};

/// What the comparison found.
struct CompareReport {
  // truth
  std::int64_t truth_orders = 0, truth_lines = 0, truth_shipments = 0, truth_sku = 0;
  std::int64_t truth_bad = 0; ///< records marked _sim_bad
  // database
  std::int64_t db_orders = 0, db_lines = 0, db_shipments = 0, db_sku = 0, db_rejected = 0;
  // differences
  std::int64_t missing = 0;        ///< in truth, not in the database
  std::int64_t extra = 0;          ///< in the database, not in truth
  std::int64_t duplicate = 0;      ///< a row (sku property, status change) stored twice
  std::int64_t stale = 0;          ///< an older version than truth's
  std::int64_t mismatched = 0;     ///< same version, different content (or newer than truth)
  std::int64_t bad_stored = 0;     ///< a broken record stored at its broken version
  std::int64_t bad_unrejected = 0; ///< a broken record not in rejected_records
  std::int64_t rejected_without_reason = 0;
  std::vector<std::string> details; ///< the first differences, one line each

  /// Sum of all differences.
  std::int64_t differences() const {
    return missing + extra + duplicate + stale + mismatched + bad_stored + bad_unrejected +
           rejected_without_reason;
  }
  /// One line of counts, then the detail lines.
  std::string summary() const;
};

/// Streams /_sim/truth and compares it with the database. Throws on I/O or SQL errors.
CompareReport compare_with_truth(const CompareOptions& options);

/// Which database shop is compared with which simulator seller.
struct ShopPair {
  std::string shop;
  std::string seller; ///< empty: the simulator's first seller
};

/// The pairs to compare: every seller with the database shop of its name (`all_shops`); or
/// `shop` with the seller of that name, or with the only seller of a one-seller simulator
/// whatever its name. Throws std::invalid_argument naming a shop that a simulator
/// with several sellers does not serve.
std::vector<ShopPair> shops_to_compare(const std::vector<std::string>& sellers,
                                       const std::string& shop, bool all_shops);

/// "062.50" -> "62.5", "62.00" -> "62": decimals compared by value, not by spelling.
std::string normalize_decimal(const std::string& text);

} // namespace taosync::e2e

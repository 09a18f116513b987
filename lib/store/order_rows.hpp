#pragma once
// Reading stored orders back inside a caller's transaction: whole, into the API's types (for
// `taosyncd audit` and resync checks), as the versions a batch write compares with, and as a
// sample of recent ids.

#include "model/records.hpp"
#include "store/batch.hpp"

#include <pqxx/transaction_base>

#include <optional>
#include <string>
#include <vector>

namespace taosync::store {

/// The stored order `id` of `shop` with its lines, shipments and sku properties, or nullopt.
/// Money comes back as numeric's text (the amount as sent), raw_json as jsonb's rendering.
std::optional<model::OrderDetail> select_order(pqxx::transaction_base& tx, const std::string& shop,
                                               const std::string& id);

/// The stored version (modification_time, status, line ids) of those of `order_ids` that
/// exist.
StoredVersions select_stored_versions(pqxx::transaction_base& tx, const std::string& shop,
                                      const std::vector<std::string>& order_ids);

/// Up to n order ids of the shop, most recently modified first, sampled at random.
std::vector<std::string> select_recent_orders(pqxx::transaction_base& tx, const std::string& shop,
                                              int n);

} // namespace taosync::store

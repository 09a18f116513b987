#pragma once
// Reading a stored order back into the API's types (for `taosyncd audit` and resync checks).

#include "model/records.hpp"

#include <pqxx/transaction_base>

#include <optional>
#include <string>

namespace taosync::store {

/// The stored order `id` of `shop` with its lines, shipments and sku properties, or nullopt.
/// Money comes back as numeric's text (the amount as sent), raw_json as jsonb's rendering.
std::optional<model::OrderDetail> select_order(pqxx::transaction_base& tx, const std::string& shop,
                                               const std::string& id);

} // namespace taosync::store

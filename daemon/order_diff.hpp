#pragma once
// Field-by-field comparison of a stored order with the API's /order/get answer (audit).

#include "model/records.hpp"

#include <string>
#include <vector>

namespace taosync::daemon {

/// The outcome of comparing one order.
struct OrderDiff {
  std::vector<std::string> differences; ///< "status: db='shipped' api='delivered'", ...
  bool changed_upstream = false;        ///< the API's copy is newer: not yet synced, not an error
};

/// Compares what matters to the back office. Money compares as decimals ("62" == "62.00");
/// seller_full_name is skipped because the platform spells it differently per endpoint.
OrderDiff diff_orders(const model::OrderDetail& stored, const model::OrderDetail& fresh);

/// "62.50" -> "62.5", "062" -> "62", "10.00" -> "10": canonical decimal text.
std::string canonical_decimal(const std::string& amount);

} // namespace taosync::daemon

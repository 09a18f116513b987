#pragma once
// The arithmetic of line fan-out: which orders need their lines, how their line ids pack into
// /order/items/get calls, and which orders came back complete. Pure.

#include "api/model.hpp"

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace taosync::sync {

/// The line fetch for one batch of orders.
struct LinePlan {
  std::vector<std::string> orders;             ///< orders whose lines are fetched
  std::vector<std::vector<std::string>> calls; ///< line ids per call, each <= batch size
  /// Total line ids over all calls.
  std::size_t line_count() const;
};

/// Orders that are new, or listed with a newer modification_time than `stored`, need their
/// lines (all orders when `refetch_all`); their line ids, across orders, are packed into as few
/// calls as possible: ceil(lines / batch_size).
LinePlan plan_line_fetch(const std::vector<api::Order>& orders,
                         const std::unordered_map<std::string, api::TimePoint>& stored,
                         std::size_t batch_size, bool refetch_all);

/// Splits ids into consecutive chunks of at most `batch_size` (at least 1).
std::vector<std::vector<std::string>> chunk_ids(const std::vector<std::string>& ids,
                                                std::size_t batch_size);

/// What came back for a plan.
struct LineCollation {
  std::vector<std::string> complete;         ///< orders whose every line arrived or was rejected
  std::vector<std::string> incomplete;       ///< orders with at least one line missing
  std::vector<std::string> missing_line_ids; ///< lines that did not come back at all
};

/// Sorts the wanted orders into complete and incomplete by the lines that arrived, the line
/// records that were rejected (by record_id) and `accounted` ids (rejected records whose id was
/// unreadable, attributed by elimination within their call).
LineCollation collate_lines(const std::vector<api::Order>& orders,
                            const std::vector<std::string>& wanted,
                            const std::vector<api::OrderLine>& lines,
                            const std::vector<api::RejectedRecord>& rejected,
                            const std::vector<std::string>& accounted = {});

/// For one /order/items/get call: the requested ids that neither arrived nor were rejected by
/// id, if the answer's rejected records without a readable id explain all of them (a broken
/// record still counts as answered); else empty.
std::vector<std::string>
attribute_anonymous_rejects(const std::vector<std::string>& requested,
                            const std::vector<api::OrderLine>& lines,
                            const std::vector<api::RejectedRecord>& rejected);

/// Keeps only the lines that belong (by the orders' line id lists) to `orders_kept`.
std::vector<api::OrderLine> lines_of(const std::vector<api::Order>& orders,
                                     const std::vector<std::string>& orders_kept,
                                     std::vector<api::OrderLine> lines);

} // namespace taosync::sync

#pragma once
// The arithmetic of line fan-out: which orders need their lines, how their line ids pack into
// /order/items/get calls, and which orders came back complete. Pure.

#include "model/records.hpp"
#include "store/batch.hpp"

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace taosync::sync {

/// Stored versions by order id.
using store::StoredVersions;

/// The line fetch for one batch of orders.
struct LinePlan {
  std::vector<std::string> orders;             ///< orders whose lines are fetched
  std::vector<std::vector<std::string>> calls; ///< line ids per call, each <= batch size
  /// Total line ids over all calls.
  std::size_t line_count() const;
};

/// Orders that are new, or listed as news beside `stored` (listing_is_news), need their lines
/// (all orders when `refetch_all`); their line ids, across orders, are packed into as few
/// calls as possible: ceil(lines / batch_size).
LinePlan plan_line_fetch(const std::vector<model::Order>& orders, const StoredVersions& stored,
                         std::size_t batch_size, bool refetch_all);

/// Whether a listing of an order tells more than its stored version: a newer
/// modification_time, or the same one with another status or other line ids. Two versions can
/// share a time (a platform whose clock stepped back stamps its changes with its last time; one
/// of whole seconds stamps two changes in a second alike), and the order row of an equal time
/// is rewritten, so its lines must follow.
bool listing_is_news(const model::Order& listed, const store::StoredVersion& stored);

/// Splits ids into consecutive chunks of at most `batch_size` (at least 1).
std::vector<std::vector<std::string>> chunk_ids(const std::vector<std::string>& ids,
                                                std::size_t batch_size);

/// An order whose lines did not all come back usable.
struct IncompleteOrder {
  std::string trade_order_id;
  std::vector<std::string> missing_line_ids; ///< missing, rejected or unusable
};

/// What came back for a plan, checked line by line.
struct LineCollation {
  std::vector<std::string> complete;       ///< orders whose every listed line arrived usable
  std::vector<IncompleteOrder> incomplete; ///< orders with a line still owed
  std::vector<model::OrderLine> lines;     ///< usable lines of the wanted orders, one per id
  /// Lines that arrived but cannot be stored: they name another order than the one that lists
  /// them, or come from the future.
  std::vector<model::RejectedRecord> rejected;
  /// Every missing line id, across orders.
  std::vector<std::string> missing_line_ids() const;
};

/// Sorts the wanted orders into complete and incomplete by the lines that arrived. A line
/// counts only if a wanted order lists it, it names that same order, and its
/// modification_time is not after `latest`; a line rejected by the parser never counts.
LineCollation collate_lines(const std::vector<model::Order>& orders,
                            const std::vector<std::string>& wanted,
                            std::vector<model::OrderLine> lines, model::TimePoint latest);

} // namespace taosync::sync

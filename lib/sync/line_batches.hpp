#pragma once
// The arithmetic of line fan-out: which orders need their lines, how their ids (line ids, or
// the order ids themselves on a platform whose listing names no lines) pack into line calls,
// and which orders came back complete. Pure.

#include "model/listing_rules.hpp"
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
  std::vector<std::string> orders; ///< orders whose lines are fetched
  /// Ids per call, each <= batch size: line ids, or order ids (model::LinesBy).
  std::vector<std::vector<std::string>> calls;
  /// Total ids over all calls.
  std::size_t line_count() const;
};

/// Orders that are new, or listed as news beside `stored` (listing_is_news), need their lines
/// (all orders when `refetch_all`). Their line ids across orders (or, by order id, their ids)
/// are packed into as few calls as possible: ceil(ids / batch_size).
LinePlan plan_line_fetch(const std::vector<model::Order>& orders, const StoredVersions& stored,
                         std::size_t batch_size, bool refetch_all,
                         model::LinesBy by = model::LinesBy::line_id);

/// Whether a listing of an order tells more than its stored version: a newer
/// modification_time, or the same one with another status or other line ids (or, for a listing
/// that counts lines instead of naming them, another number of them). Two versions can
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
  /// Missing, rejected or unusable; empty when the listing names no line ids (then `missing`
  /// counts them against its line count).
  std::vector<std::string> missing_line_ids;
  std::size_t missing = 0; ///< lines missing
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
  /// Lines missing, across orders.
  std::size_t missing_lines() const;
  /// The ids to ask again for what is missing: the missing line ids, or the incomplete
  /// orders' ids.
  std::vector<std::string> ids_to_ask_again(model::LinesBy by) const;
};

/// Sorts the wanted orders into complete and incomplete by the lines that arrived. A line
/// counts only if it belongs to a wanted order and its modification_time is not after
/// `latest`; a line rejected by the parser never counts. By line id, a line belongs to the
/// wanted order that lists it, must name that same order, and the order is complete once
/// every line it lists arrived. By order id, a line belongs to the order it names, and the
/// order is complete once as many distinct lines arrived as its listing's line count (at
/// least one when it gives none).
LineCollation collate_lines(const std::vector<model::Order>& orders,
                            const std::vector<std::string>& wanted,
                            std::vector<model::OrderLine> lines, model::TimePoint latest,
                            model::LinesBy by = model::LinesBy::line_id);

/// Names the lines of each order that listed a count of lines instead of their ids, so that
/// its row names its lines as a Taobao TW order's does: the ids of the lines that came (sorted)
/// when its set is complete, else those of its stored version (whose lines stay), if any.
void name_counted_lines(std::vector<model::Order>& orders, const LineCollation& c,
                        const StoredVersions& stored);

} // namespace taosync::sync

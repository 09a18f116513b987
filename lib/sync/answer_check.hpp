#pragma once
// What makes an answer of the platform trustworthy enough to move the cursor past it. A
// well-formed answer can still be wrong: a page that holds fewer records than its own count
// says, a record modified centuries from now, a line that names another order. Pure.

#include "model/records.hpp"
#include "sync/window_planner.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace taosync::sync {

/// Why page `asked_page` of a listing (pages of `page_size`) is not the complete answer it
/// claims to be, or nullopt. The records it holds, good and rejected, must be exactly what
/// `total_count` leaves for that page; its envelope must be whole; it must be the page asked.
std::optional<std::string> listing_problem(const model::Page<model::Order>& page, int asked_page,
                                           int page_size);

/// Where a record's times may lie: inside the window that was asked (if any), and not after
/// `latest` (now plus the configured tolerance for clock skew).
struct TimeBounds {
  std::optional<Window> asked;
  TimePoint latest;
};

/// The latest modification_time a record may believably carry now: the clock plus the
/// configured tolerance for skew (sync.verify.future_tolerance).
TimePoint latest_believable(std::chrono::milliseconds future_tolerance);

/// Why `order`'s modification_time cannot be true for what was asked, or nullopt. Such a
/// record never reaches the tables: a time from the future would make the monotonic upsert
/// refuse every later real update.
std::optional<std::string> order_time_problem(const model::Order& order, const TimeBounds& bounds);

/// Why `line` cannot be stored as a line of `listing_order`, or nullopt: it names another
/// order, or its modification_time lies after `latest`.
std::optional<std::string> line_problem(const model::OrderLine& line,
                                        const std::string& listing_order, TimePoint latest);

/// Moves the orders that fail order_time_problem from `orders` into `rejected`, with the
/// reason, as records of `endpoint`.
void reject_untrusted_orders(std::vector<model::Order>& orders,
                             std::vector<model::RejectedRecord>& rejected, const TimeBounds& bounds,
                             std::string_view endpoint);

/// A rejected record for `line`, naming `reason`.
model::RejectedRecord rejected_line(const model::OrderLine& line, std::string reason);

} // namespace taosync::sync

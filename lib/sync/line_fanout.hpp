#pragma once
// Line fan-out: the lines of a batch's new or changed orders, fetched in calls of up
// to api.items_batch_size ids across orders, at most api.max_in_flight calls at a time (the
// client's shared token bucket paces them).

#include "api/platform.hpp"
#include "config/config.hpp"
#include "store/batch.hpp"
#include "store/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace taosync::sync {

namespace net = boost::asio;

/// How lines are fetched.
struct FanoutSettings {
  std::size_t items_batch_size{}; ///< api.items_batch_size
  std::size_t max_in_flight{};    ///< api.max_in_flight
  bool refetch_all{};             ///< reconciliation with refetch_lines: every listed order
  /// Clock skew allowed in a line's modification_time (sync.verify.future_tolerance).
  std::chrono::milliseconds future_tolerance{};

  /// The settings of `cfg`; `refetch_all` for a reconciliation that re-fetches every line.
  static FanoutSettings from(const config::Config& cfg, bool refetch_all);
};

/// What the answers of a set of /order/items/get calls held.
struct FetchedLines {
  std::vector<model::OrderLine> lines;
  std::vector<model::RejectedRecord> rejected;
  std::uint64_t calls = 0;
  std::uint64_t incomplete_answers = 0; ///< answers without their list: their ids are missing
};

/// Runs `calls` (line ids per call) with at most `max_in_flight` in flight. Throws the first
/// ApiFailure after the calls in flight have finished.
net::awaitable<FetchedLines> fetch_lines(api::Platform& client,
                                         const std::vector<std::vector<std::string>>& calls,
                                         std::size_t max_in_flight);

/// What filling a batch did.
struct FanoutStats {
  std::uint64_t orders = 0;        ///< orders whose lines were fetched
  std::uint64_t lines = 0;         ///< lines received
  std::uint64_t missing_lines = 0; ///< lines that never came back
  std::uint64_t calls = 0;
};

/// Fills batch.lines, lines_for, settled, owed and rejected: asks the store which orders are
/// new or changed, fetches their lines, re-asks once for lines missing from the answers. An
/// order with a line still missing or unusable gets the lines that did arrive, keeps the
/// stored versions of the others, and is remembered as owed in the same transaction.
/// Listing records that were rejected (with a usable id) are owed too.
net::awaitable<FanoutStats> fill_lines(api::Platform& client, store::Database& db,
                                       store::Batch& batch, const FanoutSettings& settings);

} // namespace taosync::sync

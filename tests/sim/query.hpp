#pragma once
// /orders/get's filter, sort and paging over the shop's indexes.

#include "options.hpp"
#include "shop.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace taosync::sim {

/// A parsed /orders/get request.
struct ListQuery {
  std::size_t status = MtimeIndex::kAll; ///< a Status index, or kAll
  bool unknown_status = false;           ///< a status the simulator never has: nothing matches
  std::optional<std::int64_t> from;      ///< modification_time_start, inclusive
  std::optional<std::int64_t> to;        ///< modification_time_end, inclusive
  std::int64_t page = 1;
  std::int64_t page_size = 100;
  std::optional<std::int64_t> offset;       ///< orders skipped, instead of whole pages (Lazada)
  std::optional<std::int64_t> created_from; ///< creation time at least (Lazada), inclusive
  std::optional<std::int64_t> created_to;   ///< creation time at most (Lazada), inclusive
  SortOrder sort = SortOrder::creation_desc;
};

/// One page: order indexes in page order, and the exact number of matches.
struct ListResult {
  std::vector<std::uint32_t> orders;
  std::int64_t total = 0;
};

/// Runs a query. O(log n + page) for modification sorts; creation_desc and id_asc cost
/// O(matches) inside a window (the matches must be sorted by another key).
ListResult list_orders(const Shop& shop, const ListQuery& query);

} // namespace taosync::sim

#pragma once
// What the sync asks of the platform and what asking cost: pure values shared by the API
// client (which fills them) and the sync loop (which reports them).

#include "model/records.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace taosync::model {

/// One page of the orders modified in a window (both ends inclusive): page `page` (from 1) of
/// `page_size`. Each platform's client spells it (Taobao TW: Page and Page_Size, times in epoch
/// ms; Lazada: offset (page - 1) * page_size and limit, times in ISO 8601 seconds).
struct OrdersQuery {
  std::string status = "all";
  TimePoint modified_from{};
  TimePoint modified_to{};
  int page = 1;
  int page_size = 100;
  /// Also narrowed to orders created in [created_from, created_to], when set: only on a
  /// platform whose listing filters on creation (ListingRules::creation_filter).
  std::optional<TimePoint> created_from;
  std::optional<TimePoint> created_to;
};

/// Running totals since the client was made; the sync loop reports per-cycle deltas.
struct CallCounters {
  std::uint64_t calls = 0;     ///< HTTP requests sent
  std::uint64_t throttled = 0; ///< ApiCallLimit answers
  std::uint64_t retries = 0;   ///< attempts after the first
  std::uint64_t refreshes = 0; ///< token refreshes
};

} // namespace taosync::model

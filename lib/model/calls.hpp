#pragma once
// What the sync asks of the platform and what asking cost: pure values shared by the API
// client (which fills them) and the sync loop (which reports them).

#include "model/records.hpp"

#include <cstdint>
#include <string>

namespace taosync::model {

/// Parameters of one /orders/get call (names on the wire: Order_Status, Page_Size, Page,
/// modification_time_start, modification_time_end — both ends inclusive).
struct OrdersQuery {
  std::string status = "all";
  TimePoint modified_from{};
  TimePoint modified_to{};
  int page = 1;
  int page_size = 100;
};

/// Running totals since the client was made; the sync loop reports per-cycle deltas.
struct CallCounters {
  std::uint64_t calls = 0;     ///< HTTP requests sent
  std::uint64_t throttled = 0; ///< ApiCallLimit answers
  std::uint64_t retries = 0;   ///< attempts after the first
  std::uint64_t refreshes = 0; ///< token refreshes
};

} // namespace taosync::model

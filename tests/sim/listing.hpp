#pragma once
// A listing answer (/orders/get, /order/items/get) between rendering and writing: its records
// are already JSON, its counts and flags still editable, so that lies can be told about it.

#include <cstdint>
#include <string>
#include <vector>

namespace taosync::sim {

/// The `result` object of a listing, before it is written.
struct Listing {
  std::vector<std::string> records; ///< the `model_list` entries, rendered
  std::int64_t total_count = 0;
  std::int64_t page_no = 1;
  std::int64_t page_size = 0;
  bool has_list = true; ///< false: no `model_list` key at all
  bool success = true;

  /// {"model_list":[...],"success":..,"total_count":..,"page_no":..,"page_size":..}, the keys
  /// in the platform's order.
  std::string result() const;
};

} // namespace taosync::sim

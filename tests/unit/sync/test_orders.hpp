#pragma once
// Times and orders as the sync unit tests write them: milliseconds since the epoch, and an
// order with `lines` line ids named "<id>-<n>".

#include "model/records.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace taosync::testing {

inline model::TimePoint at(std::int64_t ms) {
  return model::TimePoint(std::chrono::milliseconds(ms));
}

inline model::Order order(const std::string& id, std::int64_t mtime, int lines = 0) {
  model::Order o;
  o.trade_order_id = id;
  o.modification_time = at(mtime);
  for (int i = 0; i < lines; ++i)
    o.line_ids.push_back(id + "-" + std::to_string(i));
  return o;
}

} // namespace taosync::testing

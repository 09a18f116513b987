#pragma once
// /order/get's answer for one order, checked before it is written: the order must be the one
// asked for with a believable time, and every line it owes must come back usable. Used by
// `resync` and by the re-asks of owed orders. Pure.

#include "model/records.hpp"
#include "store/batch.hpp"

#include <optional>
#include <string>
#include <vector>

namespace taosync::sync {

/// What an owed order is still waiting for (empty for a plain resync).
struct OwedContext {
  std::vector<std::string> line_ids;                 ///< lines owed; empty: the order itself
  std::optional<model::TimePoint> modification_time; ///< of the listed version
};

/// The checked answer.
struct CheckedDetail {
  /// What to write: the order and its usable lines when the order is usable (its owed entry
  /// settled if complete, refreshed if not), and every rejected record.
  store::Batch batch;
  bool order_usable = false;
  /// Empty when everything arrived usable; else what is still wrong (also the owed reason).
  std::string problem;
};

/// Checks `detail`, the answer for `asked_id`, against `owed` and the `latest` believable
/// time, and builds the batch for `shop`.
CheckedDetail check_detail(model::OrderDetail detail, const std::string& asked_id,
                           const OwedContext& owed, model::TimePoint latest,
                           const std::string& shop);

} // namespace taosync::sync

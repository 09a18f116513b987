#pragma once
// What one write transaction carries.

#include "model/records.hpp"
#include "store/sync_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace taosync::store {

/// What is stored of one order's version: what decides whether a listing of it is news.
struct StoredVersion {
  model::TimePoint modification_time;
  std::string status;
  std::vector<std::string> line_ids;
};

/// Stored versions by order id: what decides which listed orders need their lines.
using StoredVersions = std::unordered_map<std::string, StoredVersion>;

/// An order the platform still owes: its listed record could not be stored (`line_ids`
/// empty), or some of its lines did not come back usable (`line_ids` names them).
struct OwedOrder {
  std::string trade_order_id;
  std::vector<std::string> line_ids;
  std::optional<model::TimePoint> modification_time; ///< of the version that was listed
  std::string reason;
};

/// One transaction's worth: orders, the complete line sets of some of them, rejected records,
/// and optionally the cursor. Everything commits together or not at all.
struct Batch {
  std::string shop;
  std::vector<model::Order> orders;
  /// Complete line sets of the orders in `lines_for`: their old lines, shipments and sku
  /// properties are replaced (only where the order row itself was written, i.e. not stale).
  std::vector<model::OrderLine> lines;
  std::vector<std::string> lines_for;
  std::vector<model::RejectedRecord> rejected;
  /// Remembered as owed in the same transaction, so the cursor can pass them safely.
  std::vector<OwedOrder> owed;
  /// Orders in `lines_for` whose line sets are complete: what they owed is settled, unless
  /// the stored row turned out newer (then the stored version may still owe).
  std::vector<std::string> settled;
  std::optional<SyncState> cursor;
};

/// What a write did.
struct WriteResult {
  std::uint64_t inserted = 0;            ///< orders new to the database
  std::uint64_t updated = 0;             ///< orders whose modification_time moved forward
  std::uint64_t unchanged = 0;           ///< same modification_time as stored
  std::uint64_t stale = 0;               ///< older than stored: ignored
  std::uint64_t lines = 0;               ///< line rows written
  std::uint64_t status_changes = 0;      ///< order status changes (a new order counts)
  std::uint64_t line_status_changes = 0; ///< line status changes (a new line counts)
  std::uint64_t changes = 0;             ///< rows added to the change feed
  std::uint64_t rejected = 0;
  std::uint64_t owed = 0;    ///< orders remembered as owed
  std::uint64_t settled = 0; ///< owed orders that arrived whole
  bool fresh = false; ///< none of its rows was stored: COPYed straight in (store/fresh_write.hpp)
  /// Where the write's time went, in seconds: checking and COPYing the rows into staging,
  /// the set-based statements (upserts, line sets, owed orders, cursor), the change feed with
  /// the fence, and the commit.
  struct Times {
    double copy = 0;
    double statements = 0;
    double feed = 0;
    double commit = 0;
  } times;
};

} // namespace taosync::store

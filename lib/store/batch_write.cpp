#include "store/batch_write.hpp"

#include "store/batch_check.hpp"
#include "store/batch_sql.hpp"
#include "store/change_feed.hpp"
#include "store/copy_rows.hpp"
#include "store/fresh_write.hpp"
#include "store/owed_rows.hpp"
#include "store/pq.hpp"
#include "store/state_rows.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <vector>

namespace taosync::store {
namespace {

constexpr Statement kUpsertOrders{"taosync_upsert_orders", sql::kUpsertOrders};
constexpr Statement kDeleteGoneLines{"taosync_delete_gone_lines", sql::kDeleteGoneLines};
constexpr Statement kPruneStagedLines{"taosync_prune_staged_lines", sql::kPruneStagedLines};
constexpr Statement kDeleteLineChildren{"taosync_delete_line_children", sql::kDeleteLineChildren};
constexpr Statement kInsertLines{"taosync_insert_lines", sql::kInsertLines};
constexpr Statement kInsertRejected{"taosync_insert_rejected", sql::kInsertRejected};

/// The staging tables of one transaction: kCreateStaging, dropped at the commit instead of
/// emptied, for a server session that is only this transaction's (a transaction pooler).
/// kSessionSetup's temp_buffers stays the server's: it may only be changed before a session's
/// first temp table, and a pooled server session may have had one.
std::string per_transaction_staging() {
  std::string ddl(sql::kCreateStaging);
  const auto replace_all = [&ddl](std::string_view from, std::string_view to) {
    for (auto at = ddl.find(from); at != std::string::npos; at = ddl.find(from, at + to.size()))
      ddl.replace(at, from.size(), to);
  };
  replace_all("ON COMMIT DELETE ROWS", "ON COMMIT DROP");
  return ddl;
}

void copy_sets(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  copy::Rows rows(tx, "stage_sets", {"trade_order_id"}, copy::Into::staging, shop);
  for (const auto& id : b.lines_for) {
    rows.begin();
    rows.text(id);
  }
  rows.complete();
}

void copy_rejected(pqxx::work& tx, const std::string& shop, const CheckedBatch& b) {
  copy::Rows rows(tx, "stage_rejected", {"endpoint", "record_id", "reason", "raw"},
                  copy::Into::staging, shop);
  for (const auto& r : b.rejected) {
    rows.begin();
    rows.text(r.endpoint);
    rows.text(r.record_id);
    rows.text(r.reason);
    rows.text(r.raw_json);
  }
  rows.complete();
}

/// Runs the orders upsert and adds its counts to `result`.
void upsert_orders(pqxx::work& tx, const Pooling& pooling, const std::string& shop,
                   WriteResult& result) {
  const auto row = run1(tx, pooling, kUpsertOrders, shop);
  result.inserted = row[0].as<std::uint64_t>();
  result.updated = row[1].as<std::uint64_t>();
  result.unchanged = row[2].as<std::uint64_t>();
  result.stale = row[3].as<std::uint64_t>();
  result.status_changes = row[4].as<std::uint64_t>();
}

/// Replaces the line sets left in stage_sets and records their changes; adds the line rows
/// written and the line status changes to `result`.
void replace_lines(pqxx::work& tx, const Pooling& pooling, const std::string& shop,
                   WriteResult& result) {
  run1(tx, pooling, kDeleteGoneLines, shop);
  run0(tx, pooling, kPruneStagedLines, shop);
  result.line_status_changes = record_line_changes(tx, pooling, shop); // before the old rows go
  run1(tx, pooling, kDeleteLineChildren, shop);
  result.lines = run1(tx, pooling, kInsertLines, shop)[0].as<std::uint64_t>();
}

} // namespace

void create_staging(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn, "staging");
  pq::run0(tx, std::string(sql::kSessionSetup));
  pq::run0(tx, std::string(sql::kCreateStaging));
}

void prepare_batch_statements(pqxx::connection& conn, const Pooling& pooling) {
  for (const Statement& s : {kUpsertOrders, kDeleteGoneLines, kPruneStagedLines,
                             kDeleteLineChildren, kInsertLines, kInsertRejected})
    prepare(conn, pooling, s);
  prepare_change_feed(conn, pooling);
  prepare_fresh_write(conn, pooling);
}

void prepare_batch_write(pqxx::connection& conn) {
  create_staging(conn);
  prepare_batch_statements(conn);
}

namespace {

using Clock = std::chrono::steady_clock;

/// Adds the time since the last lap to one phase of a write's times.
class Laps {
public:
  void lap(double& phase) {
    const auto now = Clock::now();
    phase += std::chrono::duration<double>(now - mark_).count();
    mark_ = now;
  }

private:
  Clock::time_point mark_ = Clock::now();
};

/// The orders and line sets of `checked` through staging and the set-based upserts, which
/// compare them with the stored rows.
void write_compared(pqxx::work& tx, const Pooling& pooling, const std::string& shop,
                    const CheckedBatch& checked, WriteResult& result, Laps& laps) {
  auto& times = result.times;
  if (!checked.orders.empty()) {
    copy::copy_orders(tx, checked, "stage_orders", copy::Into::staging, shop);
    laps.lap(times.copy);
    upsert_orders(tx, pooling, shop, result);
    laps.lap(times.statements);
  }
  if (!checked.lines_for.empty()) {
    copy::copy_lines(tx, checked, "stage_lines", copy::Into::staging, shop);
    copy::copy_line_children(tx, checked, "stage_shipments", "stage_sku", copy::Into::staging,
                             shop);
    laps.lap(times.copy);
    replace_lines(tx, pooling, shop, result);
    laps.lap(times.statements);
  }
}

/// One transaction of write_batch; `try_fresh`: write the rows fresh if none is stored.
WriteResult write_checked(pqxx::connection& conn, const Batch& batch, const CheckedBatch& checked,
                          const std::optional<Fence>& fence, const Pooling& pooling,
                          bool try_fresh) {
  Laps laps;
  WriteResult result;
  auto& times = result.times;
  pqxx::work tx(conn, "write_batch");
  pooling.begin(tx);
  if (pooling.per_transaction()) {
    static const std::string staging = per_transaction_staging();
    pq::run0(tx, staging);
  }
  if (!checked.lines_for.empty())
    copy_sets(tx, batch.shop, checked); // before the upsert, which drops the sets of stale orders
  const bool fresh = try_fresh && none_stored(tx, pooling, batch.shop, checked);
  laps.lap(times.statements);
  result.fresh = fresh;
  if (fresh) {
    copy_fresh(tx, batch.shop, checked, result);
    laps.lap(times.copy);
  } else {
    write_compared(tx, pooling, batch.shop, checked, result, laps);
  }
  if (!checked.rejected.empty()) {
    copy_rejected(tx, batch.shop, checked);
    run0(tx, pooling, kInsertRejected, batch.shop);
    result.rejected = checked.rejected.size();
  }
  // after the line sets: settling reads which sets were replaced (stage_sets)
  result.settled = settle_owed(tx, batch.shop, batch.settled);
  upsert_owed(tx, batch.shop, batch.owed);
  result.owed = batch.owed.size();
  if (batch.cursor) {
    SyncState state = *batch.cursor;
    if (state.shop.empty())
      state.shop = batch.shop;
    upsert_state(tx, state);
  }
  laps.lap(times.statements);
  check_fence(tx, batch.shop, fence); // its row lock is held only until the commit
  // last: it serializes change-writing transactions from here to their commit
  result.changes = fresh ? publish_new_changes(tx, pooling, batch.shop)
                         : publish_changes(tx, pooling, batch.shop);
  laps.lap(times.feed);
  tx.commit();
  laps.lap(times.commit);
  return result;
}

} // namespace

WriteResult write_batch(pqxx::connection& conn, const Batch& batch,
                        const std::optional<Fence>& fence, const Pooling& pooling) {
  Laps laps;
  const CheckedBatch checked = check_batch(batch);
  double checking = 0;
  laps.lap(checking);
  const auto write = [&] {
    if (fresh_candidate(checked)) {
      try {
        return write_checked(conn, batch, checked, fence, pooling, true);
      } catch (const pqxx::unique_violation&) {
        // a row was stored after all (a line under another order, or a one-shot command
        // beside a daemon without leases): the transaction is gone; compare instead
      }
    }
    return write_checked(conn, batch, checked, fence, pooling, false);
  };
  WriteResult result = write();
  result.times.copy += checking; // building the rows is part of copying them
  return result;
}

} // namespace taosync::store

#pragma once
// The COPY rows of a batch, written once for both places they go: the staging tables of a
// compared write and the real tables of a fresh one. The columns are the same but for their
// types: staging holds amounts and raw JSON as text, times as epoch milliseconds and an
// order's line ids as an array literal, and has no shop column; the real tables hold numeric,
// jsonb, timestamptz and text[], led by the shop. A Row writes each value in the type of the
// table it goes to.

#include "model/records.hpp"
#include "store/batch_check.hpp"
#include "store/binary_copy.hpp"

#include <pqxx/transaction>

#include <optional>
#include <string>
#include <vector>

namespace taosync::store::copy {

/// Where a batch's rows go.
enum class Into {
  tables,  ///< taosync.orders and the other real tables, with the shop
  staging, ///< the compared write's TEMP staging tables (store/batch_sql.hpp)
};

/// One COPY into a table of `into`, a row at a time, each value in the table's type.
class Rows {
public:
  /// `columns` as named in staging: into the real tables, the shop column comes first and
  /// begin() writes `shop` into it.
  Rows(pqxx::dbtransaction& tx, std::string_view table, const std::vector<std::string>& columns,
       Into into, const std::string& shop);

  /// Starts a row: the shop comes first in the real tables.
  void begin();
  void text(const std::string& s) { copy_.text(s); }
  void text(const std::optional<std::string>& s); ///< NULL when absent
  void int8(std::int64_t v) { copy_.int8(v); }
  void int4(std::int32_t v) { copy_.int4(v); }
  /// A record's raw JSON (NULL when absent): jsonb, or text in staging.
  void raw(const std::string& json);
  /// An amount (NULL when absent: numeric, or text in staging) and its currency code.
  void money(const model::Money& m);
  /// timestamptz, or epoch milliseconds in staging.
  void time(model::TimePoint t);
  /// text[], or its array literal in staging.
  void ids(const std::vector<std::string>& ids);

  void complete() { copy_.complete(); }

private:
  BinaryCopy copy_;
  Into into_;
  const std::string& shop_;
};

/// Every order of `b` into `table` (raw, the order's fields, its times and line ids).
void copy_orders(pqxx::dbtransaction& tx, const CheckedBatch& b, const char* table, Into into,
                 const std::string& shop);

/// Every line of `b` into `table` (raw, the line's fields, its times).
void copy_lines(pqxx::dbtransaction& tx, const CheckedBatch& b, const char* table, Into into,
                const std::string& shop);

/// The shipments and sku properties of `b`'s lines into `shipments_table` and `props_table`.
void copy_line_children(pqxx::dbtransaction& tx, const CheckedBatch& b, const char* shipments_table,
                        const char* props_table, Into into, const std::string& shop);

} // namespace taosync::store::copy

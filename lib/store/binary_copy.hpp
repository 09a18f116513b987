#pragma once
// COPY ... FROM STDIN in PostgreSQL's binary format. The server takes each value as it is sent
// (a length and the bytes, or a number in network order) instead of splitting escaped text
// and parsing every field back: the batch writes' COPYs cost the backend about a fifth less,
// and the connection's thread no longer escapes every byte of the raw JSON.

#include "model/records.hpp"

#include <pqxx/transaction>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::store {

/// One COPY of rows into `table` (`columns`, in order), inside `tx`. A row is begin_row()
/// followed by exactly one value per column; complete() ends the COPY and reports what the
/// server refused as pqxx does (pqxx::unique_violation for a duplicate key, pqxx::sql_error
/// with the SQLSTATE otherwise, pqxx::broken_connection for a lost connection). Destroyed
/// before complete(), it abandons the COPY and leaves the transaction failed.
class BinaryCopy {
public:
  BinaryCopy(pqxx::dbtransaction& tx, std::string_view table,
             const std::vector<std::string>& columns);
  ~BinaryCopy();
  BinaryCopy(const BinaryCopy&) = delete;
  BinaryCopy& operator=(const BinaryCopy&) = delete;

  void begin_row();

  void null();
  void text(std::string_view s);
  void int8(std::int64_t v);
  void int4(std::int32_t v);
  /// A plain decimal (model::is_decimal: -?digits[.digits]) as numeric.
  void numeric(std::string_view decimal);
  /// A time as timestamptz (microseconds from 2000-01-01 UTC).
  void timestamptz(model::TimePoint t);
  /// A one-dimensional text[] (empty: '{}').
  void text_array(const std::vector<std::string>& items);
  /// JSON text as jsonb (the server parses it, as it would the text form).
  void jsonb(std::string_view json);

  void complete();

private:
  void field_length(std::int32_t n);
  void end_row_check() const;
  void send(bool force);

  std::string statement_; ///< named in errors
  pqxx::internal::pq::PGconn* conn_;
  std::string buffer_;
  std::int16_t columns_;
  std::int16_t in_row_ = -1; ///< values written in the current row; -1 before the first
  bool done_ = false;
};

} // namespace taosync::store

#include "store/binary_copy.hpp"
#include "store/pq.hpp"

#include <libpq-fe.h>
#include <pqxx/except>
#include <pqxx/largeobject>

#include <array>
#include <chrono>
#include <stdexcept>
#include <type_traits>

namespace taosync::store {
namespace {

/// Bytes sent to the server at a time.
constexpr std::size_t kSendAt = 256 * 1024;

/// The libpq connection under a pqxx transaction. libpqxx 6.4 hands it out only to large
/// objects (a protected static of pqxx::largeobject), and its own COPY (stream_to) writes
/// text; this class exists to reach it.
struct ConnectionOf : pqxx::largeobject {
  static PGconn* get(const pqxx::dbtransaction& tx) { return raw_connection(tx); }
};

// The signature, then the flags (no OIDs) and the length of a header extension (none).
constexpr std::array<char, 19> kHeader{'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n',
                                       0,   0,   0,   0,   0,   0,   0,    0,      0};

/// Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01 UTC.
constexpr std::int64_t kPostgresEpochUs = 946'684'800'000'000;

constexpr std::uint32_t kTextOid = 25;

/// `v` in network byte order (big-endian), as every number of the binary format.
template <class T> void put_be(std::string& out, T v) {
  const auto u = static_cast<std::make_unsigned_t<T>>(v);
  char bytes[sizeof u];
  for (std::size_t i = 0; i < sizeof u; ++i)
    bytes[i] = static_cast<char>(u >> (8 * (sizeof u - 1 - i)));
  out.append(bytes, sizeof u);
}

/// "a, b, c": the column list of the COPY statement.
std::string column_list(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) {
    if (!out.empty())
      out += ", ";
    out += c;
  }
  return out;
}

/// The server's error after a failed COPY, as pqxx would have thrown it.
[[noreturn]] void throw_result_error(PGconn* conn, PGresult* r, const std::string& statement) {
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  std::string state;
  if (r)
    if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE))
      state = s;
  if (r)
    PQclear(r);
  if (PQstatus(conn) == CONNECTION_BAD)
    throw pqxx::broken_connection(message);
  if (state == "23505")
    throw pqxx::unique_violation(message, statement, state.c_str());
  throw pqxx::sql_error(message, statement, state.empty() ? nullptr : state.c_str());
}

/// Reads the results left after the end of a COPY; throws the first error.
void finish(PGconn* conn, const std::string& statement) {
  PGresult* failed = nullptr;
  while (PGresult* r = PQgetResult(conn)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && failed == nullptr) {
      failed = r;
      continue;
    }
    PQclear(r);
  }
  if (failed != nullptr || PQstatus(conn) == CONNECTION_BAD)
    throw_result_error(conn, failed, statement);
}

} // namespace

BinaryCopy::BinaryCopy(pqxx::dbtransaction& tx, std::string_view table,
                       const std::vector<std::string>& columns)
    : statement_("COPY " + std::string(table) + " (" + column_list(columns) +
                 ") FROM STDIN (FORMAT binary)"),
      conn_(ConnectionOf::get(tx)), columns_(static_cast<std::int16_t>(columns.size())) {
  pq::run0(tx, statement_);
  buffer_.reserve(kSendAt + 64 * 1024);
  buffer_.append(kHeader.data(), kHeader.size());
}

BinaryCopy::~BinaryCopy() {
  if (done_ || PQstatus(conn_) == CONNECTION_BAD)
    return;
  // Unwinding: end the COPY so that the connection can roll the transaction back.
  PQputCopyEnd(conn_, "abandoned by the writer");
  while (PGresult* r = PQgetResult(conn_))
    PQclear(r);
}

void BinaryCopy::end_row_check() const {
  if (in_row_ >= 0 && in_row_ != columns_)
    throw std::logic_error(statement_ + ": a row of " + std::to_string(in_row_) + " values for " +
                           std::to_string(columns_) + " columns");
}

void BinaryCopy::begin_row() {
  end_row_check();
  send(false);
  put_be<std::int16_t>(buffer_, columns_);
  in_row_ = 0;
}

void BinaryCopy::field_length(std::int32_t n) {
  put_be<std::int32_t>(buffer_, n);
  ++in_row_;
}

void BinaryCopy::null() {
  field_length(-1);
}

void BinaryCopy::text(std::string_view s) {
  field_length(static_cast<std::int32_t>(s.size()));
  buffer_.append(s);
}

void BinaryCopy::int8(std::int64_t v) {
  field_length(8);
  put_be<std::int64_t>(buffer_, v);
}

void BinaryCopy::int4(std::int32_t v) {
  field_length(4);
  put_be<std::int32_t>(buffer_, v);
}

void BinaryCopy::numeric(std::string_view decimal) {
  // numeric's binary form: ndigits, weight (of the first digit, in base-10000 places from the
  // point), sign, display scale, then the base-10000 digits, leading and trailing zero digits
  // dropped.
  const bool negative = !decimal.empty() && decimal.front() == '-';
  if (negative)
    decimal.remove_prefix(1);
  const auto point = decimal.find('.');
  const std::string_view whole = decimal.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : decimal.substr(point + 1);
  // Digits in groups of four aligned on the point: pad the whole part on the left and the
  // fraction on the right.
  const std::size_t lead = (4 - whole.size() % 4) % 4;
  std::string digits(lead, '0');
  digits.append(whole);
  const auto whole_groups = static_cast<std::int16_t>(digits.size() / 4);
  digits.append(fraction);
  digits.append((4 - fraction.size() % 4) % 4, '0');
  std::vector<std::int16_t> groups;
  groups.reserve(digits.size() / 4);
  for (std::size_t i = 0; i < digits.size(); i += 4)
    groups.push_back(static_cast<std::int16_t>((digits[i] - '0') * 1000 +
                                               (digits[i + 1] - '0') * 100 +
                                               (digits[i + 2] - '0') * 10 + (digits[i + 3] - '0')));
  std::size_t first = 0;
  while (first < groups.size() && groups[first] == 0)
    ++first;
  std::size_t end = groups.size();
  while (end > first && groups[end - 1] == 0)
    --end;
  const auto ndigits = static_cast<std::int16_t>(end - first);
  const auto weight =
      ndigits == 0 ? std::int16_t{0} : static_cast<std::int16_t>(whole_groups - 1 - first);
  const std::int16_t sign = negative && ndigits > 0 ? 0x4000 : 0x0000;
  field_length(8 + 2 * ndigits);
  put_be<std::int16_t>(buffer_, ndigits);
  put_be<std::int16_t>(buffer_, weight);
  put_be<std::int16_t>(buffer_, sign);
  put_be<std::int16_t>(buffer_, static_cast<std::int16_t>(fraction.size()));
  for (std::size_t i = first; i < end; ++i)
    put_be<std::int16_t>(buffer_, groups[i]);
}

void BinaryCopy::timestamptz(model::TimePoint t) {
  const std::int64_t us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  int8(us - kPostgresEpochUs);
}

void BinaryCopy::text_array(const std::vector<std::string>& items) {
  // ndim, has-nulls flag, element type; then each dimension's length and lower bound (none
  // for an empty array); then each element as a length and its bytes.
  std::size_t bytes = 12 + (items.empty() ? 0 : 8);
  for (const auto& s : items)
    bytes += 4 + s.size();
  field_length(static_cast<std::int32_t>(bytes));
  put_be<std::int32_t>(buffer_, items.empty() ? 0 : 1);
  put_be<std::int32_t>(buffer_, 0);
  put_be<std::uint32_t>(buffer_, kTextOid);
  if (!items.empty()) {
    put_be<std::int32_t>(buffer_, static_cast<std::int32_t>(items.size()));
    put_be<std::int32_t>(buffer_, 1);
  }
  for (const auto& s : items) {
    put_be<std::int32_t>(buffer_, static_cast<std::int32_t>(s.size()));
    buffer_.append(s);
  }
}

void BinaryCopy::jsonb(std::string_view json) {
  field_length(static_cast<std::int32_t>(json.size() + 1));
  buffer_.push_back('\1'); // jsonb's binary form: version 1, then the JSON text
  buffer_.append(json);
}

void BinaryCopy::send(bool force) {
  if (buffer_.empty() || (!force && buffer_.size() < kSendAt))
    return;
  if (PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1)
    throw_result_error(conn_, nullptr, statement_);
  buffer_.clear();
}

void BinaryCopy::complete() {
  end_row_check();
  put_be<std::int16_t>(buffer_, -1); // the trailer
  send(true);
  done_ = true;
  if (PQputCopyEnd(conn_, nullptr) != 1)
    throw_result_error(conn_, nullptr, statement_);
  finish(conn_, statement_);
}

} // namespace taosync::store

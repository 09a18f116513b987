// COPY in binary format against a real server: every value type the batch writes use reads
// back as the value sent, and a refused COPY is reported as pqxx reports errors, leaving the
// connection usable.

#include "store/binary_copy.hpp"
#include "store/pq.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include <stdexcept>
#include <string>
#include <vector>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr const char* kTable = R"sql(
CREATE TEMP TABLE copied (
  n int PRIMARY KEY, t text, i8 bigint, i4 integer, d numeric, at timestamptz, ids text[], j jsonb
))sql";

const std::vector<std::string> kColumns{"n", "t", "i8", "i4", "d", "at", "ids", "j"};

/// Copies one row per decimal of `decimals` and reads the numerics back as text, in order.
std::vector<std::string> numerics(pqxx::connection& conn,
                                  const std::vector<std::string>& decimals) {
  pqxx::work tx(conn);
  pq::run0(tx, kTable);
  BinaryCopy copy(tx, "copied", {"n", "d"});
  int n = 0;
  for (const auto& d : decimals) {
    copy.begin_row();
    copy.int4(n++);
    copy.numeric(d);
  }
  copy.complete();
  std::vector<std::string> out;
  for (const auto& row : tx.exec("SELECT d::text FROM copied ORDER BY n"))
    out.push_back(row[0].as<std::string>());
  return out;
}

/// A row of `n` alone (every other column NULL).
void id_row(BinaryCopy& copy, int n) {
  copy.begin_row();
  copy.int4(n);
  for (std::size_t i = 1; i < kColumns.size(); ++i)
    copy.null();
}

} // namespace

TEST_CASE("binary COPY: numerics read back as PostgreSQL reads the same decimals as text") {
  pqxx::connection conn(fresh_database());
  const std::vector<std::string> sent{"0",      "0.00",    "-0.50",      "7",
                                      "007",    "10000",   "9999.9999",  "12345.67",
                                      "0.0001", "-0.0001", "1.10",       "100000000",
                                      "-42",    "1.00000", "0.5",        "20000.0001",
                                      "-0",     "-0.00",   "99999999.5", "123456789.123456789"};
  const std::vector<std::string>& decimals = sent;
  const auto copied = numerics(conn, decimals);
  REQUIRE(copied.size() == decimals.size());
  pqxx::work tx(conn);
  for (std::size_t i = 0; i < decimals.size(); ++i) {
    INFO("sent " << decimals[i]);
    CHECK(copied[i] == pq::run1(tx, "SELECT $1::numeric::text", decimals[i])[0].as<std::string>());
  }
}

TEST_CASE("binary COPY: text, integers, times, text arrays, jsonb and NULLs read back as sent") {
  pqxx::connection conn(fresh_database());
  pqxx::work tx(conn);
  pq::run0(tx, kTable);
  const std::string text = "tab\there, new\nline, back\\slash, 台灣";
  const std::vector<std::int64_t> times{0, -1, 1592988843859,
                                        -62135596800000,  // 0001-01-01
                                        253402300799999}; // 9999-12-31 23:59:59.999
  const std::vector<std::string> ids{"600599161133", "a,b", "q\"uote", "{}", ""};
  const std::string json = R"({"note":"tab\tand \\ backslash 台","n":[1,2.5,null]})";
  {
    BinaryCopy copy(tx, "copied", kColumns);
    for (std::size_t n = 0; n < times.size(); ++n) {
      copy.begin_row();
      copy.int4(static_cast<std::int32_t>(n));
      copy.text(text);
      copy.int8(-9007199254740993LL);
      copy.int4(-7);
      copy.numeric("12.5");
      copy.timestamptz(at_ms(times[n]));
      copy.text_array(n == 0 ? std::vector<std::string>{} : ids);
      copy.jsonb(json);
    }
    id_row(copy, 99);
    copy.complete();
  }
  const auto rows = pq::run(tx, R"sql(
    SELECT t, i8, i4, d::text, (extract(epoch FROM at) * 1000)::bigint, ids::text,
           j = $1::jsonb, ids = $2::text[]
    FROM copied WHERE n < 99 ORDER BY n)sql",
                            json, R"({600599161133,"a,b","q\"uote","{}",""})");
  REQUIRE(rows.size() == times.size());
  for (std::size_t n = 0; n < times.size(); ++n) {
    INFO("row " << n);
    CHECK(rows[n][0].as<std::string>() == text);
    CHECK(rows[n][1].as<std::int64_t>() == -9007199254740993LL);
    CHECK(rows[n][2].as<int>() == -7);
    CHECK(rows[n][3].as<std::string>() == "12.5");
    CHECK(rows[n][4].as<std::int64_t>() == times[n]);
    if (n == 0)
      CHECK(rows[n][5].as<std::string>() == "{}");
    else
      CHECK(rows[n][7].as<bool>());
    CHECK(rows[n][6].as<bool>());
  }
  CHECK(pq::run1(tx, "SELECT t IS NULL AND i8 IS NULL AND i4 IS NULL AND d IS NULL AND at IS NULL "
                     "AND ids IS NULL AND j IS NULL FROM copied WHERE n = 99")[0]
            .as<bool>());
}

TEST_CASE("binary COPY: a duplicate key is a unique_violation, and the connection stays usable") {
  pqxx::connection conn(fresh_database());
  {
    pqxx::work tx(conn);
    pq::run0(tx, kTable);
    BinaryCopy copy(tx, "copied", kColumns);
    id_row(copy, 1);
    id_row(copy, 1);
    CHECK_THROWS_AS(copy.complete(), pqxx::unique_violation);
  }
  pqxx::work tx(conn);
  CHECK(pq::run1(tx, "SELECT 1")[0].as<int>() == 1);
}

TEST_CASE("binary COPY: a refused value names its SQLSTATE; an unfinished COPY is abandoned") {
  pqxx::connection conn(fresh_database());
  {
    pqxx::work tx(conn);
    pq::run0(tx, kTable);
    BinaryCopy copy(tx, "copied", {"n", "j"});
    copy.begin_row();
    copy.int4(1);
    copy.jsonb("{not json");
    try {
      copy.complete();
      FAIL("the server took invalid JSON");
    } catch (const pqxx::sql_error& e) {
      CHECK(e.sqlstate() == "22P02");
      CHECK(std::string(e.what()).find("json") != std::string::npos);
    }
  }
  {
    pqxx::work tx(conn);
    pq::run0(tx, kTable);
    BinaryCopy copy(tx, "copied", kColumns);
    copy.begin_row();
    copy.int4(1);
    CHECK_THROWS_AS(copy.begin_row(), std::logic_error); // a row of 1 value for 8 columns
  } // the COPY is abandoned and the transaction rolled back
  pqxx::work tx(conn);
  CHECK(pq::run1(tx, "SELECT count(*) FROM pg_class WHERE relname = 'copied'")[0].as<int>() == 0);
}

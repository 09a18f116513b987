#include "api/field_reader.hpp"
#include "api/lazada/time_text.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <chrono>

using namespace std::chrono_literals;
using taosync::api::FieldReader;
using taosync::api::lazada::format_time;
using taosync::api::lazada::parse_time;
using taosync::model::TimePoint;

namespace {

// 2014-10-08T14:30:25Z, the instant of the documentation's example "2014-10-08 22:30:25 +0800".
constexpr TimePoint kDocExample{1412778625000ms};

} // namespace

TEST_CASE("both spellings of Lazada's answers name the same instant") {
  CHECK(parse_time("2014-10-08 22:30:25 +0800") == kDocExample);
  CHECK(parse_time("2014-10-08T22:30:25+08:00") == kDocExample);
  CHECK(parse_time("2014-10-08T14:30:25Z") == kDocExample);
  CHECK(parse_time("2014-10-08 14:30:25 +0000") == kDocExample);
  CHECK(parse_time("2014-10-08T07:00:25-07:30") == kDocExample);
}

TEST_CASE("a time that names no real instant is refused, not guessed") {
  for (const char* bad :
       {"", "2014-10-08", "2014-10-08 22:30:25", "2014-10-08 22:30:25 +08",
        "2014-02-30 22:30:25 +0800", "2014-10-08 24:00:00 +0800", "2014-10-08 22:60:25 +0800",
        "2014-10-08 22:30:60 +0800", "2014-10-08 22:30:25 +1500", "2014-10-08 22:30:25 +08:60",
        "2014-10-08T22:30:25.123+08:00", "2014-10-08X22:30:25+08:00", "2014-1a-08 22:30:25 +0800",
        "1412778625000", "2014-10-08 22:30:25 Z8"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_time(bad));
  }
}

TEST_CASE("filters are written in UTC with an explicit offset, whole seconds") {
  CHECK(format_time(kDocExample) == "2014-10-08T14:30:25+00:00");
  CHECK(format_time(kDocExample + 999ms) == "2014-10-08T14:30:25+00:00");
  CHECK(parse_time(format_time(kDocExample + 999ms)) == kDocExample);
}

TEST_CASE("ids and counts are read whether they come as numbers or as strings") {
  const auto record = boost::json::parse(
                          R"({"order_id": 42922, "order_number": "300034697", "count": "17",
                              "countTotal": 17})")
                          .as_object();
  FieldReader reader(record);
  CHECK(reader.id_or_number("order_id") == "42922");
  CHECK(reader.id_or_number("order_number") == "300034697");
  CHECK(reader.integer_or_text("count") == 17);
  CHECK(reader.integer_or_text("countTotal") == 17);
  CHECK(reader.ok());
}

TEST_CASE("an id or a count that is neither a whole number nor digits names the field") {
  const auto record =
      boost::json::parse(
          R"({"order_id": -5, "item": 1.5, "count": "17 orders", "huge": "99999999999999999999",
                              "flag": true, "empty": ""})")
          .as_object();
  const auto reason = [&](auto read) {
    FieldReader reader(record);
    read(reader);
    return reader.reason();
  };
  CHECK(reason([](FieldReader& r) { r.id_or_number("order_id"); }) == "order_id: negative id (-5)");
  CHECK(reason([](FieldReader& r) {
          r.id_or_number("item");
        }).starts_with("item: expected an integer"));
  CHECK(reason([](FieldReader& r) {
          r.id_or_number("flag");
        }).starts_with("flag: expected an integer"));
  CHECK(reason([](FieldReader& r) { r.id_or_number("empty"); }) == "empty: empty id");
  CHECK(reason([](FieldReader& r) { r.id_or_number("absent"); }) == "absent: missing");
  CHECK(reason([](FieldReader& r) { r.integer_or_text("count"); }) == "count: not an integer");
  CHECK(reason([](FieldReader& r) { r.integer_or_text("huge"); }) ==
        "huge: integer out of range (past int64)");
  CHECK(reason([](FieldReader& r) { r.integer_or_text("empty"); }) == "empty: not an integer");
}

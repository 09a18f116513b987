// Numbers a jsonb document cannot hold are found in a record's text, as PostgreSQL 13 reads
// them; every other number passes.

#include "api/record_checks.hpp"

#include <boost/json/parse.hpp>
#include <doctest/doctest.h>

#include <string>

using namespace taosync::api;

TEST_CASE("numbers PostgreSQL's numeric holds pass") {
  for (const char* ok : {"0", "-0", "1592990587586", "99999999999999999999", "1E308", "1.5e-7",
                         "-12.50", "1e1000", "1e-1000", "0E0", "9.99989E-321"}) {
    CAPTURE(ok);
    CHECK(number_problem(ok) == std::nullopt);
  }
  CHECK(number_problem("1" + std::string(131072, '0')) != std::nullopt);
  CHECK(number_problem("1" + std::string(131071, '0')) == std::nullopt);
  CHECK(number_problem("0." + std::string(16383, '1')) == std::nullopt);
}

TEST_CASE("a huge exponent, too many digits or a serializer's Infinity is refused") {
  CHECK(number_problem("1e999999") == "its exponent is past ±1000");
  CHECK(number_problem("1e-1001") == "its exponent is past ±1000");
  CHECK(number_problem("0e-99999999") == "its exponent is past ±1000");
  CHECK(number_problem("1e99999999999999999999999") == "its exponent is past ±1000");
  CHECK(number_problem("0." + std::string(16384, '1')) ==
        "more than 16383 digits after the decimal point");
  CHECK(number_problem("Infinity") == "not a finite number");
  CHECK(number_problem("-Infinity") == "not a finite number");
  CHECK(number_problem("NaN") == "not a finite number");
}

TEST_CASE("a record's number jsonb cannot hold is its problem, named with where it is") {
  const std::string raw = R"({"trade_order_id":"1","status":"x","weight":1e999999,"n":"1e999999"})";
  const auto problem = record_text_problem(raw, boost::json::parse(raw));
  REQUIRE(problem);
  CHECK(*problem == "record holds a number jsonb cannot store at byte 44: 1e999999 (its "
                    "exponent is past ±1000)");
  // Inside a string it is text, not a number.
  const std::string text = R"({"note":"1e999999","n":12})";
  CHECK(record_text_problem(text, boost::json::parse(text)) == std::nullopt);
  CHECK(stored_number_problem(R"({"a":Infinity})") ==
        "record holds a number jsonb cannot store at byte 5: Infinity (not a finite number)");
  CHECK(stored_number_problem(R"({"a":true,"b":null,"c":false,"d":[1,2.5E3]})") == std::nullopt);
}

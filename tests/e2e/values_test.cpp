// Values the database cannot hold, and answers that say when to come back. The simulator
// tells one value lie in every answer (text that decodes to no character, a NUL, a number past
// any column or jsonb, an id past the id limit): each such record lands in rejected_records
// with its reason, the rest of its page lands, `taosyncd once` exits 0 (nothing that cannot
// exist is owed), and once the platform behaves the database converges to the truth. A 503 or
// 429 that says Retry-After is asked again no sooner than it said.

#include "scenario.hpp"
#include "store/pq.hpp"
#include "truth_stream.hpp"

#include <pqxx/pqxx>

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

namespace taosync::e2e {
namespace {

namespace json = boost::json;

constexpr const char* kOrdersSql = "SELECT count(*) FROM taosync.orders WHERE shop = $1";
constexpr const char* kListingRejectsSql =
    "SELECT count(DISTINCT record_id) FROM taosync.rejected_records "
    "WHERE shop = $1 AND endpoint = '/orders/get'";
constexpr const char* kReasonsSql =
    "SELECT coalesce(string_agg(DISTINCT reason, E'\\n'), '') FROM taosync.rejected_records "
    "WHERE shop = $1";
// An owed order must be one the platform can be asked for: a plain id within 64 bytes.
constexpr const char* kImpossibleOwedSql =
    "SELECT count(*) FROM taosync.owed_orders "
    "WHERE shop = $1 AND (length(trade_order_id) > 64 OR trade_order_id !~ '^[0-9]+$')";

/// One value lie, told in every answer, and what its rejections must say.
struct ValueCase {
  std::string lie;
  std::string seed;
  std::vector<std::string> reasons; ///< each must be part of some rejection's reason
  bool converges = true;            ///< false: its records name orders that cannot exist
};

/// Checks that every order the database lacks was rejected from a listing under an id that
/// runs on from its own (long_id): nothing else went missing.
void check_missing_were_rejected(Scenario& s) {
  std::set<std::string> truth;
  stream_truth(s.sim().port(), [&](json::object&& o) {
    truth.insert(std::string(o.at("trade_order_id").as_string()));
  });
  pqxx::connection conn(s.db_url());
  pqxx::nontransaction tx(conn);
  int missing = 0;
  for (const auto& id : truth) {
    const auto stored =
        store::pq::run(tx, "SELECT 1 FROM taosync.orders WHERE shop = $1 AND trade_order_id = $2",
                       s.config().shop, id);
    if (!stored.empty())
      continue;
    ++missing;
    const auto rejected = store::pq::run(
        tx,
        "SELECT 1 FROM taosync.rejected_records WHERE shop = $1 AND endpoint = '/orders/get' "
        "AND position($2 IN raw) > 0",
        s.config().shop, "\"trade_order_id\":\"" + id);
    CHECK_MESSAGE(!rejected.empty(), "order " << id << " is neither stored nor rejected");
  }
  MESSAGE(missing << " order(s) rejected under ids that cannot exist");
}

/// The init and a second run against a platform telling `c.lie` in every answer; then the
/// checks; then the platform behaves and the database must converge.
void one_bad_value_per_answer(const ValueCase& c) {
  Scenario s({"--orders", "300", "--seed", c.seed, "--lie", c.lie + "=1"});

  // Nothing the lie does stops a run, and nothing that cannot exist is asked for.
  const int init = s.run_once(90s);
  CHECK_MESSAGE(init == 0, "taosyncd once (init) exited " << init << "\n" << s.last_log());
  const int again = s.run_once(90s);
  CHECK_MESSAGE(again == 0, "taosyncd once exited " << again << "\n" << s.last_log());
  CHECK(s.query(kImpossibleOwedSql) == "0");

  // The bad record of each page is rejected with its reason; the rest of its page lands.
  const auto stats = s.stats();
  const auto truth = stat_number(stats, "orders");
  CHECK_MESSAGE(stat_number(stats, "lies." + c.lie) > 0, c.lie << " was never told");
  const auto listings = stat_calls(stats, "/orders/get", "ok");
  const auto stored = std::stoll(s.query(kOrdersSql));
  const auto rejected = std::stoll(s.query(kListingRejectsSql));
  MESSAGE(c.lie << ": " << stored << " of " << truth << " orders stored, " << rejected
                << " rejected from " << listings << " listing answers");
  CHECK(rejected > 0);
  CHECK(stored >= truth - listings); // at most one record of an answer lies
  CHECK(stored + rejected >= truth);
  const auto reasons = s.query(kReasonsSql);
  for (const auto& reason : c.reasons)
    CHECK_MESSAGE(reasons.find(reason) != std::string::npos, "no rejection says \""
                                                                 << reason << "\"; they say:\n"
                                                                 << reasons);

  // The platform behaves: runs exit 0 and what was owed arrives.
  s.sim().control(R"({"lies":{")" + c.lie + R"(":0}})");
  REQUIRE_MESSAGE(s.settle(3), s.last_log());
  CHECK(s.query(kImpossibleOwedSql) == "0");
  if (c.converges) {
    const auto report = s.compare();
    CHECK_MESSAGE(report.differences() == 0, report.summary());
    CHECK(s.query("SELECT count(*) FROM taosync.owed_orders WHERE shop = $1") == "0");
  } else {
    const auto report = s.compare({}, true);
    CHECK_MESSAGE(report.extra + report.mismatched + report.stale == 0, report.summary());
    check_missing_were_rejected(s);
  }
  // Secrets never reach the log.
  for (const char* secret : {"test-app-secret", "test-access-token", "test-refresh-token"})
    CHECK(s.last_log().find(secret) == std::string::npos);
}

TEST_CASE("values: a surrogate escape that decodes to nothing spoils one record") {
  one_bad_value_per_answer(
      {.lie = "bad_escape", .seed = "71", .reasons = {"text that decodes to no character"}});
}

TEST_CASE("values: a NUL, escaped, raw or nested in sku_info, spoils one record") {
  one_bad_value_per_answer(
      {.lie = "nul",
       .seed = "72",
       .reasons = {"buyer_full_name: contains a NUL character", "a raw NUL character",
                   "sku_info: [0].valueText: contains a NUL character"}});
}

TEST_CASE("values: a number past int64 or past jsonb spoils one record") {
  one_bad_value_per_answer(
      {.lie = "huge_number",
       .seed = "73",
       .reasons = {"creation_time: integer out of range (past int64)",
                   "quantity: integer out of range (past int64)", "number jsonb cannot store"}});
}

TEST_CASE("values: an id past the limit is rejected whole or hashed, and never owed") {
  one_bad_value_per_answer({.lie = "long_id",
                            .seed = "74",
                            .reasons = {"trade_order_id: id too long"},
                            .converges = false});
}

TEST_CASE("values: the rejected ids are whole or marked hashes, never cut short") {
  Scenario s({"--orders", "300", "--seed", "75", "--lie", "long_id=1"});
  REQUIRE_MESSAGE(s.run_once(90s) == 0, s.last_log());
  // Every listing rejection names its order by more than the 64 bytes an id may have.
  CHECK(s.query("SELECT count(*) FROM taosync.rejected_records WHERE shop = $1 AND "
                "endpoint = '/orders/get' AND length(record_id) <= 64") == "0");
  CHECK(std::stoll(s.query("SELECT count(*) FROM taosync.rejected_records WHERE shop = $1 AND "
                           "record_id LIKE '#too-long:sha256:%'")) > 0);
  CHECK(std::stoll(s.query("SELECT count(*) FROM taosync.rejected_records WHERE shop = $1 AND "
                           "length(record_id) BETWEEN 65 AND 256 AND record_id ~ '^[0-9]+$'")) > 0);
}

/// Answers the next call of `once` with `status` and Retry-After: 3; returns how long the
/// daemon waited before its next call, as the simulator saw it.
std::int64_t waited_after(Scenario& s, int status) {
  s.sim().control(R"({"unavailable_calls":1,"retry_after":3,"unavailable_status":)" +
                  std::to_string(status) + "}");
  const int code = s.run_once(60s);
  CHECK_MESSAGE(code == 0, "taosyncd once exited " << code << "\n" << s.last_log());
  CHECK_MESSAGE(s.last_log().find("Retry-After: 3s") != std::string::npos, s.last_log());
  const auto stats = s.stats();
  const auto back = stat_number(stats, "unavailable.next_call_ms");
  REQUIRE(back > 0);
  return back - stat_number(stats, "unavailable.last_ms");
}

TEST_CASE(
    "retry-after: a 503 or 429 that says Retry-After: 3 is asked again 3 s later, not sooner") {
  Scenario s({"--orders", "50", "--seed", "76"});
  REQUIRE_MESSAGE(s.run_once(60s) == 0, s.last_log()); // the init: then one call at a time
  const auto after_503 = waited_after(s, 503);
  MESSAGE("after the 503 the daemon came back in " << after_503 << " ms");
  CHECK(after_503 >= 3000); // the backoff alone would be 50 ms at most
  CHECK(after_503 < 10000);
  const auto after_429 = waited_after(s, 429);
  MESSAGE("after the 429 the daemon came back in " << after_429 << " ms");
  CHECK(after_429 >= 3000);
  CHECK(after_429 < 10000);
  CHECK(stat_calls(s.stats(), "/orders/get", "http_503") == 1);
  CHECK(stat_calls(s.stats(), "/orders/get", "http_429") == 1);
}

} // namespace
} // namespace taosync::e2e

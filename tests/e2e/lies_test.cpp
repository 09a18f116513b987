// A lying platform: the simulator tells one kind of lie at a time (well-formed answers that are
// inconsistent: short pages, wrong counts, missing or foreign lines, impossible times, bad
// bytes, ambiguous keys) while taosyncd runs its init and follows a live shop. Nothing wrong is
// stored, no request is asked in a tight loop, and once the platform is honest again the
// database converges to /_sim/truth, so the cursor never passed what it could not verify.

#include "scenario.hpp"
#include "store/pq.hpp"
#include "truth_stream.hpp"

#include <boost/json/serialize.hpp>
#include <pqxx/pqxx>

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <set>
#include <thread>

namespace taosync::e2e {
namespace {}
namespace {

namespace json = boost::json;

/// A lie kind as the simulator names it, and how often it is told.
struct LieSetting {
  std::string kind;
  double rate = 0.3; ///< moderate: an answer is honest often enough to make progress
};

/// A hot loop asks one request dozens of times a second. Retries of a failed call (full-jitter
/// backoff from 200 ms, below) may legitimately repeat it a few times within one second; six
/// needs five failures in a row at rate 0.3, all retried within that second.
constexpr std::int64_t kMaxIdenticalPerSecond = 6;

/// The truth's orders, and the order of every line.
struct TruthIds {
  std::set<std::string> orders;
  std::map<std::string, std::string> line_owner;
};

TruthIds truth_ids(Scenario& s) {
  TruthIds ids;
  stream_truth(s.sim().port(), [&](json::object&& o) {
    std::string id(o.at("trade_order_id").as_string());
    ids.orders.insert(id);
    for (const auto& l : o.at("trade_order_line_list").as_array())
      ids.line_owner[std::string(l.at("trade_order_line_id").as_string())] = id;
  });
  return ids;
}

constexpr const char* kOrderIdsSql = "SELECT trade_order_id FROM taosync.orders WHERE shop = $1";
constexpr const char* kLineIdsSql =
    "SELECT trade_order_line_id, trade_order_id FROM taosync.order_lines WHERE shop = $1";
constexpr const char* kFutureOrdersSql =
    "SELECT count(*) FROM taosync.orders WHERE shop = $1 AND modification_time > now() + "
    "interval '1 day'";
constexpr const char* kFutureLinesSql =
    "SELECT count(*) FROM taosync.order_lines WHERE shop = $1 AND modification_time > now() + "
    "interval '1 day'";

/// Checks that the database holds nothing the truth does not: no order or line the shop never
/// had, no line under an order other than its own, no modification_time in the future.
void check_nothing_invented(Scenario& s) {
  auto truth = truth_ids(s);
  pqxx::connection conn(s.db_url());
  pqxx::nontransaction tx(conn);
  int extra_orders = 0;
  for (const auto& row : store::pq::run(tx, kOrderIdsSql, s.config().shop))
    if (!truth.orders.contains(row[0].c_str())) {
      ++extra_orders;
      MESSAGE("order not in truth: " << row[0].c_str());
    }
  int extra_lines = 0;
  int misowned_lines = 0;
  for (const auto& row : store::pq::run(tx, kLineIdsSql, s.config().shop)) {
    auto owner = truth.line_owner.find(row[0].c_str());
    if (owner == truth.line_owner.end()) {
      ++extra_lines;
    } else if (owner->second != row[1].c_str()) {
      ++misowned_lines;
      MESSAGE("line " << row[0].c_str() << " stored under order " << row[1].c_str()
                      << ", its order is " << owner->second);
    }
  }
  CHECK(extra_orders == 0);
  CHECK(extra_lines == 0);
  CHECK(misowned_lines == 0);
  CHECK(s.query(kFutureOrdersSql) == "0");
  CHECK(s.query(kFutureLinesSql) == "0");
}

/// /_sim/control's body that turns `lies` off.
std::string lies_off(const std::vector<LieSetting>& lies) {
  json::object off;
  for (const auto& lie : lies)
    off[lie.kind] = 0;
  json::object body;
  body["lies"] = std::move(off);
  return json::serialize(body);
}

/// One lying platform to sync from.
struct LieCase {
  std::vector<LieSetting> lies;
  std::string seed;
  std::set<std::string> ignore = {}; ///< columns a defence may store repaired during the lie
  double min_stored = 0;             ///< share of the orders stored while the lie goes on
};

/// The init and a few seconds of polls against a small live shop telling the case's lies; then
/// the checks; then the lies stop and the database must converge.
void lying_platform(const LieCase& c) {
  std::vector<std::string> flags = {"--orders",  "300", "--seed",     c.seed,
                                    "--changes", "3",   "--arrivals", "1"};
  for (const auto& lie : c.lies) {
    flags.push_back("--lie");
    flags.push_back(lie.kind + "=" + std::to_string(lie.rate));
  }
  Scenario s(flags);
  s.config().initial_backoff = "200ms"; // retries spread out, so kMaxIdenticalPerSecond holds
  s.write_config();

  // The init under the lies: it may stop with an error, or hold what it cannot verify; the
  // checks below say whether what it did store is right.
  auto init = s.run_once(20s);
  MESSAGE("taosyncd once (init) under lies exited " << init << "\n" << s.last_log());
  auto daemon = s.start_daemon();
  std::this_thread::sleep_for(4s);
  CHECK_MESSAGE(daemon.running(), "taosyncd run stopped under lies:\n" << daemon.stderr_tail());
  daemon.kill(SIGTERM);
  if (!daemon.wait(15s)) {
    daemon.kill(SIGKILL);
    daemon.wait(5s);
  }

  // (a) Nothing wrong stored: nothing invented, and nothing stored differs from the truth at
  // the same version (lagging rows are fine while the lie goes on).
  check_nothing_invented(s);
  auto during = s.compare(c.ignore, true);
  CHECK_MESSAGE(during.mismatched == 0, during.summary());
  CHECK_MESSAGE(during.duplicate == 0, during.summary());
  CHECK_MESSAGE(static_cast<double>(during.db_orders) >=
                    c.min_stored * static_cast<double>(during.truth_orders),
                during.summary());
  // (b) No hot loop: no listing request was asked more than a few times in any one second.
  auto stats = s.stats();
  CHECK(stat_number(stats, "repeats.max_identical_per_second") <= kMaxIdenticalPerSecond);
  MESSAGE("repeats: max_identical " << stat_number(stats, "repeats.max_identical")
                                    << ", per second "
                                    << stat_number(stats, "repeats.max_identical_per_second"));
  // (c) The platform really lied.
  for (const auto& lie : c.lies)
    CHECK_MESSAGE(stat_number(stats, "lies." + lie.kind) > 0, lie.kind << " was never told");

  // Honest again: the database converges to the truth, so nothing was skipped for good.
  s.sim().control(lies_off(c.lies));
  REQUIRE_MESSAGE(s.settle(3), s.last_log());
  auto report = s.compare();
  CHECK_MESSAGE(report.differences() == 0, report.summary());
  CHECK(report.db_orders == report.truth_orders);
  CHECK(stat_number(s.stats(), "repeats.max_identical_per_second") <= kMaxIdenticalPerSecond);
}

// Listing lies: pages whose counts or envelopes disagree with what was asked.

TEST_CASE("lying platform, listing: short_page") {
  lying_platform({.lies = {{"short_page"}}, .seed = "81"});
}
TEST_CASE("lying platform, listing: count_mismatch") {
  lying_platform({.lies = {{"count_mismatch"}}, .seed = "82"});
}
TEST_CASE("lying platform, listing: no_list") {
  lying_platform({.lies = {{"no_list"}}, .seed = "83"});
}
TEST_CASE("lying platform, listing: success_false") {
  lying_platform({.lies = {{"success_false"}}, .seed = "84"});
}
TEST_CASE("lying platform, listing: unstable_count") {
  lying_platform({.lies = {{"unstable_count"}}, .seed = "85"});
}

// Line lies: /order/items/get leaves lines out or files them under another order.

TEST_CASE("lying platform, lines: missing_lines") {
  lying_platform({.lies = {{"missing_lines"}}, .seed = "86"});
}
TEST_CASE("lying platform, lines: foreign_line") {
  lying_platform({.lies = {{"foreign_line"}}, .seed = "87"});
}

// Record lies: impossible times, undecodable bytes, ambiguous keys, a byte order mark.

TEST_CASE("lying platform, records: future_time") {
  lying_platform({.lies = {{"future_time"}}, .seed = "88"});
}
TEST_CASE("lying platform, records: outside_window") {
  lying_platform({.lies = {{"outside_window"}}, .seed = "89"});
}
// A defence may store text with bad bytes repaired (keeping the raw) rather than reject it.
const std::set<std::string> kRepairable = {"orders.buyer_full_name", "order_lines.buyer_full_name",
                                           "order_lines.sku_info"};

TEST_CASE("lying platform, records: bad_byte") {
  lying_platform({.lies = {{"bad_byte"}}, .seed = "90", .ignore = kRepairable});
}
TEST_CASE("lying platform, records: bad_byte in every answer spoils one record, not the page") {
  lying_platform(
      {.lies = {{"bad_byte", 1.0}}, .seed = "93", .ignore = kRepairable, .min_stored = 0.8});
}
TEST_CASE("lying platform, records: duplicate_key") {
  lying_platform({.lies = {{"duplicate_key"}}, .seed = "91"});
}
TEST_CASE("lying platform, records: bom") {
  lying_platform({.lies = {{"bom"}}, .seed = "92"});
}
TEST_CASE("lying platform, records: a bom on every answer does not stop the parse") {
  lying_platform({.lies = {{"bom", 1.0}}, .seed = "94", .min_stored = 0.95});
}

} // namespace
} // namespace taosync::e2e

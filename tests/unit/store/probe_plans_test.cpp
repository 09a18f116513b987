// How the compared batch write reads the real tables when their statistics are stale, as they
// are during an init: every read must be a probe by key per staged key (store/batch_sql.hpp),
// never a scan of the shop. The plans checked are the ones PostgreSQL really ran, sent by
// auto_explain as one notice per statement.

#include "store/batch_write.hpp"
#include "store/pq.hpp"
#include "store_fixture.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr const char* kBigShop = "shop-big";
constexpr int kStoredOrders = 50000; // two lines each, a shipment and a property per line
constexpr int kBatchOrders = 1000;

const std::set<std::string> kRealTables = {"orders", "order_lines", "line_shipments",
                                           "line_sku_properties", "owed_orders"};

/// Orders first..last of `shop` (ids 5000000000 + i) with their lines, children and an owed
/// entry each, straight into the tables.
void insert_orders(pqxx::connection& conn, const std::string& shop, int first, int last) {
  pqxx::work tx(conn);
  const std::vector<std::string> statements = {
      R"(INSERT INTO taosync.orders (shop, trade_order_id, status, modification_time, line_ids,
                                     raw)
         SELECT $1, (5000000000 + i)::text, 'pending',
                TIMESTAMPTZ '2024-01-01' + i * INTERVAL '1 second',
                ARRAY[(5000000000 + i)::text || '1', (5000000000 + i)::text || '2'], '{}'
         FROM generate_series($2::int, $3::int) i)",
      R"(INSERT INTO taosync.order_lines (shop, trade_order_line_id, trade_order_id, status,
                                          modification_time, raw)
         SELECT $1, (5000000000 + i)::text || j, (5000000000 + i)::text, 'pending',
                TIMESTAMPTZ '2024-01-01' + i * INTERVAL '1 second', '{}'
         FROM generate_series($2::int, $3::int) i, generate_series(1, 2) j)",
      R"(INSERT INTO taosync.line_shipments (shop, trade_order_line_id, order_no, tracking_number)
         SELECT $1, (5000000000 + i)::text || j, 1, 'T' || i
         FROM generate_series($2::int, $3::int) i, generate_series(1, 2) j)",
      R"(INSERT INTO taosync.line_sku_properties (shop, trade_order_line_id, position,
                                                  property_name)
         SELECT $1, (5000000000 + i)::text || j, 0, 'color'
         FROM generate_series($2::int, $3::int) i, generate_series(1, 2) j)",
      R"(INSERT INTO taosync.owed_orders (shop, trade_order_id, reason)
         SELECT $1, (5000000000 + i)::text, 'lines missing'
         FROM generate_series($2::int, $3::int) i)"};
  for (const auto& sql : statements)
    pq::run0(tx, sql, shop, first, last);
  tx.commit();
}

/// What the statistics of the real tables saw.
enum class Seen { nothing, another_shop, the_shop };

/// A database where kBigShop holds kStoredOrders orders while the real tables were never
/// analyzed, or last analyzed when they held five orders of another shop, or of kBigShop.
/// Autovacuum is off for these tables, so nothing analyzes them again.
std::string stale_database(Seen seen) {
  const auto url = migrated_database();
  pqxx::connection conn(url);
  {
    pqxx::nontransaction tx(conn);
    for (const auto& t : kRealTables)
      pq::run0(tx, "ALTER TABLE taosync." + t + " SET (autovacuum_enabled = false)");
  }
  if (seen != Seen::nothing) {
    insert_orders(conn, seen == Seen::the_shop ? kBigShop : "shop-small", 1, 5);
    pqxx::nontransaction tx(conn);
    for (const auto& t : kRealTables)
      pq::run0(tx, "ANALYZE taosync." + t);
  }
  insert_orders(conn, kBigShop, seen == Seen::the_shop ? 6 : 1, kStoredOrders);
  return url;
}

/// kBatchOrders of the stored orders, spread over the shop, newer and shipped: each keeps its
/// first line (with a new tracking number); every other one drops its second line.
Batch newer_orders(std::int64_t modified_ms) {
  Batch b;
  b.shop = kBigShop;
  for (int n = 1; n <= kBatchOrders; ++n) {
    const auto id = std::to_string(5000000000LL + n * (kStoredOrders / kBatchOrders));
    auto order = make_order(id, modified_ms, "shipped");
    order.line_ids = {id + "1"};
    b.lines.push_back(make_line(id, id + "1", modified_ms, "N" + std::to_string(modified_ms)));
    if (n % 2 == 0) {
      order.line_ids.push_back(id + "2");
      b.lines.push_back(make_line(id, id + "2", modified_ms));
    }
    b.orders.push_back(std::move(order));
    b.lines_for.push_back(id);
    b.settled.push_back(id);
  }
  return b;
}

/// The plans a connection runs, as auto_explain sends them: a notice per statement, in JSON.
class PlanLog {
public:
  explicit PlanLog(pqxx::connection& conn)
      : tap_(conn, [this](std::string_view m) {
          if (const auto at = m.find("plan:"); at != std::string_view::npos)
            plans.emplace_back(m.substr(m.find('{', at)));
        }) {
    pqxx::nontransaction tx(conn);
    pq::run0(tx, "LOAD 'auto_explain'");
    pq::run0(tx, "SET auto_explain.log_min_duration = 0");
    pq::run0(tx, "SET auto_explain.log_format = json");
    pq::run0(tx, "SET auto_explain.log_level = notice");
  }
  std::vector<std::string> plans;

private:
  pq::NoticeTap tap_;
};

/// What a plan does to the real tables.
struct Reads {
  std::vector<std::string> problems; ///< reads that are not a probe by key
  std::set<std::string> probed;      ///< real tables read by a probe by key
};

std::string text_of(const boost::json::object& node, const char* key) {
  const auto* v = node.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

/// Whether an index condition pins the shop and one key value: `(shop = x) AND (key = y)`, not
/// the shop alone, and no `= ANY (...)`.
bool probes_by_key(const std::string& cond) {
  static const std::regex key(R"(\(shop = .*\((trade_order_id|trade_order_line_id) = )");
  return std::regex_search(cond, key) && cond.find("ANY") == std::string::npos;
}

/// Walks one plan node and its children; `bitmap_of` is the real table whose Bitmap Heap Scan
/// the node feeds, if any.
void walk(const boost::json::object& node, const std::string& statement,
          const std::string& bitmap_of, Reads& reads) {
  const auto type = text_of(node, "Node Type");
  const auto relation = text_of(node, "Relation Name");
  const bool real = kRealTables.contains(relation);
  const auto check_cond = [&](const std::string& table) {
    const auto cond = text_of(node, "Index Cond");
    if (probes_by_key(cond))
      reads.probed.insert(table);
    else
      reads.problems.push_back(statement + ": " + type + " of " + table + " on " + cond);
  };
  std::string feeds; // the table a bitmap child feeds
  if (real && (type == "Index Scan" || type == "Index Only Scan"))
    check_cond(relation);
  else if (real && type == "Bitmap Heap Scan")
    feeds = relation;
  else if (real && type != "ModifyTable" && type != "Tid Scan") // a TID scan reads its rows only
    reads.problems.push_back(statement + ": " + type + " of " + relation);
  else if (type == "Bitmap Index Scan" && !bitmap_of.empty())
    check_cond(bitmap_of);
  else if (type == "BitmapAnd" || type == "BitmapOr")
    feeds = bitmap_of;
  if (const auto* children = node.if_contains("Plans"))
    for (const auto& child : children->as_array())
      walk(child.as_object(), statement, feeds, reads);
}

/// The reads of the real tables in `plans`.
Reads reads_of(const std::vector<std::string>& plans) {
  Reads reads;
  for (const auto& text : plans) {
    const auto doc = boost::json::parse(text).as_object();
    auto statement = text_of(doc, "Query Text");
    statement = std::regex_replace(statement, std::regex(R"(\s+)"), " ").substr(0, 60);
    walk(doc.at("Plan").as_object(), statement, "", reads);
  }
  return reads;
}

/// Writes `batch` on `conn` under `plan_cache_mode`, checks the reads of every statement it ran
/// and returns what it wrote.
WriteResult check_write(pqxx::connection& conn, const Batch& batch,
                        const std::string& plan_cache_mode) {
  CAPTURE(plan_cache_mode);
  {
    pqxx::nontransaction tx(conn);
    pq::run0(tx, "SET plan_cache_mode = " + plan_cache_mode);
  }
  PlanLog log(conn);
  const auto result = write_batch(conn, batch);
  const auto reads = reads_of(log.plans);
  std::string problems;
  for (const auto& p : reads.problems)
    problems += "\n  " + p;
  CHECK_MESSAGE(reads.problems.empty(), "reads that are not a probe by key:" << problems);
  CHECK(reads.probed == kRealTables); // every real table was read, so the plans are all there
  return result;
}

} // namespace

TEST_CASE("on stale statistics the compared batch write reads real tables by key only") {
  Seen seen = Seen::nothing;
  SUBCASE("tables never analyzed (the first init of a database)") {
    seen = Seen::nothing;
  }
  SUBCASE("statistics taken before the shop had rows (the start of its init)") {
    seen = Seen::another_shop;
  }
  SUBCASE("statistics taken while the shop had a handful of rows") {
    seen = Seen::the_shop;
  }
  const auto url = stale_database(seen);
  pqxx::connection conn(url);
  prepare_batch_write(conn);
  const auto first = check_write(conn, newer_orders(1800000000000), "force_custom_plan");
  CHECK_FALSE(first.fresh);
  CHECK(first.updated == kBatchOrders);
  CHECK(first.settled == kBatchOrders);
  const auto second = check_write(conn, newer_orders(1800000001000), "force_generic_plan");
  CHECK(second.updated == kBatchOrders);

  // the writes did their work: every other order lost its second line with its children, the
  // other lines of the batch got two shipments and two properties each
  const auto count = [&](const std::string& table) {
    return query_value<int>(url, "SELECT count(*) FROM taosync." + table + " WHERE shop = '" +
                                     kBigShop + "'");
  };
  CHECK(count("order_lines") == 2 * kStoredOrders - kBatchOrders / 2);
  CHECK(count("line_shipments") == 2 * kStoredOrders + kBatchOrders);
  CHECK(count("line_sku_properties") == 2 * kStoredOrders + kBatchOrders);
  CHECK(count("owed_orders") == kStoredOrders - kBatchOrders);
}

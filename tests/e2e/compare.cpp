#include "compare.hpp"

#include "compare_rows.hpp"
#include "store/pq.hpp"
#include "truth_stream.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace taosync::e2e {

namespace json = boost::json;
using rows::Value;

namespace {

std::string shorten(const Value& v) {
  if (!v)
    return "NULL";
  if (v->size() <= 60)
    return "'" + *v + "'";
  return "'" + v->substr(0, 57) + "...' (" + std::to_string(v->size()) + " bytes)";
}

std::int64_t json_ms(const json::object& o, std::string_view key) {
  auto text = rows::json_text(rows::json_path(o, key));
  try {
    return text ? std::stoll(*text) : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

std::string id_of(const json::object& o, std::string_view key) {
  return rows::json_text(rows::json_path(o, key)).value_or("");
}

bool is_bad(const json::object& o) {
  return o.contains("_sim_bad");
}

const json::array& truth_lines(const json::object& order) {
  static const json::array kEmpty;
  auto* v = rows::json_path(order, "trade_order_line_list");
  return v && v->is_array() ? v->as_array() : kEmpty;
}

/// The comparison: one read-only snapshot of the database against the streamed truth.
class Comparer {
public:
  explicit Comparer(const CompareOptions& options)
      : opt_(options), conn_(options.db_url), tx_(conn_) {}

  CompareReport run() {
    load_rejected();
    stream_truth(
        opt_.sim_port,
        [this](json::object&& order) {
          chunk_.push_back(std::move(order));
          if (chunk_.size() >= opt_.chunk_orders)
            flush();
        },
        opt_.seller);
    flush();
    check_totals();
    check_history_duplicates();
    check_bad_records();
    return std::move(report_);
  }

private:
  void note(std::int64_t& counter, const std::string& detail, std::int64_t n = 1) {
    counter += n;
    if (report_.details.size() < opt_.max_details)
      report_.details.push_back(detail);
  }

  bool ignored(std::string_view table, std::string_view column) const {
    return opt_.ignore_columns.count(std::string(table) + "." + std::string(column)) > 0;
  }

  void load_rejected() {
    static const std::string kSql = "SELECT coalesce(record_id, ''), count(*), "
                                    "count(*) FILTER (WHERE reason IS NULL OR btrim(reason) = '') "
                                    "FROM taosync.rejected_records WHERE shop = $1 GROUP BY 1";
    for (const auto& row : store::pq::run(tx_, kSql, opt_.shop)) {
      rejected_[row[0].c_str()] = row[1].as<std::int64_t>();
      report_.db_rejected += row[1].as<std::int64_t>();
      if (auto n = row[2].as<std::int64_t>(); n > 0)
        note(report_.rejected_without_reason,
             std::to_string(n) + " rejected record(s) without a reason", n);
    }
  }

  void flush() {
    if (chunk_.empty())
      return;
    std::vector<std::string> order_ids;
    for (const auto& o : chunk_)
      order_ids.push_back(id_of(o, "trade_order_id"));
    rows::DbChunk db;
    rows::fetch_orders_and_lines(tx_, opt_.shop, order_ids, db);
    std::vector<std::string> line_ids;
    for (const auto& o : chunk_)
      for (const auto& l : truth_lines(o))
        if (l.is_object())
          line_ids.push_back(id_of(l.as_object(), "trade_order_line_id"));
    for (const auto& [id, line] : db.lines)
      line_ids.push_back(id);
    std::sort(line_ids.begin(), line_ids.end());
    line_ids.erase(std::unique(line_ids.begin(), line_ids.end()), line_ids.end());
    rows::fetch_line_children(tx_, opt_.shop, line_ids, db);
    seen_orders_ += static_cast<std::int64_t>(db.orders.size());
    seen_lines_ += static_cast<std::int64_t>(db.lines.size());
    seen_shipments_ += db.shipment_rows;
    seen_sku_ += db.sku_rows;
    for (const auto& order : chunk_)
      compare_order(order, db);
    chunk_.clear();
  }

  void compare_order(const json::object& truth, rows::DbChunk& db) {
    const std::string id = id_of(truth, "trade_order_id");
    truth_ids_.insert(id);
    ++report_.truth_orders;
    const bool bad = is_bad(truth);
    if (bad)
      bad_record(id, {});
    auto it = db.orders.find(id);
    const std::int64_t truth_ms = json_ms(truth, "modification_time");
    if (it == db.orders.end()) {
      if (!bad)
        note(report_.missing, "missing order " + id);
    } else if (it->second.modification_ms > truth_ms) {
      note(report_.mismatched, "order " + id + " is newer in the database than in truth");
    } else if (it->second.modification_ms < truth_ms) {
      if (!bad)
        note(report_.stale, "stale order " + id + ": db modification_time " +
                                std::to_string(it->second.modification_ms) + " < truth " +
                                std::to_string(truth_ms));
    } else if (bad) {
      note(report_.bad_stored, "broken order " + id + " stored at its broken version (" +
                                   std::string(truth.at("_sim_bad").as_string()) + ")");
    } else {
      compare_order_fields(id, truth, it->second);
    }
    // Lines of a broken order, or of one stored at an older version, may lag behind.
    const bool lines_may_lag =
        bad || it == db.orders.end() || it->second.modification_ms < truth_ms;
    compare_lines(id, truth, db, lines_may_lag);
  }

  void compare_order_fields(const std::string& id, const json::object& truth,
                            const rows::DbOrder& db) {
    std::string diffs;
    for (std::size_t i = 0; i < rows::kOrderFields.size(); ++i) {
      const auto& f = rows::kOrderFields[i];
      if (ignored("orders", f.column))
        continue;
      Value want = rows::json_text(rows::json_path(truth, f.truth_key));
      if (!rows::same_value(f.kind, db.values[i], want))
        diffs += " " + std::string(f.column) + " db=" + shorten(db.values[i]) +
                 " truth=" + shorten(want) + ";";
    }
    std::vector<std::string> want_ids;
    for (const auto& l : truth_lines(truth))
      if (l.is_object())
        want_ids.push_back(id_of(l.as_object(), "trade_order_line_id"));
    std::sort(want_ids.begin(), want_ids.end());
    if (!ignored("orders", "line_ids") && want_ids != db.line_ids)
      diffs += " line_ids differ;";
    if (!diffs.empty())
      note(report_.mismatched, "order " + id + ":" + diffs);
  }

  void compare_lines(const std::string& order_id, const json::object& truth, rows::DbChunk& db,
                     bool may_lag) {
    std::unordered_set<std::string> want;
    for (const auto& l : truth_lines(truth)) {
      if (!l.is_object())
        continue;
      const auto& line = l.as_object();
      const std::string id = id_of(line, "trade_order_line_id");
      want.insert(id);
      ++report_.truth_lines;
      auto shipments = rows::json_path(line, "shipment_list");
      if (shipments && shipments->is_array())
        report_.truth_shipments += static_cast<std::int64_t>(shipments->as_array().size());
      if (auto sku = rows::parse_sku_info(rows::json_text(rows::json_path(line, "sku_info"))))
        report_.truth_sku += static_cast<std::int64_t>(sku->size());
      compare_line(id, line, db, may_lag);
    }
    if (may_lag)
      return; // an older version of the order may have had other lines
    for (const auto& [id, line] : db.lines)
      if (line.trade_order_id == order_id && !want.count(id))
        note(report_.extra, "extra line " + id + " of order " + order_id);
  }

  void compare_line(const std::string& id, const json::object& truth, rows::DbChunk& db,
                    bool may_lag) {
    const bool bad = is_bad(truth);
    if (bad)
      bad_record(id, id_of(truth, "trade_order_id"));
    auto it = db.lines.find(id);
    const std::int64_t truth_ms = json_ms(truth, "modification_time");
    if (it == db.lines.end()) {
      if (!bad && !may_lag)
        note(report_.missing, "missing line " + id);
      return;
    }
    const auto& line = it->second;
    if (line.modification_ms > truth_ms) {
      note(report_.mismatched, "line " + id + " is newer in the database than in truth");
    } else if (line.modification_ms < truth_ms) {
      if (!bad && !may_lag)
        note(report_.stale, "stale line " + id);
    } else if (bad) {
      note(report_.bad_stored, "broken line " + id + " stored at its broken version (" +
                                   std::string(truth.at("_sim_bad").as_string()) + ")");
    } else {
      compare_line_fields(id, truth, line);
      compare_shipments(id, truth, db);
      compare_sku(id, truth, db);
    }
  }

  void compare_line_fields(const std::string& id, const json::object& truth,
                           const rows::DbLine& db) {
    std::string diffs;
    for (std::size_t i = 0; i < rows::kLineFields.size(); ++i) {
      const auto& f = rows::kLineFields[i];
      if (ignored("order_lines", f.column))
        continue;
      Value want = rows::json_text(rows::json_path(truth, f.truth_key));
      if (!rows::same_value(f.kind, db.values[i], want))
        diffs += " " + std::string(f.column) + " db=" + shorten(db.values[i]) +
                 " truth=" + shorten(want) + ";";
    }
    if (!diffs.empty())
      note(report_.mismatched, "line " + id + ":" + diffs);
  }

  void compare_shipments(const std::string& id, const json::object& truth, rows::DbChunk& db) {
    std::map<std::int64_t, std::pair<Value, Value>> want;
    if (auto* list = rows::json_path(truth, "shipment_list"); list && list->is_array())
      for (const auto& s : list->as_array()) {
        if (!s.is_object())
          continue;
        const auto& o = s.as_object();
        want[json_ms(o, "order_no")] = {rows::json_text(rows::json_path(o, "tracking_number")),
                                        rows::json_text(rows::json_path(o, "logistics_id"))};
      }
    std::map<std::int64_t, int> seen;
    for (const auto& row : db.shipments[id]) {
      if (++seen[row.order_no] > 1) {
        note(report_.duplicate, "duplicate shipment " + id + "/" + std::to_string(row.order_no));
        continue;
      }
      auto w = want.find(row.order_no);
      if (w == want.end()) {
        note(report_.extra, "extra shipment " + id + "/" + std::to_string(row.order_no));
      } else if (!rows::same_value(rows::Kind::text, row.tracking_number, w->second.first) ||
                 !rows::same_value(rows::Kind::text, row.logistics_id, w->second.second)) {
        note(report_.mismatched, "shipment " + id + "/" + std::to_string(row.order_no) +
                                     ": tracking db=" + shorten(row.tracking_number) +
                                     " truth=" + shorten(w->second.first));
      }
    }
    for (const auto& [no, value] : want)
      if (!seen.count(no))
        note(report_.missing, "missing shipment " + id + "/" + std::to_string(no));
  }

  void compare_sku(const std::string& id, const json::object& truth, rows::DbChunk& db) {
    auto want = rows::parse_sku_info(rows::json_text(rows::json_path(truth, "sku_info")));
    if (!want)
      return; // unparsable sku_info: only a broken record has one
    const auto& have = db.sku[id];
    std::map<rows::SkuRow, int> balance;
    for (const auto& r : *want)
      --balance[r];
    for (const auto& r : have)
      ++balance[r];
    for (const auto& [row, n] : balance) {
      const std::string what = "sku property " + id + " " + row[1] + "=" + row[3];
      if (n < 0)
        note(report_.missing, "missing " + what, -n);
      if (n > 0) {
        bool known = std::binary_search(want->begin(), want->end(), row);
        note(known ? report_.duplicate : report_.extra, (known ? "duplicate " : "extra ") + what,
             n);
      }
    }
  }

  void bad_record(const std::string& id, const std::string& order_id) {
    ++report_.truth_bad;
    bad_ids_.insert(id);
    auto take = [&](const std::string& key) {
      auto it = rejected_.find(key);
      return it != rejected_.end() && it->second > 0;
    };
    if (take(id) || (!order_id.empty() && take(order_id)))
      return;
    unmatched_bad_.push_back(id);
  }

  void check_bad_records();
  void check_totals();
  void check_history_duplicates();

  const CompareOptions& opt_;
  pqxx::connection conn_;
  store::pq::ReadOnlySnapshot tx_;
  CompareReport report_;
  std::vector<json::object> chunk_;
  std::unordered_set<std::string> truth_ids_;
  std::unordered_set<std::string> bad_ids_;
  std::vector<std::string> unmatched_bad_;
  std::map<std::string, std::int64_t> rejected_; ///< record_id -> rows
  std::int64_t seen_orders_ = 0, seen_lines_ = 0, seen_shipments_ = 0, seen_sku_ = 0;
};

void Comparer::check_totals() {
  static const std::string kSql =
      "SELECT (SELECT count(*) FROM taosync.orders WHERE shop = $1), "
      "(SELECT count(*) FROM taosync.order_lines WHERE shop = $1), "
      "(SELECT count(*) FROM taosync.line_shipments WHERE shop = $1), "
      "(SELECT count(*) FROM taosync.line_sku_properties WHERE shop = $1)";
  auto row = store::pq::run1(tx_, kSql, opt_.shop);
  report_.db_orders = row[0].as<std::int64_t>();
  report_.db_lines = row[1].as<std::int64_t>();
  report_.db_shipments = row[2].as<std::int64_t>();
  report_.db_sku = row[3].as<std::int64_t>();
  if (report_.db_orders > seen_orders_) {
    static const std::string kIds =
        "SELECT trade_order_id FROM taosync.orders WHERE shop = $1 ORDER BY 1";
    std::int64_t listed = 0;
    for (const auto& r : store::pq::run(tx_, kIds, opt_.shop))
      if (!truth_ids_.count(r[0].c_str()) && ++listed <= 5)
        report_.details.push_back(std::string("extra order ") + r[0].c_str());
    report_.extra += report_.db_orders - seen_orders_;
  }
  auto orphans = [&](std::int64_t total, std::int64_t seen, const char* what) {
    if (total > seen)
      note(report_.extra, std::to_string(total - seen) + " " + what + " not under any truth order",
           total - seen);
  };
  orphans(report_.db_lines, seen_lines_, "line rows");
  orphans(report_.db_shipments, seen_shipments_, "shipment rows");
  orphans(report_.db_sku, seen_sku_, "sku property rows");
}

void Comparer::check_history_duplicates() {
  // One observed status change must be recorded once, however often the order is re-read.
  static const std::string kSql =
      "SELECT trade_order_id, new_status, count(*) FROM taosync.order_status_history "
      "WHERE shop = $1 GROUP BY trade_order_id, new_status, modification_time "
      "HAVING count(*) > 1";
  for (const auto& r : store::pq::run(tx_, kSql, opt_.shop))
    note(report_.duplicate,
         std::string("status change of order ") + r[0].c_str() + " to " + r[1].c_str() +
             " recorded " + r[2].c_str() + " times",
         r[2].as<std::int64_t>() - 1);
}

void Comparer::check_bad_records() {
  // A broken record whose id is itself what is broken cannot be matched by id: it must be
  // covered by a rejected row that names no current broken record.
  std::int64_t spare = 0;
  for (const auto& [record_id, n] : rejected_)
    if (record_id.empty() || !bad_ids_.count(record_id))
      spare += n;
  const auto unmatched = static_cast<std::int64_t>(unmatched_bad_.size());
  if (unmatched > spare) {
    std::string ids;
    for (std::size_t i = 0; i < unmatched_bad_.size() && i < 5; ++i)
      ids += " " + unmatched_bad_[i];
    note(report_.bad_unrejected,
         std::to_string(unmatched - spare) + " broken record(s) not in rejected_records, e.g." +
             ids,
         unmatched - spare);
  }
}

} // namespace

CompareReport compare_with_truth(const CompareOptions& options) {
  return Comparer(options).run();
}

std::vector<ShopPair> shops_to_compare(const std::vector<std::string>& sellers,
                                       const std::string& shop, bool all_shops) {
  std::vector<ShopPair> pairs;
  if (all_shops) {
    for (const auto& s : sellers)
      pairs.push_back({s, s});
    return pairs;
  }
  if (std::find(sellers.begin(), sellers.end(), shop) != sellers.end())
    return {{shop, shop}};
  if (sellers.size() == 1)
    return {{shop, ""}};
  std::string known;
  for (const auto& s : sellers)
    known += (known.empty() ? "" : ", ") + s;
  throw std::invalid_argument("--shop " + shop +
                              ": the simulator has no seller of that name (it has " + known + ")");
}

} // namespace taosync::e2e

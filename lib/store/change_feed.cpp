#include "store/change_feed.hpp"

#include "store/change_sql.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

namespace taosync::store {
namespace {

constexpr const char* kRecordLineChangesName = "taosync_record_line_changes";
constexpr const char* kLockChangesName = "taosync_lock_changes";
constexpr const char* kPublishChangesName = "taosync_publish_changes";
constexpr const char* kLockChangesNowName = "taosync_lock_changes_now";
constexpr const char* kPublishNewName = "taosync_publish_new";

} // namespace

void prepare_change_feed(pqxx::connection& conn) {
  conn.prepare(kRecordLineChangesName, std::string(sql::kRecordLineChanges));
  conn.prepare(kLockChangesName, std::string(sql::kLockChanges));
  conn.prepare(kPublishChangesName, std::string(sql::kPublishChanges));
  conn.prepare(kLockChangesNowName, std::string(sql::kLockChangesNow));
  conn.prepare(kPublishNewName, std::string(sql::kPublishNew));
}

std::uint64_t record_line_changes(pqxx::work& tx, const std::string& shop) {
  return pq::run_prepared1(tx, kRecordLineChangesName, shop)[0].as<std::uint64_t>();
}

std::uint64_t publish_changes(pqxx::work& tx, const std::string& shop) {
  pq::run_prepared(tx, kLockChangesName); // only when there is something to publish
  return pq::run_prepared1(tx, kPublishChangesName, shop, sql::kNotifyLinesBudget)[0]
      .as<std::uint64_t>();
}

std::uint64_t publish_new_changes(pqxx::work& tx, const std::string& shop) {
  pq::run_prepared(tx, kLockChangesNowName);
  return pq::run_prepared1(tx, kPublishNewName, shop, sql::kNotifyLinesBudget)[0]
      .as<std::uint64_t>();
}

std::uint64_t prune_changes(pqxx::connection& conn, std::chrono::milliseconds retention,
                            int batch_rows, int max_batches) {
  const std::string age = std::to_string(retention.count()) + " milliseconds";
  std::uint64_t total = 0;
  for (int i = 0; i < max_batches; ++i) {
    pqxx::work tx(conn, "prune_changes");
    const auto n =
        pq::run1(tx, std::string(sql::kPruneChanges), age, batch_rows)[0].as<std::uint64_t>();
    tx.commit();
    total += n;
    if (n < static_cast<std::uint64_t>(batch_rows))
      break;
  }
  return total;
}

std::vector<FeedRow> read_changes(pqxx::connection& conn, std::int64_t since,
                                  const std::optional<std::string>& shop, int limit) {
  pqxx::read_transaction tx(conn, "read_changes");
  std::vector<FeedRow> rows;
  const char* shop_param = shop ? shop->c_str() : nullptr;
  for (const auto& r : pq::run(tx, std::string(sql::kReadChanges), since, shop_param, limit))
    rows.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>()});
  return rows;
}

} // namespace taosync::store

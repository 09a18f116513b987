#include "store/change_feed.hpp"

#include "store/change_sql.hpp"
#include "store/pq.hpp"
#include "store/store.hpp"

#include <pqxx/pqxx>

namespace taosync::store {
namespace {

constexpr Statement kRecordLineChanges{"taosync_record_line_changes", sql::kRecordLineChanges};
constexpr Statement kLockChanges{"taosync_lock_changes", sql::kLockChanges};
// Initialized after the strings they view: change_sql.hpp, included above, defines them.
const Statement kPublishChanges{"taosync_publish_changes", sql::kPublishChanges};
constexpr Statement kLockChangesNow{"taosync_lock_changes_now", sql::kLockChangesNow};
const Statement kPublishNew{"taosync_publish_new", sql::kPublishNew};

} // namespace

void prepare_change_feed(pqxx::connection& conn, const Pooling& pooling) {
  for (const Statement& s :
       {kRecordLineChanges, kLockChanges, kPublishChanges, kLockChangesNow, kPublishNew})
    prepare(conn, pooling, s);
}

std::uint64_t record_line_changes(pqxx::work& tx, const Pooling& pooling, const std::string& shop) {
  return run1(tx, pooling, kRecordLineChanges, shop)[0].as<std::uint64_t>();
}

std::uint64_t publish_changes(pqxx::work& tx, const Pooling& pooling, const std::string& shop) {
  run(tx, pooling, kLockChanges); // only when there is something to publish
  return run1(tx, pooling, kPublishChanges, shop, sql::kNotifyLinesBudget)[0].as<std::uint64_t>();
}

std::uint64_t publish_new_changes(pqxx::work& tx, const Pooling& pooling, const std::string& shop) {
  run(tx, pooling, kLockChangesNow);
  return run1(tx, pooling, kPublishNew, shop, sql::kNotifyLinesBudget)[0].as<std::uint64_t>();
}

std::uint64_t prune_changes(Store& store, std::chrono::milliseconds retention, int batch_rows,
                            int max_batches) {
  const std::string age = std::to_string(retention.count()) + " milliseconds";
  std::uint64_t total = 0;
  for (int i = 0; i < max_batches; ++i) {
    const auto n = store.write("prune_changes", [&](pqxx::work& tx) {
      return pq::run1(tx, std::string(sql::kPruneChanges), age, batch_rows)[0].as<std::uint64_t>();
    });
    total += n;
    if (n < static_cast<std::uint64_t>(batch_rows))
      break;
  }
  return total;
}

std::vector<FeedRow> read_changes(pqxx::connection& conn, std::int64_t since,
                                  const std::optional<std::string>& shop, int limit,
                                  const Pooling& pooling) {
  return in_transaction<pqxx::read_transaction>(
      conn, pooling, "read_changes", [&](pqxx::read_transaction& tx) {
        std::vector<FeedRow> rows;
        const char* shop_param = shop ? shop->c_str() : nullptr;
        for (const auto& r : pq::run(tx, std::string(sql::kReadChanges), since, shop_param, limit))
          rows.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>()});
        return rows;
      });
}

} // namespace taosync::store

#include "store/migrations.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

#include <thread>

using namespace taosync::store;
using namespace taosync::store::test;

TEST_CASE("migrations create the schema once and are idempotent") {
  const auto url = fresh_database();
  pqxx::connection conn(url);
  CHECK(apply_migrations(conn) == static_cast<int>(all_migrations().size()));
  CHECK(apply_migrations(conn) == 0);
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.schema_migrations") ==
        static_cast<int>(all_migrations().size()));
  for (const char* table :
       {"orders", "order_lines", "line_shipments", "line_sku_properties", "order_status_history",
        "rejected_records", "sync_state", "shop_tokens"})
    CHECK(query_value<int>(url, std::string("SELECT count(*) FROM information_schema.tables "
                                            "WHERE table_schema = 'taosync' AND table_name = '") +
                                    table + "'") == 1);
  CHECK(query_value(url, "SELECT data_type FROM information_schema.columns WHERE table_schema = "
                         "'taosync' AND table_name = 'orders' AND column_name = 'actual_fee'") ==
        "numeric");
  CHECK(query_value(url, "SELECT data_type FROM information_schema.columns WHERE table_schema = "
                         "'taosync' AND table_name = 'orders' AND column_name = "
                         "'modification_time'") == "timestamp with time zone");
}

TEST_CASE("migrations are versioned in increasing order") {
  int last = 0;
  for (const auto& m : all_migrations()) {
    CHECK(m.version > last);
    CHECK_FALSE(m.name.empty());
    last = m.version;
  }
}

TEST_CASE("concurrent migrators serialize and both succeed") {
  const auto url = fresh_database();
  std::vector<int> applied(3, -1);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      pqxx::connection conn(url);
      applied[static_cast<std::size_t>(i)] = apply_migrations(conn);
    });
  for (auto& t : threads)
    t.join();
  int total = 0;
  for (int n : applied) {
    CHECK(n >= 0);
    total += n;
  }
  CHECK(total == static_cast<int>(all_migrations().size()));
  Store store(url);
  store.migrate(); // and the Store's own entry point is a no-op now
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.schema_migrations") == total);
}

// Least privilege: a start at the current version needs only DML rights; what a role lacks,
// and objects taosyncd did not create, are named with the fix.

#include "store/change_feed.hpp"
#include "store/db_errors.hpp"
#include "store/migrations.hpp"
#include "store/pq.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

/// Runs `sql` on `url` as the superuser.
void admin(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  pq::run0(tx, sql);
}

/// `url` (postgres@...) connecting as `role` instead.
std::string as_role(const std::string& url, const std::string& role) {
  std::string out = url;
  return out.replace(out.find("postgres@"), 8, role);
}

/// The database name at the end of a url.
std::string db_name(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

/// The message of the SchemaProblem `fn` throws ("" if it throws none).
template <class F> std::string schema_problem(F&& fn) {
  try {
    fn();
  } catch (const SchemaProblem& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("a start at the current version needs only DML rights") {
  const auto url = migrated_database();
  admin(url, "CREATE ROLE dml_ok LOGIN; GRANT USAGE ON SCHEMA taosync TO dml_ok; "
             "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA taosync TO dml_ok");
  // the change feed's id is a bigserial: its sequence needs USAGE, as docs/operations.md grants
  CHECK(schema_problem([&] {
          Store(as_role(url, "dml_ok")).migrate();
        }).find("USAGE on sequence taosync.changes_id_seq") != std::string::npos);
  admin(url, "GRANT USAGE ON ALL SEQUENCES IN SCHEMA taosync TO dml_ok");
  Store store(as_role(url, "dml_ok"));
  CHECK_NOTHROW(store.migrate()); // no CREATE right anywhere: no DDL may run
  auto batch = batch_with_lines("s", {make_order("1", 10, "pending")});
  batch.rejected.push_back({"/orders/get", "x", "bad", "{}"}); // identity column, no sequence grant
  const auto r = store.write(batch);
  CHECK(r.inserted == 1);
  CHECK(r.changes == 2); // order_new and its line's line_status
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.order_status_history") == 1);
  CHECK(query_value<int>(url, "SELECT count(*) FROM taosync.order_line_status_history") == 1);
  CHECK(prune_changes(store, std::chrono::hours(1)) == 0); // DELETE is a DML right too
}

TEST_CASE("a pending migration the role may not apply names the missing right and the fix") {
  SUBCASE("no schema yet, no CREATE on the database") {
    const auto url = fresh_database();
    admin(url, "CREATE ROLE dml_new LOGIN");
    const auto msg = schema_problem([&] { Store(as_role(url, "dml_new")).migrate(); });
    CHECK(msg.find("schema taosync is at version 0") != std::string::npos);
    CHECK(msg.find("lacks CREATE on database " + db_name(url)) != std::string::npos);
    CHECK(msg.find("run `taosyncd migrate` as the owner of schema taosync") != std::string::npos);
  }
  SUBCASE("the schema exists, owned by another role") {
    const auto url = fresh_database();
    admin(url, "CREATE ROLE dml_own LOGIN; CREATE ROLE owner_x; "
               "CREATE SCHEMA taosync AUTHORIZATION owner_x; "
               "GRANT USAGE ON SCHEMA taosync TO dml_own");
    const auto msg = schema_problem([&] { Store(as_role(url, "dml_own")).migrate(); });
    CHECK(msg.find("lacks CREATE on schema taosync (owned by owner_x)") != std::string::npos);
    CHECK(msg.find("run `taosyncd migrate`") != std::string::npos);
  }
}

TEST_CASE("the schema's owner migrates without CREATE on the database") {
  const auto url = fresh_database();
  admin(url, "CREATE ROLE owner_only LOGIN; CREATE SCHEMA taosync AUTHORIZATION owner_only");
  CHECK_NOTHROW(Store(as_role(url, "owner_only")).migrate());
  CHECK(query_value<int>(url, "SELECT max(version) FROM taosync.schema_migrations") ==
        all_migrations().back().version);
}

TEST_CASE("a missing DML right names the table and the GRANT that fixes it") {
  const auto url = migrated_database();
  admin(url, "CREATE ROLE dml_ro LOGIN; GRANT USAGE ON SCHEMA taosync TO dml_ro; "
             "GRANT SELECT ON ALL TABLES IN SCHEMA taosync TO dml_ro");
  const auto msg = schema_problem([&] { Store(as_role(url, "dml_ro")).migrate(); });
  CHECK(msg.find("role dml_ro lacks rights the sync needs") != std::string::npos);
  CHECK(msg.find("INSERT, UPDATE, DELETE on table taosync.orders") != std::string::npos);
  CHECK(msg.find("on table taosync.schema_migrations") == std::string::npos); // only read
  CHECK(msg.find("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA taosync TO "
                 "dml_ro") != std::string::npos);

  admin(url, "CREATE ROLE dml_nousage LOGIN; "
             "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA taosync TO "
             "dml_nousage");
  CHECK(schema_problem([&] {
          Store(as_role(url, "dml_nousage")).migrate();
        }).find("USAGE on schema taosync") != std::string::npos);
}

TEST_CASE("the lease tables need the same DML rights as the data, and are named when missing") {
  const auto url = migrated_database();
  admin(url, "CREATE ROLE dml_nolease LOGIN; GRANT USAGE ON SCHEMA taosync TO dml_nolease; "
             "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA taosync TO "
             "dml_nolease; REVOKE UPDATE ON taosync.shop_leases FROM dml_nolease; "
             "REVOKE DELETE ON taosync.daemons FROM dml_nolease");
  const auto msg = schema_problem([&] { Store(as_role(url, "dml_nolease")).migrate(); });
  CHECK(msg.find("UPDATE on table taosync.shop_leases") != std::string::npos);
  CHECK(msg.find("DELETE on table taosync.daemons") != std::string::npos);
  CHECK(msg.find("taosync.orders") == std::string::npos);
}

TEST_CASE("a serial column's sequence needs USAGE, an identity column's does not") {
  const auto url = migrated_database();
  admin(url, "CREATE TABLE taosync.extra (id bigserial PRIMARY KEY); "
             "CREATE ROLE dml_seq LOGIN; GRANT USAGE ON SCHEMA taosync TO dml_seq; "
             "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA taosync TO dml_seq");
  const auto msg = schema_problem([&] { Store(as_role(url, "dml_seq")).migrate(); });
  CHECK(msg.find("USAGE on sequence taosync.extra_id_seq") != std::string::npos);
  CHECK(msg.find("rejected_records_id_seq") == std::string::npos);
  admin(url, "GRANT USAGE ON ALL SEQUENCES IN SCHEMA taosync TO dml_seq");
  CHECK_NOTHROW(Store(as_role(url, "dml_seq")).migrate());
}

TEST_CASE("objects taosyncd did not create stop the migration, named with their owner") {
  SUBCASE("an untracked schema holding a table") {
    const auto url = fresh_database();
    admin(url,
          "CREATE ROLE alice; CREATE SCHEMA taosync; "
          "CREATE TABLE taosync.orders (x integer); ALTER TABLE taosync.orders OWNER TO alice");
    const auto msg = schema_problem([&] { Store(url).migrate(); });
    CHECK(msg.find("table taosync.orders (owner alice)") != std::string::npos);
    CHECK(msg.find("did not create") != std::string::npos);
    CHECK(query_value<bool>(url, "SELECT to_regclass('taosync.schema_migrations') IS NULL"));
  }
  SUBCASE("a migration running into an existing table") {
    const auto url = migrated_database();
    admin(url, "DELETE FROM taosync.schema_migrations WHERE version = 2");
    const auto msg = schema_problem([&] { Store(url).migrate(); });
    CHECK(msg.find("migration 2 (history, rejects, state and tokens) ran into an object") !=
          std::string::npos);
    CHECK(msg.find("already exists") != std::string::npos);
  }
}

TEST_CASE("a role that may not create TEMP tables is told which GRANT it needs") {
  const auto url = migrated_database();
  admin(url, "REVOKE TEMPORARY ON DATABASE " + db_name(url) +
                 " FROM PUBLIC; "
                 "CREATE ROLE dml_notemp LOGIN");
  const auto msg = schema_problem([&] { Store s(as_role(url, "dml_notemp")); });
  CHECK(msg.find("GRANT TEMPORARY ON DATABASE " + db_name(url) + " TO dml_notemp") !=
        std::string::npos);
}

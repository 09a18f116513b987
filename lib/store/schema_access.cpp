#include "store/schema_access.hpp"

#include "store/db_errors.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

#include <algorithm>

namespace taosync::store {
namespace {

constexpr std::string_view kMigrateFix = "run `taosyncd migrate` as the owner of schema taosync "
                                         "(a config whose database.url connects as that role)";

constexpr std::string_view kSchemaStateSql = R"sql(
SELECT current_user, current_database(), n.oid IS NOT NULL,
       coalesce(pg_get_userbyid(n.nspowner), ''),
       EXISTS (SELECT 1 FROM pg_class c
               WHERE c.relnamespace = n.oid AND c.relname = 'schema_migrations'),
       CASE WHEN n.oid IS NULL THEN has_database_privilege(current_database(), 'CREATE')
            ELSE has_schema_privilege(n.oid, 'CREATE') END,
       n.oid IS NULL OR has_schema_privilege(n.oid, 'USAGE')
FROM (SELECT 1) one LEFT JOIN pg_namespace n ON n.nspname = 'taosync'
)sql"; // catalogs only: naming taosync.x without USAGE on the schema is an error

constexpr std::string_view kAppliedVersionsSql = "SELECT version FROM taosync.schema_migrations";

// What lives in a schema that has no schema_migrations: taosyncd did not put it there.
constexpr std::string_view kForeignObjectsSql = R"sql(
SELECT c.relname,
       CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
                      WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                      WHEN 'f' THEN 'foreign table' ELSE 'relation' END,
       pg_get_userbyid(c.relowner)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'taosync' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
ORDER BY c.relname LIMIT 10
)sql";

// Every right the sync needs that the session lacks: kind, object, the missing rights.
// Every table means the lease tables too: each fenced write updates shop_leases, and the
// lease keeper inserts, updates and deletes rows of shop_leases and daemons.
// schema_migrations is only read; sequences of identity columns need no grant (PostgreSQL
// checks none for them), other sequences need USAGE for nextval().
constexpr std::string_view kMissingRightsSql = R"sql(
SELECT 'schema', 'taosync', 'USAGE' WHERE NOT has_schema_privilege('taosync', 'USAGE')
UNION ALL
SELECT 'table', c.relname, string_agg(p.privilege, ', ' ORDER BY p.n)
FROM pg_class c
CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) WITH ORDINALITY p(privilege, n)
WHERE c.relnamespace = 'taosync'::regnamespace AND c.relkind IN ('r', 'p')
  AND (c.relname <> 'schema_migrations' OR p.privilege = 'SELECT')
  AND NOT has_table_privilege(c.oid, p.privilege)
GROUP BY c.relname
UNION ALL
SELECT 'sequence', c.relname, 'USAGE'
FROM pg_class c
WHERE c.relnamespace = 'taosync'::regnamespace AND c.relkind = 'S'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'i')
  -- CASE: the planner may test this before relkind, and it errors on a non-sequence
  AND CASE WHEN c.relkind = 'S' THEN NOT has_sequence_privilege(c.oid, 'USAGE') ELSE false END
ORDER BY 1, 2
)sql";

std::string versions_text(const std::vector<Migration>& ms) {
  std::string out;
  for (const auto& m : ms)
    out += (out.empty() ? "" : ", ") + std::to_string(m.version) + " (" + std::string(m.name) + ")";
  return out;
}

int current_version(const SchemaState& s) {
  return s.applied.empty() ? 0 : *s.applied.rbegin();
}

/// The grants that give `role` what the sync needs, as in docs/operations.md.
std::string dml_grants(const std::string& role) {
  return "GRANT USAGE ON SCHEMA taosync TO " + role +
         "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA taosync TO " + role +
         "; GRANT USAGE ON ALL SEQUENCES IN SCHEMA taosync TO " + role;
}

} // namespace

SchemaState read_schema_state(pqxx::connection& conn, const Pooling& pooling) {
  SchemaState s;
  pqxx::read_transaction tx(conn, "schema_state");
  pooling.begin(tx);
  const auto r = pq::run1(tx, std::string(kSchemaStateSql));
  s.role = r[0].as<std::string>();
  s.database = r[1].as<std::string>();
  s.schema_exists = r[2].as<bool>();
  s.schema_owner = r[3].as<std::string>();
  s.tracked = r[4].as<bool>();
  s.may_create = r[5].as<bool>();
  if (s.tracked && !r[6].as<bool>())
    throw SchemaProblem("role " + s.role + " lacks USAGE on schema taosync (owned by " +
                        s.schema_owner +
                        "). Fix, as the owner of schema taosync: " + dml_grants(s.role));
  if (s.tracked) {
    try {
      for (const auto& row : tx.exec(std::string(kAppliedVersionsSql)))
        s.applied.insert(row[0].as<int>());
    } catch (const pqxx::insufficient_privilege&) {
      throw SchemaProblem("role " + s.role +
                          " may not read taosync.schema_migrations (nor, likely, the other "
                          "tables of schema taosync); fix, as the owner of schema taosync: " +
                          dml_grants(s.role));
    }
  }
  return s;
}

std::vector<Migration> pending_migrations(const SchemaState& state) {
  std::vector<Migration> out;
  for (const auto& m : all_migrations())
    if (!state.applied.contains(m.version))
      out.push_back(m);
  return out;
}

void check_can_migrate(pqxx::connection& conn, const SchemaState& s,
                       const std::vector<Migration>& pending, const Pooling& pooling) {
  if (pending.empty())
    return;
  const std::string needs = "schema taosync is at version " + std::to_string(current_version(s)) +
                            " and this taosyncd needs " +
                            std::to_string(all_migrations().back().version) +
                            "; pending: " + versions_text(pending);
  if (!s.may_create) {
    const std::string right =
        s.schema_exists ? "CREATE on schema taosync (owned by " + s.schema_owner + ")"
                        : "CREATE on database " + s.database + " (schema taosync does not exist)";
    throw SchemaProblem(needs + ". Role " + s.role + " may not apply them: it lacks " + right +
                        ". Fix: " + std::string(kMigrateFix) + ", then start again");
  }
  if (s.schema_exists && !s.tracked) {
    pqxx::read_transaction tx(conn, "foreign_objects");
    pooling.begin(tx);
    std::string found;
    for (const auto& row : tx.exec(std::string(kForeignObjectsSql)))
      found += (found.empty() ? "" : ", ") + row[1].as<std::string>() + " taosync." +
               row[0].as<std::string>() + " (owner " + row[2].as<std::string>() + ")";
    if (!found.empty())
      throw SchemaProblem(
          "schema taosync holds objects taosyncd did not create (it has no "
          "taosync.schema_migrations): " +
          found +
          ". Fix: move them to another schema (ALTER TABLE ... SET SCHEMA) or drop them, or "
          "point database.url at another database; then run `taosyncd migrate`");
  }
}

void rethrow_migration_error(const pqxx::sql_error& e, const Migration& m, const SchemaState& s) {
  const std::string which =
      "migration " + std::to_string(m.version) + " (" + std::string(m.name) + ")";
  const std::string reason = one_line(e.what(), "");
  const std::string& state = e.sqlstate();
  if (state == "42501") // insufficient_privilege
    throw SchemaProblem(which + " was refused: " + reason + ". Role " + s.role +
                        " may not change schema taosync" +
                        (s.schema_owner.empty() ? "" : " (owned by " + s.schema_owner + ")") +
                        ". Fix: " + std::string(kMigrateFix));
  // duplicate_table, duplicate_object, duplicate_schema, duplicate_column
  if (state == "42P07" || state == "42710" || state == "42P06" || state == "42701")
    throw SchemaProblem(which + " ran into an object taosyncd did not create: " + reason +
                        ". Fix: move that object out of schema taosync (or drop it), then run "
                        "`taosyncd migrate`");
  throw;
}

void check_access(pqxx::connection& conn, const Pooling& pooling) {
  pqxx::read_transaction tx(conn, "check_access");
  pooling.begin(tx);
  const std::string role = pq::run1(tx, "SELECT current_user")[0].as<std::string>();
  std::string missing;
  for (const auto& row : tx.exec(std::string(kMissingRightsSql)))
    missing += (missing.empty() ? "" : "; ") + row[2].as<std::string>() + " on " +
               row[0].as<std::string>() + " " +
               (row[0].as<std::string>() == "schema" ? "" : "taosync.") + row[1].as<std::string>();
  if (!missing.empty())
    throw SchemaProblem("role " + role + " lacks rights the sync needs: " + missing +
                        ". Fix, as the owner of schema taosync: " + dml_grants(role));
}

} // namespace taosync::store

#pragma once
// What a start may assume about schema taosync and the connected role: the version is read
// first so that DDL runs only when a migration is pending; a role that cannot do what is
// needed, or an object taosyncd did not create, is reported by name with the fix.

#include "store/migrations.hpp"
#include "store/session.hpp"

#include <pqxx/connection>
#include <pqxx/except>

#include <set>
#include <string>
#include <vector>

namespace taosync::store {

/// Schema taosync as seen by the connected role, read without DDL and without any right on
/// the schema beyond SELECT on schema_migrations.
struct SchemaState {
  std::string role;     ///< current_user
  std::string database; ///< current_database()
  bool schema_exists = false;
  std::string schema_owner;
  bool tracked = false;    ///< taosync.schema_migrations exists
  bool may_create = false; ///< CREATE on the schema (or on the database while it is missing)
  std::set<int> applied;   ///< versions recorded in schema_migrations
};

/// Reads the schema's state; a role that may not read schema_migrations gets a SchemaProblem.
SchemaState read_schema_state(pqxx::connection& conn, const Pooling& pooling = {});

/// The migrations not yet applied, oldest first.
std::vector<Migration> pending_migrations(const SchemaState& state);

/// Throws SchemaProblem if `pending` cannot be applied by this role (no CREATE right) or if
/// the schema holds objects taosyncd did not create (a schema without schema_migrations that
/// is not empty).
void check_can_migrate(pqxx::connection& conn, const SchemaState& state,
                       const std::vector<Migration>& pending, const Pooling& pooling = {});

/// A migration refused by the server, as a SchemaProblem naming the migration, the object
/// and the fix when the cause is a missing right or a foreign object; `e` itself otherwise.
/// Call it from the handler that caught `e`.
[[noreturn]] void rethrow_migration_error(const pqxx::sql_error& e, const Migration& m,
                                          const SchemaState& state);

/// Throws SchemaProblem naming every table, sequence or the schema on which the role lacks a
/// right the sync needs (USAGE on the schema, SELECT/INSERT/UPDATE/DELETE on every table,
/// USAGE on sequences that are not identity columns'), with the GRANT statements to fix it.
void check_access(pqxx::connection& conn, const Pooling& pooling = {});

} // namespace taosync::store

#pragma once
// Versioned schema migrations of schema `taosync`, applied in order on start and by
// `taosyncd migrate`.

#include "store/session.hpp"

#include <pqxx/connection>

#include <span>
#include <string_view>

namespace taosync::store {

/// One schema version: applied once, in order, and recorded in taosync.schema_migrations.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

/// Every migration, oldest first. Append new versions; never edit an applied one.
std::span<const Migration> all_migrations();

/// Applies the pending migrations in one transaction under an advisory lock, so concurrent
/// callers serialize and the second finds nothing to do. Returns how many were applied.
/// Reads the version first and runs no DDL when nothing is pending; a role that may not
/// migrate, or a foreign object in the way, throws SchemaProblem naming it and the fix.
int apply_migrations(pqxx::connection& conn, const Pooling& pooling = {});

} // namespace taosync::store

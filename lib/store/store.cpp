#include "store/store.hpp"

#include "store/batch_write.hpp"
#include "store/db_errors.hpp"
#include "store/migrations.hpp"
#include "store/pooler.hpp"
#include "store/schema_access.hpp"
#include "store/session.hpp"
#include "store/text_repair.hpp"

#include "obs/metrics.hpp"
#include "store/pq.hpp"

#include <pqxx/pqxx>

#include <chrono>

namespace taosync::store {
namespace {

constexpr std::string_view kHasTempRight =
    "SELECT has_database_privilege(current_database(), 'TEMPORARY')";

/// Throws pqxx::insufficient_privilege, as creating staging would, if the role lacks TEMPORARY.
void check_temp_right(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn, "temp_right");
  if (!pq::run1(tx, std::string(kHasTempRight))[0].as<bool>())
    throw pqxx::insufficient_privilege("permission denied to create temporary tables");
}

} // namespace

struct Store::Impl {
  std::string url;
  std::unique_ptr<pqxx::connection> conn;
  Pooling pooling;
  bool prepared = false; ///< the write statements, prepared at the first write
  ServerIdentity server;
  int server_pid = 0; ///< pg_backend_pid(): behind a pooler, not libpq's backendpid()
};

Store::Store(const ConnectionSettings& settings) : impl_(std::make_unique<Impl>()) {
  impl_->url = settings.url;
  impl_->conn = open_session(settings);
  impl_->server = read_server_identity(*impl_->conn); // a standby: broken_connection, try again
  impl_->server_pid = check_pooler(*impl_->conn, settings, "database.url");
  impl_->pooling = Pooling(settings);
  try {
    if (impl_->pooling.per_transaction())
      check_temp_right(*impl_->conn); // each write creates its own staging tables
    else
      create_staging(*impl_->conn);
  } catch (const pqxx::insufficient_privilege& e) {
    const std::string role = impl_->conn->username();
    const std::string db = impl_->conn->dbname();
    throw SchemaProblem("role " + role +
                        " may not create the TEMP staging tables of the "
                        "batch write in database " +
                        db + " (" + one_line(e.what(), settings.url) +
                        "). Fix, as the database owner: GRANT TEMPORARY ON DATABASE " + db +
                        " TO " + role);
  }
}

Store::Store(const std::string& url) : Store(connection_settings(url)) {}

Store::~Store() = default;

bool Store::connected() const {
  return impl_->conn && impl_->conn->is_open();
}

int Store::backend_pid() const {
  return impl_->pooling.per_transaction() ? 0 : impl_->server_pid;
}

const ServerIdentity& Store::server() const {
  return impl_->server;
}

void Store::migrate() {
  apply_migrations(*impl_->conn, impl_->pooling);
  check_access(*impl_->conn, impl_->pooling);
}

WriteResult Store::write(const Batch& batch, const std::optional<Fence>& fence) {
  const auto start = std::chrono::steady_clock::now();
  if (!impl_->prepared) { // not at connect: the tables they name may not be migrated yet
    prepare_batch_statements(*impl_->conn, impl_->pooling);
    impl_->prepared = true;
  }
  auto result = write_batch(*impl_->conn, batch, fence, impl_->pooling);
  obs::metrics().db_write(std::chrono::steady_clock::now() - start);
  return result;
}

pqxx::connection& Store::connection() {
  return *impl_->conn;
}

const Pooling& Store::pooling() const {
  return impl_->pooling;
}

} // namespace taosync::store

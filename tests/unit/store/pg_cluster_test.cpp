#include "store/pq.hpp"
#include "support/pg_cluster.hpp"

#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <filesystem>

using taosync::testing::PgCluster;

TEST_CASE("PgCluster serves fresh databases and survives an immediate stop and restart") {
  PgCluster pg;
  const auto dir = pg.dir();
  CHECK(std::filesystem::exists(dir / "data" / "PG_VERSION"));
  const std::string url = pg.create_database();
  CHECK(url.find("/t_0") != std::string::npos);
  {
    pqxx::connection conn(url);
    pqxx::work tx(conn);
    taosync::store::pq::run0(tx, "CREATE TABLE kept (v int)");
    taosync::store::pq::run0(tx, "INSERT INTO kept VALUES (42)");
    tx.commit();
  }
  CHECK(pg.create_database() != url);

  pg.stop_immediate();
  CHECK_THROWS_AS(pqxx::connection{url}, pqxx::broken_connection);
  pg.start();
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  CHECK(taosync::store::pq::run1(tx, "SELECT v FROM kept")[0].as<int>() == 42);
}

TEST_CASE("PgCluster removes its dir when destroyed") {
  std::filesystem::path dir;
  {
    PgCluster pg;
    dir = pg.dir();
  }
  CHECK_FALSE(std::filesystem::exists(dir));
}

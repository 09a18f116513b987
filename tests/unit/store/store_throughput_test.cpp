// Not part of the suite (skipped): a throughput check of Store::write against the bare COPY
// floor. Run: store_test --no-skip -tc="*throughput*"
#include "store/migrations.hpp"
#include "store/pq.hpp"
#include "store/shop_report.hpp"
#include "store/store.hpp"
#include "store_fixture.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

using namespace taosync;
using namespace taosync::store;
using namespace taosync::store::test;

namespace {

constexpr int kBatches = 50;
constexpr int kOrdersPerBatch = 1000;
constexpr const char* kBenchShop = "bench";

/// A batch like the simulator's: ~2.5 lines per order, seed-sized raw JSON.
Batch bench_batch(int batch_no) {
  Batch b;
  b.shop = kBenchShop;
  const std::string padding(700, 'x');
  for (int i = 0; i < kOrdersPerBatch; ++i) {
    const auto id = std::to_string(100000000 + batch_no * kOrdersPerBatch + i);
    auto order = make_order(id, 1592990587586 + i);
    order.raw_json = R"({"trade_order_id":")" + id + R"(","pad":")" + padding + "\"}";
    const int lines = 2 + (i % 2);
    order.line_ids.clear();
    for (int k = 0; k < lines; ++k) {
      auto line = make_line(id, id + std::to_string(k), 1592990587586 + i);
      line.raw_json = R"({"trade_order_line_id":")" + line.trade_order_line_id + R"(","pad":")" +
                      padding + padding + "\"}";
      order.line_ids.push_back(line.trade_order_line_id);
      b.lines.push_back(std::move(line));
    }
    b.lines_for.push_back(id);
    b.orders.push_back(std::move(order));
  }
  return b;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Time to COPY the tables of `from` into the empty migrated tables of `to` with psql.
double copy_floor(const std::string& from, const std::string& to) {
  const auto dir = std::filesystem::temp_directory_path() / "taosync-floor";
  std::filesystem::create_directories(dir);
  const std::string psql = (cluster().bin_dir() / "psql").string() + " -q -v ON_ERROR_STOP=1 ";
  const char* tables[] = {"orders", "order_lines", "line_shipments", "line_sku_properties"};
  for (const char* t : tables) {
    const auto file = (dir / t).string();
    REQUIRE(std::system(
                (psql + from + " -c \"\\copy taosync." + t + " TO '" + file + "'\"").c_str()) == 0);
  }
  std::string script;
  for (const char* t : tables)
    script += " -c \"\\copy taosync." + std::string(t) + " FROM '" + (dir / t).string() + "'\"";
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(std::system((psql + to + " -1" + script).c_str()) == 0);
  const double s = seconds_since(start);
  std::filesystem::remove_all(dir);
  return s;
}

} // namespace

TEST_CASE("batch write throughput against the COPY floor" * doctest::skip()) {
  const auto url = fresh_database();
  if (std::getenv("TAOSYNC_BENCH_LOG") != nullptr) { // per-statement durations in the server log
    pqxx::connection conn(url);
    pqxx::nontransaction tx(conn);
    pq::run0(tx, "ALTER DATABASE " + url.substr(url.rfind('/') + 1) +
                     " SET log_min_duration_statement = 0; ALTER DATABASE " +
                     url.substr(url.rfind('/') + 1) +
                     " SET session_preload_libraries = 'auto_explain'; ALTER DATABASE " +
                     url.substr(url.rfind('/') + 1) + " SET auto_explain.log_min_duration = 200");
  }
  Store store(url);
  store.migrate();
  std::vector<Batch> batches;
  for (int i = 0; i < kBatches; ++i)
    batches.push_back(bench_batch(i));
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t lines = 0;
  for (const auto& b : batches)
    lines += store.write(b).lines;
  const double taken = seconds_since(start);
  const double orders = kBatches * kOrdersPerBatch;

  const auto floor_url = fresh_database();
  Store(floor_url).migrate();
  const double floor = copy_floor(url, floor_url);
  std::printf("orders %.0f lines %llu: %.2f s, %.0f orders/s; COPY floor %.2f s; ratio %.2f\n",
              orders, static_cast<unsigned long long>(lines), taken, orders / taken, floor,
              taken / floor);
  CHECK(store.read("counts", [&](auto& tx) { return select_counts(tx, kBenchShop); }).orders ==
        static_cast<std::int64_t>(orders));
  if (std::getenv("TAOSYNC_BENCH_LOG") != nullptr)
    std::printf("%s\n", cluster().log().c_str());
}

// The comparison tool itself, against a hand-written truth served by a stub /_sim/truth and
// hand-written rows: it must pass an exact copy and catch each kind of difference, including
// the rules for records the simulator marks broken (`_sim_bad`).

#include "compare.hpp"
#include "pg_cluster.hpp"
#include "truth_stream.hpp"

#include "store/store.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <doctest/doctest.h>
#include <pqxx/pqxx>

#include <thread>

namespace taosync::e2e {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// Order A is good; order B is broken; order C is good but its line L3 is broken.
constexpr const char* kTruth = R"({"orders":[
{"trade_order_id":"A","status":"shipped","actual_fee":"62","actual_fee_currency_code":"TWD","creation_time":1592988843859,"modification_time":1592990587586,"delivery_info":{"city":"台北市"},"trade_order_line_list":[{"trade_order_line_id":"L1","trade_order_id":"A","quantity":1,"unit_fee":"10","modification_time":1592990587586,"shipment_list":[{"order_no":1},{"order_no":2,"tracking_number":"T2","logistics_id":"LP2"}],"sku_info":"[{\"valueId\":-1,\"valueText\":\"黑色\",\"propertyName\":\"色系\",\"propertyId\":226649326}]"}]},
{"trade_order_id":"B","status":"pending","modification_time":1592990000000,"_sim_bad":"non-numeric actual_fee","trade_order_line_list":[{"trade_order_line_id":"L2","trade_order_id":"B","modification_time":1592990000000}]},
{"trade_order_id":"C","status":"pending","modification_time":1592990000000,"trade_order_line_list":[{"trade_order_line_id":"L3","trade_order_id":"C","modification_time":1592990000000,"_sim_bad":"missing trade_order_line_id"},{"trade_order_line_id":"L4","trade_order_id":"C","modification_time":1592990000000}]}
]}
)";

/// Serves kTruth on /_sim/truth until destroyed.
class StubSim {
public:
  StubSim() : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { serve(); });
  }
  ~StubSim() {
    stop_ = true;
    // A blocking accept() is not woken by close(): connect once to let the loop see stop_.
    beast::error_code ec;
    net::ip::tcp::socket wake(ioc_);
    wake.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }

private:
  void serve() {
    while (!stop_) {
      beast::error_code ec;
      net::ip::tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec || stop_)
        return;
      beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::read(socket, buffer, req, ec);
      http::response<http::string_body> res{http::status::ok, 11};
      res.body() = kTruth;
      res.prepare_payload();
      http::write(socket, res, ec);
      socket.shutdown(net::ip::tcp::socket::shutdown_both, ec);
    }
  }
  net::io_context ioc_;
  net::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

void exec(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  tx.exec(sql);
  tx.commit();
}

constexpr const char* kExactCopy = R"sql(
INSERT INTO taosync.orders (shop, trade_order_id, status, actual_fee, actual_fee_currency_code,
  creation_time, modification_time, delivery_city, line_ids) VALUES
 ('default', 'A', 'shipped', 62.00, 'TWD', to_timestamp(1592988843.859),
  to_timestamp(1592990587.586), '台北市', '{L1}'),
 ('default', 'C', 'pending', NULL, NULL, NULL, to_timestamp(1592990000), NULL, '{L3,L4}');
INSERT INTO taosync.order_lines (shop, trade_order_line_id, trade_order_id, quantity, unit_fee,
  modification_time, sku_info) VALUES
 ('default', 'L1', 'A', 1, 10, to_timestamp(1592990587.586),
  '[{"valueId":-1,"valueText":"黑色","propertyName":"色系","propertyId":226649326}]'),
 ('default', 'L4', 'C', NULL, NULL, to_timestamp(1592990000), NULL);
INSERT INTO taosync.line_shipments VALUES ('default', 'L1', 1, NULL, NULL),
 ('default', 'L1', 2, 'T2', 'LP2');
INSERT INTO taosync.line_sku_properties VALUES ('default', 'L1', 0, 226649326, '色系', -1, '黑色');
INSERT INTO taosync.rejected_records (shop, endpoint, record_id, reason, raw) VALUES
 ('default', '/orders/get', 'B', 'actual_fee: not a decimal', '{}'),
 ('default', '/order/items/get', '', 'trade_order_line_id: missing', '{}');
)sql";

TEST_CASE("taosync-compare passes an exact copy and catches every kind of difference") {
  static testing::PgCluster pg; // one cluster; a fresh database for each subcase's run
  const std::string url = pg.create_database();
  store::Store(url).migrate();
  exec(url, kExactCopy);
  StubSim sim;
  CompareOptions options;
  options.sim_port = sim.port();
  options.db_url = url;
  auto report = [&] { return compare_with_truth(options); };

  auto exact = report();
  CHECK_MESSAGE(exact.differences() == 0, exact.summary());
  CHECK(exact.truth_orders == 3);
  CHECK(exact.truth_lines == 4);
  CHECK(exact.truth_shipments == 2);
  CHECK(exact.truth_sku == 1);
  CHECK(exact.truth_bad == 2);
  CHECK(exact.db_rejected == 2);

  SUBCASE("a broken order stored at its broken version") {
    exec(url, "INSERT INTO taosync.orders (shop, trade_order_id, status, modification_time) "
              "VALUES ('default', 'B', 'pending', to_timestamp(1592990000))");
    CHECK(report().bad_stored == 1);
  }
  SUBCASE("an older version of a broken order is fine") {
    exec(url, "INSERT INTO taosync.orders (shop, trade_order_id, status, modification_time) "
              "VALUES ('default', 'B', 'unpaid', to_timestamp(1592980000))");
    CHECK(report().differences() == 0);
  }
  SUBCASE("a broken record missing from rejected_records") {
    exec(url, "DELETE FROM taosync.rejected_records WHERE record_id = ''");
    CHECK(report().bad_unrejected == 1);
  }
  SUBCASE("a rejected record without a reason") {
    exec(url, "UPDATE taosync.rejected_records SET reason = ' ' WHERE record_id = 'B'");
    CHECK(report().rejected_without_reason == 1);
  }
  SUBCASE("money compares by value, not by spelling; other columns by text") {
    exec(url, "UPDATE taosync.orders SET actual_fee = 62.5 WHERE trade_order_id = 'A'");
    CHECK(report().mismatched == 1);
  }
  SUBCASE("a time one millisecond off") {
    exec(url, "UPDATE taosync.orders SET creation_time = creation_time + interval '1 ms' "
              "WHERE trade_order_id = 'A'");
    CHECK(report().mismatched == 1);
  }
  SUBCASE("a missing shipment, an extra line and an orphan sku row") {
    exec(url, "DELETE FROM taosync.line_shipments WHERE order_no = 1");
    exec(url, "INSERT INTO taosync.order_lines (shop, trade_order_line_id, trade_order_id, "
              "modification_time) VALUES ('default', 'L9', 'A', now())");
    exec(url, "INSERT INTO taosync.line_sku_properties VALUES ('default', 'Lx', 0, 1, 'a', 1, "
              "'b')");
    auto r = report();
    CHECK(r.missing == 1);
    CHECK(r.extra == 2);
  }
  SUBCASE("a status change recorded twice") {
    exec(url, "INSERT INTO taosync.order_status_history (shop, trade_order_id, new_status, "
              "modification_time) VALUES ('default', 'A', 'shipped', now()), "
              "('default', 'A', 'shipped', now())");
    CHECK(report().duplicate == 1);
  }
  SUBCASE("a good line stored nowhere, the order newer than truth") {
    exec(url, "DELETE FROM taosync.order_lines WHERE trade_order_line_id = 'L4'");
    exec(url, "UPDATE taosync.orders SET modification_time = now() WHERE trade_order_id = 'A'");
    auto r = report();
    CHECK(r.missing == 1);
    CHECK(r.mismatched == 1);
  }
}

TEST_CASE("truth lines: framing is skipped, a trailing comma or closing bracket is allowed") {
  boost::json::object o;
  CHECK_FALSE(parse_truth_line("{\"orders\":[", o));
  CHECK_FALSE(parse_truth_line("]}", o));
  CHECK(parse_truth_line("{\"trade_order_id\":\"1\"},", o));
  CHECK(o.at("trade_order_id").as_string() == "1");
  CHECK(parse_truth_line("{\"orders\":[{\"trade_order_id\":\"2\"}]}", o));
  CHECK(o.at("trade_order_id").as_string() == "2");
  CHECK_THROWS(parse_truth_line("{\"trade_order_id\":", o));
}

TEST_CASE("shops to compare: every seller, the named one, or a one-seller simulator's only one") {
  const std::vector<std::string> three{"shop-1", "shop-2", "shop-3"};
  auto all = shops_to_compare(three, "default", true);
  REQUIRE(all.size() == 3);
  CHECK(all[1].shop == "shop-2");
  CHECK(all[1].seller == "shop-2");
  auto named = shops_to_compare(three, "shop-3", false);
  REQUIRE(named.size() == 1);
  CHECK(named[0].seller == "shop-3");
  auto only = shops_to_compare({"shop-1"}, "default", false);
  REQUIRE(only.size() == 1);
  CHECK(only[0].shop == "default");
  CHECK(only[0].seller.empty());
  try {
    shops_to_compare(three, "shop-9", false);
    FAIL("an unknown shop must be refused");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("shop-9") != std::string::npos);
  }
}

TEST_CASE("decimals are normalized by value") {
  CHECK(normalize_decimal("62") == "62");
  CHECK(normalize_decimal("62.00") == "62");
  CHECK(normalize_decimal("062.50") == "62.5");
  CHECK(normalize_decimal("0.0") == "0");
  CHECK(normalize_decimal("-0.50") == "-0.5");
  CHECK(normalize_decimal("abc") == "abc");
}

} // namespace
} // namespace taosync::e2e

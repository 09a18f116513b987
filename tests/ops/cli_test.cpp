#include "cli.hpp"
#include "order_diff.hpp"

#include <doctest/doctest.h>

using namespace taosync::daemon;

TEST_CASE("the default command is run with the default config path") {
  const CliOptions o = parse_cli({});
  CHECK(o.command == Command::run);
  CHECK(o.config_path == "/etc/taosync/taosync.yaml");
}

TEST_CASE("every command parses, with --config before or after it") {
  CHECK(parse_cli({"--config", "/x.yaml", "once"}).config_path == "/x.yaml");
  CHECK(parse_cli({"once", "--config=/y.yaml"}).config_path == "/y.yaml");
  CHECK(parse_cli({"-c", "/z.yaml", "check-config"}).command == Command::check_config);
  CHECK(parse_cli({"migrate"}).command == Command::migrate);
  CHECK(parse_cli({"status"}).command == Command::status);
  const CliOptions r = parse_cli({"resync", "558757367941"});
  CHECK(r.command == Command::resync);
  CHECK(r.order_id == "558757367941");
  const CliOptions a = parse_cli({"audit", "--sample", "7"});
  CHECK(a.command == Command::audit);
  CHECK(a.sample == 7);
  CHECK(parse_cli({"audit"}).sample == 20);
  CHECK(parse_cli({"--version"}).command == Command::version);
  CHECK(parse_cli({"status", "--help"}).command == Command::help);
}

TEST_CASE("usage errors say what is wrong") {
  CHECK_THROWS_WITH_AS(parse_cli({"frobnicate"}), "unknown command 'frobnicate'", UsageError);
  CHECK_THROWS_WITH_AS(parse_cli({"--verbose"}), "unknown option '--verbose'", UsageError);
  CHECK_THROWS_WITH_AS(parse_cli({"resync"}), "resync: expected exactly one ORDER_ID", UsageError);
  CHECK_THROWS_AS(parse_cli({"resync", "12x"}), UsageError);
  CHECK_THROWS_AS(parse_cli({"resync", "1", "2"}), UsageError);
  CHECK_THROWS_AS(parse_cli({"audit", "--sample", "0"}), UsageError);
  CHECK_THROWS_AS(parse_cli({"audit", "--sample"}), UsageError);
  CHECK_THROWS_AS(parse_cli({"--config"}), UsageError);
  CHECK_THROWS_AS(parse_cli({"status", "extra"}), UsageError);
}

TEST_CASE("changes takes --since and --follow, and only it does; --shop is for every command") {
  const CliOptions d = parse_cli({"changes"});
  CHECK(d.command == Command::changes);
  CHECK(d.since == 0);
  CHECK_FALSE(d.follow);
  CHECK(d.shop.empty());
  const CliOptions c = parse_cli({"changes", "--since", "9000000000", "--follow", "--shop=tw-1"});
  CHECK(c.since == 9000000000);
  CHECK(c.follow);
  CHECK(c.shop == "tw-1");
  CHECK(parse_cli({"changes", "--since=5", "--shop", "a"}).since == 5);
  CHECK(parse_cli({"once", "--shop", "store-a"}).shop == "store-a");
  CHECK_THROWS_AS(parse_cli({"resync", "--shop=", "123"}), UsageError);
  CHECK_THROWS_WITH_AS(parse_cli({"changes", "--since", "-1"}),
                       "--since: expected a change id (a number >= 0), got '-1'", UsageError);
  CHECK_THROWS_WITH_AS(parse_cli({"changes", "--since", "7x"}),
                       "--since: expected a change id (a number >= 0), got '7x'", UsageError);
  CHECK_THROWS_WITH_AS(parse_cli({"changes", "--shop", "a b"}),
                       "--shop: expected 1-64 of A-Z a-z 0-9 _ - ., got 'a b'", UsageError);
  CHECK_THROWS_WITH_AS(parse_cli({"status", "--follow"}), "--follow belongs to the changes command",
                       UsageError);
  CHECK_THROWS_AS(parse_cli({"changes", "5"}), UsageError);
}

TEST_CASE("usage text lists every command") {
  const std::string u = usage_text();
  for (const char* c :
       {"run", "once", "check-config", "migrate", "status", "resync", "audit", "changes", "--since",
        "--follow", "--shop", "--sample", "--json", "--version", "--help", "78"}) {
    CAPTURE(c);
    CHECK(u.find(c) != std::string::npos);
  }
}

TEST_CASE("canonical_decimal compares money as numbers") {
  CHECK(canonical_decimal("62") == "62");
  CHECK(canonical_decimal("62.00") == "62");
  CHECK(canonical_decimal("62.50") == "62.5");
  CHECK(canonical_decimal("062") == "62");
  CHECK(canonical_decimal("0.50") == "0.5");
  CHECK(canonical_decimal("0") == "0");
  CHECK(canonical_decimal("0.0") == "0");
  CHECK(canonical_decimal("-1.10") == "-1.1");
}

namespace {
taosync::model::OrderDetail sample_order() {
  taosync::model::OrderDetail d;
  d.order.trade_order_id = "558757367941";
  d.order.status = "ready_to_ship";
  d.order.actual_fee = {"62", "TWD"};
  d.order.seller_full_name = "淘寶台灣測試店鋪";
  d.order.modification_time = taosync::model::TimePoint{std::chrono::milliseconds{1592990587586}};
  taosync::model::OrderLine l;
  l.trade_order_line_id = "558757467941";
  l.quantity = 1;
  l.unit_fee = {"10", "TWD"};
  l.shipments = {{1, std::nullopt, std::nullopt}, {2, "20KXH23050207", "LP00184048254522"}};
  l.sku_properties = {{226649326, "色系", -1, "黑色"}, {19447, "產品尺寸", -1, "50"}};
  d.lines.push_back(l);
  return d;
}
} // namespace

TEST_CASE("diff_orders: equal orders have no differences; the seller name is ignored") {
  auto db = sample_order();
  auto api = sample_order();
  api.order.seller_full_name = "台灣淘寶測試店鋪"; // differs between endpoints on the platform
  api.order.actual_fee.amount = "62.00";
  const OrderDiff d = diff_orders(db, api);
  CHECK(d.differences.empty());
  CHECK_FALSE(d.changed_upstream);
}

TEST_CASE("diff_orders names each differing field") {
  auto db = sample_order();
  auto api = sample_order();
  api.order.status = "shipped";
  api.lines[0].shipments[0].tracking_number = "NEW123";
  api.lines[0].sku_properties[1].value_text = "60";
  api.lines[0].quantity = 2;
  const OrderDiff d = diff_orders(db, api);
  REQUIRE(d.differences.size() == 4);
  CHECK(d.differences[0] == "status: db='ready_to_ship' api='shipped'");
  CHECK(d.differences[1] == "line 558757467941.quantity: db='1' api='2'");
  CHECK(d.differences[2] == "line 558757467941.shipment 1.tracking_number: db='' api='NEW123'");
  CHECK(d.differences[3].rfind("line 558757467941.sku_properties:", 0) == 0);
}

TEST_CASE("diff_orders: missing and extra lines; newer upstream data is pending, not wrong") {
  auto db = sample_order();
  auto api = sample_order();
  api.lines[0].trade_order_line_id = "999";
  const OrderDiff d = diff_orders(db, api);
  CHECK(d.differences == std::vector<std::string>{"line 999.present: db='no' api='yes'",
                                                  "line 558757467941.present: db='yes' api='no'"});
  api = sample_order();
  api.order.status = "delivered";
  api.order.modification_time += std::chrono::seconds(5);
  const OrderDiff p = diff_orders(db, api);
  CHECK(p.changed_upstream);
  CHECK(p.differences.empty());
}

TEST_CASE("status --json; --json belongs to status") {
  CHECK(parse_cli({"status", "--json"}).json);
  CHECK_FALSE(parse_cli({"status"}).json);
  CHECK_THROWS_WITH_AS(parse_cli({"once", "--json"}), "--json belongs to the status command",
                       UsageError);
}

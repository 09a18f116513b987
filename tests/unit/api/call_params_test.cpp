// Request parameters: the seed's names, no empty values, signed raw and sent URL-encoded.

#include "api/call_params.hpp"
#include "api/url.hpp"

#include <doctest/doctest.h>

using namespace taosync::api;
using namespace std::chrono_literals;

namespace {

// Splits an encoded query back into raw values (the server's view).
Params decode(const std::string& query) {
  const auto unescape = [](std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%') {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  Params params;
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    params[unescape(pair.substr(0, eq))] = unescape(pair.substr(eq + 1));
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return params;
}

const SystemParams kSystem{"123456", "test", TimePoint(1517820392000ms)};

} // namespace

TEST_CASE("signed_query reproduces the published test vector") {
  const auto query = signed_query("/order/get", {{"order_id", "1234"}}, kSystem, "helloworld");
  const auto params = decode(query);
  CHECK(params.at("sign") == "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A");
  CHECK(params.at("app_key") == "123456");
  CHECK(params.at("timestamp") == "1517820392000");
  CHECK(params.at("sign_method") == "sha256");
  CHECK(params.at("access_token") == "test");
}

TEST_CASE("values are signed raw and sent URL-encoded") {
  const auto query = signed_query("/order/items/get",
                                  {{"trade_order_line_id_list", R"(["1","2"])"}}, kSystem, "s");
  CHECK(query.find("trade_order_line_id_list=%5B%221%22%2C%222%22%5D") != std::string::npos);
  auto params = decode(query);
  CHECK(params.at("trade_order_line_id_list") == R"(["1","2"])");
  const auto sent_sign = params.at("sign");
  CHECK(sign("/order/items/get", params, "s") == sent_sign);
}

TEST_CASE("empty parameters are never sent, nor signed") {
  const SystemParams no_token{"k", "", TimePoint(1ms)};
  const auto params =
      decode(signed_query("/orders/get", {{"Order_Status", ""}, {"Page", "1"}}, no_token, "s"));
  CHECK(params.count("Order_Status") == 0);
  CHECK(params.count("access_token") == 0);
  CHECK(params.at("Page") == "1");
  CHECK(sign("/orders/get", params, "s") == params.at("sign"));
}

TEST_CASE("orders_params use the seed's names and send a window only when one is set") {
  OrdersQuery query;
  query.page = 3;
  query.page_size = 50;
  auto params = orders_params(query);
  CHECK(params == Params{{"Order_Status", "all"}, {"Page", "3"}, {"Page_Size", "50"}});
  query.modified_from = TimePoint(0ms); // the epoch is a legitimate start with an end
  query.modified_to = TimePoint(1593076987000ms);
  params = orders_params(query);
  CHECK(params.at("modification_time_start") == "0");
  CHECK(params.at("modification_time_end") == "1593076987000");
}

TEST_CASE("line ids: one bare, several as a JSON array of strings") {
  CHECK(lines_params({"558757467941"}).at("trade_order_line_id_list") == "558757467941");
  CHECK(lines_params({"1", "2", "3"}).at("trade_order_line_id_list") == R"(["1","2","3"])");
  CHECK(order_params("558757367941") == Params{{"trade_order_id", "558757367941"}});
}

TEST_CASE("describe_call shows the path and business parameters, never a secret") {
  const auto text = describe_call("/orders/get", {{"Page", "1"}, {"refresh_token", "RT-secret"}});
  CHECK(text == "/orders/get Page=1");
  const auto long_text =
      describe_call("/order/items/get", {{"trade_order_line_id_list", std::string(1000, '1')}});
  CHECK(long_text.size() < 300);
}

TEST_CASE("url_encode keeps unreserved characters only") {
  CHECK(url_encode("aZ09-._~") == "aZ09-._~");
  CHECK(url_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
}

TEST_CASE("gateway URLs split into scheme, host, port and path") {
  auto url = parse_url("https://api.taobao.tw/rest");
  CHECK(url.scheme == "https");
  CHECK(url.host == "api.taobao.tw");
  CHECK(url.port == "443");
  CHECK(url.path == "/rest");
  CHECK(url.host_header() == "api.taobao.tw");
  url = parse_url("http://127.0.0.1:8080/rest/");
  CHECK(url.port == "8080");
  CHECK(url.path == "/rest");
  CHECK(url.host_header() == "127.0.0.1:8080");
  url = parse_url("HTTP://[::1]:9000");
  CHECK(url.scheme == "http");
  CHECK(url.host == "::1");
  CHECK(url.path.empty());
  CHECK(url.host_header() == "[::1]:9000");
  CHECK_THROWS_AS(parse_url("ftp://x/rest"), std::invalid_argument);
  CHECK_THROWS_AS(parse_url("api.taobao.tw/rest"), std::invalid_argument);
  CHECK_THROWS_AS(parse_url("https://user:pw@host/rest"), std::invalid_argument);
  CHECK_THROWS_AS(parse_url("https://host:80a/rest"), std::invalid_argument);
  CHECK_THROWS_AS(parse_url("https:///rest"), std::invalid_argument);
}

TEST_CASE("only loopback hosts may be reached over plain http by default") {
  CHECK(is_loopback_host("localhost"));
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.3.4.5"));
  CHECK(is_loopback_host("::1"));
  CHECK_FALSE(is_loopback_host("10.0.0.1"));
  CHECK_FALSE(is_loopback_host("localhost.evil.com"));
  CHECK_THROWS_AS(
      check_transport_security(parse_url("http://10.0.0.1/rest"), "api.base_url", false),
      ApiFailure);
  CHECK_NOTHROW(check_transport_security(parse_url("http://10.0.0.1/rest"), "api.base_url", true));
  CHECK_NOTHROW(
      check_transport_security(parse_url("https://10.0.0.1/rest"), "api.base_url", false));
}

// taosync-bench-naive: the one-call-per-order script the latency benchmark compares taosyncd
// with. It lists the shop page by page (no windows) and then asks /order/get for every order,
// one call at a time over one keep-alive connection, as a simple script would. Prints
// "<orders> <calls> <seconds>". Usage: taosync-bench-naive --sim-port P

#include "testkit/http_client.hpp"

#include <boost/json/parse.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

namespace json = boost::json;
using taosync::sim::testkit::call_api;
using taosync::sim::testkit::HttpClient;

int main(int argc, char** argv) {
  int port = 0;
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::string(argv[i]) == "--sim-port")
      port = std::stoi(argv[i + 1]);
  if (port == 0) {
    std::cerr << "usage: taosync-bench-naive --sim-port P\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  HttpClient client(static_cast<std::uint16_t>(port));
  std::vector<std::string> ids;
  std::uint64_t calls = 0;
  for (int page = 1;; ++page) {
    auto res =
        call_api(client, "/orders/get",
                 {{"Order_Status", "all"}, {"Page_Size", "100"}, {"Page", std::to_string(page)}});
    ++calls;
    if (!res.ok() || res.status != 200) {
      std::cerr << "taosync-bench-naive: listing page " << page << " failed: " << res.error << "\n";
      return 1;
    }
    const auto result = json::parse(res.body).at("result").as_object();
    const auto& list = result.at("model_list").as_array();
    for (const auto& o : list)
      ids.emplace_back(o.at("trade_order_id").as_string());
    if (list.empty() ||
        static_cast<std::int64_t>(ids.size()) >= result.at("total_count").to_number<std::int64_t>())
      break;
  }
  for (const auto& id : ids) {
    auto res = call_api(client, "/order/get", {{"trade_order_id", id}});
    ++calls;
    if (!res.ok() || res.status != 200) {
      std::cerr << "taosync-bench-naive: /order/get " << id << " failed: " << res.error << "\n";
      return 1;
    }
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::cout << ids.size() << " " << calls << " " << took.count() << "\n";
  return 0;
}

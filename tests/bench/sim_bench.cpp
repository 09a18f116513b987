// sim_bench: how fast taosync-sim serves and how much memory it holds.
// Starts <build>/bin/taosync-sim with --orders N (default 1,000,000), prints its start time and
// RSS, then has C keep-alive clients fetch 100-order /orders/get pages (modification windows
// sized to ~100 orders) for S seconds, and prints pages per second and the simulator's CPU time
// per page. Not a ctest test: run it by hand, e.g. `build/bin/sim_bench --orders 1000000`.
// With --seller-orders LIST (taosync-sim's flag, e.g. 100000,2000x50) the simulator serves
// many sellers and every page is asked as a random seller, with windows sized to its orders.

#include "options.hpp"
#include "testkit/http_client.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace taosync::sim::testkit;
using Clock = std::chrono::steady_clock;

struct Args {
  long orders = 1000000;
  std::string seller_orders; ///< passed on to taosync-sim when set
  int seconds = 5;
  int clients = 4;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--orders")
      a.orders = std::stol(argv[i + 1]);
    else if (flag == "--seller-orders")
      a.seller_orders = argv[i + 1];
    else if (flag == "--seconds")
      a.seconds = std::stoi(argv[i + 1]);
    else if (flag == "--clients")
      a.clients = std::stoi(argv[i + 1]);
  }
  return a;
}

/// Starts the simulator; returns its pid and port.
std::pair<pid_t, std::uint16_t> start_sim(const std::string& bin, const Args& args) {
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    std::string n = std::to_string(args.orders);
    if (args.seller_orders.empty())
      execl(bin.c_str(), bin.c_str(), "--orders", n.c_str(), static_cast<char*>(nullptr));
    else
      execl(bin.c_str(), bin.c_str(), "--seller-orders", args.seller_orders.c_str(),
            static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char c = 0;
  while (read(fds[0], &c, 1) == 1 && c != '\n')
    line += c;
  close(fds[0]);
  auto colon = line.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("taosync-sim did not start: " + line);
  return {pid, static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)))};
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(all.substr(all.rfind(')') + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14)
      utime = std::stol(f);
    if (i == 15)
      stime = std::stol(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

} // namespace

int main(int argc, char** argv) {
  auto args = parse_args(argc, argv);
  std::string bin =
      std::string(argv[0]).substr(0, std::string(argv[0]).rfind('/') + 1) + "taosync-sim";
  // Orders per seller, as the simulator sizes them.
  std::vector<long> seller_orders{args.orders};
  if (!args.seller_orders.empty()) {
    auto sim_options = taosync::sim::parse_options({"--seller-orders", args.seller_orders});
    seller_orders.assign(sim_options.seller_orders.begin(), sim_options.seller_orders.end());
  }
  long total = 0;
  for (auto n : seller_orders)
    total += n;
  auto t0 = Clock::now();
  auto [pid, port] = start_sim(bin, args);
  std::chrono::duration<double> startup = Clock::now() - t0;
  std::printf("sellers: %zu  orders: %ld  start: %.2f s  RSS: %.1f MiB\n", seller_orders.size(),
              total, startup.count(), static_cast<double>(rss_kib(pid)) / 1024.0);

  // History is 90 days ending at the anchor; ~100 orders per window of each seller.
  const std::int64_t anchor = 1593076987000;
  const std::int64_t history = 90LL * 86400000;
  std::vector<std::int64_t> widths;
  for (auto n : seller_orders)
    widths.push_back(history / std::max<long>(1, n / 100));
  std::atomic<long> pages{0}, orders_seen{0}, failures{0};
  auto cpu0 = cpu_seconds(pid);
  auto deadline = Clock::now() + std::chrono::seconds(args.seconds);
  std::vector<std::thread> clients;
  for (int c = 0; c < args.clients; ++c)
    clients.emplace_back([&, c] {
      HttpClient client(port);
      std::uint64_t x = 12345 + static_cast<std::uint64_t>(c);
      while (Clock::now() < deadline) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        auto seller = seller_orders.size() == 1 ? 0 : (x >> 40) % seller_orders.size();
        auto width = widths[seller];
        Caller caller;
        if (seller_orders.size() > 1)
          caller.access_token += "-" + std::to_string(seller + 1);
        auto from =
            anchor - history +
            static_cast<std::int64_t>((x >> 16) % static_cast<std::uint64_t>(history - width));
        auto r = call_api(client, "/orders/get",
                          {{"Page_Size", "100"},
                           {"modification_time_start", std::to_string(from)},
                           {"modification_time_end", std::to_string(from + width)}},
                          caller);
        if (!r.ok() || r.body.find("\"code\":\"0\"") == std::string::npos) {
          ++failures;
          continue;
        }
        ++pages;
        std::size_t pos = 0;
        long n = 0;
        while ((pos = r.body.find("\"trade_order_line_id_list\"", pos)) != std::string::npos) {
          ++n;
          ++pos;
        }
        orders_seen += n;
      }
    });
  for (auto& t : clients)
    t.join();
  auto cpu = cpu_seconds(pid) - cpu0;
  auto p = pages.load();
  std::printf("pages: %ld in %d s = %.0f pages/s, %.1f orders/page, %ld failures\n", p,
              args.seconds, static_cast<double>(p) / args.seconds,
              p > 0 ? static_cast<double>(orders_seen.load()) / static_cast<double>(p) : 0.0,
              failures.load());
  std::printf("simulator CPU per page: %.3f ms; RSS after: %.1f MiB\n",
              p > 0 ? cpu * 1000.0 / static_cast<double>(p) : 0.0,
              static_cast<double>(rss_kib(pid)) / 1024.0);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  return failures.load() == 0 ? 0 : 1;
}

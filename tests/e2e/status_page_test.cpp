// The status page end to end: the real taosyncd (with leases) against taosync-sim, its page
// loaded in headless Chromium during the init and once idle (visible shop, phase, progress
// and lag; screenshots under the build folder), no buyer name or phone of the simulator's
// truth anywhere in it; /status.json, `status --json` and `status` checked against the
// database; and the page during a database outage (the last figures, said to be old, at once).

#include "scenario.hpp"
#include "truth_stream.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include <cstdlib>
#include <iostream>
#include <set>
#include <thread>

namespace taosync::e2e {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

/// Debian's chromium, or $TAOSYNC_CHROMIUM; empty if there is none.
std::string find_chromium() {
  if (const char* env = std::getenv("TAOSYNC_CHROMIUM"); env && *env)
    return env;
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (fs::exists(path))
      return path;
  return {};
}

/// Headless Chromium loading `url`: with a screenshot path it saves the page as a PNG, else it
/// returns the DOM as the browser built it (what a person would see, as HTML).
std::string browse(const std::string& chromium, const fs::path& profile, const std::string& url,
                   const fs::path& screenshot = {}) {
  std::vector<std::string> argv{chromium,
                                "--headless",
                                "--disable-gpu",
                                "--no-sandbox", // CI runs as root
                                "--no-first-run",
                                "--hide-scrollbars",
                                "--user-data-dir=" + profile.string(),
                                "--window-size=1180,400"};
  argv.push_back(screenshot.empty() ? "--dump-dom" : "--screenshot=" + screenshot.string());
  argv.push_back(url);
  testing::Process browser(argv, {}, profile);
  const auto code = browser.wait(std::chrono::seconds(60));
  REQUIRE_MESSAGE(code == 0, browser.stderr_tail());
  return browser.stdout_text();
}

/// The document at /status.json, once it answers.
json::value status_json(int port) {
  const auto res = get_or_nothing(port, "/status.json");
  REQUIRE_MESSAGE(res.status == 200, res.body);
  return json::parse(res.body);
}

/// Every buyer name and phone of the simulator's truth.
std::set<std::string> buyer_data(Scenario& s) {
  std::set<std::string> out;
  stream_truth(s.sim().port(), [&](json::object&& o) {
    for (const char* key : {"buyer_full_name"})
      if (const auto* v = o.if_contains(key); v && v->is_string() && !v->as_string().empty())
        out.insert(std::string(v->as_string()));
    if (const auto* d = o.if_contains("delivery_info"); d && d->is_object())
      for (const char* key : {"receiver_name", "receiver_phone", "detail_address"})
        if (const auto* v = d->as_object().if_contains(key);
            v && v->is_string() && !v->as_string().empty())
          out.insert(std::string(v->as_string()));
  });
  return out;
}

std::int64_t count(Scenario& s, const std::string& table) {
  return std::stoll(s.query("SELECT count(*) FROM taosync." + table + " WHERE shop = $1"));
}

TEST_CASE("the status page in a browser, and /status.json and status against the database") {
  Scenario s({"--orders", "300", "--seed", "61", "--changes", "2"});
  const int port = free_port();
  s.config().metrics_listen = "127.0.0.1:" + std::to_string(port);
  s.config().page_size = 20;
  s.config().batch_orders = 50;       // the init's progress moves with each batch
  s.config().requests_per_second = 5; // an init of a few seconds, to be seen under way
  s.config().burst = 1;
  s.config().extra_yaml = "ha: {leases: true}\n";
  s.write_config();
  const fs::path shots = fs::path(TAOSYNC_BIN_DIR).parent_path() / "status-page";
  fs::create_directories(shots);
  const std::string chromium = find_chromium();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";

  auto daemon = s.start_daemon();
  // The init under way, as the page shows it.
  REQUIRE_MESSAGE(wait_until(
                      [&] {
                        const auto res = get_or_nothing(port, "/status.json");
                        if (res.status != 200)
                          return false;
                        const auto shop = json::parse(res.body).at("shops").at(0);
                        return shop.at("phase") == "init" &&
                               shop.at("init").at("percent").is_number() &&
                               shop.at("init").at("percent").to_number<double>() > 0;
                      },
                      30s),
                  daemon.stderr_tail());
  if (chromium.empty()) {
    MESSAGE("SKIPPED the browser checks: no chromium found (scripts/setup.sh installs Debian's "
            "chromium; or set TAOSYNC_CHROMIUM)");
  } else {
    const std::string dom = browse(chromium, s.dir() / "chromium", url);
    CHECK(dom.find("<td class=\"shop\">default</td>") != std::string::npos);
    const bool in_init = dom.find("<td class=\"phase\">init</td>") != std::string::npos;
    const bool done = dom.find("<td class=\"init\">done</td>") != std::string::npos;
    CHECK_MESSAGE((in_init || done), dom); // the init may just have ended
    if (in_init)
      CHECK(dom.find("<progress max=\"100\" value=\"") != std::string::npos);
    browse(chromium, s.dir() / "chromium", url, shots / "status-page-init.png");
  }

  // Idle after the init: phase, lag and the lease holder.
  REQUIRE_MESSAGE(wait_until(
                      [&] {
                        const auto shop = status_json(port).at("shops").at(0);
                        return shop.at("phase") == "idle" && shop.at("lag_seconds").is_number();
                      },
                      60s),
                  daemon.stderr_tail());
  const auto buyers = buyer_data(s);
  REQUIRE(buyers.size() > 100);
  const auto page = get_or_nothing(port, "/");
  CHECK(page.status == 200);
  for (const std::string& b : buyers)
    CHECK_MESSAGE(page.body.find(b) == std::string::npos, "buyer data on the page: " << b);
  if (!chromium.empty()) {
    const std::string dom = browse(chromium, s.dir() / "chromium", url);
    CHECK(dom.find("<td class=\"shop\">default</td>") != std::string::npos);
    // polls every 200 ms: between two, or in one
    CHECK((dom.find("<td class=\"phase\">idle</td>") != std::string::npos ||
           dom.find("<td class=\"phase\">polling</td>") != std::string::npos));
    CHECK(dom.find("<td class=\"init\">done</td>") != std::string::npos);
    CHECK(dom.find("<td class=\"lag num\">") != std::string::npos);
    CHECK(dom.find("pid " + std::to_string(daemon.pid())) != std::string::npos);
    for (const std::string& b : buyers)
      CHECK_MESSAGE(dom.find(b) == std::string::npos, "buyer data in the browser: " << b);
    browse(chromium, s.dir() / "chromium", url, shots / "status-page.png");
    CHECK(fs::file_size(shots / "status-page.png") > 1000);
    std::cout << "status page screenshots in " << shots << "\n";
  }

  // /status.json against the database, with the lifecycle still (nothing changes in between).
  s.sim().freeze();
  std::this_thread::sleep_for(3s); // past the lag and the document's cache
  const auto doc = status_json(port);
  const auto& shop = doc.at("shops").at(0);
  CHECK(doc.at("source") == "daemon");
  CHECK(shop.at("counts").at("orders") == count(s, "orders"));
  CHECK(shop.at("counts").at("lines") == count(s, "order_lines"));
  CHECK(shop.at("counts").at("rejected") == count(s, "rejected_records"));
  CHECK(shop.at("owed").at("orders") == count(s, "owed_orders"));
  CHECK(shop.at("running_here") == true);
  CHECK(shop.at("last_cycle").at("outcome") == "ok");
  CHECK(shop.at("lease").at("pid") == daemon.pid());
  CHECK(shop.at("lease").at("live") == true);
  CHECK(shop.at("lease").at("owner") ==
        json::value(s.query("SELECT owner FROM taosync.shop_leases WHERE shop = $1")));
  CHECK(shop.at("hwm").is_string());
  CHECK(shop.at("lag_seconds").to_number<double>() <= 10); // polls every 200 ms
  CHECK(doc.at("api").at("calls_per_minute").is_number());
  for (const std::string& b : buyers)
    CHECK_MESSAGE(json::serialize(doc).find(b) == std::string::npos, b);

  // The CLI reads the same from the database: the document, and the text with the lease.
  std::string out;
  REQUIRE(testing::run_command({(testing::bin_dir() / "taosyncd").string(), "--config",
                                s.config_path().string(), "status", "--json"},
                               30s, &out) == 0);
  const auto cli = json::parse(out.substr(0, out.find('\n')));
  CHECK(cli.at("source") == "database");
  CHECK(cli.at("shops").at(0).at("counts") == shop.at("counts"));
  CHECK(cli.at("shops").at(0).at("lease").at("pid") == daemon.pid());
  REQUIRE(testing::run_command({(testing::bin_dir() / "taosyncd").string(), "--config",
                                s.config_path().string(), "status"},
                               30s, &out) == 0);
  CHECK_MESSAGE(out.find("pid " + std::to_string(daemon.pid()) + "), epoch ") != std::string::npos,
                out);

  // A database that does not answer: the first request waits 2 s for the read, the next ones
  // answer at once with the last figures, and the page says so.
  s.pg().stop_immediate();
  std::this_thread::sleep_for(2500ms); // past the last read's freshness
  const auto waited_from = std::chrono::steady_clock::now();
  const auto first = status_json(port);
  const auto waited = std::chrono::steady_clock::now() - waited_from;
  CHECK(waited < 4s);
  CHECK(first.at("database").at("problem").is_string());
  const auto started = std::chrono::steady_clock::now();
  const auto outage = status_json(port);
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  CHECK(outage.at("database").at("problem").is_string());
  CHECK(outage.at("shops").at(0).at("counts") == shop.at("counts"));
  CHECK(get_or_nothing(port, "/").body.find("database: the database has not answered") !=
        std::string::npos);
  s.pg().start();

  daemon.kill(SIGTERM);
  CHECK(daemon.wait(15s) == 0);
}

} // namespace
} // namespace taosync::e2e

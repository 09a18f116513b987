// The status page and the recent-errors ring: values escaped, nothing but the page itself
// (no script, no external asset), secrets masked.

#include "obs/recent_errors.hpp"
#include "obs/redact.hpp"
#include "obs/status_page.hpp"

#include <boost/json/parse.hpp>
#include <doctest/doctest.h>

using namespace taosync;

namespace {

/// A document as the daemon makes it: one shop in its init, one idle with a lease.
boost::json::value sample_document() {
  return boost::json::parse(R"({
    "generated_at": "2026-12-01T10:00:00.000Z", "source": "daemon",
    "daemon": {"version": "1.2.3", "id": "", "host": "box", "pid": 42, "leases": false},
    "api": {"limit_per_minute": 600, "calls_per_minute": 57, "banned_until": null,
            "platform_clock_offset_seconds": -301.46},
    "database": {"read_at": "2026-12-01T09:59:58.000Z",
                 "problem": "the database has not answered for 4s"},
    "shops": [
      {"shop": "<b>shop-a</b>", "phase": "init", "running_here": true,
       "init": {"done": false, "percent": 41.5, "orders_done": 415, "orders_total": 1000,
                "orders_per_second": 120, "eta_seconds": 5},
       "lag_seconds": null, "last_cycle": {"at": null}, "calls_per_minute": 50,
       "counts": {"orders": 415, "lines": 800, "rejected": 2},
       "owed": {"orders": 1, "lines": 3}, "held": null, "lease": null, "stopped": null},
      {"shop": "shop-b", "phase": "idle", "running_here": true,
       "init": {"done": true, "percent": 100}, "lag_seconds": 37,
       "last_cycle": {"at": "2026-12-01T09:59:55.000Z", "ago_seconds": 5, "orders": 12,
                      "outcome": "failed", "failure": "listing failed: HTTP 503"},
       "calls_per_minute": 7, "counts": {"orders": 90, "lines": 150, "rejected": 0},
       "owed": {"orders": 0, "lines": 0},
       "held": {"from": "A", "to": "B", "reason": "total_count 7, 6 records"},
       "lease": {"owner": "box:9:ab", "host": "box", "pid": 9, "live": true,
                 "expires_in_seconds": 25}, "stopped": null}
    ],
    "recent_errors": [{"at": "2026-12-01T09:59:55.000Z", "level": "error",
                       "message": "poll cycle failed: <script>alert(1)</script>"}]
  })");
}

} // namespace

TEST_CASE("html_escape replaces the five characters HTML gives meaning to") {
  CHECK(obs::html_escape(R"(<a href="x">'&'</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(obs::html_escape("台灣 ok") == "台灣 ok");
}

TEST_CASE("the status page shows each shop's phase, progress, lag, cycle, calls, owed and lease") {
  const std::string html = obs::render_status_page(sample_document());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<meta http-equiv=\"refresh\" content=\"5\">") != std::string::npos);
  // one page: no script, no stylesheet or image fetched from elsewhere
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  // values are escaped, never markup
  CHECK(html.find("<b>shop-a</b>") == std::string::npos);
  CHECK(html.find("<td class=\"shop\">&lt;b&gt;shop-a&lt;/b&gt;</td>") != std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("41.5% (415/1000), 120 orders/s, ETA 5s") != std::string::npos);
  CHECK(html.find("database: the database has not answered for 4s") != std::string::npos);
  CHECK(html.find("<td class=\"phase\">idle</td>") != std::string::npos);
  CHECK(html.find("<td class=\"lag num\">37s</td>") != std::string::npos);
  CHECK(html.find("5s ago, 12 orders, <span class=\"bad\">failed: listing failed: HTTP 503") !=
        std::string::npos);
  CHECK(html.find("<td class=\"calls num\">50 / 600</td>") != std::string::npos);
  CHECK(html.find("<td class=\"owed num warn\">1 / 3</td>") != std::string::npos);
  CHECK(html.find("<td class=\"rejected num warn\">2</td>") != std::string::npos);
  CHECK(html.find("<td class=\"lease\">no lease</td>") != std::string::npos);
  CHECK(html.find("<td class=\"lease\">box pid 9, expires in 25s</td>") != std::string::npos);
  CHECK(html.find("shop-b is held at [A .. B]: total_count 7, 6 records") != std::string::npos);
  CHECK(html.find("platform clock 301.5 s behind this host's") != std::string::npos);
}

TEST_CASE("a document missing parts renders with dashes rather than failing") {
  const std::string html = obs::render_status_page(boost::json::parse(
      R"({"shops": [{"shop": "s", "phase": null, "counts": null, "owed": null}]})"));
  CHECK(html.find("<td class=\"shop\">s</td>") != std::string::npos);
  CHECK(html.find("<td class=\"phase\">–</td>") != std::string::npos);
  CHECK(html.find("<p class=\"errors-none\">none</p>") != std::string::npos);
  CHECK_NOTHROW(obs::render_status_page(boost::json::value(nullptr)));
}

TEST_CASE("recent errors keep the newest lines, redacted and cut to a bounded length") {
  obs::RecentErrors ring(3);
  obs::register_secret("s3cret-token-value");
  const auto t = std::chrono::system_clock::now();
  for (int i = 0; i < 5; ++i)
    ring.add(t, "error", "line " + std::to_string(i) + " with s3cret-token-value");
  const auto lines = ring.newest_first();
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].message == "line 4 with ***");
  CHECK(lines[2].message == "line 2 with ***");
  ring.add(t, "warn", std::string(1000, 'x') + "台");
  CHECK(ring.newest_first()[0].message.size() <= obs::RecentErrors::kMaxMessage + 3);
  obs::clear_secrets();
}

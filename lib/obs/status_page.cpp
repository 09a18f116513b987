#include "obs/status_page.hpp"

#include "model/time_text.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdio>
#include <optional>

namespace taosync::obs {

namespace json = boost::json;

namespace {

constexpr std::string_view kNone = "–";

constexpr std::string_view kStyle = R"css(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.5em 0 .4em}
.meta{color:#666;margin:.2em 0}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #ddd;padding:.35em .6em;text-align:left;vertical-align:top;
white-space:nowrap}
th{background:#eee;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#17702a}.bad{color:#b00020}.warn{color:#9a6200}
progress{width:7em;vertical-align:middle}
ul.errors{padding-left:1.2em;font-family:ui-monospace,monospace;font-size:12px}
ul.errors li{margin:.2em 0;overflow-wrap:anywhere}
)css";

/// The member `key` of `v` if `v` is an object holding it and it is not null.
const json::value* field(const json::value& v, std::string_view key) {
  const auto* o = v.if_object();
  if (!o)
    return nullptr;
  const auto* f = o->if_contains(key);
  return f && !f->is_null() ? f : nullptr;
}

/// The text of a string or number member, `kNone` when missing.
/// "301.5 s behind" or "2.0 s ahead of": the platform's clock against this host's.
std::string clock_offset_text(double seconds) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f s %s", std::abs(seconds),
                seconds < 0 ? "behind" : "ahead of");
  return buf;
}

std::string text(const json::value& v, std::string_view key) {
  const auto* f = field(v, key);
  if (!f)
    return std::string(kNone);
  if (const auto* s = f->if_string())
    return std::string(s->data(), s->size());
  return json::serialize(*f);
}

/// A number member as a double, if present.
std::optional<double> number(const json::value& v, std::string_view key) {
  const auto* f = field(v, key);
  if (!f || !f->is_number())
    return std::nullopt;
  return f->to_number<double>();
}

/// A member counting seconds as an age ("37s", "5m12s"), `kNone` when missing.
std::string age(const json::value& v, std::string_view key) {
  const auto s = number(v, key);
  return s ? model::format_age(std::chrono::seconds(std::llround(*s))) : std::string(kNone);
}

/// A number with `decimals` digits after the point.
std::string fixed(double x, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

/// Appends a cell of class `cls` holding `html` (escaped by the caller).
void cell(std::string& out, std::string_view cls, std::string_view html) {
  out += "<td class=\"";
  out += cls;
  out += "\">";
  out += html;
  out += "</td>";
}

/// "done", or a progress bar with the percent, counts, rate and ETA.
std::string init_cell(const json::value& init) {
  if (const auto* done = field(init, "done"); done && done->is_bool() && done->as_bool())
    return "done";
  const auto pct = number(init, "percent");
  if (!pct)
    return "not started";
  std::string out =
      "<progress max=\"100\" value=\"" + fixed(*pct, 1) + "\"></progress> " + fixed(*pct, 1) + "%";
  if (field(init, "orders_total"))
    out += " (" + html_escape(text(init, "orders_done")) + "/" +
           html_escape(text(init, "orders_total")) + ")";
  if (const auto rate = number(init, "orders_per_second"))
    out += ", " + fixed(*rate, 0) + " orders/s";
  if (field(init, "eta_seconds"))
    out += ", ETA " + age(init, "eta_seconds");
  return out;
}

/// When, how many orders, and the outcome of the last cycle.
std::string last_cycle_cell(const json::value& cycle) {
  if (!field(cycle, "at"))
    return "never";
  std::string out = html_escape(age(cycle, "ago_seconds")) + " ago, " +
                    html_escape(text(cycle, "orders")) + " orders";
  if (field(cycle, "failure"))
    out += ", <span class=\"bad\">failed: " + html_escape(text(cycle, "failure")) + "</span>";
  else if (field(cycle, "outcome"))
    out += ", <span class=\"ok\">" + html_escape(text(cycle, "outcome")) + "</span>";
  return out;
}

/// Calls per minute against the daemon's share of the app's limit.
std::string calls_cell(const json::value& shop, const json::value& api) {
  const auto calls = number(shop, "calls_per_minute");
  const auto limit = number(api, "limit_per_minute");
  std::string out = calls ? fixed(*calls, 0) : std::string(kNone);
  if (limit)
    out += " / " + fixed(*limit, 0);
  return out;
}

/// Who holds the lease, until when; "no lease" when none is held.
std::string lease_cell(const json::value& shop) {
  const auto* lease = field(shop, "lease");
  const auto* live = lease ? field(*lease, "live") : nullptr;
  if (!lease || !live || !live->is_bool() || !live->as_bool())
    return "no lease";
  return html_escape(text(*lease, "host")) + " pid " + html_escape(text(*lease, "pid")) +
         ", expires in " + html_escape(age(*lease, "expires_in_seconds"));
}

/// The shop's row of the table.
void shop_row(std::string& out, const json::value& shop, const json::value& api) {
  static const json::value kEmpty = json::object();
  const auto& init = field(shop, "init") ? *field(shop, "init") : kEmpty;
  const auto& cycle = field(shop, "last_cycle") ? *field(shop, "last_cycle") : kEmpty;
  const auto& owed = field(shop, "owed") ? *field(shop, "owed") : kEmpty;
  const auto& counts = field(shop, "counts") ? *field(shop, "counts") : kEmpty;
  const std::string name = html_escape(text(shop, "shop"));
  out += "<tr id=\"shop-" + name + "\">";
  cell(out, "shop", name);
  std::string phase = html_escape(text(shop, "phase"));
  if (const auto* here = field(shop, "running_here"); here && here->is_bool() && !here->as_bool())
    phase += " (not here)";
  cell(out, field(shop, "stopped") ? "phase bad" : "phase", phase);
  cell(out, "init", init_cell(init));
  cell(out, "lag num", html_escape(age(shop, "lag_seconds")));
  cell(out, "last-cycle", last_cycle_cell(cycle));
  cell(out, "calls num", calls_cell(shop, api));
  cell(out, number(owed, "orders").value_or(0) > 0 ? "owed num warn" : "owed num",
       html_escape(text(owed, "orders")) + " / " + html_escape(text(owed, "lines")));
  cell(out, number(counts, "rejected").value_or(0) > 0 ? "rejected num warn" : "rejected num",
       html_escape(text(counts, "rejected")));
  cell(out, "rows num",
       html_escape(text(counts, "orders")) + " / " + html_escape(text(counts, "lines")));
  cell(out, "lease", lease_cell(shop));
  out += "</tr>\n";
}

/// The notes below the table: stopped shops and held windows.
void shop_notes(std::string& out, const json::value& shops) {
  std::string notes;
  for (const auto& shop : shops.as_array()) {
    const std::string name = html_escape(text(shop, "shop"));
    if (field(shop, "stopped"))
      notes += "<li class=\"bad\">" + name + " is stopped: " + html_escape(text(shop, "stopped")) +
               "</li>\n";
    if (const auto* held = field(shop, "held"))
      notes += "<li class=\"warn\">" + name + " is held at [" + html_escape(text(*held, "from")) +
               " .. " + html_escape(text(*held, "to")) +
               "]: " + html_escape(text(*held, "reason")) + "</li>\n";
  }
  if (!notes.empty())
    out += "<ul class=\"notes\">\n" + notes + "</ul>\n";
}

/// The recent errors, newest first, or "none".
void errors_section(std::string& out, const json::value& document) {
  out += "<h2>Recent errors</h2>\n";
  const auto* errors = field(document, "recent_errors");
  if (!errors || !errors->is_array() || errors->as_array().empty()) {
    out += "<p class=\"errors-none\">none</p>\n";
    return;
  }
  out += "<ul class=\"errors\">\n";
  for (const auto& e : errors->as_array()) {
    const std::string level = text(e, "level");
    out += "<li><time>" + html_escape(text(e, "at")) + "</time> <span class=\"" +
           (level == "warn" ? "warn" : "bad") + "\">" + html_escape(level) + "</span> " +
           html_escape(text(e, "message")) + "</li>\n";
  }
  out += "</ul>\n";
}

} // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string render_status_page(const boost::json::value& document) {
  static const json::value kEmpty = json::object();
  const auto& daemon = field(document, "daemon") ? *field(document, "daemon") : kEmpty;
  const auto& api = field(document, "api") ? *field(document, "api") : kEmpty;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta http-equiv=\"refresh\" content=\"" +
                    std::to_string(kStatusPageRefresh.count()) +
                    "\"><title>taosync status</title><style>";
  out += kStyle;
  out += "</style></head>\n<body>\n<h1>taosync status</h1>\n<p class=\"meta\">taosyncd " +
         html_escape(text(daemon, "version"));
  if (field(daemon, "host"))
    out += " on " + html_escape(text(daemon, "host")) + " (pid " +
           html_escape(text(daemon, "pid")) + ")";
  out += " · generated " + html_escape(text(document, "generated_at")) + " · refreshes every " +
         std::to_string(kStatusPageRefresh.count()) +
         " s · <a href=\"/status.json\">status.json</a> · <a href=\"/metrics\">metrics</a></p>\n";
  out += "<p class=\"meta api\">API: " + calls_cell(api, api) + " calls/min";
  if (field(api, "limit_per_minute"))
    out += " (limit: this daemon's share of the app's rate limit)";
  if (field(api, "banned_until"))
    out += " · <span class=\"warn\">banned by the platform until " +
           html_escape(text(api, "banned_until")) + "</span>";
  if (const auto* offset = field(api, "platform_clock_offset_seconds");
      offset && offset->is_number())
    out += " · platform clock " + clock_offset_text(offset->to_number<double>()) + " this host's";
  out += "</p>\n";
  if (const auto* db = field(document, "database"); db && field(*db, "problem"))
    out +=
        "<p class=\"meta database warn\">database: " + html_escape(text(*db, "problem")) + "</p>\n";
  out += "<table class=\"shops\"><thead><tr><th>shop</th><th>phase</th><th>init</th>"
         "<th>lag</th><th>last cycle</th><th>calls/min / limit</th>"
         "<th>owed orders / lines</th><th>rejected</th><th>orders / "
         "lines</th><th>lease</th></tr></thead>\n<tbody>\n";
  const auto* shops = field(document, "shops");
  if (shops && shops->is_array())
    for (const auto& shop : shops->as_array())
      shop_row(out, shop, api);
  out += "</tbody></table>\n";
  if (shops && shops->is_array())
    shop_notes(out, *shops);
  errors_section(out, document);
  out += "</body></html>\n";
  return out;
}

} // namespace taosync::obs

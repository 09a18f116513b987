#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <stdexcept>

namespace taosync::sim {

namespace {

std::int64_t to_int(std::string_view flag, std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size())
    throw std::invalid_argument(std::string(flag) + ": not an integer: " + std::string(text));
  return v;
}

std::int64_t to_non_negative(std::string_view flag, std::string_view text) {
  auto v = to_int(flag, text);
  if (v < 0)
    throw std::invalid_argument(std::string(flag) + ": must be >= 0");
  return v;
}

double to_double(std::string_view flag, std::string_view text) {
  try {
    std::size_t used = 0;
    double v = std::stod(std::string(text), &used);
    if (used != text.size() || v < 0)
      throw std::invalid_argument("");
    return v;
  } catch (const std::exception&) {
    throw std::invalid_argument(std::string(flag) +
                                ": not a non-negative number: " + std::string(text));
  }
}

double to_fraction(std::string_view flag, std::string_view text) {
  double v = to_double(flag, text);
  if (v > 1)
    throw std::invalid_argument(std::string(flag) + ": must be within 0..1");
  return v;
}

SortOrder to_sort(std::string_view text) {
  for (auto s : {SortOrder::creation_desc, SortOrder::modification_asc,
                 SortOrder::modification_desc, SortOrder::id_asc})
    if (sort_name(s) == text)
      return s;
  throw std::invalid_argument("--sort: unknown order: " + std::string(text));
}

void set_listen(SimOptions& o, std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos)
    throw std::invalid_argument("--listen: expected HOST:PORT, got " + std::string(text));
  o.listen_host = std::string(text.substr(0, colon));
  auto port = to_int("--listen", text.substr(colon + 1));
  if (port < 0 || port > 65535)
    throw std::invalid_argument("--listen: port out of range");
  o.listen_port = static_cast<std::uint16_t>(port);
}

void set_latency(LiveSettings& s, std::string_view text) {
  auto colon = text.find(':');
  s.latency_mean =
      std::chrono::milliseconds(to_non_negative("--latency-ms", text.substr(0, colon)));
  s.latency_jitter = std::chrono::milliseconds(
      colon == std::string_view::npos ? 0
                                      : to_non_negative("--latency-ms", text.substr(colon + 1)));
}

/// "100000,2000x50": counts separated by commas, each optionally repeated ("COUNTxTIMES").
std::vector<std::uint64_t> parse_seller_orders(std::string_view text) {
  constexpr std::string_view kFlag = "--seller-orders";
  std::vector<std::uint64_t> counts;
  while (true) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    auto x = item.find('x');
    auto count = to_non_negative(kFlag, item.substr(0, x));
    auto times = x == std::string_view::npos ? 1 : to_non_negative(kFlag, item.substr(x + 1));
    if (times < 1 || times > kMaxSellers ||
        counts.size() + static_cast<std::size_t>(times) > kMaxSellers)
      throw std::invalid_argument(std::string(kFlag) + ": at most " + std::to_string(kMaxSellers) +
                                  " sellers, got " + std::string(item));
    counts.insert(counts.end(), static_cast<std::size_t>(times), static_cast<std::uint64_t>(count));
    if (comma == std::string_view::npos)
      return counts;
    text = text.substr(comma + 1);
  }
}

/// Reconciles --sellers with --seller-orders once every flag is read.
void settle_sellers(SimOptions& o, bool sellers_given) {
  if (sellers_given && (o.sellers < 1 || o.sellers > kMaxSellers))
    throw std::invalid_argument("--sellers: must be within 1.." + std::to_string(kMaxSellers) +
                                ", got " + std::to_string(o.sellers));
  if (o.seller_orders.empty())
    return;
  auto listed = static_cast<int>(o.seller_orders.size());
  if (sellers_given && o.sellers != listed)
    throw std::invalid_argument("--seller-orders: lists " + std::to_string(listed) +
                                " sellers but --sellers is " + std::to_string(o.sellers));
  o.sellers = listed;
}

using Setter = std::function<void(SimOptions&, std::string_view)>;

const std::map<std::string, Setter, std::less<>>& setters() {
  static const std::map<std::string, Setter, std::less<>> kSetters = {
      {"--listen", set_listen},
      {"--orders",
       [](SimOptions& o, auto v) {
         o.orders = static_cast<std::uint64_t>(to_non_negative("--orders", v));
       }},
      {"--sellers",
       [](SimOptions& o, auto v) {
         o.sellers = static_cast<int>(std::min<std::int64_t>(to_int("--sellers", v), INT32_MAX));
       }},
      {"--seller-orders", [](SimOptions& o, auto v) { o.seller_orders = parse_seller_orders(v); }},
      {"--seed", [](SimOptions& o,
                    auto v) { o.seed = static_cast<std::uint64_t>(to_non_negative("--seed", v)); }},
      {"--app-key", [](SimOptions& o, auto v) { o.app_key = v; }},
      {"--app-secret", [](SimOptions& o, auto v) { o.app_secret = v; }},
      {"--access-token", [](SimOptions& o, auto v) { o.access_token = v; }},
      {"--refresh-token", [](SimOptions& o, auto v) { o.refresh_token = v; }},
      {"--token-ttl", [](SimOptions& o, auto v) { o.token_ttl = parse_duration(v); }},
      {"--history", [](SimOptions& o, auto v) { o.history = parse_duration(v); }},
      {"--anchor", [](SimOptions& o,
                      auto v) { o.anchor_ms = v == "now" ? -1 : to_non_negative("--anchor", v); }},
      {"--arrivals", [](SimOptions& o, auto v) { o.live.arrivals = to_double("--arrivals", v); }},
      {"--changes", [](SimOptions& o, auto v) { o.live.changes = to_double("--changes", v); }},
      {"--bulk-same-ms",
       [](SimOptions& o, auto v) {
         o.live.bulk_same_ms = static_cast<int>(to_non_negative("--bulk-same-ms", v));
       }},
      {"--sort", [](SimOptions& o, auto v) { o.sort = to_sort(v); }},
      {"--churn-per-page",
       [](SimOptions& o, auto v) {
         o.live.churn_per_page = static_cast<int>(to_non_negative("--churn-per-page", v));
       }},
      {"--rate-limit",
       [](SimOptions& o, auto v) { o.live.rate_limit = to_double("--rate-limit", v); }},
      {"--burst", [](SimOptions& o,
                     auto v) { o.live.burst = static_cast<int>(to_non_negative("--burst", v)); }},
      {"--ban-seconds",
       [](SimOptions& o, auto v) {
         o.ban_seconds = static_cast<int>(to_non_negative("--ban-seconds", v));
       }},
      {"--latency-ms", [](SimOptions& o, auto v) { set_latency(o.live, v); }},
      {"--clock-offset",
       [](SimOptions& o, auto v) {
         // "-5m", "+5m", "250ms": the sign says which way the platform's clock is off.
         const bool behind = !v.empty() && v.front() == '-';
         if (!v.empty() && (v.front() == '-' || v.front() == '+'))
           v.remove_prefix(1);
         const auto d = parse_duration(v);
         o.live.clock_offset = behind ? -d : d;
       }},
      {"--fault-rate",
       [](SimOptions& o, auto v) { o.live.fault_rate = to_fraction("--fault-rate", v); }},
      {"--stall-ms",
       [](SimOptions& o, auto v) {
         o.stall = std::chrono::milliseconds(to_non_negative("--stall-ms", v));
       }},
      {"--bad-record-rate",
       [](SimOptions& o, auto v) { o.live.bad_record_rate = to_fraction("--bad-record-rate", v); }},
      {"--max-page-size",
       [](SimOptions& o, auto v) {
         o.max_page_size = static_cast<int>(to_non_negative("--max-page-size", v));
       }},
      {"--lie",
       [](SimOptions& o, auto v) {
         auto [kind, rate] = parse_lie_setting(v);
         o.live.lies[kind] = rate;
       }},
      {"--gzip",
       [](SimOptions& o, auto v) {
         if (v != "on" && v != "off")
           throw std::invalid_argument("--gzip: expected on or off, got " + std::string(v));
         o.gzip = v == "on";
       }},
      {"--platform",
       [](SimOptions& o, auto v) {
         if (v != "taobao" && v != "lazada")
           throw std::invalid_argument("--platform: expected taobao or lazada, got " +
                                       std::string(v));
         o.platform = v == "lazada" ? Dialect::lazada : Dialect::taobao;
       }},
      {"--max-ids", [](SimOptions& o,
                       auto v) { o.max_ids = static_cast<int>(to_non_negative("--max-ids", v)); }},
      {"--retry-after",
       [](SimOptions& o, auto v) {
         o.live.retry_after = static_cast<int>(
             std::min<std::int64_t>(to_non_negative("--retry-after", v), INT32_MAX));
       }},
  };
  return kSetters;
}

} // namespace

std::string_view sort_name(SortOrder s) {
  switch (s) {
  case SortOrder::creation_desc:
    return "creation_desc";
  case SortOrder::modification_asc:
    return "modification_asc";
  case SortOrder::modification_desc:
    return "modification_desc";
  case SortOrder::id_asc:
    return "id_asc";
  }
  return "creation_desc";
}

std::chrono::milliseconds parse_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
    ++digits;
  if (digits == 0)
    throw std::invalid_argument("not a duration: " + std::string(text));
  auto n = to_int("duration", text.substr(0, digits));
  auto unit = text.substr(digits);
  using namespace std::chrono;
  if (unit == "ms")
    return milliseconds(n);
  if (unit == "s" || unit.empty())
    return seconds(n);
  if (unit == "m")
    return minutes(n);
  if (unit == "h")
    return hours(n);
  if (unit == "d")
    return days(n);
  throw std::invalid_argument("not a duration (use ms, s, m, h or d): " + std::string(text));
}

std::uint64_t orders_of_seller(const SimOptions& options, int index) {
  return options.seller_orders.empty() ? options.orders
                                       : options.seller_orders.at(static_cast<std::size_t>(index));
}

SimOptions parse_options(const std::vector<std::string>& args) {
  SimOptions o;
  bool sellers_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view value;
    auto eq = arg.find('=');
    std::string_view flag = arg.substr(0, eq);
    auto it = setters().find(flag);
    if (it == setters().end())
      throw std::invalid_argument("unknown flag: " + std::string(flag));
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
    } else {
      if (i + 1 >= args.size())
        throw std::invalid_argument(std::string(flag) + ": missing value");
      value = args[++i];
    }
    it->second(o, value);
    sellers_given = sellers_given || flag == "--sellers";
  }
  settle_sellers(o, sellers_given);
  if (o.max_page_size < 1 || o.max_ids < 1)
    throw std::invalid_argument("--max-page-size and --max-ids must be >= 1");
  return o;
}

std::string usage() {
  return R"(taosync-sim: a simulator of the Taobao TW order API (see tests/sim/README.md)
  --listen HOST:PORT [127.0.0.1:0]   --orders N [1000]          --seed S [1]
  --sellers N [1]  --seller-orders N1,N2,... (COUNTxTIMES repeats a count)
  --app-key K  --app-secret S  --access-token T  --refresh-token T
  --token-ttl DUR [0 = never]        --history DUR [90d]        --anchor MS|now [1593076987000]
  --arrivals R/s  --changes R/s  --bulk-same-ms K  --churn-per-page K
  --sort creation_desc|modification_asc|modification_desc|id_asc [creation_desc]
  --rate-limit R  --burst B  --ban-seconds N [1]  --latency-ms MEAN[:JITTER]
  --clock-offset [+|-]DUR [0] (the platform's clock minus the host's)
  --fault-rate F  --stall-ms N [35000]  --bad-record-rate F  --retry-after S [0 = none]
  --max-page-size N [100]  --max-ids N [50]  --gzip on|off [on]
  --platform taobao|lazada [taobao]: Lazada's dialect (whole seconds, offsets, order ids)
  --lie KIND=RATE (repeatable; KIND: short_page count_mismatch no_list success_false
        unstable_count missing_lines foreign_line future_time outside_window bad_byte bom
        duplicate_key bad_escape nul huge_number long_id)
)";
}

} // namespace taosync::sim

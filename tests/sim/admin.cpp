#include "admin.hpp"
#include "lazada_render.hpp"

#include "catalog.hpp"
#include "json_out.hpp"
#include "render.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>

namespace taosync::sim {

namespace {

void append_double(std::string& out, std::string_view key, double v, bool first = false) {
  json::key(out, key, first);
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v); // shortest form: 0.25, 2
  out.append(buf, end);
}

std::string set_number(const boost::json::value& v, double& target) {
  if (!v.is_number())
    return "must be a number";
  auto d = v.to_number<double>();
  if (d < 0 || !std::isfinite(d))
    return "must be >= 0";
  target = d;
  return "";
}

std::string set_int(const boost::json::value& v, int& target) {
  double d = 0;
  if (auto e = set_number(v, d); !e.empty())
    return e;
  target = static_cast<int>(d);
  return "";
}

std::string set_latency(const boost::json::value& v, LiveSettings& live) {
  double mean = 0;
  double jitter = 0;
  if (v.is_string()) {
    std::string s(v.as_string());
    auto colon = s.find(':');
    try {
      mean = std::stod(s.substr(0, colon));
      jitter = colon == std::string::npos ? 0 : std::stod(s.substr(colon + 1));
    } catch (const std::exception&) {
      return "must be MEAN or \"MEAN:JITTER\"";
    }
  } else if (auto e = set_number(v, mean); !e.empty()) {
    return e;
  }
  live.latency_mean = std::chrono::milliseconds(static_cast<std::int64_t>(mean));
  live.latency_jitter = std::chrono::milliseconds(static_cast<std::int64_t>(jitter));
  return "";
}

/// {"short_page":0.5,...}: the named kinds change, the others keep their rates.
std::string set_lies(const boost::json::value& v, LieRates& lies) {
  if (!v.is_object())
    return "must be an object of KIND: RATE";
  for (const auto& [name, rate] : v.as_object()) {
    auto kind = lie_from_name(name);
    if (!kind)
      return std::string(name) + ": unknown lie";
    if (!rate.is_number() || rate.to_number<double>() < 0 || rate.to_number<double>() > 1)
      return std::string(name) + ": must be a number within 0..1";
    lies[*kind] = rate.to_number<double>();
  }
  return "";
}

/// A seller key's value must be `true`: it is an action, not a setting.
std::string expect_true(const boost::json::value& v) {
  return v.is_bool() && v.as_bool() ? "" : "must be true";
}

/// The keys that act on one seller: its tokens.
std::string apply_seller_key(Seller& seller, std::string_view key, const boost::json::value& v) {
  if (key == "expire_access_token") {
    if (auto e = expect_true(v); !e.empty())
      return e;
    seller.tokens().expire_access(wall_ms());
    return "";
  }
  if (key == "revoke_refresh_tokens") {
    if (auto e = expect_true(v); !e.empty())
      return e;
    seller.tokens().revoke_refresh_tokens();
    return "";
  }
  return "unknown key";
}

bool is_seller_key(std::string_view key) {
  return key == "expire_access_token" || key == "revoke_refresh_tokens";
}

std::string apply_key(LiveSettings& live, std::string_view key, const boost::json::value& v) {
  if (key == "arrivals")
    return set_number(v, live.arrivals);
  if (key == "changes")
    return set_number(v, live.changes);
  if (key == "fault_rate")
    return set_number(v, live.fault_rate);
  if (key == "bad_record_rate")
    return set_number(v, live.bad_record_rate);
  if (key == "rate_limit")
    return set_number(v, live.rate_limit);
  if (key == "churn_per_page")
    return set_int(v, live.churn_per_page);
  if (key == "burst")
    return set_int(v, live.burst);
  if (key == "bulk_same_ms")
    return set_int(v, live.bulk_same_ms);
  if (key == "latency_ms")
    return set_latency(v, live);
  if (key == "lies")
    return set_lies(v, live.lies);
  if (key == "retry_after")
    return set_int(v, live.retry_after);
  if (key == "unavailable_calls")
    return set_int(v, live.unavailable_calls);
  if (key == "unavailable_status") {
    if (!v.is_number() || (v.to_number<double>() != 503 && v.to_number<double>() != 429))
      return "must be 503 or 429";
    live.unavailable_status = static_cast<int>(v.to_number<double>());
    return "";
  }
  if (key == "clock_offset_ms") {
    if (!v.is_number())
      return "must be a number (milliseconds; negative: the platform's clock is behind)";
    live.clock_offset = std::chrono::milliseconds(static_cast<std::int64_t>(v.to_number<double>()));
    return "";
  }
  return "unknown key";
}

void append_counts(std::string& out, const auto& counts) {
  out += '{';
  bool first = true;
  for (const auto& [name, n] : counts) {
    json::num(out, name, static_cast<std::int64_t>(n), first);
    first = false;
  }
  out += '}';
}

} // namespace

std::string stats_body(SimState& state) {
  const auto& stats = state.stats();
  std::string out = "{\"calls\":{";
  bool first = true;
  for (const auto& [endpoint, outcomes] : stats.calls) {
    json::key(out, endpoint, first);
    append_counts(out, outcomes);
    first = false;
  }
  out += '}';
  json::num(out, "throttled", static_cast<std::int64_t>(stats.throttled));
  json::key(out, "faults");
  append_counts(out, stats.faults);
  json::key(out, "lies");
  append_counts(out, stats.lies);
  json::key(out, "repeats");
  out += '{';
  json::num(out, "max_identical", static_cast<std::int64_t>(stats.repeats.max_identical()), true);
  json::num(out, "max_identical_per_second",
            static_cast<std::int64_t>(stats.repeats.max_identical_per_second()));
  out += '}';
  json::key(out, "bytes");
  out += '{';
  json::num(out, "sent", static_cast<std::int64_t>(stats.bytes.sent), true);
  json::num(out, "plain", static_cast<std::int64_t>(stats.bytes.plain));
  out += '}';
  json::key(out, "unavailable");
  out += '{';
  json::num(out, "served", static_cast<std::int64_t>(stats.unavailable.served), true);
  json::num(out, "last_ms", stats.unavailable.last_ms);
  json::num(out, "next_call_ms", stats.unavailable.next_call_ms);
  out += '}';
  std::int64_t orders = 0, lines = 0, changes = 0, arrivals = 0;
  for (const auto& seller : state.sellers()) {
    orders += static_cast<std::int64_t>(seller->shop().orders().size());
    lines += seller->shop().line_total();
    changes += seller->shop().changes_applied();
    arrivals += seller->shop().arrivals();
  }
  json::num(out, "orders", orders);
  json::num(out, "lines", lines);
  json::num(out, "changes", changes);
  json::num(out, "arrivals", arrivals);
  json::key(out, "sellers");
  out += '{';
  for (const auto& seller : state.sellers()) {
    json::key(out, seller->name(), seller == state.sellers().front());
    out += '{';
    json::key(out, "calls", true);
    out += '{';
    bool first_endpoint = true;
    for (const auto& [endpoint, outcomes] : seller->calls()) {
      json::key(out, endpoint, first_endpoint);
      append_counts(out, outcomes);
      first_endpoint = false;
    }
    out += '}';
    json::num(out, "orders", static_cast<std::int64_t>(seller->shop().orders().size()));
    json::num(out, "lines", seller->shop().line_total());
    json::num(out, "changes", seller->shop().changes_applied());
    json::num(out, "arrivals", seller->shop().arrivals());
    out += '}';
  }
  out += "}}";
  return out;
}

std::string sellers_body(const SimState& state) {
  std::string out = "{\"sellers\":[";
  for (const auto& seller : state.sellers()) {
    if (seller != state.sellers().front())
      out += ',';
    out += '{';
    json::str(out, "name", seller->name(), true);
    json::num(out, "orders", static_cast<std::int64_t>(seller->shop().orders().size()));
    // A test tool's fake tokens: listed so that a test can call as any seller.
    json::str(out, "access_token", seller->tokens().access_token());
    json::str(out, "refresh_token", seller->initial_refresh_token());
    out += '}';
  }
  out += "]}";
  return out;
}

std::string settings_body(const LiveSettings& live) {
  std::string out = "{";
  append_double(out, "arrivals", live.arrivals, true);
  append_double(out, "changes", live.changes);
  json::num(out, "bulk_same_ms", live.bulk_same_ms);
  json::num(out, "churn_per_page", live.churn_per_page);
  append_double(out, "fault_rate", live.fault_rate);
  append_double(out, "bad_record_rate", live.bad_record_rate);
  append_double(out, "rate_limit", live.rate_limit);
  json::num(out, "burst", live.burst);
  json::num(out, "clock_offset_ms", static_cast<std::int64_t>(live.clock_offset.count()));
  json::str(out, "latency_ms",
            std::to_string(live.latency_mean.count()) + ":" +
                std::to_string(live.latency_jitter.count()));
  json::key(out, "lies");
  out += '{';
  for (auto kind : kAllLies)
    append_double(out, lie_name(kind), live.lies[kind], kind == kAllLies.front());
  out += '}';
  json::num(out, "retry_after", live.retry_after);
  json::num(out, "unavailable_calls", live.unavailable_calls);
  json::num(out, "unavailable_status", live.unavailable_status);
  out += '}';
  return out;
}

std::string apply_control(SimState& state, std::string_view body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object())
    return "the body must be a JSON object";
  const auto& object = value.as_object();
  Seller* seller = &state.first_seller();
  if (auto it = object.find("seller"); it != object.end()) {
    seller = it->value().is_string() ? state.find_seller(it->value().as_string()) : nullptr;
    if (seller == nullptr)
      return "seller: no such seller: " + boost::json::serialize(it->value());
  }
  // Check everything before changing anything: a rejected body changes nothing.
  auto live = state.live();
  for (const auto& [key, v] : object) {
    if (key == "seller" || is_seller_key(key))
      continue;
    if (object.contains("seller"))
      return std::string(key) + ": applies to every seller; send it without \"seller\"";
    if (auto problem = apply_key(live, key, v); !problem.empty())
      return std::string(key) + ": " + problem;
  }
  for (const auto& [key, v] : object)
    if (is_seller_key(key))
      if (auto problem = expect_true(v); !problem.empty())
        return std::string(key) + ": " + problem;
  for (const auto& [key, v] : object)
    if (is_seller_key(key))
      apply_seller_key(*seller, key, v);
  if (live.fault_rate > 1 || live.bad_record_rate > 1)
    return "fault_rate and bad_record_rate must be within 0..1";
  bool limits_changed =
      live.rate_limit != state.live().rate_limit || live.burst != state.live().burst;
  state.live() = live;
  set_platform_clock_offset(live.clock_offset);
  if (limits_changed)
    state.apply_rate_limit();
  return "";
}

std::string mutate_body(SimState& state, Seller& seller, std::int64_t n) {
  auto applied = state.mutate(seller, n);
  std::string out = "{";
  json::num(out, "requested", n, true);
  json::num(out, "applied", applied);
  json::num(out, "changes", seller.shop().changes_applied());
  out += '}';
  return out;
}

void truth_chunk(const SimState& state, const Seller& seller, std::size_t begin, std::size_t end,
                 std::string& out) {
  RenderMode mode{seller.seed(), state.live().bad_record_rate, true, kSellerName};
  const auto& orders = seller.shop().orders();
  for (auto i = begin; i < end; ++i) {
    out += i == 0 ? "\n" : ",\n";
    if (state.options().platform == Dialect::lazada)
      render_lazada_truth(out, orders[i], describe_order(seller.seed(), orders[i].id));
    else
      render_order_module(out, orders[i], describe_order(seller.seed(), orders[i].id), mode);
  }
}

} // namespace taosync::sim

#pragma once
// Helpers of the lie tests: a simulator telling one lie, the lies counted in its stats, and
// checks on raw bodies (which a lie may make invalid JSON or invalid UTF-8).

#include "lies.hpp"
#include "test_util.hpp"

#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::sim::test {

/// 2400-01-01T00:00:00Z: no honest modification_time is past it.
inline constexpr std::int64_t kYear2400Ms = 13'569'465'600'000;

/// A small simulator's options, telling `kind` at `rate`.
inline SimOptions lying_options(Lie kind, double rate, std::uint64_t orders = 60) {
  auto o = small_options(orders, 11);
  o.live.lies[kind] = rate;
  return o;
}

/// How many lies of `kind` /_sim/stats counts (0 if none).
inline std::int64_t lies_told(HttpClient& admin, std::string_view kind) {
  auto stats = boost::json::parse(admin.get("/_sim/stats").body);
  const auto& lies = stats.at("lies").as_object();
  auto* n = lies.if_contains(kind);
  return n ? n->as_int64() : 0;
}

/// A modification window over the second half of the default 90-day history.
inline api::Params window_params(std::string page_size = "100") {
  constexpr std::int64_t kAnchor = 1593076987000;
  constexpr std::int64_t kDay = 86'400'000;
  return {{"Page_Size", std::move(page_size)},
          {"modification_time_start", std::to_string(kAnchor - 45 * kDay)},
          {"modification_time_end", std::to_string(kAnchor)}};
}

/// `result` of a body that must be valid JSON with code "0".
inline boost::json::object result_of(const HttpResult& r) {
  auto body = parse(r);
  REQUIRE(body.at("code") == "0");
  return body.at("result").as_object();
}

/// The ids of the first `n` truth orders' lines, as a JSON array for trade_order_line_id_list.
inline std::string line_id_list(const boost::json::array& truth, std::size_t n) {
  boost::json::array ids;
  for (std::size_t i = 0; i < truth.size() && ids.size() < n; ++i)
    for (const auto& line : truth[i].at("trade_order_line_list").as_array())
      if (ids.size() < n)
        ids.push_back(line.at("trade_order_line_id"));
  return boost::json::serialize(ids);
}

/// The places where `text` is not valid UTF-8 (each bad sequence counts once).
inline int invalid_utf8_spots(std::string_view text) {
  int spots = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || c == 0xC0 || c == 0xC1) {
      ++spots;
      ++i;
      continue;
    }
    std::size_t k = 1;
    while (k < len && i + k < text.size() && (static_cast<unsigned char>(text[i + k]) >> 6) == 2)
      ++k;
    if (k < len)
      ++spots;
    i += k;
  }
  return spots;
}

/// Every value of `"key":` in a raw body (numbers, or strings without their quotes).
inline std::vector<std::string> raw_values(const std::string& body, const std::string& key) {
  std::vector<std::string> values;
  std::regex pattern("\"" + key + "\":(\"([^\"]*)\"|(-?[0-9]+))");
  for (std::sregex_iterator it(body.begin(), body.end(), pattern), end; it != end; ++it)
    values.push_back((*it)[2].matched ? (*it)[2].str() : (*it)[3].str());
  return values;
}

/// The distinct values of `"key":` in a raw body.
inline std::set<std::string> distinct_values(const std::string& body, const std::string& key) {
  auto values = raw_values(body, key);
  return {values.begin(), values.end()};
}

/// Whether a page of `served` records agrees with `total_count` for page `page` of `size`.
inline bool page_agrees(std::int64_t total, std::int64_t page, std::int64_t size,
                        std::int64_t served) {
  auto remaining = std::max<std::int64_t>(0, total - (page - 1) * size);
  return std::min(remaining, size) == served;
}

} // namespace taosync::sim::test

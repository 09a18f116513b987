#include "api/retry_after.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace taosync::api {
namespace {

using std::chrono::seconds;

// Far past any sane wait, and far from overflowing a duration.
constexpr std::int64_t kMaxDelaySeconds = 10LL * 365 * 24 * 3600;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> number(std::string_view s, std::size_t min_digits, std::size_t max_digits) {
  if (!all_digits(s) || s.size() < min_digits || s.size() > max_digits)
    return std::nullopt;
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::optional<unsigned> month_of(std::string_view s) {
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (s == kMonths[i])
      return static_cast<unsigned>(i + 1);
  return std::nullopt;
}

/// The words of a date: runs between spaces, commas, dashes and colons.
std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == ' ' || s[i] == ',' || s[i] == '-' || s[i] == ':') {
      if (i > start)
        words.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return words;
}

std::optional<std::chrono::sys_seconds> instant(int year, std::optional<unsigned> month,
                                                std::optional<int> day, std::optional<int> hour,
                                                std::optional<int> minute,
                                                std::optional<int> second) {
  if (!month || !day || !hour || !minute || !second || *hour > 23 || *minute > 59 ||
      *second > 60) // 60: a leap second
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(*month),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok())
    return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         seconds(*second);
}

/// The instant of an HTTP-date in any of its three forms.
std::optional<std::chrono::sys_seconds> http_date(std::string_view text) {
  const auto w = words_of(text);
  if (w.size() == 8 && w[7] == "GMT") {
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT".
    auto year = number(w[3], 2, 4);
    if (!year || w[3].size() == 3)
      return std::nullopt;
    if (w[3].size() == 2) // RFC 850's two digits: the nearest century, as RFC 9110 reads them
      *year += *year < 70 ? 2000 : 1900;
    return instant(*year, month_of(w[2]), number(w[1], 1, 2), number(w[4], 2, 2),
                   number(w[5], 2, 2), number(w[6], 2, 2));
  }
  if (w.size() == 7) { // asctime "Sun Nov  6 08:49:37 1994"
    const auto year = number(w[6], 4, 4);
    if (!year)
      return std::nullopt;
    return instant(*year, month_of(w[1]), number(w[2], 1, 2), number(w[3], 2, 2),
                   number(w[4], 2, 2), number(w[5], 2, 2));
  }
  return std::nullopt;
}

} // namespace

std::optional<seconds> parse_retry_after(std::string_view value,
                                         std::chrono::system_clock::time_point now) {
  value = trimmed(value);
  if (all_digits(value)) {
    std::int64_t delay = 0;
    for (const char c : value)
      delay = std::min(delay * 10 + (c - '0'), kMaxDelaySeconds);
    return seconds(delay);
  }
  const auto at = http_date(value);
  if (!at)
    return std::nullopt;
  if (*at <= now)
    return seconds(0);
  // Rounded up: coming back a fraction early is coming back too early.
  return std::chrono::ceil<seconds>(*at - now);
}

std::chrono::milliseconds honour_retry_after(std::chrono::milliseconds wait,
                                             std::optional<seconds> retry_after,
                                             const RetryPolicy& policy) {
  if (!retry_after)
    return wait;
  const std::chrono::milliseconds asked =
      std::min<std::chrono::milliseconds>(*retry_after, policy.max_retry_after);
  return std::max(wait, asked);
}

std::string retry_after_note(std::optional<seconds> retry_after, const RetryPolicy& policy) {
  if (!retry_after)
    return {};
  std::string note = "; Retry-After: " + std::to_string(retry_after->count()) + "s";
  if (*retry_after > policy.max_retry_after) {
    const auto cap = policy.max_retry_after;
    note += ", held to api.retry.max_retry_after " +
            (cap % seconds(1) == std::chrono::milliseconds::zero()
                 ? std::to_string(std::chrono::duration_cast<seconds>(cap).count()) + "s"
                 : std::to_string(cap.count()) + "ms");
  }
  return note;
}

} // namespace taosync::api

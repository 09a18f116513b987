#include "api/lazada/time_text.hpp"

#include "model/time_text.hpp"

namespace taosync::api::lazada {
namespace {

// "+0800", "+08:00", "-05:30" or "Z" as minutes east of UTC; nullopt for anything else.
std::optional<int> offset_minutes(std::string_view text) {
  if (text == "Z")
    return 0;
  if (text.size() != 5 && text.size() != 6)
    return std::nullopt;
  if (text[0] != '+' && text[0] != '-')
    return std::nullopt;
  const bool colon = text.size() == 6;
  if (colon && text[3] != ':')
    return std::nullopt;
  const auto hours = model::fixed_digits(text, 1, 2);
  const auto minutes = model::fixed_digits(text, colon ? 4 : 3, 2);
  if (!hours || !minutes || *hours > 14 || *minutes > 59)
    return std::nullopt;
  const int total = *hours * 60 + *minutes;
  return text[0] == '-' ? -total : total;
}

} // namespace

std::optional<model::TimePoint> parse_time(std::string_view text) {
  using namespace std::chrono;
  // "YYYY-MM-DD", then ' ' or 'T', then "HH:MM:SS": 19 characters, then the offset.
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  const char sep = text[10];
  if (sep != ' ' && sep != 'T')
    return std::nullopt;
  // "2014-10-08 22:30:25 +0800" puts a space before the offset; ISO 8601 puts none.
  std::string_view zone = text.substr(19);
  if (sep == ' ' && zone.starts_with(' '))
    zone.remove_prefix(1);
  const auto y = model::fixed_digits(text, 0, 4), mo = model::fixed_digits(text, 5, 2),
             d = model::fixed_digits(text, 8, 2);
  const auto h = model::fixed_digits(text, 11, 2), mi = model::fixed_digits(text, 14, 2),
             s = model::fixed_digits(text, 17, 2);
  const auto offset = offset_minutes(zone);
  if (!y || !mo || !d || !h || !mi || !s || !offset)
    return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                            day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 59)
    return std::nullopt;
  const auto local = sys_days{date} + hours{*h} + minutes{*mi} + seconds{*s};
  return model::TimePoint{
      duration_cast<milliseconds>((local - minutes{*offset}).time_since_epoch())};
}

std::string format_time(model::TimePoint t) {
  const auto whole = std::chrono::floor<std::chrono::seconds>(t);
  std::string text = model::format_time_seconds(whole); // "2017-02-10T01:00:00Z"
  text.pop_back();
  return text + "+00:00";
}

} // namespace taosync::api::lazada

// Durations as written in the config: "250ms", "30s", "2m", "1h", "1d", or sums ("1h30m").

#include "config/config.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <string_view>

namespace taosync::config {

namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t millis;
};

// Longest suffix first so "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 5> kUnits{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 60 * 60 * 1000},
    {"d", 24 * 60 * 60 * 1000},
}};

[[noreturn]] void bad(const std::string& text, const char* why) {
  throw std::invalid_argument("invalid duration '" + text + "': " + why +
                              " (write e.g. 250ms, 30s, 2m, 1h, 1d)");
}

} // namespace

Millis parse_duration(const std::string& text) {
  std::string_view rest(text);
  if (rest == "0")
    return Millis{0};
  if (rest.empty())
    bad(text, "empty");
  std::int64_t total = 0;
  while (!rest.empty()) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc{} || ptr == rest.data() || value < 0)
      bad(text, "expected a number");
    rest.remove_prefix(static_cast<std::size_t>(ptr - rest.data()));
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (rest.starts_with(u.suffix)) {
        unit = &u;
        break;
      }
    }
    if (!unit)
      bad(text, "missing or unknown unit");
    rest.remove_prefix(unit->suffix.size());
    if (value > (std::numeric_limits<std::int64_t>::max() - total) / unit->millis) {
      bad(text, "too large");
    }
    total += value * unit->millis;
  }
  return Millis{total};
}

std::string format_duration(Millis d) {
  const std::int64_t ms = d.count();
  if (ms == 0)
    return "0s";
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (ms % it->millis == 0)
      return std::to_string(ms / it->millis) + std::string(it->suffix);
  }
  return std::to_string(ms) + "ms";
}

} // namespace taosync::config

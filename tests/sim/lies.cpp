#include "lies.hpp"

#include "stats.hpp"

#include <stdexcept>

namespace taosync::sim {

namespace {

constexpr std::array<std::string_view, kLieKinds> kLieNames = {"short_page",
                                                               "count_mismatch",
                                                               "no_list",
                                                               "success_false",
                                                               "unstable_count",
                                                               "missing_lines",
                                                               "foreign_line",
                                                               "future_time",
                                                               "outside_window",
                                                               "bad_byte",
                                                               "bom",
                                                               "duplicate_key",
                                                               "bad_escape",
                                                               "nul",
                                                               "huge_number",
                                                               "long_id"};

} // namespace

std::string_view lie_name(Lie kind) {
  return kLieNames[static_cast<std::size_t>(kind)];
}

std::optional<Lie> lie_from_name(std::string_view name) {
  for (auto kind : kAllLies)
    if (lie_name(kind) == name)
      return kind;
  return std::nullopt;
}

bool LieRates::any() const {
  for (auto r : rates_)
    if (r > 0)
      return true;
  return false;
}

std::pair<Lie, double> parse_lie_setting(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos)
    throw std::invalid_argument("--lie: expected KIND=RATE, got " + std::string(text));
  auto kind = lie_from_name(text.substr(0, eq));
  if (!kind)
    throw std::invalid_argument("--lie: unknown kind: " + std::string(text.substr(0, eq)));
  auto rate_text = std::string(text.substr(eq + 1));
  double rate = -1;
  try {
    std::size_t used = 0;
    rate = std::stod(rate_text, &used);
    if (used != rate_text.size())
      rate = -1;
  } catch (const std::exception&) {
  }
  if (!(rate >= 0 && rate <= 1))
    throw std::invalid_argument("--lie: the rate of " + std::string(lie_name(*kind)) +
                                " must be within 0..1, got " + rate_text);
  return {*kind, rate};
}

bool Liar::rolls(Lie kind) {
  auto rate = rates_[kind];
  return rate > 0 && rng_.unit() < rate;
}

void Liar::told(Lie kind) {
  stats_.count_lie(lie_name(kind));
}

} // namespace taosync::sim

#pragma once
// Lies (--lie KIND=RATE): answers that are well-formed but inconsistent, as a platform with a
// lagging search index or a disagreeing replica gives them. A lie changes only what one
// response says; the shop (and so /_sim/truth) never changes.

#include "prng.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace taosync::sim {

struct Stats;

/// One kind of lie; the names are those of --lie, /_sim/control and /_sim/stats.
enum class Lie {
  short_page,     ///< /orders/get: records dropped from the page, total_count unchanged
  count_mismatch, ///< /orders/get: total_count disagrees with the records served
  no_list,        ///< /orders/get, /order/items/get: a success result without model_list
  success_false,  ///< all three: "success":false with an empty or partial list / null module
  unstable_count, ///< /orders/get: total_count is a fresh random number on every call
  missing_lines,  ///< /order/items/get: some asked line ids are left out
  foreign_line,   ///< /order/items/get, /order/get: a line names another order
  future_time,    ///< /orders/get, /order/get: a modification_time centuries ahead
  outside_window, ///< /orders/get: a modification_time outside the asked window
  bad_byte,       ///< all three: invalid UTF-8 inside one record's string
  bom,            ///< all three: the body starts with a UTF-8 byte order mark
  duplicate_key,  ///< /orders/get, /order/get: one record has a key twice, with two values
  bad_escape,     ///< all three: a surrogate escape that decodes to no character
  nul,            ///< all three: a NUL in one record's string, escaped or raw
  huge_number,    ///< all three: one record's number past what any column or jsonb holds
  long_id,        ///< all three: one record's id runs on past the id length limit
};

/// Number of lie kinds.
inline constexpr std::size_t kLieKinds = 16;

/// Every kind, in declaration order.
inline constexpr std::array<Lie, kLieKinds> kAllLies = {Lie::short_page,
                                                        Lie::count_mismatch,
                                                        Lie::no_list,
                                                        Lie::success_false,
                                                        Lie::unstable_count,
                                                        Lie::missing_lines,
                                                        Lie::foreign_line,
                                                        Lie::future_time,
                                                        Lie::outside_window,
                                                        Lie::bad_byte,
                                                        Lie::bom,
                                                        Lie::duplicate_key,
                                                        Lie::bad_escape,
                                                        Lie::nul,
                                                        Lie::huge_number,
                                                        Lie::long_id};

/// "short_page", "count_mismatch", ...
std::string_view lie_name(Lie kind);

/// The kind named `name`, if any.
std::optional<Lie> lie_from_name(std::string_view name);

/// The rate (0..1) of every kind; all 0 = an honest platform.
class LieRates {
public:
  double operator[](Lie kind) const { return rates_[static_cast<std::size_t>(kind)]; }
  double& operator[](Lie kind) { return rates_[static_cast<std::size_t>(kind)]; }

  /// True if any kind has a rate above 0.
  bool any() const;

private:
  std::array<double, kLieKinds> rates_{};
};

/// Parses "KIND=RATE" (--lie). Throws std::invalid_argument naming the problem.
std::pair<Lie, double> parse_lie_setting(std::string_view text);

/// Decides which lies one response tells, and counts those told. Rolls draw from the
/// simulator's own lie stream, so the same seed and requests give the same lies.
class Liar {
public:
  Liar(const LieRates& rates, Prng& rng, Stats& stats) : rates_(rates), rng_(rng), stats_(stats) {}

  /// Rolls whether this response tells `kind` (never at rate 0, always at rate 1).
  bool rolls(Lie kind);

  /// Counts a lie actually served in /_sim/stats.
  void told(Lie kind);

  /// The lie stream, for the lie's details (which record, which value).
  Prng& rng() { return rng_; }

private:
  const LieRates& rates_;
  Prng& rng_;
  Stats& stats_;
};

} // namespace taosync::sim

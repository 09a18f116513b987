#include "endpoint_lies.hpp"

#include "record_text.hpp"
#include "status.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace taosync::sim {

namespace {

namespace text = record_text;

constexpr std::int64_t kLieDayMs = 86'400'000;
constexpr std::int64_t kLieHourMs = 3'600'000;
constexpr std::int64_t kYear2500Ms = 16'725'225'600'000; // 2500-01-01T00:00:00Z
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::int64_t as_ms(std::string_view number) {
  std::int64_t v = 0;
  std::from_chars(number.data(), number.data() + number.size(), v);
  return v;
}

/// One record of the list, chosen at random.
std::string& pick_record(Liar& liar, std::vector<std::string>& records) {
  return records[liar.rng().below(records.size())];
}

/// Leaves out one record, or up to a quarter of them, at random places.
void drop_some(Liar& liar, std::vector<std::string>& records) {
  auto n = 1 + liar.rng().below(std::max<std::size_t>(1, records.size() / 4));
  for (; n > 0 && !records.empty(); --n)
    records.erase(records.begin() + static_cast<std::ptrdiff_t>(liar.rng().below(records.size())));
}

/// no_list or success_false, which leave no room for other lies. Returns whether one was told.
bool lie_about_envelope(Liar& liar, Listing& listing) {
  if (liar.rolls(Lie::no_list)) {
    listing.has_list = false;
    listing.records.clear();
    liar.told(Lie::no_list);
    return true;
  }
  if (liar.rolls(Lie::success_false)) {
    listing.success = false;
    // An empty or partial list: a failed search that returned what it had so far.
    auto keep = listing.records.empty() ? 0 : liar.rng().below(listing.records.size());
    listing.records.resize(keep);
    liar.told(Lie::success_false);
    return true;
  }
  return false;
}

void tell_future_time(Liar& liar, std::string& record, int nth) {
  auto when = kYear2500Ms + static_cast<std::int64_t>(liar.rng().below(365 * kLieDayMs));
  text::replace_value(record, "modification_time", nth, std::to_string(when));
}

void tell_bad_byte(Liar& liar, std::string& record, bool line) {
  // A lone 0xFF never occurs in UTF-8; E5 8F opens a three-byte character that is cut short.
  std::string_view bytes = liar.rng().below(2) == 0 ? "\xFF" : "\xE5\x8F";
  // In a line, inside the value of the JSON that sku_info encodes.
  if (line && text::insert_after(record, "\\\"valueText\\\":\\\"", bytes))
    return;
  text::insert_after(record, "\"buyer_full_name\":\"", bytes);
}

void tell_duplicate_key(Liar& liar, std::string& record) {
  bool first = liar.rng().below(2) == 0;
  if (liar.rng().below(2) == 0) {
    auto ms = as_ms(text::value_text(record, "modification_time", text::kLast));
    auto other = ms + 1 + static_cast<std::int64_t>(liar.rng().below(kLieHourMs));
    text::add_duplicate(record, "modification_time", std::to_string(other), first);
    return;
  }
  auto current = text::value_text(record, "status", text::kLast); // with its quotes
  auto at = liar.rng().below(kStatusCount);
  if ("\"" + std::string(kStatusNames[at]) + "\"" == current)
    at = (at + 1) % kStatusCount;
  text::add_duplicate(record, "status", "\"" + std::string(kStatusNames[at]) + "\"", first);
}

// Escapes that decode to no character: a high surrogate wants a low one right after it, a low
// one wants a high one right before it.
constexpr std::array<std::string_view, 3> kBadEscapes = {"\\ud800", "\\udc00", "\\udc00\\ud800"};

void tell_bad_escape(Liar& liar, std::string& record) {
  text::insert_after(record, "\"buyer_full_name\":\"", kBadEscapes[liar.rng().below(3)]);
}

void tell_nul(Liar& liar, std::string& record, bool line) {
  // In a line, also inside the value of the JSON that sku_info encodes (escaped once more).
  const auto variant = liar.rng().below(line ? 3 : 2);
  if (variant == 2 && text::insert_after(record, "\\\"valueText\\\":\\\"", "\\\\u0000"))
    return;
  // The escape, or a raw NUL byte, which JSON does not allow inside a string.
  text::insert_after(record, "\"buyer_full_name\":\"",
                     variant == 1 ? std::string_view("\0", 1) : std::string_view("\\u0000"));
}

void tell_huge_number(Liar& liar, std::string& record, bool line) {
  const std::string_view key = line ? "quantity" : "creation_time";
  switch (liar.rng().below(3)) {
  case 0: // past int64, and past uint64 too
    text::replace_value(record, key, 0, "123456789012345678901234567890");
    break;
  case 1: // past what PostgreSQL's numeric takes
    text::replace_value(record, key, 0, "1e999999");
    break;
  default: // a key the client has never heard of, which still goes into its raw jsonb
    record.insert(record.size() - 1, ",\"weight_kg\":1e999999");
  }
}

void tell_long_id(Liar& liar, std::string& record, bool line) {
  const std::string_view key = line ? "trade_order_line_id" : "trade_order_id";
  auto id = std::string(text::value_text(record, key, 0)); // with its quotes
  if (id.size() < 2)
    return;
  const auto more = 60 + liar.rng().below(301); // past 64 bytes, often past 256
  std::string digits;
  for (std::uint64_t i = 0; i < more; ++i)
    digits += static_cast<char>('0' + liar.rng().below(10));
  id.insert(id.size() - 1, digits);
  text::replace_value(record, key, 0, id);
}

/// Tells the record lies every endpoint shares (bad_escape, nul, huge_number, long_id), each to
/// one record of `records` picked at random; `line` when they are lines.
void lie_about_values(Liar& liar, std::vector<std::string>& records, bool line) {
  if (!records.empty() && liar.rolls(Lie::bad_escape)) {
    tell_bad_escape(liar, pick_record(liar, records));
    liar.told(Lie::bad_escape);
  }
  if (!records.empty() && liar.rolls(Lie::nul)) {
    tell_nul(liar, pick_record(liar, records), line);
    liar.told(Lie::nul);
  }
  if (!records.empty() && liar.rolls(Lie::huge_number)) {
    tell_huge_number(liar, pick_record(liar, records), line);
    liar.told(Lie::huge_number);
  }
  if (!records.empty() && liar.rolls(Lie::long_id)) {
    tell_long_id(liar, pick_record(liar, records), line);
    liar.told(Lie::long_id);
  }
}

/// The id of an order other than the one whose id is `own` (quoted, as in the record).
std::uint64_t other_order(Liar& liar, const Shop& shop, std::string_view own) {
  const auto& orders = shop.orders();
  auto at = liar.rng().below(orders.size());
  if ("\"" + std::to_string(orders[at].id) + "\"" == own)
    at = (at + 1) % orders.size();
  return orders[at].id;
}

void tell_foreign_line(Liar& liar, std::string& record, int nth, const Shop& shop) {
  auto own = text::value_text(record, "trade_order_id", nth);
  auto other = other_order(liar, shop, own);
  text::replace_value(record, "trade_order_id", nth, "\"" + std::to_string(other) + "\"");
}

/// A modification_time just outside the asked window: before its start, or else after its end.
std::optional<std::int64_t> outside(Liar& liar, const ListQuery& query) {
  if (query.from && *query.from > 0)
    return *query.from - 1 -
           static_cast<std::int64_t>(
               liar.rng().below(static_cast<std::uint64_t>(std::min(*query.from, kLieHourMs))));
  if (query.to && *query.to < kYear2500Ms)
    return *query.to + 1 + static_cast<std::int64_t>(liar.rng().below(kLieHourMs));
  return std::nullopt;
}

/// A total_count that disagrees with the page served: more than the page shows while it is not
/// full, or fewer than it holds.
std::int64_t mismatched_count(Liar& liar, const Listing& listing) {
  auto offset = (listing.page_no - 1) * listing.page_size;
  auto n = static_cast<std::int64_t>(listing.records.size());
  if (n < listing.page_size && (n == 0 || liar.rng().below(2) == 0))
    return offset + n + 1 + liar.rng().between(0, listing.page_size - n - 1);
  return offset + static_cast<std::int64_t>(liar.rng().below(static_cast<std::uint64_t>(n)));
}

} // namespace

void lie_in_orders(Liar& liar, Listing& listing, const ListQuery& query) {
  if (lie_about_envelope(liar, listing))
    return;
  auto& records = listing.records;
  if (!records.empty() && liar.rolls(Lie::short_page)) {
    drop_some(liar, records);
    liar.told(Lie::short_page);
  }
  if (!records.empty() && liar.rolls(Lie::future_time)) {
    tell_future_time(liar, pick_record(liar, records), 0);
    liar.told(Lie::future_time);
  }
  if (!records.empty() && (query.from || query.to) && liar.rolls(Lie::outside_window)) {
    if (auto when = outside(liar, query)) {
      text::replace_value(pick_record(liar, records), "modification_time", 0,
                          std::to_string(*when));
      liar.told(Lie::outside_window);
    }
  }
  if (!records.empty() && liar.rolls(Lie::bad_byte)) {
    tell_bad_byte(liar, pick_record(liar, records), false);
    liar.told(Lie::bad_byte);
  }
  if (!records.empty() && liar.rolls(Lie::duplicate_key)) {
    tell_duplicate_key(liar, pick_record(liar, records));
    liar.told(Lie::duplicate_key);
  }
  lie_about_values(liar, records, false);
  if (liar.rolls(Lie::unstable_count)) {
    // A fresh number on every call, up to three pages' worth: it never settles.
    auto fresh = liar.rng().between(0, 3 * listing.page_size);
    listing.total_count = fresh == listing.total_count ? fresh + 1 : fresh;
    liar.told(Lie::unstable_count);
  } else if (liar.rolls(Lie::count_mismatch)) {
    listing.total_count = mismatched_count(liar, listing);
    liar.told(Lie::count_mismatch);
  }
}

void lie_in_items(Liar& liar, Listing& listing, const Shop& shop) {
  if (lie_about_envelope(liar, listing))
    return;
  auto& records = listing.records;
  if (!records.empty() && liar.rolls(Lie::missing_lines)) {
    drop_some(liar, records);
    listing.total_count = static_cast<std::int64_t>(records.size()); // consistent: no hint
    liar.told(Lie::missing_lines);
  }
  if (!records.empty() && shop.orders().size() > 1 && liar.rolls(Lie::foreign_line)) {
    tell_foreign_line(liar, pick_record(liar, records), 0, shop);
    liar.told(Lie::foreign_line);
  }
  if (!records.empty() && liar.rolls(Lie::bad_byte)) {
    tell_bad_byte(liar, pick_record(liar, records), true);
    liar.told(Lie::bad_byte);
  }
  lie_about_values(liar, records, true);
}

bool lie_in_order(Liar& liar, std::string& module, int lines, const Shop& shop) {
  if (liar.rolls(Lie::success_false)) {
    liar.told(Lie::success_false);
    return false;
  }
  if (liar.rolls(Lie::future_time)) {
    tell_future_time(liar, module, text::kLast); // the order's own time follows its lines'
    liar.told(Lie::future_time);
  }
  if (lines > 0 && shop.orders().size() > 1 && liar.rolls(Lie::foreign_line)) {
    // Occurrence 0 is the order's own id; 1..lines are its lines'.
    auto nth = 1 + static_cast<int>(liar.rng().below(static_cast<std::uint64_t>(lines)));
    tell_foreign_line(liar, module, nth, shop);
    liar.told(Lie::foreign_line);
  }
  if (liar.rolls(Lie::bad_byte)) {
    tell_bad_byte(liar, module, false); // the order's buyer_full_name comes before its lines
    liar.told(Lie::bad_byte);
  }
  if (liar.rolls(Lie::duplicate_key)) {
    tell_duplicate_key(liar, module);
    liar.told(Lie::duplicate_key);
  }
  // The order's own values come first in the module (its creation_time, id and buyer name
  // before its lines'); weight_kg goes last, as the order's.
  std::vector<std::string> one = {std::move(module)};
  lie_about_values(liar, one, false);
  module = std::move(one.front());
  return true;
}

void lie_in_body(Liar& liar, std::string& body) {
  if (liar.rolls(Lie::bom)) {
    body.insert(0, kBom);
    liar.told(Lie::bom);
  }
}

} // namespace taosync::sim

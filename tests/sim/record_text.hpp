#pragma once
// Edits of one rendered record's JSON text, for lies. Lies edit what was rendered rather than
// what is rendered from, so no lie can reach the shop or the truth. The records are the
// simulator's own output: string values never contain an unescaped quote, so `"key":` found in
// the text is always a key.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::sim::record_text {

/// Where a value lies in a record: a number, or a string including its quotes.
struct Span {
  std::size_t pos = 0;
  std::size_t len = 0;
};

/// Occurrence index meaning "the last one" (an order's own modification_time in /order/get
/// comes after its lines').
inline constexpr int kLast = -1;

/// The value of the `nth` (0-based, or kLast) occurrence of `"key":`, if there is one.
std::optional<Span> value_span(std::string_view record, std::string_view key, int nth = 0);

/// The value text (a number, or a string with its quotes) of that occurrence, or "".
std::string_view value_text(std::string_view record, std::string_view key, int nth = 0);

/// Replaces that value with `json_value` (already JSON: `123` or `"text"`); false if absent.
bool replace_value(std::string& record, std::string_view key, int nth, std::string_view json_value);

/// Inserts raw `bytes` right after the first occurrence of `marker`; false if absent.
bool insert_after(std::string& record, std::string_view marker, std::string_view bytes);

/// Adds `"key":json_value` a second time: as the record's first key if `first`, else as its
/// last, so that parsers keeping the first and those keeping the last value disagree.
void add_duplicate(std::string& record, std::string_view key, std::string_view json_value,
                   bool first);

} // namespace taosync::sim::record_text

#pragma once
// Making API text acceptable to PostgreSQL: text columns refuse NUL bytes and invalid UTF-8,
// and jsonb refuses the escape \u0000 and unpaired surrogate escapes. One bad character must
// not fail a whole batch, so such characters become U+FFFD.

#include "model/rules.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace taosync::store {

/// True if `s` is valid UTF-8 without NUL bytes (what a text column accepts).
bool is_clean_text(std::string_view s);

/// `s` with NUL bytes and invalid UTF-8 sequences replaced by U+FFFD.
std::string clean_text(std::string_view s);

/// True if `json` (already clean text) has no escape that jsonb rejects.
bool is_jsonb_safe(std::string_view json);

/// `json` cleaned as text, with \u0000 and unpaired surrogate escapes replaced by \ufffd.
std::string jsonb_safe(std::string_view json);

/// True if `s` is a plain decimal amount (the rule every layer shares).
using model::is_decimal;

/// A PostgreSQL array literal {"a","b"} of `items` (quotes and backslashes escaped).
std::string array_literal(const std::vector<std::string>& items);

} // namespace taosync::store

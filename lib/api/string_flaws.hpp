#pragma once
// Text inside JSON strings that no JSON parser decodes but that spoils only the record it is
// in: an escape that decodes to no character (a lone or reversed UTF-16 surrogate, `\ud800`,
// `\udc00\ud800`) and a raw control character (NUL included). The parser refuses a whole body
// for either, so the body is mended until it parses, and each record that held a flaw is
// rejected by the caller. Pure.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taosync::api {

/// One place where a string of a body holds what no JSON parser decodes.
struct StringFlaw {
  std::size_t at = 0;  ///< byte offset of the flaw in the body
  std::string problem; ///< what it is, safe to log: "\ud800, a lone high surrogate"
};

/// A body made parseable: `text` is the body with every flaw overwritten by text of the same
/// length that decodes (`\ufffd`, or a space for a control character), so an offset means the
/// same byte in both.
struct MendedBody {
  std::string text;
  std::vector<StringFlaw> flaws;
};

/// The body mended, or nullopt when its strings hold no such flaw (a body that does not parse
/// for another reason stays refused).
std::optional<MendedBody> mend_string_flaws(std::string_view body);

/// The first of `flaws` within the bytes [begin, end) of the body, or nullptr.
const StringFlaw* flaw_within(const std::vector<StringFlaw>& flaws, std::size_t begin,
                              std::size_t end);

} // namespace taosync::api

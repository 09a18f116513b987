#include "api/string_flaws.hpp"

#include "model/rules.hpp"

#include <cstdio>

namespace taosync::api {
namespace {

constexpr std::string_view kReplacementEscape = "\\ufffd"; // as long as any \uXXXX escape
constexpr std::size_t kEscapeLength = 6;

/// The code unit of a `\uXXXX` escape at text[i] (which is the backslash), or -1.
long escape_unit(std::string_view text, std::size_t i) {
  if (i + kEscapeLength > text.size() || text[i] != '\\' || text[i + 1] != 'u')
    return -1;
  long unit = 0;
  for (std::size_t k = 2; k < kEscapeLength; ++k) {
    const int digit = model::hex_value(text[i + k]);
    if (digit < 0)
      return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

bool is_high_surrogate(long unit) {
  return unit >= 0xD800 && unit <= 0xDBFF;
}

bool is_low_surrogate(long unit) {
  return unit >= 0xDC00 && unit <= 0xDFFF;
}

std::string control_problem(unsigned char c) {
  if (c == 0)
    return "a raw NUL character";
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", c);
  return std::string("a raw control character (") + hex + ")";
}

/// Walks the strings of a body, recording and overwriting every flaw in `out`.
class Mender {
public:
  explicit Mender(std::string_view body) : body_(body) {}

  MendedBody run() {
    bool in_string = false;
    for (std::size_t i = 0; i < body_.size();) {
      const auto c = static_cast<unsigned char>(body_[i]);
      if (!in_string) {
        in_string = c == '"';
        ++i;
      } else if (c == '"') {
        in_string = false;
        ++i;
      } else if (c == '\\') {
        i += escape(i);
      } else if (c < 0x20) {
        flaw(i, 1, control_problem(c), " ");
        ++i;
      } else {
        ++i;
      }
    }
    return std::move(out_);
  }

private:
  // Handles the escape at i; returns its length.
  std::size_t escape(std::size_t i) {
    const long unit = escape_unit(body_, i);
    if (unit < 0)
      return 2; // \n, \", ... (or a bad escape, which stays the parser's to refuse)
    const std::string_view text = body_.substr(i, kEscapeLength);
    if (is_high_surrogate(unit)) {
      if (is_low_surrogate(escape_unit(body_, i + kEscapeLength)))
        return 2 * kEscapeLength; // a pair: one character
      flaw(i, kEscapeLength, std::string(text) + ", a high surrogate without its low half",
           kReplacementEscape);
    } else if (is_low_surrogate(unit)) {
      flaw(i, kEscapeLength, std::string(text) + ", a low surrogate without its high half",
           kReplacementEscape);
    }
    return kEscapeLength;
  }

  void flaw(std::size_t at, std::size_t length, std::string problem, std::string_view mend) {
    if (out_.flaws.empty())
      out_.text = std::string(body_);
    out_.text.replace(at, length, mend);
    out_.flaws.push_back({at, std::move(problem)});
  }

  std::string_view body_;
  MendedBody out_;
};

} // namespace

std::optional<MendedBody> mend_string_flaws(std::string_view body) {
  MendedBody mended = Mender(body).run();
  if (mended.flaws.empty())
    return std::nullopt;
  return mended;
}

const StringFlaw* flaw_within(const std::vector<StringFlaw>& flaws, std::size_t begin,
                              std::size_t end) {
  for (const auto& flaw : flaws)
    if (flaw.at >= begin && flaw.at < end)
      return &flaw;
  return nullptr;
}

} // namespace taosync::api

#include "api/record_spans.hpp"

#include <array>
#include <cstddef>
#include <cstring>

namespace taosync::api {
namespace {

// The bytes that matter when skipping a container: quotes and brackets.
constexpr std::array<bool, 256> kStructural = [] {
  std::array<bool, 256> table{};
  for (const unsigned char c : {'"', '{', '}', '[', ']'})
    table[c] = true;
  return table;
}();

// A forward scanner over valid JSON text.
class Scanner {
public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  std::size_t pos() const { return pos_; }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }

  bool take(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // A string token starting at pos_; returns its raw content (escapes left as they are).
  std::optional<std::string_view> string() {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '"')
      return std::nullopt;
    const std::size_t start = ++pos_;
    for (;;) {
      const void* quote = std::memchr(text_.data() + pos_, '"', text_.size() - pos_);
      if (quote == nullptr)
        return std::nullopt;
      pos_ = static_cast<std::size_t>(static_cast<const char*>(quote) - text_.data());
      // The quote ends the string unless an odd run of backslashes escapes it.
      std::size_t backslashes = 0;
      while (pos_ - backslashes > start && text_[pos_ - backslashes - 1] == '\\')
        ++backslashes;
      if (backslashes % 2 == 0)
        return text_.substr(start, pos_++ - start);
      ++pos_;
    }
  }

  // Skips one value of any kind; returns false on text that is not valid JSON.
  bool skip_value() {
    skip_space();
    if (pos_ >= text_.size())
      return false;
    const char c = text_[pos_];
    if (c == '"')
      return string().has_value();
    if (c != '{' && c != '[') {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
             text_[pos_] != ']' && text_[pos_] != ' ' && text_[pos_] != '\n' &&
             text_[pos_] != '\r' && text_[pos_] != '\t')
        ++pos_;
      return true;
    }
    int depth = 0;
    while (pos_ < text_.size()) {
      const char d = text_[pos_];
      if (!kStructural[static_cast<unsigned char>(d)]) {
        ++pos_;
        continue;
      }
      if (d == '"') {
        if (!string())
          return false;
        continue;
      }
      ++pos_;
      if (d == '{' || d == '[')
        ++depth;
      else if ((d == '}' || d == ']') && --depth == 0)
        return true;
    }
    return false;
  }

  // Moves to the value of `key` in the object starting at pos_; false when it has none.
  bool find_member(std::string_view key) {
    if (!take('{'))
      return false;
    if (take('}'))
      return false;
    do {
      const auto name = string();
      if (!name || !take(':'))
        return false;
      if (*name == key) {
        skip_space();
        return true;
      }
      if (!skip_value())
        return false;
    } while (take(','));
    return false;
  }

private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

} // namespace

std::optional<std::vector<std::string_view>> model_list_spans(std::string_view body) {
  Scanner scan(body);
  if (!scan.find_member("result") || !scan.find_member("model_list") || !scan.take('['))
    return std::nullopt;
  std::vector<std::string_view> spans;
  if (scan.take(']'))
    return spans;
  do {
    scan.skip_space();
    const std::size_t start = scan.pos();
    if (!scan.skip_value())
      return std::nullopt;
    spans.push_back(body.substr(start, scan.pos() - start));
  } while (scan.take(','));
  if (!scan.take(']'))
    return std::nullopt;
  return spans;
}

} // namespace taosync::api

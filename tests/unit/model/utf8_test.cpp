#include "model/utf8.hpp"

#include <doctest/doctest.h>

using taosync::model::invalid_utf8_at;
using taosync::model::utf8_sequence_length;

TEST_CASE("valid UTF-8 of every length passes") {
  CHECK_FALSE(invalid_utf8_at("plain ascii").has_value());
  CHECK_FALSE(invalid_utf8_at("淘寶台灣 é 𝄞").has_value());
  CHECK(utf8_sequence_length("é", 0) == 2);
  CHECK(utf8_sequence_length("淘", 0) == 3);
  CHECK(utf8_sequence_length("𝄞", 0) == 4);
  CHECK(utf8_sequence_length(std::string_view("\0", 1), 0) == 1); // NUL is valid UTF-8
}

TEST_CASE("the first invalid byte is found") {
  CHECK(invalid_utf8_at("ok \xFF") == 3u);
  CHECK(invalid_utf8_at("ok \xE5\x8F") == 3u);       // truncated at the end
  CHECK(invalid_utf8_at("\xE5\x8F ok") == 0u);       // truncated before text
  CHECK(invalid_utf8_at("\xC0\xAF") == 0u);          // overlong
  CHECK(invalid_utf8_at("\xED\xA0\x80") == 0u);      // a surrogate
  CHECK(invalid_utf8_at("a\xF4\x90\x80\x80") == 1u); // past U+10FFFF
  CHECK(invalid_utf8_at("\x80") == 0u);              // a stray continuation byte
}

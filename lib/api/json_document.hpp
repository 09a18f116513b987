#pragma once
// One parsed response body. Parsing reuses a per-thread parser and arena, so a page of 100
// orders costs no allocation beyond the records the caller keeps.

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace taosync::api {

namespace detail {
struct ThreadArena;
}

/// A JSON document parsed into an arena that lives exactly as long as the document.
class JsonDocument {
public:
  /// Parses `text`; on failure ok() is false and error() says why.
  explicit JsonDocument(std::string_view text);
  ~JsonDocument();
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;

  /// True when the text was one complete, valid JSON value.
  bool ok() const { return error_.empty(); }
  /// The parser's message when !ok().
  const std::string& error() const { return error_; }
  /// The root value (null when !ok()).
  const boost::json::value& root() const { return root_; }

private:
  JsonDocument(std::string_view text, detail::ThreadArena* thread_arena);

  detail::ThreadArena* thread_arena_; ///< the per-thread buffer borrowed, if any

  boost::json::monotonic_resource arena_;
  boost::json::value root_;
  std::string error_;
};

} // namespace taosync::api

#include "api/json_document.hpp"

#include <boost/json/parser.hpp>

#include <memory>

namespace taosync::api {

/// A reusable per-thread buffer for one live document at a time.
struct detail::ThreadArena {
  explicit ThreadArena(std::size_t n) : bytes(new unsigned char[n]), size(n) {}
  std::unique_ptr<unsigned char[]> bytes;
  std::size_t size;
  bool in_use = false;
};

namespace {

using detail::ThreadArena;

namespace json = boost::json;

// A page of 100 orders takes a few hundred KiB as a DOM; this covers it without a malloc.
constexpr std::size_t kArenaBytes = 1024 * 1024;
// A nested document (a line's sku_info) is small.
constexpr std::size_t kNestedArenaBytes = 16 * 1024;

// Invalid UTF-8 is accepted here and checked per record: one bad byte in one record must
// not make the whole page unreadable.
json::parse_options parse_options() {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  return options;
}

struct ThreadParseState {
  ThreadArena page{kArenaBytes};
  ThreadArena nested{kNestedArenaBytes};
  json::parser parser{json::storage_ptr(), parse_options()};
};

ThreadParseState& thread_state() {
  thread_local ThreadParseState state;
  return state;
}

// The per-thread arenas serve the page and one document nested in it (sku_info); any
// further live document gets a heap-backed arena.
ThreadArena* claim_thread_arena() {
  auto& state = thread_state();
  for (ThreadArena* arena : {&state.page, &state.nested})
    if (!arena->in_use) {
      arena->in_use = true;
      return arena;
    }
  return nullptr;
}

} // namespace

JsonDocument::JsonDocument(std::string_view text) : JsonDocument(text, claim_thread_arena()) {}

JsonDocument::JsonDocument(std::string_view text, ThreadArena* thread_arena)
    : thread_arena_(thread_arena), arena_(thread_arena ? thread_arena->bytes.get() : nullptr,
                                          thread_arena ? thread_arena->size : 0),
      root_(json::storage_ptr(&arena_)) {
  auto& parser = thread_state().parser;
  parser.reset(json::storage_ptr(&arena_));
  boost::system::error_code ec;
  parser.write(text.data(), text.size(), ec);
  if (ec) {
    error_ = ec.message();
    parser.reset();
    if (error_.empty())
      error_ = "invalid JSON";
    return;
  }
  root_ = parser.release(); // same storage as root_: a move, not a deep copy
}

JsonDocument::~JsonDocument() {
  root_ = nullptr; // free into the arena before the arena goes
  if (thread_arena_ != nullptr)
    thread_arena_->in_use = false;
}

} // namespace taosync::api

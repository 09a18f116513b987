#include "api/json_document.hpp"

#include <boost/json/parser.hpp>

#include <memory>

namespace taosync::api {
namespace {

namespace json = boost::json;

// A page of 100 orders takes a few hundred KiB as a DOM; this covers it without a malloc.
constexpr std::size_t kArenaBytes = 1024 * 1024;
// A nested document (a line's sku_info) is small.
constexpr std::size_t kNestedArenaBytes = 16 * 1024;

struct ThreadParseState {
  std::unique_ptr<unsigned char[]> arena{new unsigned char[kArenaBytes]};
  std::unique_ptr<unsigned char[]> nested_arena{new unsigned char[kNestedArenaBytes]};
  json::parser parser;
  int documents_alive = 0;
};

ThreadParseState& thread_state() {
  thread_local ThreadParseState state;
  return state;
}

// The per-thread arenas serve the page and one document nested in it (sku_info); a deeper
// one gets a heap-backed arena.
std::pair<unsigned char*, std::size_t> claim_thread_arena() {
  auto& state = thread_state();
  const int depth = state.documents_alive++;
  if (depth == 0)
    return {state.arena.get(), kArenaBytes};
  if (depth == 1)
    return {state.nested_arena.get(), kNestedArenaBytes};
  return {nullptr, 0};
}

} // namespace

JsonDocument::JsonDocument(std::string_view text) : JsonDocument(text, claim_thread_arena()) {}

JsonDocument::JsonDocument(std::string_view text, std::pair<unsigned char*, std::size_t> buffer)
    : arena_(buffer.first, buffer.second), root_(json::storage_ptr(&arena_)) {
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
  --thread_state().documents_alive;
}

} // namespace taosync::api

#include "api/json_document.hpp"

#include <boost/json/parser.hpp>

#include <memory>

namespace taosync::api {
namespace {

namespace json = boost::json;

// A page of 100 orders takes a few hundred KiB as a DOM; this covers it without a malloc.
constexpr std::size_t kArenaBytes = 1024 * 1024;

struct ThreadParseState {
  std::unique_ptr<unsigned char[]> arena{new unsigned char[kArenaBytes]};
  json::parser parser;
  bool arena_in_use = false;
};

ThreadParseState& thread_state() {
  thread_local ThreadParseState state;
  return state;
}

// The per-thread arena serves one live document at a time; a nested document (sku_info
// inside a page) gets a plain heap-backed arena instead.
bool claim_thread_arena() {
  auto& state = thread_state();
  if (state.arena_in_use)
    return false;
  state.arena_in_use = true;
  return true;
}

} // namespace

JsonDocument::JsonDocument(std::string_view text)
    : owns_thread_buffer_(claim_thread_arena()),
      arena_(owns_thread_buffer_ ? thread_state().arena.get() : nullptr,
             owns_thread_buffer_ ? kArenaBytes : 0) {
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
  root_ = parser.release();
}

JsonDocument::~JsonDocument() {
  root_ = nullptr; // free into the arena before the arena goes
  if (owns_thread_buffer_)
    thread_state().arena_in_use = false;
}

} // namespace taosync::api

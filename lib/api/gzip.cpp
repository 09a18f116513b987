#include "api/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <limits>

namespace taosync::api {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr int kGzipWindowBits = 15 + 16; // gzip header and trailer
constexpr int kAutoWindowBits = 15 + 32; // gzip or zlib, detected from the header

std::string zlib_message(const z_stream& z, int rc) {
  return z.msg ? z.msg : "zlib error " + std::to_string(rc);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

} // namespace

std::string gunzip(std::string_view compressed, std::size_t limit) {
  if (compressed.size() > std::numeric_limits<uInt>::max())
    throw GzipError("gzip body too large");
  z_stream z{};
  if (int rc = inflateInit2(&z, kAutoWindowBits); rc != Z_OK)
    throw GzipError("inflateInit2: " + zlib_message(z, rc));
  struct End {
    z_stream& z;
    ~End() { inflateEnd(&z); }
  } end{z};
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  // A gzip trailer ends with the decoded size (mod 2^32): size the output exactly, so that a
  // decoded page holds no slack while it is parsed. Otherwise (zlib, or a lying trailer) start
  // at the usual 5-10x and grow.
  std::size_t expected = std::max<std::size_t>(compressed.size() * 6, kChunk);
  if (compressed.size() >= 18 && static_cast<unsigned char>(compressed[0]) == 0x1f &&
      static_cast<unsigned char>(compressed[1]) == 0x8b) {
    const auto* tail =
        reinterpret_cast<const unsigned char*>(compressed.data() + compressed.size() - 4);
    expected = std::max<std::size_t>(1, static_cast<std::size_t>(tail[0]) |
                                            (static_cast<std::size_t>(tail[1]) << 8) |
                                            (static_cast<std::size_t>(tail[2]) << 16) |
                                            (static_cast<std::size_t>(tail[3]) << 24));
  }
  out.resize(std::min(limit, expected));
  std::size_t used = 0;
  for (;;) {
    if (used == out.size()) {
      if (out.size() >= limit)
        throw GzipTooLarge("gzip body decodes to more than " + std::to_string(limit) + " bytes");
      out.resize(std::min(limit, out.size() * 2));
    }
    z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - used, 1u << 30));
    const uInt before = z.avail_out;
    const int rc = inflate(&z, Z_NO_FLUSH);
    used += before - z.avail_out;
    if (rc == Z_STREAM_END)
      break;
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && z.avail_out > 0)
      throw GzipError("gzip body truncated");
    if (rc != Z_OK && rc != Z_BUF_ERROR)
      throw GzipError("gzip body corrupt: " + zlib_message(z, rc));
  }
  out.resize(used);
  return out;
}

std::string gzip(std::string_view plain, int level) {
  if (plain.size() > std::numeric_limits<uInt>::max())
    throw GzipError("body too large to compress");
  z_stream z{};
  if (int rc = deflateInit2(&z, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
      rc != Z_OK)
    throw GzipError("deflateInit2: " + zlib_message(z, rc));
  struct End {
    z_stream& z;
    ~End() { deflateEnd(&z); }
  } end{z};
  std::string out(deflateBound(&z, static_cast<uLong>(plain.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (int rc = deflate(&z, Z_FINISH); rc != Z_STREAM_END)
    throw GzipError("deflate: " + zlib_message(z, rc));
  out.resize(z.total_out);
  return out;
}

bool accepts_gzip(std::string_view accept_encoding) {
  const std::string header = lower(accept_encoding);
  std::string_view rest = header;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto semi = item.find(';');
    const std::string_view coding = trim(item.substr(0, semi));
    if (coding != "gzip" && coding != "x-gzip")
      continue;
    if (semi == std::string_view::npos)
      return true;
    std::string_view param = trim(item.substr(semi + 1));
    if (!param.starts_with("q="))
      return true;
    param.remove_prefix(2);
    return param.find_first_not_of("0.") != std::string_view::npos; // q=0, q=0.0: refused
  }
  return false;
}

} // namespace taosync::api

#pragma once
// gzip bodies: the platform compresses an answer when the request accepts it, which cuts the
// bytes of a listing page several times over.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace taosync::api {

/// A compressed body that cannot be decoded, or whose decoded size passes its limit.
class GzipError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A compressed body that decodes past its limit.
class GzipTooLarge : public GzipError {
public:
  using GzipError::GzipError;
};

/// Decodes a gzip (or zlib) stream; throws GzipError for a corrupt or truncated stream,
/// GzipTooLarge for one that decodes to more than `limit` bytes.
std::string gunzip(std::string_view compressed, std::size_t limit);

/// Encodes `plain` as a gzip stream at `level` (1 fastest .. 9 smallest).
std::string gzip(std::string_view plain, int level = 1);

/// True when an Accept-Encoding header value accepts gzip (`gzip`, `x-gzip`, not `;q=0`).
bool accepts_gzip(std::string_view accept_encoding);

} // namespace taosync::api

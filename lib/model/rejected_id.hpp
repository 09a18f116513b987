#pragma once
// The id a rejected record is filed under. An id is kept whole while it fits; a longer one is
// filed as a marked hash of the whole id, never cut short: a truncated id could be another
// order's, and an order rejected under it would be owed and asked for as that order.

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace taosync::model {

/// Longest id a rejected record carries whole (rejected_records.record_id is in an index).
inline constexpr std::size_t kMaxRejectedIdBytes = 256;

/// Begins an id filed by its hash. No platform id has a '#', so such an id is never owed.
inline constexpr std::string_view kHashedIdPrefix = "#too-long:sha256:";

/// True if `id` is an id filed by its hash (rejected_record_id of a longer one).
inline bool is_hashed_id(std::string_view id) {
  return id.starts_with(kHashedIdPrefix);
}

/// `id` whole when it fits kMaxRejectedIdBytes, else kHashedIdPrefix and the lowercase hex
/// SHA-256 of every byte of `id`.
inline std::string rejected_record_id(std::string_view id) {
  if (id.size() <= kMaxRejectedIdBytes)
    return std::string(id);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(id.data(), id.size(), digest.data(), &length, EVP_sha256(), nullptr);
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out(kHashedIdPrefix);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

} // namespace taosync::model

#pragma once
// The raw JSON kept with every record, and the RejectedRecord made of a record that failed.

#include "api/records.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

/// Raw JSON stored for a rejected record is cut to this size (at a UTF-8 boundary).
inline constexpr std::size_t kMaxRejectedRawBytes = 64 * 1024;

/// The record serialized as compact JSON (strings kept byte for byte, trailing spaces too).
std::string raw_json_of(const boost::json::value& record);

/// True when serialized JSON holds an escaped NUL (`\u0000`), which jsonb cannot store.
bool has_escaped_nul(std::string_view raw_json);

/// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string truncate_utf8(std::string text, std::size_t limit);

/// A rejected record: its id read best effort from `id_key`, its raw JSON (`raw_text` when
/// given, else the record serialized) capped at kMaxRejectedRawBytes.
RejectedRecord make_rejected(std::string_view endpoint, const boost::json::value& record,
                             std::string_view id_key, std::string reason,
                             std::optional<std::string_view> raw_text = std::nullopt);

} // namespace taosync::api

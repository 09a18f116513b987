#pragma once
// The raw JSON kept with every record, and the RejectedRecord made of a record that failed.

#include "api/records.hpp"

#include "model/rules.hpp"
#include "model/utf8.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

using model::kMaxRejectedRawBytes;

/// The record serialized as compact JSON (strings kept byte for byte, trailing spaces too).
std::string raw_json_of(const boost::json::value& record);

/// True when serialized JSON holds an escaped NUL (`\u0000`), which jsonb cannot store.
bool has_escaped_nul(std::string_view raw_json);

using model::truncate_utf8;

/// A rejected record: its id read best effort from `id_key` (whole, or hashed when too long:
/// model::rejected_record_id), its raw JSON (`raw_text` when
/// given, else the record serialized) capped at kMaxRejectedRawBytes.
RejectedRecord make_rejected(std::string_view endpoint, const boost::json::value& record,
                             std::string_view id_key, std::string reason,
                             std::optional<std::string_view> raw_text = std::nullopt);

} // namespace taosync::api

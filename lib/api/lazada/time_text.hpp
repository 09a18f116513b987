#pragma once
// Times as Lazada's order API writes and reads them: whole seconds with a UTC offset. Answers
// use "2014-10-08 22:30:25 +0800" or ISO 8601 "2018-02-09T22:44:30+08:00" (the documentation
// shows both); the listing filters take ISO 8601. Pure.

#include "model/records.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace taosync::api::lazada {

/// The instant `text` names, in either of the answers' spellings ("Z" is read as +00:00), or
/// nullopt when it is neither, or names no real date, time or offset.
std::optional<model::TimePoint> parse_time(std::string_view text);

/// `t` as the listing filters take it: ISO 8601 in UTC, whole seconds, with an explicit offset
/// ("2017-02-10T01:00:00+00:00"). A sub-second part is dropped: Lazada's times have none.
std::string format_time(model::TimePoint t);

} // namespace taosync::api::lazada

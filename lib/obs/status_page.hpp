#pragma once
// The status page: the status document (see daemon/status_document.hpp) as one small HTML
// page, rendered on the server with every value escaped. No script, no external asset: a meta
// refresh reloads it. Pure: a value in, text out.

#include <boost/json/value.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace taosync::obs {

/// How often the page reloads itself.
inline constexpr std::chrono::seconds kStatusPageRefresh{5};

/// `text` with &, <, >, " and ' replaced by their character references.
std::string html_escape(std::string_view text);

/// The HTML page of a status document: per shop phase, init progress and ETA, lag, last cycle
/// and its outcome, calls per minute against the limit, what is owed, rejected records and
/// the lease holder; then the recent errors. Fields the document lacks show as "–".
std::string render_status_page(const boost::json::value& document);

} // namespace taosync::obs

#pragma once
// Describing a database URL in logs and errors without its password.

#include <string>
#include <string_view>

namespace taosync::store {

/// The connection string with any password replaced by "***", for logs and errors.
/// Handles URIs (postgresql://user:pw@host/db?password=pw) and key=value strings.
std::string redacted_url(std::string_view url);

/// `message` with every occurrence of the URL's password (if it has one) replaced by "***".
std::string scrub_password(std::string message, std::string_view url);

} // namespace taosync::store

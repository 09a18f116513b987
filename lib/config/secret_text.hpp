#pragma once
// The secret part of a configured value, and masking it.

#include <string>

namespace taosync::config::detail {

/// The whole value: app secrets and tokens are secret through and through.
std::string whole_value(const std::string& value);

/// The password in a libpq URL ("postgresql://u:PASS@h/db", "?password=PASS") or key=value
/// string ("password=PASS" / "password='P S'"); empty if none.
std::string database_password(const std::string& url);

/// `text` with every occurrence of `secret` replaced by "***" (unchanged if `secret` is empty).
std::string mask_text(const std::string& text, const std::string& secret);

} // namespace taosync::config::detail

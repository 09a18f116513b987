#pragma once
// The log redaction safety net: every registered secret is replaced by "***" in every log
// line, whatever the level. Code must still never log secrets; this catches mistakes.

#include <string>
#include <string_view>

namespace taosync::obs {

/// Adds a secret (app secret, token, DB password) to mask from now on. Strings shorter than
/// kMinSecretLength are ignored: masking them would shred ordinary text.
void register_secret(std::string secret);

/// Forgets every registered secret (tests, and before re-registering after a reload).
void clear_secrets();

/// `text` with every registered secret replaced by "***".
std::string redact(std::string_view text);

/// Secrets shorter than this are not masked.
inline constexpr std::size_t kMinSecretLength = 4;

} // namespace taosync::obs

#include "obs/redact.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

namespace taosync::obs {

namespace {

// Copy-on-write list so that the hot path (every log line) takes the lock only briefly.
std::mutex g_mu;
std::shared_ptr<const std::vector<std::string>> g_secrets =
    std::make_shared<std::vector<std::string>>();

std::shared_ptr<const std::vector<std::string>> snapshot() {
  std::lock_guard lock(g_mu);
  return g_secrets;
}

} // namespace

void register_secret(std::string secret) {
  if (secret.size() < kMinSecretLength)
    return;
  std::lock_guard lock(g_mu);
  if (std::find(g_secrets->begin(), g_secrets->end(), secret) != g_secrets->end())
    return;
  auto next = std::make_shared<std::vector<std::string>>(*g_secrets);
  next->push_back(std::move(secret));
  // Longest first, so a secret that contains another is masked whole.
  std::sort(next->begin(), next->end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  g_secrets = std::move(next);
}

void clear_secrets() {
  std::lock_guard lock(g_mu);
  g_secrets = std::make_shared<std::vector<std::string>>();
}

std::string redact(std::string_view text) {
  std::string out(text);
  const auto secrets = snapshot();
  for (const std::string& s : *secrets) {
    for (auto pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3)) {
      out.replace(pos, s.size(), "***");
    }
  }
  return out;
}

} // namespace taosync::obs

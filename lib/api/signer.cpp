#include "api/signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace taosync::api {

std::string sign(std::string_view api_path, const Params& params, std::string_view secret) {
  std::string message(api_path);
  for (const auto& [key, value] : params) {
    if (key == "sign")
      continue;
    message += key;
    message += value;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
           &digest_len) == nullptr)
    throw std::runtime_error("HMAC-SHA256 failed while signing " + std::string(api_path));
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(digest_len * 2);
  for (unsigned int i = 0; i < digest_len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

} // namespace taosync::api

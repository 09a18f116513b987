#pragma once
// Reads files of tests/unit/api/data/.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace taosync::testing {

/// The content of tests/unit/api/data/<name>; throws if it is missing.
inline std::string read_api_data(const std::string& name) {
  const std::string path = std::string(TAOSYNC_SOURCE_DIR) + "/tests/unit/api/data/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string body = text.str();
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r'))
    body.pop_back();
  return body;
}

} // namespace taosync::testing

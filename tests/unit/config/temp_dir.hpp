#pragma once
// A temporary directory for config tests, removed on destruction.

#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>

namespace taosync::testing {

class TempDir {
public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "taosync-cfg-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  /// Writes `text` to `name` with `mode`; returns the full path.
  std::string write(const std::string& name, const std::string& text, unsigned mode = 0600) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    ::chmod(p.c_str(), mode);
    return p.string();
  }

private:
  std::filesystem::path path_;
};

} // namespace taosync::testing

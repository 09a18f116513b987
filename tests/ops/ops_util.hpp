#pragma once
// Small helpers for the ops tests: shell commands and scratch directories.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace taosync::testing {

/// Runs `cmd` with /bin/sh; returns the exit status and (optionally) its stdout.
inline int run_shell(const std::string& cmd, std::string* out = nullptr) {
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p)
    return -1;
  char buf[4096];
  std::string text;
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
    text.append(buf, n);
  const int status = ::pclose(p);
  if (out)
    *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// True if `name` is found in PATH.
inline bool have_program(const std::string& name) {
  return run_shell("command -v " + name + " >/dev/null 2>&1") == 0;
}

/// A temporary directory removed on destruction.
class ScratchDir {
public:
  explicit ScratchDir(const std::string& prefix) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / ("taosync-" + prefix + "-XXXXXX")).string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace taosync::testing

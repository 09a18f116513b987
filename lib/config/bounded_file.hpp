#pragma once
// Reading the config and secret files defensively: a path that names a directory, a device, a
// FIFO or a huge file is refused with the reason, never read without bound or blocked on.

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace taosync::config {

/// The most a config or secret file may hold (1 MiB).
inline constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

/// A file that cannot be used; what() is "'PATH' <reason>", never the file's content.
class FileRefused : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// What kind of file `mode` (st_mode) is, for messages: "a directory", "a FIFO", ...
std::string describe_file_type(unsigned mode);

/// Reads the whole regular file at `path` if it holds at most `max_bytes`; throws FileRefused
/// naming the path and the reason otherwise (missing, unreadable, not a regular file, too
/// large). Opens without blocking, so a FIFO is refused rather than waited on.
std::string read_bounded_file(const std::filesystem::path& path,
                              std::size_t max_bytes = kMaxConfigFileBytes);

} // namespace taosync::config

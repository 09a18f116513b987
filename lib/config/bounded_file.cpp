#include "config/bounded_file.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace taosync::config {

namespace {

/// Closes the descriptor on every path out.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0)
      ::close(fd);
  }
};

std::string quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

} // namespace

std::string describe_file_type(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return "a regular file";
  case S_IFDIR:
    return "a directory";
  case S_IFCHR:
    return "a character device";
  case S_IFBLK:
    return "a block device";
  case S_IFIFO:
    return "a FIFO";
  case S_IFSOCK:
    return "a socket";
  default:
    return "not a plain file";
  }
}

std::string read_bounded_file(const std::filesystem::path& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    throw FileRefused(quoted(path) + " cannot be opened: " + std::strerror(errno));
  FdGuard guard{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    throw FileRefused(quoted(path) + " cannot be examined: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw FileRefused(quoted(path) + " is " + describe_file_type(st.st_mode) +
                      ", not a regular file");
  const auto limit_text = std::to_string(max_bytes) + " bytes";
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    throw FileRefused(quoted(path) + " is too large (" + std::to_string(st.st_size) +
                      " bytes; the limit is " + limit_text + ")");
  // Read at most one byte past the limit: the file may grow between fstat and read.
  std::string text(max_bytes + 1, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const auto n = ::read(fd, text.data() + got, text.size() - got);
    if (n == 0)
      break;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      throw FileRefused(quoted(path) + " cannot be read: " + std::strerror(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  if (got > max_bytes)
    throw FileRefused(quoted(path) + " is too large (more than " + limit_text + ")");
  text.resize(got);
  return text;
}

} // namespace taosync::config

#pragma once
// A fake systemd notify socket for daemon tests: binds a unix datagram socket and collects
// what the child sends to $NOTIFY_SOCKET.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace taosync::testing {

class NotifyListener {
public:
  /// Binds `path` (removed first).
  explicit NotifyListener(std::string path) : path_(std::move(path)) {
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    timeval tv{0, 100000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~NotifyListener() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

  /// Waits until a message starting with `prefix` arrives (after those already seen);
  /// returns it, or nullopt after `timeout`. Every message is kept in all().
  std::optional<std::string> wait_for(const std::string& prefix,
                                      std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      for (; next_ < all_.size(); ++next_) {
        if (all_[next_].rfind(prefix, 0) == 0)
          return all_[next_++];
      }
      if (std::chrono::steady_clock::now() > deadline)
        return std::nullopt;
      char buf[4096];
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0)
        all_.emplace_back(buf, static_cast<std::size_t>(n));
    }
  }
  /// Everything received so far (receives what is queued first).
  const std::vector<std::string>& all() {
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT)) > 0;) {
      all_.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return all_;
  }

private:
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> all_;
  std::size_t next_ = 0;
};

} // namespace taosync::testing

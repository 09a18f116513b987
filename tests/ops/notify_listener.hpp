#pragma once
// A fake systemd notify socket for daemon tests: binds a unix datagram socket and collects,
// on a thread of its own, what the child sends to $NOTIFY_SOCKET. (Reading continuously
// matters: a unix datagram queue holds only a few messages before the sender blocks.)

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace taosync::testing {

class NotifyListener {
public:
  /// Binds `path` (removed first) and starts receiving.
  explicit NotifyListener(std::string path) : path_(std::move(path)) {
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    timeval tv{0, 50000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    thread_ = std::thread([this] { receive(); });
  }
  ~NotifyListener() {
    done_ = true;
    thread_.join();
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

  /// Waits until a message starting with `prefix` arrives (after the last one returned);
  /// returns it, or nullopt after `timeout`.
  std::optional<std::string> wait_for(const std::string& prefix,
                                      std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      {
        std::lock_guard lock(mu_);
        for (; next_ < all_.size(); ++next_) {
          if (all_[next_].rfind(prefix, 0) == 0)
            return all_[next_++];
        }
      }
      if (std::chrono::steady_clock::now() > deadline)
        return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  /// How many messages so far start with `prefix`.
  std::size_t count(const std::string& prefix) {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& m : all_)
      n += m.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }

private:
  void receive() {
    char buf[4096];
    while (!done_) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        std::lock_guard lock(mu_);
        all_.emplace_back(buf, static_cast<std::size_t>(n));
      }
    }
  }

  std::string path_;
  int fd_ = -1;
  std::atomic<bool> done_{false};
  std::mutex mu_;
  std::vector<std::string> all_;
  std::size_t next_ = 0;
  std::thread thread_;
};

} // namespace taosync::testing

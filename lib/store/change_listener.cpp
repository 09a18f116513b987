#include "store/change_listener.hpp"

#include "store/pooler.hpp"
#include "store/pq.hpp"
#include "store/session.hpp"

#include <pqxx/pqxx>

#include <poll.h>

namespace taosync::store {
struct ChangeListener::Impl {
  std::unique_ptr<pqxx::connection> conn;
  Pooling pooling;
  std::unique_ptr<pq::Subscription> subscription;
  int received = 0; // notifications on the feed's channel
};

ChangeListener::ChangeListener(const ConnectionSettings& settings, bool listen,
                               const std::string& url_key)
    : impl_(std::make_unique<Impl>()) {
  impl_->conn = open_session(settings);
  check_pooler(*impl_->conn, settings, url_key);
  impl_->pooling = Pooling(settings);
  if (listen) {
    impl_->subscription = std::make_unique<pq::Subscription>(
        *impl_->conn, kChangesChannel,
        [impl = impl_.get()](const std::string&) { ++impl->received; });
    impl_->conn->get_notifs(); // sends the LISTEN now, before the first read
  }
}

ChangeListener::~ChangeListener() {
  impl_->subscription.reset(); // before its connection
}

std::vector<FeedRow> ChangeListener::read(std::int64_t since,
                                          const std::optional<std::string>& shop, int limit) {
  return read_changes(*impl_->conn, since, shop, limit, impl_->pooling);
}

bool ChangeListener::wait(std::chrono::milliseconds timeout) {
  const int before = impl_->received;
  if (impl_->conn->get_notifs() == 0) {
    // poll() itself rather than await_notification(): libpqxx 7.10's throws on EINTR, so the
    // signal that asks `changes --follow` to stop ended it with an error. Interrupted, this
    // returns early and the caller looks at why; a lost connection shows below.
    pollfd socket{impl_->conn->sock(), POLLIN, 0};
    if (::poll(&socket, 1, static_cast<int>(timeout.count())) > 0)
      impl_->conn->get_notifs();
  }
  if (!impl_->conn->is_open())
    throw pqxx::broken_connection("the database connection was lost");
  return impl_->subscription && impl_->received > before;
}

} // namespace taosync::store

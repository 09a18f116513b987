#include "store/change_listener.hpp"

#include "store/pooler.hpp"
#include "store/pq.hpp"
#include "store/session.hpp"

#include <pqxx/pqxx>

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
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const auto usecs = std::chrono::duration_cast<std::chrono::microseconds>(timeout - secs);
    impl_->conn->await_notification(secs.count(), usecs.count());
  }
  if (!impl_->conn->is_open())
    throw pqxx::broken_connection("the database connection was lost");
  return impl_->subscription && impl_->received > before;
}

} // namespace taosync::store

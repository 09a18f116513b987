#include "store/change_listener.hpp"

#include "store/session.hpp"

#include <pqxx/pqxx>

namespace taosync::store {
namespace {

/// Counts the notifications on the feed's channel.
class FeedReceiver : public pqxx::notification_receiver {
public:
  explicit FeedReceiver(pqxx::connection_base& conn)
      : pqxx::notification_receiver(conn, kChangesChannel) {}
  void operator()(const std::string&, int) override { ++received; }
  int received = 0;
};

} // namespace

struct ChangeListener::Impl {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<FeedReceiver> receiver;
};

ChangeListener::ChangeListener(const ConnectionSettings& settings, bool listen)
    : impl_(std::make_unique<Impl>()) {
  impl_->conn = open_session(settings);
  if (listen) {
    impl_->receiver = std::make_unique<FeedReceiver>(*impl_->conn);
    impl_->conn->get_notifs(); // sends the LISTEN now, before the first read
  }
}

ChangeListener::~ChangeListener() {
  impl_->receiver.reset(); // before its connection
}

std::vector<FeedRow> ChangeListener::read(std::int64_t since,
                                          const std::optional<std::string>& shop, int limit) {
  return read_changes(*impl_->conn, since, shop, limit);
}

bool ChangeListener::wait(std::chrono::milliseconds timeout) {
  const int before = impl_->receiver ? impl_->receiver->received : 0;
  if (impl_->conn->get_notifs() == 0) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    const auto usecs = std::chrono::duration_cast<std::chrono::microseconds>(timeout - secs);
    impl_->conn->await_notification(secs.count(), usecs.count());
  }
  if (!impl_->conn->is_open())
    throw pqxx::broken_connection("the database connection was lost");
  return impl_->receiver && impl_->receiver->received > before;
}

} // namespace taosync::store

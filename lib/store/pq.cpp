#include "store/pq.hpp"

namespace taosync::store::pq {

std::vector<std::string> text_array(const pqxx::field& field) {
  std::vector<std::string> out;
  if (field.is_null())
    return out;
  pqxx::array_parser parser(field.c_str());
  for (auto [kind, value] = parser.get_next(); kind != pqxx::array_parser::juncture::done;
       std::tie(kind, value) = parser.get_next())
    if (kind == pqxx::array_parser::juncture::string_value)
      out.push_back(value);
  return out;
}

void no_reactivation([[maybe_unused]] pqxx::connection& conn) {
#if PQXX_VERSION_MAJOR < 7
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  conn.inhibit_reactivation(true);
#pragma GCC diagnostic pop
#endif
}

#if TAOSYNC_PQXX_710

struct Subscription::Impl {
  pqxx::connection& conn;
  std::string channel;
};

Subscription::Subscription(pqxx::connection& conn, const std::string& channel, Handler handler)
    : impl_(std::make_unique<Impl>(Impl{conn, channel})) {
  conn.listen(channel, [handler = std::move(handler)](pqxx::notification n) {
    handler(std::string(n.payload));
  });
}

Subscription::~Subscription() {
  try {
    impl_->conn.listen(impl_->channel); // an empty handler UNLISTENs
  } catch (const std::exception&) {     // a lost connection listens no more anyway
  }
}

struct NoticeTap::Impl {
  pqxx::connection& conn;
};

NoticeTap::NoticeTap(pqxx::connection& conn, Handler handler)
    : impl_(std::make_unique<Impl>(Impl{conn})) {
  conn.set_notice_handler([handler = std::move(handler)](pqxx::zview message) noexcept {
    handler(std::string_view(message));
  });
}

NoticeTap::~NoticeTap() {
  impl_->conn.set_notice_handler([](pqxx::zview) noexcept {});
}

#else

struct Subscription::Impl : pqxx::notification_receiver {
  Impl(pqxx::connection& conn, const std::string& channel, Handler handler)
      : pqxx::notification_receiver(conn, channel), handler_(std::move(handler)) {}
  void operator()(const std::string& payload, int) override { handler_(payload); }
  Handler handler_;
};

Subscription::Subscription(pqxx::connection& conn, const std::string& channel, Handler handler)
    : impl_(std::make_unique<Impl>(conn, channel, std::move(handler))) {}

Subscription::~Subscription() = default;

struct NoticeTap::Impl : pqxx::errorhandler {
  Impl(pqxx::connection& conn, Handler handler)
      : pqxx::errorhandler(conn), handler_(std::move(handler)) {}
  bool operator()(const char message[]) noexcept override {
    handler_(std::string_view(message));
    return false; // handled: libpqxx's default handler would print it to stderr
  }
  Handler handler_;
};

NoticeTap::NoticeTap(pqxx::connection& conn, Handler handler)
    : impl_(std::make_unique<Impl>(conn, std::move(handler))) {}

NoticeTap::~NoticeTap() = default;

#endif

} // namespace taosync::store::pq

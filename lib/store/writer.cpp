#include "store/writer.hpp"

#include "store/db_url.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace taosync::store {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{200};

/// True if `e` means the connection is gone (rather than the job being wrong).
bool connection_lost(const std::exception& e, const Store& store) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr)
    return true;
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    // 08: connection exception; 57P01..03: admin/crash shutdown, cannot connect now.
    if (state.starts_with("08") || state.starts_with("57P0"))
      return true;
  }
  return !store.connected();
}

/// A libpq message on one line, without its password: they come with newlines and tabs.
std::string log_text(const std::string& message, const std::string& url) {
  std::string out;
  for (char c : scrub_password(message, url)) {
    const bool space = c == '\n' || c == '\t' || c == '\r';
    if (!(space && (out.empty() || out.back() == ' ')))
      out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

} // namespace

struct Writer::Impl {
  Impl(std::string u, std::chrono::milliseconds b) : url(std::move(u)), max_backoff(b) {}

  std::string url;
  std::chrono::milliseconds max_backoff;
  net::thread_pool pool{1};
  std::unique_ptr<Store> store; // touched by the writer thread only (and after join)
  std::mutex mutex;
  std::condition_variable wake;
  bool stopped = false;
  std::function<void()> heartbeat; // guarded by mutex

  void beat() {
    std::function<void()> copy;
    {
      std::lock_guard lock(mutex);
      copy = heartbeat;
    }
    if (copy)
      copy();
  }

  /// Sleeps for `d` unless stop() comes first; returns false if stopped.
  bool sleep_unless_stopped(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    return !wake.wait_for(lock, d, [this] { return stopped; });
  }
  bool is_stopped() {
    std::lock_guard lock(mutex);
    return stopped;
  }
};

Writer::Writer(std::string url, std::chrono::milliseconds max_backoff)
    : impl_(std::make_unique<Impl>(std::move(url), std::max(max_backoff, kFirstBackoff))) {}

Writer::~Writer() {
  stop();
  impl_->pool.join();
  impl_->store.reset();
}

net::awaitable<WriteResult> Writer::write(Batch batch) {
  return run<WriteResult>([b = std::move(batch)](Store& store) { return store.write(b); });
}

void Writer::set_heartbeat(std::function<void()> beat) {
  std::lock_guard lock(impl_->mutex);
  impl_->heartbeat = std::move(beat);
}

void Writer::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopped = true;
  }
  impl_->wake.notify_all();
}

net::any_io_executor Writer::executor() {
  return impl_->pool.get_executor();
}

void Writer::run_with_retry(const std::function<void(Store&)>& job) {
  for (;;) {
    Store& store = connected_store();
    try {
      job(store);
      return;
    } catch (const std::exception& e) {
      if (!connection_lost(e, store))
        throw;
      spdlog::warn("database {}: connection lost ({}); reconnecting, then retrying the batch whole",
                   redacted_url(impl_->url), log_text(e.what(), impl_->url));
      impl_->store.reset();
    }
  }
}

Store& Writer::connected_store() {
  auto backoff = kFirstBackoff;
  int failures = 0;
  while (!impl_->store) {
    if (impl_->is_stopped())
      throw WriterStopped("database writer stopped while (re)connecting to " +
                          redacted_url(impl_->url));
    try {
      impl_->store = std::make_unique<Store>(impl_->url);
      if (failures > 0)
        spdlog::info("database {}: reconnected after {} failed attempts", redacted_url(impl_->url),
                     failures);
    } catch (const std::exception& e) { // the Store's message already names the target
      ++failures;
      spdlog::warn("{}; retrying in {} ms", log_text(e.what(), impl_->url), backoff.count());
      impl_->sleep_unless_stopped(backoff);
      impl_->beat();
      backoff = std::min(backoff * 2, impl_->max_backoff);
    }
  }
  return *impl_->store;
}

} // namespace taosync::store

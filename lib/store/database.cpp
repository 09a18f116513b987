#include "store/database.hpp"

#include "store/db_errors.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace taosync::store {

// The lookups and status connections take the writer's options as completed by the writer, so
// that the three share one heartbeat.
Database::Database(ConnectionThreadOptions options, std::chrono::milliseconds changes_retention)
    : changes_retention_(changes_retention), writer_(std::move(options)),
      second_(writer_.options().named("write 2")), lookups_(writer_.options().named("lookup")),
      status_(writer_.options().named("status")) {}

Database::Database(std::string url, std::chrono::milliseconds max_backoff)
    : Database(connection_thread_options(std::move(url), max_backoff)) {}

template <class R>
net::awaitable<R> Database::run(ConnectionThread& on, std::function<R(Store&)> job) {
  // Every operation builds its job here, in an ordinary function, and callers co_await only the
  // typed method; neither this nor ConnectionThread::run is a coroutine, and the job reaches the
  // writer thread's coroutine moved, never converted (GCC 12 co_await, docs/design.md).
  return on.run<R>(std::move(job));
}

net::awaitable<void> Database::migrate() {
  return run<void>(writer_, [](Store& s) { s.migrate(); });
}

// The state is stamped with the epoch of the server it was read from, on the connection's thread
// after its connection reported that server; save_state and write_batch refuse it once another
// server has been reached (ServerChanged), before anything is written.
net::awaitable<SyncState> Database::load_state(const std::string& shop) {
  return run<SyncState>(writer_, [shop, w = &writer_](Store& s) {
    SyncState state = s.load_state(shop);
    state.server_epoch = w->watch().epoch();
    return state;
  });
}

// Each fenced job asks for its fence when it runs (on the connection's thread, at every attempt),
// not when it is queued: a lease dropped in between refuses the write.
net::awaitable<void> Database::save_state(const SyncState& state) {
  return run<void>(writer_, [state, db = this, w = &writer_](Store& s) {
    w->watch().check(state.server_epoch, "the cursor of shop " + state.shop);
    s.save_state(state, db->fence_for_write(state.shop));
  });
}

net::awaitable<WriteResult> Database::write_batch(Batch batch) {
  // The write connection with fewer batch writes queued takes it (the first on a tie: a lone
  // write goes where every other write goes). Chosen when the write starts, so that a second
  // write started right after sees the first counted. The second takes writes only once it
  // has connected: one the server refuses (a role's connection limit) leaves the sweep on
  // one connection, logging why, instead of holding a write until it may connect. (The first
  // has connected by then: the daemon migrates and loads its state before any batch.)
  bool first = batch_writes_[0] <= batch_writes_[1];
  if (!first && !second_open()) {
    first = true;
  }
  ConnectionThread& on = first ? writer_ : second_;
  std::atomic<int>& queued = batch_writes_[first ? 0 : 1];
  ++queued;
  struct Done {
    std::atomic<int>& queued;
    ~Done() { --queued; }
  } done{queued};
  // named: GCC 12 co_await (docs/design.md)
  std::function<WriteResult(Store&)> job = [this, first, b = std::move(batch)](Store& s) {
    if (b.cursor)
      writer_.watch().check(b.cursor->server_epoch, "the cursor of shop " + b.shop);
    auto result = s.write(b, fence_for_write(b.shop));
    if (first)
      prune_changes_if_due(s); // next_prune_ is the first connection thread's
    return result;
  };
  auto running = on.run<WriteResult>(std::move(job));
  co_return co_await std::move(running);
}

bool Database::second_open() {
  int state = second_state_->load();
  if (state == kSecondUnopened && second_state_->compare_exchange_strong(state, kSecondOpening)) {
    // Until it has connected, batch writes go to the first connection.
    second_.connect_in_background([state = second_state_](bool connected) {
      state->store(connected ? kSecondOpen : kSecondUnopened);
    });
  }
  return state == kSecondOpen;
}

void Database::prune_changes_if_due(Store& store) {
  constexpr auto kPruneEvery = std::chrono::hours(1);
  const auto now = std::chrono::steady_clock::now();
  if (changes_retention_.count() <= 0 || now < next_prune_)
    return;
  next_prune_ = now + kPruneEvery;
  // The batch has committed: a failure here must not make the writer retry it, so it is
  // logged and tried again in an hour (a lost connection is noticed by the next job).
  try {
    if (const auto n = store.prune_changes(changes_retention_); n > 0)
      spdlog::info("change feed: deleted {} row(s) older than changes.retention", n);
  } catch (const std::exception& e) {
    spdlog::warn("change feed: deleting rows older than changes.retention failed: {}",
                 one_line(e.what(), writer_.options().connection.url));
  }
}

net::awaitable<StoredVersions>
Database::stored_versions(const std::string& shop, const std::vector<std::string>& order_ids) {
  return run<StoredVersions>(
      lookups_, [shop, order_ids](Store& s) { return s.stored_versions(shop, order_ids); });
}

net::awaitable<std::optional<model::Tokens>> Database::load_tokens(const std::string& shop,
                                                                   const std::string& fingerprint) {
  return run<std::optional<model::Tokens>>(
      writer_, [shop, fingerprint](Store& s) { return s.load_tokens(shop, fingerprint); });
}

net::awaitable<void> Database::save_tokens(const std::string& shop, const model::Tokens& tokens,
                                           const std::string& fingerprint) {
  return run<void>(writer_, [shop, tokens, fingerprint, db = this](Store& s) {
    s.save_tokens(shop, tokens, fingerprint, db->fence_for_write(shop));
  });
}

net::awaitable<std::vector<DueOwed>> Database::due_owed(const std::string& shop, int limit,
                                                        bool due_or_not) {
  return run<std::vector<DueOwed>>(
      writer_, [shop, limit, due_or_not](Store& s) { return s.due_owed(shop, limit, due_or_not); });
}

net::awaitable<void> Database::postpone_owed(const std::string& shop, const std::string& id,
                                             const std::string& reason,
                                             std::chrono::milliseconds delay) {
  return run<void>(writer_, [shop, id, reason, delay, db = this](Store& s) {
    s.postpone_owed(shop, id, reason, delay, db->fence_for_write(shop));
  });
}

net::awaitable<OwedSummary> Database::owed_summary(const std::string& shop) {
  return run<OwedSummary>(writer_, [shop](Store& s) { return s.owed_summary(shop); });
}

net::awaitable<void> Database::save_held(const std::string& shop,
                                         const std::optional<HeldWindow>& held) {
  return run<void>(writer_, [shop, held, db = this](Store& s) {
    s.save_held(shop, held, db->fence_for_write(shop));
  });
}

net::awaitable<std::optional<HeldWindow>> Database::load_held(const std::string& shop) {
  return run<std::optional<HeldWindow>>(writer_, [shop](Store& s) { return s.load_held(shop); });
}

net::awaitable<ShopFlags> Database::load_flags(const std::string& shop) {
  return run<ShopFlags>(writer_, [shop](Store& s) { return s.load_flags(shop); });
}

net::awaitable<void> Database::save_refresh_fingerprint(const std::string& shop,
                                                        const std::string& fingerprint,
                                                        bool resume) {
  return run<void>(writer_, [shop, fingerprint, resume, db = this](Store& s) {
    s.save_refresh_fingerprint(shop, fingerprint, resume, db->fence_for_write(shop));
  });
}

net::awaitable<void> Database::save_api_ban(const std::string& shop,
                                            std::chrono::system_clock::time_point until) {
  return run<void>(writer_, [shop, until, db = this](Store& s) {
    s.save_api_ban(shop, until, db->fence_for_write(shop));
  });
}

net::awaitable<void> Database::save_platform_clock(const std::string& shop,
                                                   std::chrono::milliseconds offset) {
  return run<void>(writer_, [shop, offset, db = this](Store& s) {
    s.save_platform_clock(shop, offset, db->fence_for_write(shop));
  });
}

net::awaitable<std::vector<ShopReport>>
Database::shop_reports(const std::vector<std::string>& shops) {
  return run<std::vector<ShopReport>>(status_, [shops](Store& s) { return s.shop_reports(shops); });
}

net::awaitable<std::vector<std::string>> Database::sample_recent_orders(const std::string& shop,
                                                                        int n) {
  return run<std::vector<std::string>>(
      writer_, [shop, n](Store& s) { return s.sample_recent_orders(shop, n); });
}

net::awaitable<std::optional<model::OrderDetail>> Database::load_order(const std::string& shop,
                                                                       const std::string& id) {
  return run<std::optional<model::OrderDetail>>(
      writer_, [shop, id](Store& s) { return s.load_order(shop, id); });
}

// Leases go through the lookups connection: a renew must not wait behind a long batch write.
net::awaitable<std::vector<std::string>> Database::heartbeat(const DaemonIdentity& daemon,
                                                             std::chrono::milliseconds ttl) {
  return run<std::vector<std::string>>(
      lookups_, [daemon, ttl](Store& s) { return s.heartbeat(daemon, ttl); });
}

net::awaitable<std::vector<std::string>> Database::live_daemons() {
  return run<std::vector<std::string>>(lookups_, [](Store& s) { return s.live_daemons(); });
}

net::awaitable<void> Database::leave(const std::string& daemon) {
  return run<void>(lookups_, [daemon](Store& s) { s.leave(daemon); });
}

net::awaitable<Acquired> Database::acquire(const std::string& shop, const DaemonIdentity& daemon,
                                           std::chrono::milliseconds ttl) {
  return run<Acquired>(
      lookups_, [shop, daemon, ttl](Store& s) { return s.acquire_lease(shop, daemon, ttl); });
}

net::awaitable<Renewal> Database::renew(const std::string& daemon,
                                        const std::vector<HeldLease>& held,
                                        std::chrono::milliseconds ttl) {
  return run<Renewal>(lookups_,
                      [daemon, held, ttl](Store& s) { return s.renew_leases(daemon, held, ttl); });
}

net::awaitable<bool> Database::release(const std::string& shop, const std::string& daemon,
                                       std::int64_t epoch) {
  return run<bool>(
      lookups_, [shop, daemon, epoch](Store& s) { return s.release_lease(shop, daemon, epoch); });
}

net::awaitable<std::vector<Lease>> Database::leases() {
  return run<std::vector<Lease>>(lookups_, [](Store& s) { return s.leases(); });
}

void Database::use_leases(bool in_use) {
  leases_in_use_ = in_use;
}

void Database::hold(const std::string& shop, Fence fence) {
  std::lock_guard lock(fences_mutex_);
  fences_.insert_or_assign(shop, std::move(fence));
}

void Database::drop(const std::string& shop) {
  std::lock_guard lock(fences_mutex_);
  fences_.erase(shop);
}

std::optional<Fence> Database::fence(const std::string& shop) const {
  std::lock_guard lock(fences_mutex_);
  const auto it = fences_.find(shop);
  if (it == fences_.end())
    return std::nullopt;
  return it->second;
}

std::optional<Fence> Database::fence_for_write(const std::string& shop) const {
  if (!leases_in_use_)
    return std::nullopt;
  auto held = fence(shop);
  if (!held)
    throw LeaseLost("write for shop " + shop +
                    " refused: leases are in use (ha.leases) and this daemon holds no lease "
                    "on the shop");
  return held;
}

void Database::stop() {
  writer_.stop();
  second_.stop();
  lookups_.stop();
  status_.stop();
}

void Database::set_heartbeat(std::function<void()> beat) {
  // The lookups connection shares the writer's heartbeat (ConnectionThreadOptions::named).
  writer_.set_heartbeat(std::move(beat));
}

} // namespace taosync::store

#include "store/database.hpp"

#include "store/change_feed.hpp"
#include "store/db_errors.hpp"
#include "store/order_rows.hpp"
#include "store/state_rows.hpp"

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

template <class R, class Body>
net::awaitable<R> Database::read(ConnectionThread& on, const char* name, Body body) {
  return run<R>(on, [name, body = std::move(body)](Store& s) -> R { return s.read(name, body); });
}

template <class R, class Body>
net::awaitable<R> Database::write(ConnectionThread& on, const char* name, Body body) {
  return run<R>(on, [name, body = std::move(body)](Store& s) -> R { return s.write(name, body); });
}

// Each fenced job asks for its fence when it runs (on the connection's thread, at every attempt),
// not when it is queued: a lease dropped in between refuses the write.
template <class R, class Body>
net::awaitable<R> Database::fenced_write(const std::string& shop, const char* name, Body body) {
  return run<R>(writer_, [this, shop, name, body = std::move(body)](Store& s) -> R {
    return s.write(name, shop, fence_for_write(shop), body);
  });
}

net::awaitable<void> Database::migrate() {
  return run<void>(writer_, [](Store& s) { s.migrate(); });
}

// The state is stamped with the epoch of the server it was read from, on the connection's thread
// after its connection reported that server; save_state and write_batch refuse it once another
// server has been reached (ServerChanged), before anything is written.
net::awaitable<SyncState> Database::load_state(const std::string& shop) {
  return run<SyncState>(writer_, [shop, w = &writer_](Store& s) {
    SyncState state =
        s.read("load_state", [&](pqxx::read_transaction& tx) { return select_state(tx, shop); });
    state.server_epoch = w->watch().epoch();
    return state;
  });
}

net::awaitable<void> Database::save_state(const SyncState& state) {
  return run<void>(writer_, [state, db = this, w = &writer_](Store& s) {
    w->watch().check(state.server_epoch, "the cursor of shop " + state.shop);
    s.write("save_state", state.shop, db->fence_for_write(state.shop),
            [&](pqxx::work& tx) { upsert_state(tx, state); });
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
    if (const auto n = prune_changes(store, changes_retention_); n > 0)
      spdlog::info("change feed: deleted {} row(s) older than changes.retention", n);
  } catch (const std::exception& e) {
    spdlog::warn("change feed: deleting rows older than changes.retention failed: {}",
                 one_line(e.what(), writer_.options().connection.url));
  }
}

net::awaitable<StoredVersions>
Database::stored_versions(const std::string& shop, const std::vector<std::string>& order_ids) {
  return read<StoredVersions>(lookups_, "stored_versions", [shop, order_ids](auto& tx) {
    return select_stored_versions(tx, shop, order_ids);
  });
}

net::awaitable<std::optional<model::Tokens>> Database::load_tokens(const std::string& shop,
                                                                   const std::string& fingerprint) {
  return read<std::optional<model::Tokens>>(writer_, "load_tokens", [shop, fingerprint](auto& tx) {
    return select_tokens(tx, shop, fingerprint);
  });
}

net::awaitable<void> Database::save_tokens(const std::string& shop, const model::Tokens& tokens,
                                           const std::string& fingerprint) {
  return fenced_write<void>(shop, "save_tokens", [shop, tokens, fingerprint](pqxx::work& tx) {
    upsert_tokens(tx, shop, tokens, fingerprint);
  });
}

net::awaitable<std::vector<DueOwed>> Database::due_owed(const std::string& shop, int limit,
                                                        bool due_or_not) {
  return read<std::vector<DueOwed>>(writer_, "due_owed", [shop, limit, due_or_not](auto& tx) {
    return select_due_owed(tx, shop, limit, due_or_not);
  });
}

net::awaitable<void> Database::postpone_owed(const std::string& shop, const std::string& id,
                                             const std::string& reason,
                                             std::chrono::milliseconds delay) {
  return fenced_write<void>(shop, "postpone_owed", [shop, id, reason, delay](pqxx::work& tx) {
    store::postpone_owed(tx, shop, id, reason, delay);
  });
}

net::awaitable<OwedSummary> Database::owed_summary(const std::string& shop) {
  return read<OwedSummary>(writer_, "owed_summary",
                           [shop](auto& tx) { return select_owed_summary(tx, shop); });
}

net::awaitable<void> Database::save_held(const std::string& shop,
                                         const std::optional<HeldWindow>& held) {
  return fenced_write<void>(shop, "save_held",
                            [shop, held](pqxx::work& tx) { upsert_held(tx, shop, held); });
}

net::awaitable<std::optional<HeldWindow>> Database::load_held(const std::string& shop) {
  return read<std::optional<HeldWindow>>(writer_, "load_held",
                                         [shop](auto& tx) { return select_held(tx, shop); });
}

net::awaitable<ShopFlags> Database::load_flags(const std::string& shop) {
  return read<ShopFlags>(writer_, "load_flags",
                         [shop](auto& tx) { return select_shop_flags(tx, shop); });
}

net::awaitable<void> Database::save_refresh_fingerprint(const std::string& shop,
                                                        const std::string& fingerprint,
                                                        bool resume) {
  return fenced_write<void>(shop, "save_refresh_fingerprint",
                            [shop, fingerprint, resume](pqxx::work& tx) {
                              upsert_refresh_fingerprint(tx, shop, fingerprint, resume);
                            });
}

net::awaitable<void> Database::save_api_ban(const std::string& shop,
                                            std::chrono::system_clock::time_point until) {
  return fenced_write<void>(shop, "save_api_ban",
                            [shop, until](pqxx::work& tx) { upsert_api_ban(tx, shop, until); });
}

net::awaitable<void> Database::save_platform_clock(const std::string& shop,
                                                   std::chrono::milliseconds offset) {
  return fenced_write<void>(shop, "save_platform_clock", [shop, offset](pqxx::work& tx) {
    upsert_platform_clock(tx, shop, offset);
  });
}

net::awaitable<std::vector<ShopReport>>
Database::shop_reports(const std::vector<std::string>& shops) {
  return read<std::vector<ShopReport>>(
      status_, "shop_reports", [shops](auto& tx) { return select_shop_reports(tx, shops); });
}

net::awaitable<std::vector<std::string>> Database::sample_recent_orders(const std::string& shop,
                                                                        int n) {
  return read<std::vector<std::string>>(writer_, "sample_recent_orders", [shop, n](auto& tx) {
    return select_recent_orders(tx, shop, n);
  });
}

net::awaitable<std::optional<model::OrderDetail>> Database::load_order(const std::string& shop,
                                                                       const std::string& id) {
  return read<std::optional<model::OrderDetail>>(
      writer_, "load_order", [shop, id](auto& tx) { return select_order(tx, shop, id); });
}

// Leases go through the lookups connection: a renew must not wait behind a long batch write.
// They are not fenced: they are what the fences are made of.
net::awaitable<std::vector<std::string>> Database::heartbeat(const DaemonIdentity& daemon,
                                                             std::chrono::milliseconds ttl) {
  return write<std::vector<std::string>>(lookups_, "heartbeat", [daemon, ttl](pqxx::work& tx) {
    return store::heartbeat(tx, daemon, ttl);
  });
}

net::awaitable<std::vector<std::string>> Database::live_daemons() {
  return read<std::vector<std::string>>(lookups_, "live_daemons",
                                        [](auto& tx) { return store::live_daemons(tx); });
}

net::awaitable<void> Database::leave(const std::string& daemon) {
  return write<void>(lookups_, "leave", [daemon](pqxx::work& tx) { store::leave(tx, daemon); });
}

net::awaitable<Acquired> Database::acquire(const std::string& shop, const DaemonIdentity& daemon,
                                           std::chrono::milliseconds ttl) {
  return write<Acquired>(lookups_, "acquire_lease", [shop, daemon, ttl](pqxx::work& tx) {
    return acquire_lease(tx, shop, daemon, ttl);
  });
}

net::awaitable<Renewal> Database::renew(const std::string& daemon,
                                        const std::vector<HeldLease>& held,
                                        std::chrono::milliseconds ttl) {
  return write<Renewal>(lookups_, "renew_leases", [daemon, held, ttl](pqxx::work& tx) {
    return renew_leases(tx, daemon, held, ttl);
  });
}

net::awaitable<bool> Database::release(const std::string& shop, const std::string& daemon,
                                       std::int64_t epoch) {
  return write<bool>(lookups_, "release_lease", [shop, daemon, epoch](pqxx::work& tx) {
    return release_lease(tx, shop, daemon, epoch);
  });
}

net::awaitable<std::vector<Lease>> Database::leases() {
  return read<std::vector<Lease>>(lookups_, "leases", [](auto& tx) { return select_leases(tx); });
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

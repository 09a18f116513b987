#include "commands.hpp"
#include "exit_codes.hpp"
#include "model/time_text.hpp"
#include "runtime.hpp"
#include "shop_gate.hpp"
#include "status_document.hpp"

#include "model/stop.hpp"
#include "obs/api_ban.hpp"
#include "obs/log.hpp"
#include "store/connect_retry.hpp"
#include "store/leases.hpp"
#include "store/shop_report.hpp"
#include "sync/lease_keeper.hpp"

#include "api/async_sleep.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include <iostream>

namespace taosync::daemon {

namespace {

/// Init progress as "41% (swept to T of T0)" from the stored cursor.
std::string init_progress(const store::SyncState& s, const config::Config& cfg) {
  if (s.init_done)
    return "done";
  if (!s.init_t0 || !s.init_cursor)
    return "not started";
  const auto start = cfg.sync.init.start;
  const double total = static_cast<double>((*s.init_t0 - start).count());
  const double done = static_cast<double>((*s.init_cursor - start).count());
  const double pct = total > 0 ? std::min(100.0, std::max(0.0, 100.0 * done / total)) : 0.0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", pct);
  return std::string(buf) + " (swept to " + model::format_time(*s.init_cursor) + " of " +
         model::format_time(*s.init_t0) + ")";
}

/// What the platform owes and where the cursor is held, as status lines.
void print_trust(std::ostream& out, const store::OwedSummary& owed,
                 const std::optional<store::HeldWindow>& held) {
  out << "  owed:         " << owed.orders << " order(s), " << owed.lines << " line(s)";
  if (owed.newest_reason)
    out << " (newest: " << *owed.newest_reason << ")";
  out << "\n";
  out << "  held:         ";
  if (held) {
    out << "[" << model::format_time(held->from) << " .. " << model::format_time(held->to)
        << "] since "
        << (held->since
                ? model::format_time(std::chrono::floor<std::chrono::milliseconds>(*held->since))
                : std::string("?"))
        << ": " << held->reason << "\n";
  } else {
    out << "no\n";
  }
}

/// The platform's clock offset the running daemon last stored, if any.
void print_platform_clock(std::ostream& out, const store::ShopFlags& flags,
                          std::chrono::system_clock::time_point now) {
  if (!flags.platform_clock_offset || !flags.platform_clock_read_at)
    return;
  const auto ms = flags.platform_clock_offset->count();
  const auto ago =
      std::chrono::duration_cast<std::chrono::seconds>(now - *flags.platform_clock_read_at);
  out << "  platform clock: " << std::abs(ms) / 1000 << "." << std::abs(ms) % 1000 / 100 << "s "
      << (ms < 0 ? "behind" : "ahead of") << " the daemon's host's (measured "
      << model::format_age(ago) << " ago)\n";
}

/// Who holds the shop's lease and until when, or why none is held.
void print_lease(std::ostream& out, const std::optional<store::Lease>& lease, bool leases_on,
                 std::chrono::system_clock::time_point now) {
  out << "  lease:        ";
  if (!lease) {
    out << (leases_on ? "none" : "none (ha.leases is off)") << "\n";
    return;
  }
  const auto holder = lease->owner + " (host " + lease->owner_host + ", pid " +
                      std::to_string(lease->owner_pid) + ")";
  const auto expires =
      model::format_time(std::chrono::floor<std::chrono::milliseconds>(lease->expires_at));
  if (lease->live)
    out << holder << ", epoch " << lease->epoch << ", expires " << expires << " (in "
        << model::format_age(
               std::chrono::duration_cast<std::chrono::seconds>(lease->expires_at - now))
        << ")\n";
  else
    out << "none (last held by " << holder << ", expired " << expires << ")\n";
}

void print_status(std::ostream& out, const store::ShopReport& report, const config::Config& cfg) {
  const auto& [s, c, owed, held, flags, lease] = report;
  const auto now = std::chrono::system_clock::now();
  out << "shop " << s.shop << "\n";
  out << "  state:        "
      << (s.stopped     ? "stopped: " + s.stopped_reason
          : s.init_done ? "incremental"
                        : "init")
      << "\n";
  if (s.stopped)
    out << "  to resume:    " << reauthorize_hint() << "\n";
  if (flags.api_banned_until && *flags.api_banned_until > now)
    out << "  api:          " << obs::describe_ban(*flags.api_banned_until, now) << "\n";
  print_platform_clock(out, flags, now);
  out << "  hwm:          ";
  if (s.hwm) {
    out << model::format_time(*s.hwm) << " (lag "
        << model::format_age(std::chrono::duration_cast<std::chrono::seconds>(now - *s.hwm))
        << ")\n";
  } else {
    out << "none yet\n";
  }
  out << "  last cycle:   ";
  if (s.last_cycle_at) {
    out << model::format_time(std::chrono::floor<std::chrono::milliseconds>(*s.last_cycle_at))
        << " ("
        << model::format_age(
               std::chrono::duration_cast<std::chrono::seconds>(now - *s.last_cycle_at))
        << " ago, " << s.last_cycle_orders << " orders)\n";
  } else {
    out << "never\n";
  }
  out << "  init:         " << init_progress(s, cfg) << "\n";
  out << "  reconciled:   "
      << (s.last_reconciled_day ? model::format_day(*s.last_reconciled_day) : std::string("never"))
      << "\n";
  out << "  orders:       " << c.orders << "\n";
  out << "  lines:        " << c.lines << "\n";
  out << "  rejected:     " << c.rejected << "\n";
  print_trust(out, owed, held);
  print_lease(out, lease, cfg.ha.leases, now);
}

/// The status document of `reports`, read from the database alone.
boost::json::value database_document(const std::vector<store::ShopReport>& reports,
                                     const std::vector<config::ShopConfig>& shops,
                                     const config::Config& all) {
  StatusInput in;
  in.now = std::chrono::system_clock::now();
  in.version = TAOSYNC_VERSION;
  in.leases = all.ha.leases;
  in.limit_per_minute = all.api.rate_limit.requests_per_second * 60.0;
  in.read_at = in.now;
  std::optional<std::chrono::system_clock::time_point> clock_read_at;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    ShopStatusInput& s = in.shops.emplace_back();
    s.shop = shops[i].name;
    s.init_start = config::for_shop(all, shops[i]).sync.init.start;
    s.stored = reports[i];
    const auto& ban = reports[i].flags.api_banned_until;
    if (ban && (!in.banned_until || *ban > *in.banned_until))
      in.banned_until = ban;
    // The offset the daemon measured last, of whichever shop it stored it with.
    const auto& flags = reports[i].flags;
    if (flags.platform_clock_offset &&
        (!clock_read_at || *flags.platform_clock_read_at > *clock_read_at)) {
      clock_read_at = flags.platform_clock_read_at;
      in.platform_clock_offset = static_cast<double>(flags.platform_clock_offset->count()) / 1000.0;
    }
  }
  return status_document(in);
}

} // namespace

int cmd_check_config(const CliOptions& opts) {
  try {
    const config::Config cfg = config::load_config(opts.config_path);
    if (auto warning = config::inline_secret_warning(opts.config_path)) {
      std::cerr << "taosyncd: warning: " << *warning << "\n";
    }
    std::cout << "# " << opts.config_path << ": valid; effective config (secrets masked):\n"
              << config::render_masked(cfg);
    return kExOk;
  } catch (const config::ConfigError& e) {
    std::cerr << "taosyncd: " << opts.config_path << ": " << e.what() << "\n";
    return kExConfig;
  }
}

int cmd_migrate(const CliOptions& opts) {
  return with_config(opts.config_path, [](const config::Config& cfg) {
    const auto store = store::connect_store_or_give_up(store::connection_settings(cfg.database),
                                                       cfg.database.reconnect_max_backoff);
    store->migrate();
    spdlog::info("database schema is up to date");
    return kExOk;
  });
}

int cmd_status(const CliOptions& opts) {
  return with_config(opts.config_path, [&opts](const config::Config& all) {
    const auto store = store::connect_store_or_give_up(store::connection_settings(all.database),
                                                       all.database.reconnect_max_backoff);
    std::vector<config::ShopConfig> shops;
    std::vector<std::string> names;
    for (const config::ShopConfig& shop : config::shops_of(all)) {
      if (!opts.shop.empty() && shop.name != opts.shop)
        continue;
      shops.push_back(shop);
      names.push_back(shop.name);
    }
    if (shops.empty())
      throw config::ConfigError("--shop", "no configured shop is named '" + opts.shop + "'");
    const auto reports = store->read("shop_reports", [&](pqxx::read_transaction& tx) {
      return store::select_shop_reports(tx, names);
    });
    if (opts.json) {
      std::cout << boost::json::serialize(database_document(reports, shops, all)) << "\n";
      return kExOk;
    }
    for (std::size_t i = 0; i < reports.size(); ++i) {
      if (i > 0)
        std::cout << "\n";
      print_status(std::cout, reports[i], config::for_shop(all, shops[i]));
    }
    return kExOk;
  });
}

namespace {

/// A shop synced by another daemon right now: `once` leaves it alone (exit 75, try later).
class ShopBusy : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// `once` under ha.leases: the shop's lease, taken for the run, renewed while it lasts and
/// released at the end, so a one-shot run never writes a shop a running daemon holds.
class OnceLease {
public:
  OnceLease(Runtime& rt, std::string shop)
      : rt_(rt), shop_(std::move(shop)), daemon_(store::this_daemon(rt.config().ha.daemon_id)),
        stop_(rt.io().get_executor()) {}

  net::awaitable<void> take() {
    rt_.database().use_leases(true);
    auto got = co_await rt_.database().acquire(shop_, daemon_, ttl());
    if (!got.taken && sync::gone_from_this_host(got.lease.owner, daemon_) &&
        co_await rt_.database().release(shop_, got.lease.owner, got.lease.epoch)) {
      // Its holder was a process of this host that no longer exists (killed, crashed).
      spdlog::info("shop {}: released the lease of {}, whose process on this host is gone", shop_,
                   got.lease.owner);
      got = co_await rt_.database().acquire(shop_, daemon_, ttl());
    }
    if (!got.taken)
      throw ShopBusy("shop " + shop_ + " is being synced by daemon " + got.lease.owner + " (host " +
                     got.lease.owner_host + ", pid " + std::to_string(got.lease.owner_pid) +
                     "): once leaves it alone");
    epoch_ = got.lease.epoch;
    rt_.database().hold(shop_, store::Fence{daemon_.id, epoch_});
    renewing_done_ = false;
    net::co_spawn(rt_.io(), renew(), [this](std::exception_ptr) { renewing_done_ = true; });
  }

  net::awaitable<void> release() {
    stop_.request();
    while (!renewing_done_) // the renew loop refers to this object: let it end first
      co_await api::sleep_for(std::chrono::milliseconds(5));
    rt_.database().drop(shop_);
    co_await rt_.database().release(shop_, daemon_.id, epoch_);
  }

private:
  std::chrono::milliseconds ttl() const { return rt_.config().ha.lease_ttl; }

  net::awaitable<void> renew() {
    while (!stop_.requested()) {
      co_await stop_.wait(ttl() / 3);
      if (stop_.requested())
        break;
      const std::vector<store::HeldLease> held(1, store::HeldLease{shop_, epoch_});
      const auto renewal = co_await rt_.database().renew(daemon_.id, held, ttl());
      if (!renewal.lost.empty()) {
        spdlog::error("shop {}: the lease was lost ({}): the rest of this run is refused", shop_,
                      renewal.lost.front().now);
        rt_.database().drop(shop_);
        break;
      }
    }
  }

  Runtime& rt_;
  std::string shop_;
  store::DaemonIdentity daemon_;
  model::Stop stop_;
  std::int64_t epoch_ = 0;
  bool renewing_done_ = true;
};

} // namespace

int cmd_once(const CliOptions& opts) {
  return with_config(opts.config_path, [&opts](const config::Config& cfg) {
    Runtime rt(cfg, DatabaseWait::connect_timeout);
    return run_to_exit_code(rt.io(), [&rt, &opts]() -> net::awaitable<int> {
      co_await rt.start_app();
      // Each shop in turn; one shop's failure does not keep the others from their cycle. The
      // exit code is the first failure's.
      int code = kExOk;
      for (const config::ShopConfig& shop : config::shops_of(rt.config())) {
        if (!opts.shop.empty() && shop.name != opts.shop)
          continue;
        std::exception_ptr failure;
        std::optional<OnceLease> lease;
        try {
          if (rt.config().ha.leases) {
            lease.emplace(rt, shop.name);
            co_await lease->take();
          }
          ShopPipeline* pipeline = co_await rt.open_shop(shop);
          co_await pipeline->engine->once();
          spdlog::info("once: shop {} done", shop.name);
        } catch (const ShopBusy& busy) {
          spdlog::warn("{}", busy.what());
          lease.reset(); // not taken: nothing to release
          failure = std::make_exception_ptr(sync::WindowHeld(busy.what()));
        } catch (...) {
          failure = std::current_exception();
        }
        if (lease)
          co_await lease->release();
        if (failure) {
          const int shop_code = exit_code_for(failure);
          if (code == kExOk)
            code = shop_code;
        }
      }
      co_return code;
    });
  });
}

int cmd_resync(const CliOptions& opts) {
  return with_config(opts.config_path, [&opts](const config::Config& cfg) {
    Runtime rt(cfg, DatabaseWait::connect_timeout);
    return run_to_exit_code(rt.io(), [&rt, &opts]() -> net::awaitable<int> {
      co_await rt.start(one_shop(rt.config(), opts.shop));
      // says what it did: stored or unchanged
      co_await rt.first_shop().engine->resync(opts.order_id);
      co_return kExOk;
    });
  });
}

} // namespace taosync::daemon

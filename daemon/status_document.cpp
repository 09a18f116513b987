#include "status_document.hpp"

#include "model/time_text.hpp"
#include "obs/redact.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cmath>

namespace taosync::daemon {

namespace json = boost::json;

namespace {

using std::chrono::system_clock;

/// "2026-12-01T10:00:00.000Z", or null.
json::value time_value(std::optional<system_clock::time_point> t) {
  if (!t)
    return nullptr;
  return json::string(model::format_time(std::chrono::floor<std::chrono::milliseconds>(*t)));
}

/// Whole seconds from `from` to `to` (negative if `to` is earlier).
std::int64_t seconds_between(system_clock::time_point from, system_clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

/// `text` with secrets masked, or null when empty.
json::value text_or_null(const std::string& text) {
  if (text.empty())
    return nullptr;
  return json::string(obs::redact(text));
}

/// One decimal, for a percent.
double rounded(double x) {
  return std::round(x * 10.0) / 10.0;
}

/// Progress of the init: by orders while this daemon's engine sweeps, else by the stored
/// cursor's share of the time range [init.start, t0].
json::object init_progress(const ShopStatusInput& in) {
  json::object out;
  const store::SyncState* state = in.stored ? &in.stored->state : nullptr;
  out["done"] = state ? json::value(state->init_done) : json::value(nullptr);
  out["swept_to"] = state ? time_value(state->init_cursor) : nullptr;
  out["t0"] = state ? time_value(state->init_t0) : nullptr;
  out["percent"] = nullptr;
  out["orders_done"] = nullptr;
  out["orders_total"] = nullptr;
  out["orders_per_second"] = nullptr;
  out["eta_seconds"] = nullptr;
  if (state && state->init_done) {
    out["percent"] = 100;
    return out;
  }
  const auto* engine = in.live && in.live->engine ? &*in.live->engine : nullptr;
  if (engine && engine->phase == sync::Phase::init && engine->init_total_orders > 0) {
    const double done = static_cast<double>(engine->init_done_orders);
    const double total = static_cast<double>(engine->init_total_orders);
    out["percent"] = rounded(std::min(100.0, 100.0 * done / total));
    out["orders_done"] = engine->init_done_orders;
    out["orders_total"] = engine->init_total_orders;
    out["orders_per_second"] = std::llround(engine->orders_per_second);
    if (engine->orders_per_second > 0)
      out["eta_seconds"] = std::llround(std::max(0.0, total - done) / engine->orders_per_second);
  } else if (state && state->init_t0 && state->init_cursor) {
    const double span = static_cast<double>((*state->init_t0 - in.init_start).count());
    const double swept = static_cast<double>((*state->init_cursor - in.init_start).count());
    out["percent"] = span > 0 ? rounded(std::clamp(100.0 * swept / span, 0.0, 100.0)) : 0.0;
  }
  return out;
}

/// When the last cycle ran, its orders, and (inside the daemon) its outcome.
json::object last_cycle(const ShopStatusInput& in, system_clock::time_point now) {
  json::object out;
  const store::SyncState* state = in.stored ? &in.stored->state : nullptr;
  if (state && state->last_cycle_at) {
    out["at"] = time_value(*state->last_cycle_at);
    out["ago_seconds"] = std::max<std::int64_t>(0, seconds_between(*state->last_cycle_at, now));
  } else {
    out["at"] = nullptr;
    out["ago_seconds"] = nullptr;
  }
  out["orders"] = in.stored ? json::value(in.stored->state.last_cycle_orders) : nullptr;
  const auto* engine = in.live && in.live->engine ? &*in.live->engine : nullptr;
  out["outcome"] = !engine                        ? json::value(nullptr)
                   : engine->last_failure.empty() ? json::value("ok")
                                                  : json::value("failed");
  out["failure"] = engine ? text_or_null(engine->last_failure) : nullptr;
  return out;
}

/// The shop's lease row as stored, or null if it never had one.
json::value lease(const store::ShopReport& r, system_clock::time_point now) {
  if (!r.lease)
    return nullptr;
  const store::Lease& l = *r.lease;
  return json::object{
      {"owner", l.owner},
      {"host", l.owner_host},
      {"pid", l.owner_pid},
      {"epoch", l.epoch},
      {"live", l.live},
      {"expires_at", time_value(l.expires_at)},
      {"expires_in_seconds", std::max<std::int64_t>(0, seconds_between(now, l.expires_at))},
      {"commits", l.commits},
  };
}

/// One shop's part of the document.
json::object shop(const ShopStatusInput& in, system_clock::time_point now) {
  json::object out;
  out["shop"] = in.shop;
  const auto* engine = in.live && in.live->engine ? &*in.live->engine : nullptr;
  const store::ShopReport* r = in.stored ? &*in.stored : nullptr;
  out["phase"] = engine ? json::value(std::string(sync::to_string(engine->phase)))
                 : r    ? json::value(stored_phase(r->state))
                        : json::value(nullptr);
  out["running_here"] = in.live ? json::value(engine != nullptr) : json::value(nullptr);
  out["summary"] = engine ? text_or_null(engine->line()) : nullptr;
  out["stopped"] = r && r->state.stopped ? text_or_null(r->state.stopped_reason) : nullptr;
  out["init"] = init_progress(in);
  out["hwm"] = r ? time_value(r->state.hwm) : nullptr;
  out["lag_seconds"] =
      r && r->state.hwm ? json::value(seconds_between(*r->state.hwm, now)) : json::value(nullptr);
  out["last_cycle"] = last_cycle(in, now);
  out["reconciled_day"] = r && r->state.last_reconciled_day
                              ? json::value(model::format_day(*r->state.last_reconciled_day))
                              : json::value(nullptr);
  out["calls_per_minute"] = in.live && in.live->calls_per_minute
                                ? json::value(std::llround(*in.live->calls_per_minute))
                                : json::value(nullptr);
  if (r) {
    out["counts"] = {
        {"orders", r->counts.orders}, {"lines", r->counts.lines}, {"rejected", r->counts.rejected}};
    out["owed"] = {{"orders", r->owed.orders},
                   {"lines", r->owed.lines},
                   {"newest_reason", r->owed.newest_reason ? text_or_null(*r->owed.newest_reason)
                                                           : json::value(nullptr)}};
    out["held"] = r->held ? json::value(json::object{{"from", time_value(r->held->from)},
                                                     {"to", time_value(r->held->to)},
                                                     {"since", time_value(r->held->since)},
                                                     {"reason", text_or_null(r->held->reason)}})
                          : json::value(nullptr);
    out["lease"] = lease(*r, now);
  } else {
    out["counts"] = nullptr;
    out["owed"] = nullptr;
    out["held"] = nullptr;
    out["lease"] = nullptr;
  }
  return out;
}

} // namespace

std::string stored_phase(const store::SyncState& state) {
  return state.stopped ? "stopped" : state.init_done ? "incremental" : "init";
}

json::value status_document(const StatusInput& in) {
  json::object doc;
  doc["generated_at"] = time_value(in.now);
  doc["source"] = in.source;
  json::object daemon{{"version", in.version}, {"leases", in.leases}};
  daemon["id"] = in.daemon ? json::value(in.daemon->id) : nullptr;
  daemon["host"] = in.daemon ? json::value(in.daemon->host) : nullptr;
  daemon["pid"] = in.daemon ? json::value(in.daemon->pid) : nullptr;
  doc["daemon"] = std::move(daemon);
  doc["database"] = {{"read_at", time_value(in.read_at)},
                     {"problem", text_or_null(in.read_problem)}};
  const bool banned = in.banned_until && *in.banned_until > in.now;
  doc["api"] = {
      {"limit_per_minute", in.limit_per_minute ? json::value(std::llround(*in.limit_per_minute))
                                               : json::value(nullptr)},
      {"calls_per_minute", in.calls_per_minute ? json::value(std::llround(*in.calls_per_minute))
                                               : json::value(nullptr)},
      {"banned_until", banned ? time_value(in.banned_until) : json::value(nullptr)},
      {"platform_clock_offset_seconds",
       in.platform_clock_offset ? json::value(*in.platform_clock_offset) : json::value(nullptr)}};
  json::array shops;
  for (const ShopStatusInput& s : in.shops)
    shops.push_back(shop(s, in.now));
  doc["shops"] = std::move(shops);
  json::array errors;
  for (const obs::RecentError& e : in.errors)
    errors.push_back(json::object{
        {"at", time_value(e.at)}, {"level", e.level}, {"message", obs::redact(e.message)}});
  doc["recent_errors"] = std::move(errors);
  return doc;
}

} // namespace taosync::daemon

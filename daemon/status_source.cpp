#include "status_source.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace taosync::daemon {

namespace {

/// How often a waiting request looks whether the read has ended.
constexpr std::chrono::milliseconds kWaitStep{20};

} // namespace

StatusSource::StatusSource(net::any_io_executor executor, store::Database& db,
                           std::function<View()> view)
    : executor_(executor), db_(db), view_(std::move(view)), sample_timer_(executor) {}

void StatusSource::record_calls(const View& view) {
  const auto now = CallRate::Clock::now();
  // A shop that stopped here (removed, its lease lost) has no rate until it runs again.
  std::erase_if(shop_rates_, [&](const auto& r) { return !view.shop_calls.contains(r.first); });
  for (const auto& [shop, calls] : view.shop_calls)
    shop_rates_[shop].add(now, calls);
  app_rate_.add(now, view.app_calls);
}

void StatusSource::refresh(const std::vector<std::string>& shops) {
  const auto now = std::chrono::steady_clock::now();
  const bool all_read = std::all_of(shops.begin(), shops.end(),
                                    [this](const auto& s) { return reports_.contains(s); });
  if (reading_since_ || (read_at_ && all_read && now - read_done_at_ < kFreshFor))
    return;
  reading_since_ = now;
  net::co_spawn(executor_, read(shops), [this](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        read_failure_ = ex.what();
      }
    }
    read_done_at_ = std::chrono::steady_clock::now();
    reading_since_.reset();
  });
}

net::awaitable<void> StatusSource::read(std::vector<std::string> shops) {
  auto reports = co_await db_.shop_reports(shops);
  reports_.clear();
  for (auto& r : reports)
    reports_.insert_or_assign(r.state.shop, std::move(r));
  read_at_ = std::chrono::system_clock::now();
  read_failure_.clear();
}

net::awaitable<boost::json::value> StatusSource::document() {
  std::vector<std::string> shops;
  for (const auto& s : view_().input.shops)
    shops.push_back(s.shop);
  refresh(shops);
  // Wait for a read under way until it is kReadWait old; past that (an outage), the last
  // read's figures will do, at once.
  net::steady_timer step(executor_);
  while (reading_since_ && std::chrono::steady_clock::now() < *reading_since_ + kReadWait) {
    step.expires_after(kWaitStep);
    co_await step.async_wait(net::use_awaitable);
  }
  View view = view_();
  record_calls(view);
  StatusInput& in = view.input;
  in.read_at = read_at_;
  if (reading_since_)
    in.read_problem =
        "the database has not answered for " +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now() - *reading_since_)
                           .count()) +
        (read_at_ ? "s; stored figures are from the last read" : "s; no stored figures yet");
  else if (!read_failure_.empty())
    in.read_problem = "reading the database failed: " + read_failure_;
  in.calls_per_minute = app_rate_.per_minute();
  for (ShopStatusInput& shop : in.shops) {
    if (const auto it = reports_.find(shop.shop); it != reports_.end())
      shop.stored = it->second;
    if (shop.live) {
      if (const auto rate = shop_rates_.find(shop.shop); rate != shop_rates_.end())
        shop.live->calls_per_minute = rate->second.per_minute();
    }
  }
  co_return status_document(in);
}

net::awaitable<void> StatusSource::sample_calls() {
  while (!stopped_) {
    record_calls(view_());
    sample_timer_.expires_after(kSampleEvery);
    // operation_aborted is expected: stop() cancels the wait.
    co_await sample_timer_.async_wait(net::as_tuple(net::use_awaitable));
  }
}

void StatusSource::stop() {
  stopped_ = true;
  sample_timer_.cancel();
}

} // namespace taosync::daemon

#pragma once
// The running daemon's status document, for the status page and /status.json. The stored parts
// come from the database's status connection, read at most once per kFreshFor and never twice
// at once; a request waits for a read until it is kReadWait old, then gets the last read's
// parts with the delay said in the document (during an outage: at once). The live parts (engines,
// call rates, recent errors) are taken at every request.

#include "call_rate.hpp"
#include "status_document.hpp"

#include "store/database.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace taosync::daemon {

namespace net = boost::asio;

class StatusSource {
public:
  /// Stored parts younger than this are not read again.
  static constexpr std::chrono::seconds kFreshFor{2};
  /// How long requests wait for a read under way (counted from its start).
  static constexpr std::chrono::seconds kReadWait{2};
  /// How often the call counts are sampled (for calls per minute).
  static constexpr std::chrono::seconds kSampleEvery{5};

  /// What the service knows right now: the document's input without its stored parts and call
  /// rates, and the API calls each running shop (and the app) made so far.
  struct View {
    StatusInput input;
    std::map<std::string, std::uint64_t> shop_calls;
    std::uint64_t app_calls = 0;
  };

  /// `view` is called on the executor's thread, at each request and each sample.
  StatusSource(net::any_io_executor executor, store::Database& db, std::function<View()> view);

  /// The document now (see the class comment).
  net::awaitable<boost::json::value> document();
  /// Samples the call counts every kSampleEvery until stop().
  net::awaitable<void> sample_calls();
  /// Ends sample_calls().
  void stop();

private:
  /// Records the view's call counts in the rates.
  void record_calls(const View& view);
  /// Starts a read of the stored parts unless one runs or the last is fresh.
  void refresh(const std::vector<std::string>& shops);
  /// Reads the stored parts of `shops` into reports_.
  net::awaitable<void> read(std::vector<std::string> shops);

  net::any_io_executor executor_;
  store::Database& db_;
  std::function<View()> view_;
  std::map<std::string, CallRate> shop_rates_;
  CallRate app_rate_;
  net::steady_timer sample_timer_;
  bool stopped_ = false;
  // The last read of the stored parts, all on the executor's thread.
  std::map<std::string, store::ShopReport> reports_;
  std::optional<std::chrono::system_clock::time_point> read_at_;
  std::chrono::steady_clock::time_point read_done_at_{};
  std::optional<std::chrono::steady_clock::time_point> reading_since_;
  std::string read_failure_; ///< why the last read failed, "" if it did not
};

} // namespace taosync::daemon

#pragma once
// Typed, validating access to the fields of one API record. The first problem found is kept
// as the record's rejection reason ("actual_fee: not a decimal number"); later reads return
// defaults, so a parser reads every field and checks ok() once at the end.

#include "api/records.hpp"

#include "model/rules.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taosync::api {

/// Longest string field accepted (a 1 MiB title is a broken record, not a title).
inline constexpr std::size_t kMaxFieldBytes = 64 * 1024;
/// Longest id accepted (the rule every layer shares).
using model::kMaxIdBytes;
/// Longest decimal amount accepted.
inline constexpr std::size_t kMaxAmountBytes = 40;

/// Whether a field must be present.
enum class Presence { required, optional };

/// True for "62", "-3", "10.50": an optional minus, digits, optionally '.' and digits.
using model::is_decimal;

/// Reads fields of one JSON object. Reasons name fields by their path: `parent` and `index`
/// give "delivery_info.city", "shipment_list[1].order_no" or "[0].propertyId" (built only
/// when a problem is found).
class FieldReader {
public:
  explicit FieldReader(const boost::json::object& object, std::string_view parent = {},
                       std::optional<std::size_t> index = std::nullopt);

  /// A string field; absent or null gives "" (or a failure when required).
  std::string string(std::string_view key, Presence presence = Presence::optional);
  /// A string field that may be absent or null.
  std::optional<std::string> optional_string(std::string_view key);
  /// A non-empty id string of at most kMaxIdBytes.
  std::string id(std::string_view key);
  /// An id sent as a string or as a non-negative JSON integer (Lazada sends both), as text.
  std::string id_or_number(std::string_view key);
  /// An integer field; absent gives 0 (or a failure when required).
  std::int64_t integer(std::string_view key, Presence presence = Presence::optional);
  /// An integer sent as a JSON integer or as a string of decimal digits (Lazada sends both).
  std::int64_t integer_or_text(std::string_view key, Presence presence = Presence::optional);
  /// An epoch-milliseconds time; absent gives the epoch (or a failure when required).
  TimePoint time(std::string_view key, Presence presence = Presence::required);
  /// A decimal amount string plus its currency code; absent amount gives "".
  Money money(std::string_view amount_key, std::string_view currency_key);
  /// A nested object; absent or null gives nullptr, another type fails.
  const boost::json::object* object(std::string_view key);
  /// A nested array; absent or null gives nullptr, another type fails.
  const boost::json::array* array(std::string_view key);

  /// Records a problem with `key` unless one is already recorded.
  void fail(std::string_view key, std::string_view problem);
  /// Adopts the failure of a nested reader, if any.
  void merge(const FieldReader& nested);
  /// True while no problem was found.
  bool ok() const { return reason_.empty(); }
  /// The first problem, naming the field.
  const std::string& reason() const { return reason_; }
  /// The dotted field path for `key`, as used in reasons.
  std::string field_name(std::string_view key) const;

private:
  const boost::json::value* find(std::string_view key) const;
  bool check_text(std::string_view key, std::string_view text);

  const boost::json::object& object_;
  std::string_view parent_;
  std::optional<std::size_t> index_;
  std::string reason_;
};

/// Reads the money and times that orders and lines share (their fee fields with currency
/// codes, creation_time and modification_time).
template <class Record> void read_fees_and_times(FieldReader& reader, Record& out) {
  out.actual_fee = reader.money("actual_fee", "actual_fee_currency_code");
  out.shipping_fee = reader.money("shipping_fee", "shipping_fee_currency_code");
  out.actual_shipping_fee =
      reader.money("actual_shipping_fee", "actual_shipping_fee_currency_code");
  out.creation_time = reader.time("creation_time");
  out.modification_time = reader.time("modification_time");
}

/// Why the record `reader` read cannot be stored, or nullopt: the first bad field, else an
/// empty status (orders and lines both need one).
inline std::optional<std::string> record_problem(FieldReader& reader, std::string_view status) {
  if (reader.ok() && status.empty())
    reader.fail("status", "empty");
  if (!reader.ok())
    return reader.reason();
  return std::nullopt;
}

} // namespace taosync::api

#include "api/lazada/answers.hpp"

#include "api/error_envelope.hpp"
#include "api/field_reader.hpp"
#include "api/json_document.hpp"
#include "api/lazada/time_text.hpp"
#include "api/raw_record.hpp"
#include "api/record_checks.hpp"
#include "api/take_record.hpp"
#include "model/endpoints.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace taosync::api::lazada {
namespace {

namespace json = boost::json;

// The flow an item goes through, in order.
constexpr std::array<std::string_view, 9> kFlow{"unpaid",   "pending", "topack",
                                                "packed",   "toship",  "ready_to_ship",
                                                "shipping", "shipped", "delivered"};
// Statuses of items that left the flow, in the order Lazada's documentation lists them.
constexpr std::array<std::string_view, 11> kEnded{"failed",
                                                  "failed_delivery",
                                                  "canceled",
                                                  "returned",
                                                  "lost",
                                                  "lost_by_3pl",
                                                  "damaged_by_3pl",
                                                  "shipped_back",
                                                  "shipped_back_success",
                                                  "shipped_back_failed",
                                                  "package_scrapped"};

template <std::size_t N>
std::size_t rank_in(const std::array<std::string_view, N>& list, std::string_view status) {
  return static_cast<std::size_t>(std::find(list.begin(), list.end(), status) - list.begin());
}

// A field sent as a string or as a JSON integer, as text; absent or null gives "".
std::string text_or_integer(FieldReader& reader, const json::object& record, std::string_view key) {
  const auto* v = record.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr || v->is_null() || v->is_string())
    return reader.string(key);
  if (v->is_int64() || v->is_uint64())
    return std::to_string(reader.integer(key));
  reader.fail(key, "expected a string or an integer");
  return {};
}

// "1,299.00" with thousands separators, as some answers write prices, without them; any other
// text as it is.
std::string without_thousands(std::string text) {
  if (text.find(',') == std::string::npos)
    return text;
  const std::size_t begin = !text.empty() && text[0] == '-' ? 1 : 0;
  const std::size_t end = std::min(text.find('.'), text.size());
  if (end - begin < 5 || (end - begin) % 4 == 0)
    return text; // "1,000" is the shortest grouping, and groups are 3 digits and a comma
  for (std::size_t i = begin; i < end; ++i)
    if ((text[i] == ',') != ((end - i) % 4 == 0))
      return text;
  std::erase(text, ',');
  return text;
}

// A decimal amount in `currency`, sent as a string ("99.00", "1,299.00") or a JSON number
// (0.00 in the documentation's own examples: written back as its shortest exact spelling).
Money amount(FieldReader& reader, const json::object& record, std::string_view key,
             std::string_view currency) {
  Money money;
  const auto* v = record.if_contains(json::string_view(key.data(), key.size()));
  if (v != nullptr && v->is_double()) {
    std::array<char, 32> digits{};
    const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(),
                                         v->get_double(), std::chars_format::fixed);
    money.amount = ec == std::errc() ? std::string(digits.data(), end) : std::string("x");
  } else {
    money.amount = without_thousands(text_or_integer(reader, record, key));
  }
  if (money.amount.empty())
    return money;
  money.currency_code = std::string(currency);
  if (money.amount.size() > kMaxAmountBytes || !model::is_decimal(money.amount))
    reader.fail(key, "not a decimal number");
  return money;
}

// A time in either of Lazada's spellings; absent gives the epoch (or a failure when required).
TimePoint time_field(FieldReader& reader, std::string_view key, Presence presence) {
  const auto text = reader.optional_string(key);
  if (!text || text->empty()) {
    if (presence == Presence::required)
      reader.fail(key, "missing");
    return {};
  }
  const auto t = parse_time(*text);
  if (!t) {
    reader.fail(key, "not a time (\"" + text->substr(0, 40) + "\")");
    return {};
  }
  return *t;
}

std::string joined(std::initializer_list<std::string> parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty())
      continue;
    if (!out.empty())
      out += separator;
    out += part;
  }
  return out;
}

void read_address(FieldReader& reader, DeliveryInfo& out) {
  const json::object* address = reader.object("address_shipping");
  if (address == nullptr)
    return;
  FieldReader nested(*address, "address_shipping");
  out.receiver_name = joined({nested.string("first_name"), nested.string("last_name")}, " ");
  out.receiver_phone = nested.string("phone");
  out.detail_address =
      joined({nested.string("address1"), nested.string("address2"), nested.string("address3"),
              nested.string("address4"), nested.string("address5")},
             ", ");
  out.city = nested.string("city");
  out.country_code = nested.string("country");
  out.area = text_or_integer(nested, *address, "post_code");
  reader.merge(nested);
}

std::vector<std::string> read_statuses(FieldReader& reader) {
  std::vector<std::string> out;
  const json::array* list = reader.array("statuses");
  if (list == nullptr) {
    reader.fail("statuses", "missing");
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json::string* s = (*list)[i].if_string();
    if (s == nullptr || s->empty() || s->size() > kMaxFieldBytes) {
      reader.fail("statuses[" + std::to_string(i) + "]", "expected a non-empty string");
      return {};
    }
    out.emplace_back(s->data(), s->size());
  }
  return out;
}

std::optional<std::string> read_order(const json::object& record, Order& out,
                                      std::string_view currency) {
  FieldReader reader(record);
  out.trade_order_id = reader.id_or_number("order_id");
  out.buyer_full_name =
      joined({reader.string("customer_first_name"), reader.string("customer_last_name")}, " ");
  out.status = order_status(read_statuses(reader));
  out.payment_channel = reader.string("payment_method");
  out.actual_fee = amount(reader, record, "price", currency);
  out.actual_shipping_fee = amount(reader, record, "shipping_fee", currency);
  out.shipping_fee = record.contains("shipping_fee_original")
                         ? amount(reader, record, "shipping_fee_original", currency)
                         : out.actual_shipping_fee;
  out.creation_time = time_field(reader, "created_at", Presence::required);
  out.modification_time = time_field(reader, "updated_at", Presence::required);
  read_address(reader, out.delivery);
  if (record.contains("items_count")) {
    out.line_count = reader.integer_or_text("items_count", Presence::required);
    if (reader.ok() && *out.line_count < 0)
      reader.fail("items_count", "negative (" + std::to_string(*out.line_count) + ")");
  }
  return record_problem(reader, out.status);
}

std::optional<std::string> read_item(const json::object& record, OrderLine& out,
                                     std::string_view currency) {
  FieldReader reader(record);
  out.trade_order_line_id = reader.id_or_number("order_item_id");
  out.trade_order_id = reader.id_or_number("order_id");
  out.product_id = text_or_integer(reader, record, "product_id");
  out.sku_id = text_or_integer(reader, record, "sku_id");
  out.package_id = text_or_integer(reader, record, "package_id");
  out.product_title = reader.string("name");
  out.product_main_image = reader.string("product_main_image");
  out.product_detail_url = reader.string("product_detail_url");
  out.status = reader.string("status", Presence::required);
  out.quantity = 1; // Lazada lists each unit sold as its own item
  out.unit_fee = amount(reader, record, "item_price", currency);
  out.actual_fee = amount(reader, record, "paid_price", currency);
  out.shipping_fee = amount(reader, record, "shipping_amount", currency);
  out.actual_shipping_fee = out.shipping_fee;
  out.creation_time = time_field(reader, "created_at", Presence::required);
  out.modification_time = time_field(reader, "updated_at", Presence::required);
  const auto tracking = reader.string("tracking_code");
  if (!tracking.empty())
    out.shipments.push_back(Shipment{1, tracking, reader.optional_string("shipment_provider")});
  return record_problem(reader, out.status);
}

// The body's `data` object, or the error of its envelope.
std::optional<ApiError> open_data(std::string_view endpoint, const JsonDocument& doc,
                                  const json::value*& data) {
  if (!doc.ok())
    return malformed_body(endpoint, doc.error());
  if (auto error = envelope_error(endpoint, doc.root()))
    return error;
  data = doc.root().get_object().if_contains("data");
  if (data == nullptr || data->is_null())
    return malformed_body(endpoint, "no data");
  return std::nullopt;
}

} // namespace

std::string order_status(std::vector<std::string> statuses) {
  std::sort(statuses.begin(), statuses.end());
  statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
  if (statuses.size() <= 1)
    return statuses.empty() ? std::string() : statuses.front();
  const auto ended = [](const std::string& s) { return rank_in(kEnded, s) < kEnded.size(); };
  std::vector<std::string> live;
  std::copy_if(statuses.begin(), statuses.end(), std::back_inserter(live),
               [&](const std::string& s) { return !ended(s); });
  if (live.empty()) {
    return *std::min_element(statuses.begin(), statuses.end(),
                             [](const std::string& a, const std::string& b) {
                               return rank_in(kEnded, a) < rank_in(kEnded, b);
                             });
  }
  // Sorted by byte order already: the stable sort by flow rank keeps it among unknown ones.
  std::stable_sort(live.begin(), live.end(), [](const std::string& a, const std::string& b) {
    return rank_in(kFlow, a) < rank_in(kFlow, b);
  });
  return live.front();
}

Outcome<Page<Order>> parse_orders_page(std::string_view body, std::string_view currency) {
  body = without_bom(body);
  const JsonDocument doc(body);
  const json::value* data = nullptr;
  if (auto error = open_data(model::kOrdersPath, doc, data))
    return *error;
  const json::object* object = data->if_object();
  if (object == nullptr)
    return malformed_body(model::kOrdersPath, "data is not an object");
  FieldReader meta(*object, "data");
  Page<Order> page;
  const bool has_total = object->contains("countTotal");
  const std::int64_t count =
      meta.integer_or_text("count", has_total ? Presence::optional : Presence::required);
  page.total_count = has_total ? meta.integer_or_text("countTotal", Presence::required) : count;
  const json::array* list = meta.array("orders");
  if (!meta.ok())
    return malformed_body(model::kOrdersPath, meta.reason());
  const auto held = static_cast<std::int64_t>(list == nullptr ? 0 : list->size());
  if (has_total && object->contains("count") && count != page.total_count && count != held)
    page.problem = "data.count " + std::to_string(count) + " is neither data.countTotal " +
                   std::to_string(page.total_count) + " nor the " + std::to_string(held) +
                   " order(s) the page holds";
  if (list == nullptr && page.total_count > 0 && page.problem.empty())
    page.problem = "the answer counts " + std::to_string(page.total_count) +
                   " order(s) but has no data.orders";
  if (list != nullptr && page.problem.empty()) {
    page.items.reserve(list->size());
    const auto read = [currency](const json::object& o, Order& out) {
      return read_order(o, out, currency);
    };
    for (const auto& record : *list)
      take_record(model::kOrdersPath, "order_id", record, std::nullopt, read, page);
  }
  return page;
}

Outcome<Page<OrderLine>> parse_items_page(std::string_view body, std::string_view currency) {
  body = without_bom(body);
  const JsonDocument doc(body);
  const json::value* data = nullptr;
  if (auto error = open_data(kItemsPath, doc, data))
    return *error;
  const json::array* orders = data->if_array();
  if (orders == nullptr)
    return malformed_body(kItemsPath, "data is not a list of orders");
  Page<OrderLine> page;
  const auto read = [currency](const json::object& o, OrderLine& out) {
    return read_item(o, out, currency);
  };
  for (std::size_t i = 0; i < orders->size(); ++i) {
    const json::object* order = (*orders)[i].if_object();
    const json::value* items = order == nullptr ? nullptr : order->if_contains("order_items");
    if (items == nullptr || !items->is_array())
      return malformed_body(kItemsPath, "data[" + std::to_string(i) +
                                            "] is not an order with a list of order_items");
    for (const auto& record : items->get_array())
      take_record(kItemsPath, "order_item_id", record, std::nullopt, read, page);
  }
  page.total_count = static_cast<std::int64_t>(page.items.size() + page.rejected.size());
  return page;
}

Outcome<OrderDetail> parse_order(std::string_view body, std::string_view currency) {
  body = without_bom(body);
  const JsonDocument doc(body);
  const json::value* data = nullptr;
  if (auto error = open_data(model::kOrderPath, doc, data)) {
    if (doc.ok() && !envelope_error(model::kOrderPath, doc.root()))
      return ApiError{ErrorKind::fatal,
                      "order_not_found",
                      std::string(model::kOrderPath) + ": the response has no data",
                      {},
                      {}};
    return *error;
  }
  Page<Order> one;
  const auto read = [currency](const json::object& o, Order& out) {
    return read_order(o, out, currency);
  };
  take_record(model::kOrderPath, "order_id", *data, std::nullopt, read, one);
  OrderDetail detail;
  if (!one.items.empty())
    detail.order = std::move(one.items.front());
  detail.rejected = std::move(one.rejected);
  return detail;
}

} // namespace taosync::api::lazada

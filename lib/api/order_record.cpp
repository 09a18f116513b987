#include "api/order_record.hpp"

#include "api/field_reader.hpp"

namespace taosync::api {
namespace {

namespace json = boost::json;

void read_delivery(FieldReader& reader, DeliveryInfo& out) {
  const json::object* delivery = reader.object("delivery_info");
  if (delivery == nullptr)
    return;
  FieldReader nested(*delivery, "delivery_info");
  out.area = nested.string("area");
  out.country_code = nested.string("country_code");
  out.city = nested.string("city");
  out.detail_address = nested.string("detail_address");
  out.receiver_name = nested.string("receiver_name");
  out.state = nested.string("state");
  out.receiver_phone = nested.string("receiver_phone");
  reader.merge(nested);
}

void read_line_ids(FieldReader& reader, std::vector<std::string>& out) {
  const json::array* ids = reader.array("trade_order_line_id_list");
  if (ids == nullptr)
    return;
  out.reserve(ids->size());
  for (std::size_t i = 0; i < ids->size(); ++i) {
    const auto key = [i] { return "trade_order_line_id_list[" + std::to_string(i) + "]"; };
    const json::string* id = (*ids)[i].if_string();
    if (id == nullptr) {
      reader.fail(key(), "expected a string");
      return;
    }
    const std::string_view bare = unquote_id({id->data(), id->size()});
    if (bare.empty() || bare.size() > kMaxIdBytes) {
      reader.fail(key(), bare.empty() ? "empty id" : "id too long");
      return;
    }
    out.emplace_back(bare);
  }
}

} // namespace

std::string_view unquote_id(std::string_view id) {
  if (id.size() >= 2 && id.front() == '"' && id.back() == '"')
    return id.substr(1, id.size() - 2);
  return id;
}

std::optional<std::string> read_order(const json::object& record, Order& out) {
  FieldReader reader(record);
  out.trade_order_id = reader.id("trade_order_id");
  out.buyer_id = reader.string("buyer_id");
  out.buyer_full_name = reader.string("buyer_full_name");
  out.seller_id = reader.string("seller_id");
  out.seller_full_name = reader.string("seller_full_name");
  out.status = reader.string("status", Presence::required);
  out.payment_channel = reader.string("payment_channel");
  read_fees_and_times(reader, out);
  read_delivery(reader, out.delivery);
  read_line_ids(reader, out.line_ids);
  return record_problem(reader, out.status);
}

} // namespace taosync::api

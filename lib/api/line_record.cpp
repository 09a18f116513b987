#include "api/line_record.hpp"

#include "api/field_reader.hpp"
#include "api/json_document.hpp"

#include <string_view>
#include <vector>

namespace taosync::api {
namespace {

namespace json = boost::json;

void read_shipments(FieldReader& reader, std::vector<Shipment>& out) {
  const json::array* list = reader.array("shipment_list");
  if (list == nullptr)
    return;
  out.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json::object* entry = (*list)[i].if_object();
    if (entry == nullptr) {
      reader.fail("shipment_list[" + std::to_string(i) + "]", "expected an object");
      return;
    }
    FieldReader nested(*entry, "shipment_list", i);
    Shipment shipment;
    shipment.order_no = nested.integer("order_no", Presence::required);
    shipment.tracking_number = nested.optional_string("tracking_number");
    shipment.logistics_id = nested.optional_string("logistics_id");
    reader.merge(nested);
    if (!reader.ok())
      return;
    out.push_back(std::move(shipment));
  }
}

// `sku_info`: the API sends a line's SKU properties as a JSON array encoded in a string,
// `[{"valueId":-1,"valueText":"黑色","propertyName":"色系","propertyId":226649326},...]`.
// An empty string means no properties. Returns the problem when it is malformed.
std::optional<std::string> decode_sku_info(std::string_view encoded,
                                           std::vector<SkuProperty>& out) {
  out.clear();
  if (encoded.empty())
    return std::nullopt;
  const JsonDocument doc(encoded);
  if (!doc.ok())
    return "not valid JSON (" + doc.error() + ")";
  const auto* array = doc.root().if_array();
  if (array == nullptr)
    return std::string("not a JSON array");
  out.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto* object = (*array)[i].if_object();
    if (object == nullptr)
      return "[" + std::to_string(i) + "]: not an object";
    FieldReader reader(*object, {}, i);
    SkuProperty property;
    property.property_id = reader.integer("propertyId", Presence::required);
    property.property_name = reader.string("propertyName");
    property.value_id = reader.integer("valueId");
    property.value_text = reader.string("valueText");
    if (!reader.ok())
      return reader.reason();
    out.push_back(std::move(property));
  }
  return std::nullopt;
}

void read_sku(FieldReader& reader, OrderLine& out) {
  out.sku_info = reader.string("sku_info");
  if (!reader.ok())
    return;
  if (auto problem = decode_sku_info(out.sku_info, out.sku_properties))
    reader.fail("sku_info", *problem);
}

} // namespace

std::optional<std::string> read_line(const json::object& record, OrderLine& out) {
  FieldReader reader(record);
  out.trade_order_line_id = reader.id("trade_order_line_id");
  out.trade_order_id = reader.id("trade_order_id");
  out.product_id = reader.string("product_id");
  out.sku_id = reader.string("sku_id");
  out.package_id = reader.string("package_id");
  out.product_title = reader.string("product_title");
  out.product_main_image = reader.string("product_main_image");
  out.product_detail_url = reader.string("product_detail_url");
  out.buyer_full_name = reader.string("buyer_full_name");
  out.status = reader.string("status", Presence::required);
  out.quantity = reader.integer("quantity", Presence::required);
  out.unit_fee = reader.money("unit_fee", "unit_fee_currency_code");
  read_fees_and_times(reader, out);
  read_shipments(reader, out.shipments);
  read_sku(reader, out);
  return record_problem(reader, out.status);
}

} // namespace taosync::api

#include "api/sku_info.hpp"

#include "api/field_reader.hpp"
#include "api/json_document.hpp"

namespace taosync::api {

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

} // namespace taosync::api

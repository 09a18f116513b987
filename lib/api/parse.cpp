#include "api/parse.hpp"

#include "api/error_envelope.hpp"
#include "api/field_reader.hpp"
#include "api/json_document.hpp"
#include "api/line_record.hpp"
#include "api/order_record.hpp"
#include "api/raw_record.hpp"
#include "api/record_checks.hpp"
#include "api/record_spans.hpp"
#include "api/string_flaws.hpp"
#include "api/take_record.hpp"
#include "api/token_lifetime.hpp"
#include "model/endpoints.hpp"
#include "model/rejected_id.hpp"

namespace taosync::api {
namespace {

namespace json = boost::json;

/// A body parsed as JSON, mended first if some of its strings hold text no parser decodes
/// (string_flaws.hpp): then `text` is the mended body, byte for byte as long as the body.
struct ParsedBody {
  explicit ParsedBody(std::string_view body) : text(body) {
    doc.emplace(body);
    if (doc->ok() || !(mended = mend_string_flaws(body)))
      return;
    doc.reset(); // gives the thread's arena back for the second parse
    doc.emplace(mended->text);
    text = mended->text;
  }

  /// Why the record at [begin, end) of the body did not decode, or nullopt.
  std::optional<std::string> flaw(std::size_t begin, std::size_t end) const {
    const StringFlaw* f = mended ? flaw_within(mended->flaws, begin, end) : nullptr;
    if (f == nullptr)
      return std::nullopt;
    return "record contains " + f->problem + " at byte " + std::to_string(f->at - begin) +
           ": text that decodes to no character";
  }

  std::optional<JsonDocument> doc;
  std::optional<MendedBody> mended;
  std::string_view text;
};

// Parses the body, returns the error of its envelope or its `result` object.
std::optional<ApiError> open_result(std::string_view endpoint, const JsonDocument& doc,
                                    const json::object*& result) {
  if (!doc.ok())
    return malformed_body(endpoint, doc.error());
  if (auto error = envelope_error(endpoint, doc.root()))
    return error;
  const auto* v = doc.root().get_object().if_contains("result");
  result = v == nullptr ? nullptr : v->if_object();
  if (result == nullptr)
    return malformed_body(endpoint, "no result object");
  return std::nullopt;
}

// `success: false` in the result (as /order/get carries `success: true`) or at the top level.
bool says_unsuccessful(const json::value& root, const json::object& result) {
  for (const json::object* o : {&result, root.if_object()}) {
    if (o == nullptr)
      continue;
    if (const auto* v = o->if_contains("success"); v != nullptr && v->is_bool() && !v->get_bool())
      return true;
  }
  return false;
}

// A flaw outside every record spoils the envelope itself: the page cannot be read.
std::optional<ApiError> unplaced_flaw(std::string_view endpoint, const ParsedBody& parsed,
                                      const std::optional<std::vector<std::string_view>>& spans) {
  if (!parsed.mended)
    return std::nullopt;
  for (const auto& flaw : parsed.mended->flaws) {
    bool placed = false;
    for (std::size_t i = 0; spans && i < spans->size() && !placed; ++i) {
      const auto begin = static_cast<std::size_t>((*spans)[i].data() - parsed.text.data());
      placed = flaw.at >= begin && flaw.at < begin + (*spans)[i].size();
    }
    if (!placed)
      return malformed_body(endpoint, "the body holds " + flaw.problem + " at byte " +
                                          std::to_string(flaw.at) + ", outside any record");
  }
  return std::nullopt;
}

template <class T, class Reader>
Outcome<Page<T>> parse_list_page(std::string_view endpoint, std::string_view id_key,
                                 std::string_view body, Reader read) {
  body = without_bom(body);
  const ParsedBody parsed(body);
  const JsonDocument& doc = *parsed.doc;
  const json::object* result = nullptr;
  if (auto error = open_result(endpoint, doc, result))
    return *error;
  FieldReader meta(*result, "result");
  Page<T> page;
  page.total_count = meta.integer("total_count");
  page.page_no = meta.integer("page_no");
  page.page_size = meta.integer("page_size");
  const json::array* list = meta.array("model_list");
  if (!meta.ok())
    return malformed_body(endpoint, meta.reason());
  if (says_unsuccessful(doc.root(), *result))
    page.problem = "the answer says success: false";
  else if (list == nullptr)
    page.problem = "the success envelope has no result.model_list";
  if (list != nullptr && page.problem.empty()) {
    page.items.reserve(list->size());
    // Each record's bytes as received; if the scan disagrees with the parser, serialize.
    auto spans = model_list_spans(parsed.text);
    if (spans && spans->size() != list->size())
      spans.reset();
    if (auto error = unplaced_flaw(endpoint, parsed, spans))
      return *error;
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (!spans) {
        take_record(endpoint, id_key, (*list)[i], std::nullopt, read, page);
        continue;
      }
      const auto begin = static_cast<std::size_t>((*spans)[i].data() - parsed.text.data());
      const auto end = begin + (*spans)[i].size();
      take_record(endpoint, id_key, (*list)[i], body.substr(begin, end - begin), read, page,
                  parsed.flaw(begin, end));
    }
  }
  return page;
}

// The embedded lines of /order/get; the order's line_ids follow them.
void take_embedded_lines(const json::array& list, OrderDetail& detail) {
  Page<OrderLine> lines;
  lines.items.reserve(list.size());
  for (const auto& record : list)
    take_record(model::kOrderPath, "trade_order_line_id", record, std::nullopt, read_line, lines);
  for (const auto& line : lines.items)
    detail.order.line_ids.push_back(line.trade_order_line_id);
  // A line rejected under a hashed id has no id the platform could be asked for again.
  for (const auto& rejected : lines.rejected)
    if (!rejected.record_id.empty() && !model::is_hashed_id(rejected.record_id))
      detail.order.line_ids.push_back(rejected.record_id);
  detail.lines = std::move(lines.items);
  detail.rejected = std::move(lines.rejected);
}

// The order's raw JSON without its embedded lines, which are kept with each line.
std::string order_raw_without_lines(const json::object& module) {
  json::object head(module.storage());
  head.reserve(module.size());
  for (const auto& field : module)
    if (field.key() != "trade_order_line_list")
      head.emplace(field.key(), field.value());
  return raw_json_of(head);
}

std::optional<std::string_view> token_field(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr || !v->is_string() || v->get_string().empty())
    return std::nullopt;
  return std::string_view(v->get_string().data(), v->get_string().size());
}

} // namespace

Outcome<Page<Order>> parse_orders_page(std::string_view body) {
  return parse_list_page<Order>(model::kOrdersPath, "trade_order_id", body, read_order);
}

Outcome<Page<OrderLine>> parse_lines_page(std::string_view body) {
  return parse_list_page<OrderLine>(model::kLinesPath, "trade_order_line_id", body, read_line);
}

Outcome<OrderDetail> parse_order_detail(std::string_view body) {
  body = without_bom(body);
  const ParsedBody parsed(body);
  const JsonDocument& doc = *parsed.doc;
  const json::object* result = nullptr;
  if (auto error = open_result(model::kOrderPath, doc, result))
    return *error;
  if (says_unsuccessful(doc.root(), *result))
    return malformed_body(model::kOrderPath, "the answer says success: false");
  const auto* module_value = result->if_contains("module");
  if (module_value == nullptr || module_value->is_null())
    return ApiError{ErrorKind::fatal,
                    "order_not_found",
                    std::string(model::kOrderPath) + ": the response has no module",
                    {},
                    {}};
  OrderDetail detail;
  const json::object* module = module_value->if_object();
  if (module == nullptr) {
    detail.rejected.push_back(make_rejected(model::kOrderPath, *module_value, "trade_order_id",
                                            "module is not an object"));
    return detail;
  }
  FieldReader reader(*module);
  const json::array* lines = reader.array("trade_order_line_list");
  // The module is one record: text that did not decode anywhere in the body spoils it, and
  // so does any repeated key.
  std::optional<std::string> problem = parsed.flaw(0, body.size());
  if (!problem)
    problem = reader.ok() ? read_order(*module, detail.order)
                          : std::optional<std::string>(reader.reason());
  if (!problem && has_duplicate_keys(parsed.text, doc.root()))
    problem = "record is ambiguous: a key appears more than once";
  std::string raw = problem ? std::string() : order_raw_without_lines(*module);
  if (!problem)
    if (const auto at = model::invalid_utf8_at(raw))
      problem = "record contains invalid UTF-8 at byte " + std::to_string(*at);
  if (!problem && has_escaped_nul(raw))
    problem = "record contains a NUL character";
  if (!problem)
    problem = stored_number_problem(raw); // as serialized: "Infinity" or "1e99999"
  if (problem) {
    detail.order = Order{};
    // A body that did not decode is kept as it came: the mended parse no longer shows why.
    detail.rejected.push_back(
        make_rejected(model::kOrderPath, *module_value, "trade_order_id", std::move(*problem),
                      parsed.mended ? std::optional<std::string_view>(body) : std::nullopt));
    return detail;
  }
  detail.order.raw_json = std::move(raw);
  detail.order.line_ids.clear();
  if (lines != nullptr)
    take_embedded_lines(*lines, detail);
  return detail;
}

Outcome<TokenRefresh> parse_token_refresh(std::string_view body, std::chrono::sys_seconds now) {
  body = without_bom(body);
  const JsonDocument doc(body);
  if (!doc.ok())
    return malformed_body(model::kRefreshPath, doc.error());
  if (auto error = envelope_error(model::kRefreshPath, doc.root()))
    return *error;
  const json::object* object = &doc.root().get_object();
  for (const char* nested : {"result", "data"})
    if (const auto* v = object->if_contains(nested); v != nullptr && v->is_object())
      object = &v->get_object();
  const auto access = token_field(*object, "access_token");
  const auto refresh = token_field(*object, "refresh_token");
  if (!access)
    return malformed_body(model::kRefreshPath, "no access_token");
  // Tokens without a believable expiry are not taken: the refresh is asked again.
  auto access_life = read_token_lifetime(*object, "expires_in");
  if (!access_life.ok())
    return access_life.error();
  auto refresh_life = read_token_lifetime(*object, "refresh_expires_in");
  if (!refresh_life.ok())
    return refresh_life.error();
  TokenRefresh answer;
  answer.tokens.access_token = std::string(*access);
  answer.tokens.refresh_token = refresh ? std::string(*refresh) : std::string();
  answer.tokens.access_expires_at = now + access_life.value().value;
  answer.tokens.refresh_expires_at = now + refresh_life.value().value;
  for (auto* life : {&access_life.value(), &refresh_life.value()})
    if (!life->warning.empty())
      answer.warnings.push_back(std::move(life->warning));
  return answer;
}

std::optional<ApiError> parse_error(std::string_view endpoint, std::string_view body) {
  body = without_bom(body);
  const JsonDocument doc(body);
  if (!doc.ok())
    return malformed_body(endpoint, doc.error());
  return envelope_error(endpoint, doc.root());
}

} // namespace taosync::api

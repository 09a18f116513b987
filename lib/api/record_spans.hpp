#pragma once
// The exact bytes of each record of a list response, so a record's raw JSON is kept as it
// arrived without serializing it again (that cost a fifth of the parsing time).

#include <optional>
#include <string_view>
#include <vector>

namespace taosync::api {

/// The text of each element of `result.model_list` in a valid JSON body, in order; nullopt
/// when the body has no such array. Assumes `body` already parsed as valid JSON.
std::optional<std::vector<std::string_view>> model_list_spans(std::string_view body);

} // namespace taosync::api

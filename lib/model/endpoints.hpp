#pragma once
// The platform's API paths, as they appear after the gateway URL, in the signature and in
// taosync.rejected_records.endpoint.

#include <string_view>

namespace taosync::model {

inline constexpr std::string_view kOrdersPath = "/orders/get";          ///< list orders
inline constexpr std::string_view kLinesPath = "/order/items/get";      ///< lines by id
inline constexpr std::string_view kOrderPath = "/order/get";            ///< one order + lines
inline constexpr std::string_view kRefreshPath = "/auth/token/refresh"; ///< new tokens

} // namespace taosync::model

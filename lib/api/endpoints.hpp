#pragma once
// API paths, as they appear after the gateway URL and in the signature.

#include <string_view>

namespace taosync::api {

inline constexpr std::string_view kOrdersPath = "/orders/get";          ///< list orders
inline constexpr std::string_view kLinesPath = "/order/items/get";      ///< lines by id
inline constexpr std::string_view kOrderPath = "/order/get";            ///< one order + lines
inline constexpr std::string_view kRefreshPath = "/auth/token/refresh"; ///< new tokens

} // namespace taosync::api

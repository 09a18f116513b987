#pragma once
// The domain records under the names the API layer uses: the client fills model values, and
// its code names them without the model:: prefix.

#include "model/calls.hpp"
#include "model/records.hpp"
#include "model/tokens.hpp"

namespace taosync::api {

using model::CallCounters;
using model::DeliveryInfo;
using model::Money;
using model::Order;
using model::OrderDetail;
using model::OrderLine;
using model::OrdersQuery;
using model::Page;
using model::RejectedRecord;
using model::Shipment;
using model::SkuProperty;
using model::TimePoint;
using model::Tokens;

} // namespace taosync::api

#pragma once
// The SQL of a fresh batch write (store/fresh_write.hpp): a batch none of whose orders and
// lines are stored yet, which is every batch of a first init. Its rows are COPYed straight
// into the real tables; the statement here decides whether a batch is. Its feed rows are
// published by change_sql.hpp's kPublishNew. $1 is the shop.

#include <string_view>

namespace taosync::store::sql {

/// Whether any of the order ids $2 (an array literal) is stored for the shop: one primary-key
/// probe per id, written as batch_sql.hpp says (OFFSET 0, the shop as `(SELECT $1::text)`).
/// Lines are not probed: a line is only ever stored with its order, and one stored under
/// another order fails the fresh write's COPY, which is then compared instead.
constexpr std::string_view kAnyStored = R"sql(
SELECT EXISTS (SELECT 1 FROM unnest($2::text[]) AS k(id)
               WHERE EXISTS (SELECT 1 FROM taosync.orders
                             WHERE shop = (SELECT $1::text) AND trade_order_id = k.id
                             OFFSET 0))
)sql";

} // namespace taosync::store::sql

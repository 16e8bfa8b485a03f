// SPDX-License-Identifier: MIT
#pragma once
// A row sink takes the values of one row, column after column, in the order a statement lists the
// columns. The stores write their rows through one: SQLite binds a prepared statement's parameters
// (sqlite::StmtRow), PostgreSQL fills one array parameter a column for unnest() (pg::ArrayColumns).
// So the columns of a span, a trace summary and a rollup row are spelt once (spanrow.h,
// tracedelta.h, rolluprows.h), for both stores.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace agentops::store {

template<class R>
concept RowSink = requires(R &row, std::int64_t i, std::optional<std::int64_t> oi, double d, std::optional<double> od,
    std::string_view s, const void *p, std::size_t n)
{
    row.null();
    row.i64(i);
    row.optI64(oi); ///< NULL when not set
    row.dbl(d);
    row.optDbl(od); ///< NULL when not set
    row.text(s); ///< the text, also when empty
    row.textOrNull(s); ///< NULL when empty
    row.bytes(p, n);
};

} // namespace agentops::store

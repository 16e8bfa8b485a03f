// SPDX-License-Identifier: MIT
#pragma once
// SqliteStore's pooled read-only connection, shared by the store's translation units.

#include "core/span.h"
#include "store/sqlitestore.h"
#include "store/sqliteutil.h"
#include "store/tracelistsql.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace agentops::store {

/// Binds a trace list's parameters (TraceListSql::params) to `s`, the first to parameter `first`.
void bindTraceListParams(sqlite::Stmt &s, const std::vector<TraceListSql::Param> &params, int first = 1);

/// A read-only connection with its own caches.
class SqliteStore::Reader
{
public:
    Reader(const std::string &path, const Options &options);
    ~Reader();
    Reader(const Reader &) = delete;
    Reader &operator=(const Reader &) = delete;
    sqlite3 *db;
    std::unordered_map<std::int64_t, core::Attributes> resourceCache;
    std::uint64_t generation = 0; ///< SqliteStore::m_readerGeneration when it was opened
};

} // namespace agentops::store

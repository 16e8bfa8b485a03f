// SPDX-License-Identifier: MIT
#pragma once
// Trace ids in the SQLite store (schema 11). Trace ids are random, so a unique index on them took
// each new trace to a page of its own: past a few hundred thousand traces every commit wrote about
// one 16 KiB index page per new trace, through the WAL and again through a checkpoint. The index is
// keyed by (stretch of kTraceIdStretch traces in arrival order, trace id) instead, so new traces
// touch only the newest stretch's few pages. Nothing in SQLite keeps a trace id unique any more:
// the writer does, by asking TraceIdFilter before it inserts a summary and, when the filter says
// "maybe", looking the id up stretch by stretch (traceRowidSql), newest first.

#include "core/span.h"

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace agentops::store::sqlite {

/// Traces in a stretch of the trace-id index (row ids divided by it). The schema's index
/// expression spells the same number.
inline constexpr int kTraceIdStretch = 4096;

/// An SQL scalar subquery: the row id of the trace whose id is bound to parameter ?param, or NULL.
/// One probe of the trace-id index per stretch, newest first, from the newest row's stretch to the
/// oldest's.
std::string traceRowidSql(int param);

/// The ids of the traces a database holds, as a Bloom filter: "no" is certain, "maybe" is wrong
/// at most about one time in 2,000 (16 to 32 bits an id when full: the bits are a power of two).
/// Made from the trace-id index with room for twice the ids there, it grows (made again) as ids
/// are added past its capacity.
class TraceIdFilter
{
public:
    /// Whether it was made (build) and is still true to the database.
    bool ready() const { return m_ready; }
    /// Forgets all: another connection may have added traces.
    void invalidate() { m_ready = false; }
    /// Made from every trace id in the database of db, with room for twice as many.
    void build(sqlite3 *db);
    bool mayContain(const core::TraceId &id) const;
    /// Adds an id; when past capacity, made again from db (which holds the id by then).
    void add(const core::TraceId &id, sqlite3 *db);
    std::size_t bytes() const { return m_bits.size() * sizeof(std::uint64_t); }

private:
    void size(std::size_t capacity);
    void set(const core::TraceId &id);

    std::vector<std::uint64_t> m_bits;
    std::uint64_t m_mask = 0; ///< bit count - 1 (a power of two)
    std::size_t m_count = 0;
    std::size_t m_capacity = 0;
    bool m_ready = false;
};

} // namespace agentops::store::sqlite

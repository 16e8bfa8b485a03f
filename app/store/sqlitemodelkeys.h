// SPDX-License-Identifier: MIT
#pragma once
// The sort keys each trace_models row carries (SQLite schema 12, sqlitelistplan.cpp): the writer
// copies its trace's duration, cost and tokens into the rows of the trace's models whenever a
// statement changes them (a later batch's spans, repricing). Triggers on traces did the same at
// four times the cost a changed summary adds (a trigger program per statement; docs/benchmarks.md).
#include "store/sqliteutil.h"
#include "store/tracedelta.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace agentops::store::sqlite {

class ModelKeys
{
public:
    explicit ModelKeys(sqlite3 *db)
        : m_read(db, "SELECT models, duration_ns, cost_usd, tok_total FROM traces WHERE id = ?1")
        , m_readById(db, "SELECT models, duration_ns, cost_usd, tok_total, id FROM traces WHERE trace_id = ?1")
        , m_write(db,
              "UPDATE trace_models SET duration_ns = ?3, cost_usd = ?4, tok_total = ?5 WHERE model = ?1 AND "
              "trace_rowid = ?2 AND (duration_ns <> ?3 OR cost_usd <> ?4 OR tok_total <> ?5)")
    { }

    /// After the summary of trace `rowid` changed.
    void follow(std::int64_t rowid)
    {
        ResetGuard g { m_read };
        m_read.bind(1, rowid);
        if (m_read.step())
            write(m_read, rowid);
    }

    /// After the summary of the trace of this id changed.
    void followTraceId(const void *id, std::size_t size)
    {
        ResetGuard g { m_readById };
        m_readById.bindBlob(1, id, size);
        if (m_readById.step())
            write(m_readById, m_readById.i64(4));
    }

private:
    void write(Stmt &summary, std::int64_t rowid)
    {
        m_models = summary.text(0);
        forEachSetItem(m_models, [&](std::string_view model) {
            ResetGuard g { m_write };
            m_write.bindTextStatic(1, model);
            m_write.bind(2, rowid);
            m_write.bind(3, summary.i64(1));
            m_write.bind(4, summary.dbl(2));
            m_write.bind(5, summary.i64(3));
            m_write.step();
        });
    }

    Stmt m_read, m_readById, m_write;
    std::string m_models;
};

} // namespace agentops::store::sqlite

// SPDX-License-Identifier: MIT
#pragma once
// The store a backend-independent test suite runs against: SqliteStore files in a temporary
// directory, or (built with AGENTOPS_TEST_POSTGRES) PostgresStore schemas in a throwaway PostgreSQL
// server the test process starts itself (pgserver.h). Header-only.

#include "store/sqlitestore.h"

#include <sqlite3.h>

#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <string>

#ifdef AGENTOPS_TEST_POSTGRES
#include "store/postgresstore.h"
#include "support/pgserver.h"

#include <pqxx/pqxx>
#endif

namespace agentops::test {

/// Opens fresh stores and reads their tables with plain SQL (the same SQL works on both backends).
class StoreBackend
{
public:
#ifdef AGENTOPS_TEST_POSTGRES
    static constexpr const char *kName = "postgres";
    /// The one server of this test process, started on first use.
    static PgServer &server()
    {
        static PgServer s;
        return s;
    }
    /// A fresh store in a schema of its own.
    std::unique_ptr<store::TraceStore> open()
    {
        m_schema = "test_" + std::to_string(++m_seq);
        return reopen();
    }
    /// Another store over the data of the last one opened. As a role that is no superuser and owns
    /// its schemas, as a server's role does: the tables' row-level security binds it. It is a member
    /// of the search role, as docs/deployment.md sets a server's role up, so content search reads
    /// its trigram indexes.
    std::unique_ptr<store::TraceStore> reopen()
    {
        static const std::string asRole = [] {
            std::string conninfo = server().conninfoAs("agentops_store");
            server().grantSearchRole("agentops_store");
            return conninfo;
        }();
        store::PostgresStore::Options o;
        o.schema = m_schema;
        return std::make_unique<store::PostgresStore>(asRole, o);
    }
    /// A fresh store whose clock (PostgresStore::Options::clock) is `clock`: the day it stores new
    /// traces under, and partitions by.
    std::unique_ptr<store::PostgresStore> openWithClock(std::function<std::int64_t()> clock)
    {
        m_schema = "test_" + std::to_string(++m_seq);
        reopen(); // the role, and the schema as of today
        store::PostgresStore::Options o;
        o.schema = m_schema;
        o.clock = std::move(clock);
        return std::make_unique<store::PostgresStore>(server().conninfoAs("agentops_store"), o);
    }
    const std::string &schema() const
    {
        return m_schema;
    }
    /// First column of the first row of sql on the last store's data; -1 when no row.
    long long scalar(const std::string &sql)
    {
        const std::string t = text(sql, "-1");
        return std::stoll(t.empty() ? "0" : t);
    }
    std::string text(const std::string &sql, const std::string &none = {})
    {
        pqxx::connection c(server().conninfo());
        pqxx::work tx(c);
        tx.exec("SET search_path TO " + m_schema);
        const auto r = tx.exec(sql);
        if (r.empty())
            return none;
        return r[0][0].is_null() ? std::string() : r[0][0].c_str();
    }
    /// Runs statements on the last store's data and commits them.
    void execute(const std::string &sql)
    {
        pqxx::connection c(server().conninfo());
        pqxx::work tx(c);
        tx.exec("SET search_path TO " + m_schema);
        tx.exec(sql);
        tx.commit();
    }

private:
    std::string m_schema;
#else
    static constexpr const char *kName = "sqlite";
    std::unique_ptr<store::TraceStore> open()
    {
        m_path = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_seq)).toStdString();
        return reopen();
    }
    std::unique_ptr<store::TraceStore> reopen()
    {
        return std::make_unique<store::SqliteStore>(m_path);
    }
    const std::string &path() const
    {
        return m_path;
    }
    long long scalar(const std::string &sql)
    {
        const std::string t = text(sql, "-1");
        return std::stoll(t.empty() ? "0" : t);
    }
    std::string text(const std::string &sql, const std::string &none = {})
    {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(m_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *st = nullptr;
        sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
        std::string out = none;
        if (st && sqlite3_step(st) == SQLITE_ROW) {
            const auto *p = sqlite3_column_text(st, 0);
            out = p ? reinterpret_cast<const char *>(p) : "";
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        return out;
    }

private:
    QTemporaryDir m_dir;
    std::string m_path;
#endif
    int m_seq = 0;
};

} // namespace agentops::test

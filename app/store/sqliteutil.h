// SPDX-License-Identifier: MIT
#pragma once
// Small RAII helpers over the SQLite C API, shared by the store's translation units.

#include "core/span.h"
#include "store/tracestore.h"

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace agentops::store::sqlite {

[[noreturn]] inline void fail(sqlite3 *db, const std::string &what)
{
    throw StoreError(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

inline void exec(sqlite3 *db, const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw StoreError(std::string("sqlite: ") + msg);
    }
}

/// Copies the whole WAL into the database file and truncates the WAL to zero bytes (erasure: no
/// earlier version of a page may stay behind in it). Waits for readers of older frames (the busy
/// timeout, a few times over). Throws StoreError naming the file when it cannot.
inline void truncateWal(sqlite3 *db, const std::string &file)
{
    int rc = SQLITE_BUSY;
    for (int attempt = 0; attempt < 10 && (rc == SQLITE_BUSY || rc == SQLITE_LOCKED); ++attempt)
        rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    if (rc != SQLITE_OK)
        throw StoreError(file + ": cannot empty the write-ahead log (" + sqlite3_errstr(rc)
            + "): a reader held on to it; erase again when it is idle");
}

/// A prepared statement that resets itself when it goes out of scope of one use.
class Stmt
{
public:
    Stmt() = default;
    Stmt(sqlite3 *db, const std::string &sql)
        : m_db(db)
    {
        if (sqlite3_prepare_v3(
                db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr)
            != SQLITE_OK)
            fail(db, "prepare");
    }
    ~Stmt() { sqlite3_finalize(m_stmt); }
    Stmt(Stmt &&o) noexcept
        : m_db(o.m_db)
        , m_stmt(std::exchange(o.m_stmt, nullptr))
    { }
    Stmt &operator=(Stmt &&o) noexcept
    {
        std::swap(m_db, o.m_db);
        std::swap(m_stmt, o.m_stmt);
        return *this;
    }

    sqlite3_stmt *handle() const { return m_stmt; }
    void reset()
    {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    /// For a statement whose every parameter is bound before each step: clearing them all first is
    /// wasted work (the span insert has 38).
    void resetKeepingBindings() { sqlite3_reset(m_stmt); }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, int v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, double v) { sqlite3_bind_double(m_stmt, i, v); }
    void bindText(int i, std::string_view v)
    {
        sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    /// Binds text the caller keeps alive until the statement has been stepped.
    void bindTextStatic(int i, std::string_view v)
    {
        sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    void bindTextOrNull(int i, std::string_view v)
    {
        if (v.empty())
            sqlite3_bind_null(m_stmt, i);
        else
            bindTextStatic(i, v);
    }
    void bindBlob(int i, const void *data, std::size_t n)
    {
        sqlite3_bind_blob(m_stmt, i, data, static_cast<int>(n), SQLITE_STATIC);
    }
    void bindOpt(int i, const std::optional<std::int64_t> &v)
    {
        if (v)
            sqlite3_bind_int64(m_stmt, i, *v);
        else
            sqlite3_bind_null(m_stmt, i);
    }
    void bindOpt(int i, const std::optional<double> &v)
    {
        if (v)
            sqlite3_bind_double(m_stmt, i, *v);
        else
            sqlite3_bind_null(m_stmt, i);
    }
    void bindNull(int i) { sqlite3_bind_null(m_stmt, i); }

    /// true while there is a row
    bool step()
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        fail(m_db, "step");
    }

    std::int64_t i64(int c) const { return sqlite3_column_int64(m_stmt, c); }
    double dbl(int c) const { return sqlite3_column_double(m_stmt, c); }
    bool isNull(int c) const { return sqlite3_column_type(m_stmt, c) == SQLITE_NULL; }
    std::optional<std::int64_t> optI64(int c) const
    {
        return isNull(c) ? std::nullopt : std::optional<std::int64_t>(i64(c));
    }
    std::string text(int c) const
    {
        const auto *p = sqlite3_column_text(m_stmt, c);
        return p
            ? std::string(reinterpret_cast<const char *>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, c)))
            : std::string();
    }
    std::string_view textView(int c) const
    {
        const auto *p = sqlite3_column_text(m_stmt, c);
        return p ? std::string_view(
                   reinterpret_cast<const char *>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, c)))
                 : std::string_view();
    }
    /// The bytes of a blob column, valid until the next step or reset.
    std::string_view blobView(int c) const
    {
        const void *p = sqlite3_column_blob(m_stmt, c);
        return p
            ? std::string_view(static_cast<const char *>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, c)))
            : std::string_view();
    }
    template<std::size_t N>
    bool blob(int c, std::array<std::uint8_t, N> &out) const
    {
        const auto n = sqlite3_column_bytes(m_stmt, c);
        const void *p = sqlite3_column_blob(m_stmt, c);
        if (!p || n != static_cast<int>(N))
            return false;
        std::memcpy(out.data(), p, N);
        return true;
    }

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

/// A row sink (store/rowsink.h) that binds a statement's parameters one after the other, from
/// `first` on. Text and bytes are bound without a copy: the caller keeps them alive until the
/// statement has been stepped.
class StmtRow
{
public:
    explicit StmtRow(Stmt &s, int first = 1)
        : m_s(s)
        , m_next(first)
    { }
    void null() { m_s.bindNull(m_next++); }
    void i64(std::int64_t v) { m_s.bind(m_next++, v); }
    void optI64(const std::optional<std::int64_t> &v) { m_s.bindOpt(m_next++, v); }
    void dbl(double v) { m_s.bind(m_next++, v); }
    void optDbl(const std::optional<double> &v) { m_s.bindOpt(m_next++, v); }
    void text(std::string_view v) { m_s.bindTextStatic(m_next++, v); }
    void textOrNull(std::string_view v) { m_s.bindTextOrNull(m_next++, v); }
    void bytes(const void *data, std::size_t n) { m_s.bindBlob(m_next++, data, n); }

private:
    Stmt &m_s;
    int m_next;
};

/// Resets a statement at the end of a scope, so a thrown error never leaves it half-stepped.
struct ResetGuard
{
    Stmt &s;
    ~ResetGuard() { s.reset(); }
};

/// ResetGuard for a statement whose every parameter is bound before each step.
struct ResetKeepingBindingsGuard
{
    Stmt &s;
    ~ResetKeepingBindingsGuard() { s.resetKeepingBindings(); }
};

/// Reads the six token columns, in the order every span query selects them (input, output, total,
/// cache_read, cache_write, reasoning), starting at column first; NULL stays "not reported".
inline void readTokens(const Stmt &q, int first, core::TokenUsage &tokens)
{
    tokens.input = q.optI64(first);
    tokens.output = q.optI64(first + 1);
    tokens.total = q.optI64(first + 2);
    tokens.cache_read = q.optI64(first + 3);
    tokens.cache_write = q.optI64(first + 4);
    tokens.reasoning = q.optI64(first + 5);
}

} // namespace agentops::store::sqlite

// SPDX-License-Identifier: MIT
// PostgresStore's span rows: a batch goes to the server as COPY in binary format into a temporary
// table of the writer's connection, then one INSERT ... SELECT moves the rows that are new into spans.
//
// Why not COPY into spans itself: COPY FROM is refused on a table under row-level security (every
// project table is, schema 5), and COPY has no ON CONFLICT, which idempotent ingest needs. The
// temporary table is local to the connection (no WAL, no locks shared with anyone), so the extra
// copy costs little next to what COPY saves over the former INSERT ... SELECT FROM unnest(<37 text
// arrays>): no array literals to escape here and parse there, one pass over each value.
//
// Why binary: in COPY's text format PostgreSQL reads each kilobyte-long prompt a byte at a time
// twice (the line, then its fields) and this side escapes it a byte at a time; in binary each value
// is a length and its bytes (docs/benchmarks.md, "Ingest on PostgreSQL").
#include "store/postgresutil.h"
#include "store/spanrow.h"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <map>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace agentops::store::pg {

namespace {

/// A column of a span's row, with its type as format_type() names it: the binary format has no
/// conversions, each value is sent in its column's own form. Checked against the table when the
/// stage is made.
struct Column
{
    std::string_view name;
    std::string_view type;
};

/// The columns the writer sends, in the order spanColumns (spanrow.h) writes them, then the day.
constexpr std::array<Column, 38> kColumns { {
    { "trace_id", "bytea" },
    { "span_id", "bytea" },
    { "parent_span_id", "bytea" },
    { "trace_state", "text" },
    { "name", "text" },
    { "kind", "integer" },
    { "otel_kind", "integer" },
    { "start_ns", "bigint" },
    { "end_ns", "bigint" },
    { "status", "integer" },
    { "status_message", "text" },
    { "service", "text" },
    { "scope_name", "text" },
    { "scope_version", "text" },
    { "request_model", "text" },
    { "response_model", "text" },
    { "provider", "text" },
    { "tok_input", "bigint" },
    { "tok_output", "bigint" },
    { "tok_total", "bigint" },
    { "tok_cache_read", "bigint" },
    { "tok_cache_write", "bigint" },
    { "tok_reasoning", "bigint" },
    { "cost_usd", "double precision" },
    { "price_ref", "text" },
    { "session_id", "text" },
    { "user_id", "text" },
    { "input", "text" },
    { "output", "text" },
    { "attributes", "text" },
    { "events", "text" },
    { "links", "text" },
    { "resource_id", "bigint" },
    { "dropped", "bigint" },
    { "agent_name", "text" },
    { "tool_name", "text" },
    { "payload_refs", "text" },
    { "day", "integer" },
} };

constexpr auto kInt4 = [] {
    std::array<bool, kColumns.size()> int4 {};
    for (std::size_t i = 0; i < int4.size(); ++i)
        int4[i] = kColumns[i].type == "integer";
    return int4;
}();

/// The column names as SQL lists them: "trace_id, span_id, ...".
const std::string &columnList()
{
    static const std::string list = [] {
        std::string out;
        for (const Column &c : kColumns)
            out.append(out.empty() ? "" : ", ").append(c.name);
        return out;
    }();
    return list;
}

/// Builds COPY's binary format: a header; each row as its count of fields, then each field as its
/// length in bytes (-1: NULL) and the value in its type's binary form (integers and doubles
/// big-endian, bytea and text as they are); a trailer.
class BinaryCopyBuilder
{
public:
    BinaryCopyBuilder()
    {
        m_s.append("PGCOPY\n\377\r\n\0", 11);
        be32(0); // flags
        be32(0); // header extension
    }
    void null()
    {
        field();
        be32(-1);
    }
    /// PostgreSQL text holds valid UTF-8 without NUL: other bytes become U+FFFD rather than fail the
    /// batch (producers do send them), as ArrayBuilder::text does.
    void text(std::string_view v)
    {
        field();
        const std::size_t at = m_s.size();
        be32(0);
        appendValidUtf8<>(m_s, v, [](std::string &, char) {});
        const auto n = static_cast<std::uint32_t>(m_s.size() - at - 4);
        for (int k = 0; k < 4; ++k)
            m_s[at + static_cast<std::size_t>(k)] = static_cast<char>(n >> (24 - 8 * k));
    }
    void textOrNull(std::string_view v) { v.empty() ? null() : text(v); }
    void i64(std::int64_t v)
    {
        if (kInt4.at(field())) {
            if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
                throw StoreError("a value out of range for an integer column of spans: " + std::to_string(v));
            be32(4);
            be32(static_cast<std::int32_t>(v));
        } else {
            be32(8);
            be64(static_cast<std::uint64_t>(v));
        }
    }
    void optI64(const std::optional<std::int64_t> &v) { v ? i64(*v) : null(); }
    void dbl(double v)
    {
        field();
        be32(8);
        be64(std::bit_cast<std::uint64_t>(v));
    }
    void optDbl(const std::optional<double> &v) { v ? dbl(*v) : null(); }
    void bytes(const void *data, std::size_t n)
    {
        field();
        be32(static_cast<std::int32_t>(n));
        m_s.append(static_cast<const char *>(data), n);
    }
    void endRow()
    {
        if (m_column != kColumns.size())
            throw std::logic_error("COPY row of " + std::to_string(m_column) + " fields");
        m_column = 0;
    }
    /// The whole stream, with its trailer.
    std::string finish()
    {
        be16(-1);
        return std::move(m_s);
    }

private:
    /// The index of the field about to be written; a row's count of fields before its first.
    std::size_t field()
    {
        if (m_column == 0)
            be16(static_cast<std::int16_t>(kColumns.size()));
        return m_column++;
    }
    void be16(std::int16_t v)
    {
        const auto u = static_cast<std::uint16_t>(v);
        m_s.push_back(static_cast<char>(u >> 8));
        m_s.push_back(static_cast<char>(u));
    }
    void be32(std::int32_t v)
    {
        const auto u = static_cast<std::uint32_t>(v);
        const char b[4] = { static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
            static_cast<char>(u) };
        m_s.append(b, 4);
    }
    void be64(std::uint64_t u)
    {
        be32(static_cast<std::int32_t>(u >> 32));
        be32(static_cast<std::int32_t>(u));
    }
    std::string m_s;
    std::size_t m_column = 0;
};

static_assert(RowSink<BinaryCopyBuilder>);

/// One span's row: the columns every store writes (spanrow.h), then its partition's day.
void addRow(BinaryCopyBuilder &b, const EncodedSpan &e, std::int64_t resourceId, int day)
{
    spanColumns(b, e, resourceId);
    b.i64(day);
    b.endRow();
}

/// Makes the stage on first use by this connection (a transaction that rolled back took it away,
/// so it is looked up each time); commits empty it (one call per transaction). Temporary tables
/// have no row security. Its columns compress as those of spans do: a value compressed here goes
/// into spans as it is, so this is the one compression it gets.
void ensureStage(pqxx::transaction_base &tx)
{
    if (!tx.exec("SELECT to_regclass('pg_temp.span_stage')")[0][0].is_null())
        return;
    tx.exec("CREATE TEMPORARY TABLE span_stage (LIKE spans INCLUDING COMPRESSION) ON COMMIT DELETE ROWS; "
            "ALTER TABLE pg_temp.span_stage DROP COLUMN id");
    std::map<std::string, std::string, std::less<>> types;
    for (const auto &row : tx.exec("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE "
                                   "attrelid = 'pg_temp.span_stage'::regclass AND attnum > 0 AND NOT attisdropped"))
        types.emplace(row[0].c_str(), row[1].c_str());
    for (const Column &c : kColumns)
        if (const auto it = types.find(c.name); it == types.end() || it->second != c.type)
            throw StoreError("spans." + std::string(c.name) + " is "
                + (it == types.end() ? std::string("missing") : it->second) + ", the writer sends "
                + std::string(c.type));
}

/// Reads what is left of a failed COPY's results, and throws: broken_connection when the connection
/// is lost or its state is in doubt (withWriter then drops it), else sql_error with the SQLSTATE.
[[noreturn]] void copyFailed(pqxx::connectionpolicy::handle raw, PGresult *r, const std::string &sql)
{
    std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(raw);
    const char *field = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = field ? field : "";
    PQclear(r);
    // Still in COPY (this side could not end it): ended once more; a result that will not leave
    // COPY would be returned again and again, so after a few the connection is given up.
    bool drained = false;
    for (int k = 0; k < 8 && !drained; ++k) {
        PGresult *rest = PQgetResult(raw);
        drained = rest == nullptr;
        if (PQresultStatus(rest) == PGRES_COPY_IN)
            PQputCopyEnd(raw, "the writer could not send its rows");
        PQclear(rest);
    }
    if (message.empty())
        message = "COPY failed";
    if (!drained || PQstatus(raw) != CONNECTION_OK)
        throw pqxx::broken_connection(message);
    throw pqxx::sql_error(message, sql, sqlstate.empty() ? nullptr : sqlstate.c_str());
}

/// Sends the rows by COPY FROM STDIN in binary format on the connection (in its transaction, between
/// the transaction's other statements).
void copyBinary(pqxx::connectionpolicy::handle raw, std::string_view rows)
{
    const std::string sql = "COPY pg_temp.span_stage (" + columnList() + ") FROM STDIN WITH (FORMAT binary)";
    PGresult *begin = PQexec(raw, sql.c_str());
    if (PQresultStatus(begin) != PGRES_COPY_IN)
        copyFailed(raw, begin, sql);
    PQclear(begin);
    constexpr std::size_t kPiece = std::size_t { 1 } << 20;
    for (std::size_t at = 0; at < rows.size(); at += kPiece) {
        const std::size_t n = std::min(kPiece, rows.size() - at);
        if (PQputCopyData(raw, rows.data() + at, static_cast<int>(n)) != 1) {
            PQputCopyEnd(raw, "the writer could not send its rows");
            copyFailed(raw, nullptr, sql);
        }
    }
    if (PQputCopyEnd(raw, nullptr) != 1)
        copyFailed(raw, nullptr, sql);
    PGresult *end = PQgetResult(raw);
    if (PQresultStatus(end) != PGRES_COMMAND_OK)
        copyFailed(raw, end, sql);
    PQclear(end);
    while (PGresult *rest = PQgetResult(raw))
        PQclear(rest);
}

} // namespace

std::set<std::pair<core::TraceId, core::SpanId>> insertSpanRows(pqxx::transaction_base &tx,
    pqxx::connectionpolicy::handle raw, std::span<const std::span<const EncodedSpan>> chunks,
    const std::unordered_map<std::uint64_t, std::int64_t> &resourceIds, const std::map<core::TraceId, int> &days)
{
    ensureStage(tx);
    BinaryCopyBuilder rows;
    for (const auto &chunk : chunks)
        for (const EncodedSpan &e : chunk)
            addRow(rows, e, resourceIds.at(e.resource_hash), days.at(e.span->trace_id));
    copyBinary(raw, rows.finish());
    // Rows in COPY order (a heap only appended to since it was emptied), so of two copies of a span
    // in one batch the first is the one stored, as before.
    const auto inserted = tx.exec("INSERT INTO spans(" + columnList() + ") SELECT " + columnList()
        + " FROM pg_temp.span_stage ON CONFLICT(trace_id, span_id, day) DO NOTHING RETURNING trace_id, span_id");
    std::set<std::pair<core::TraceId, core::SpanId>> fresh;
    for (const auto &row : inserted) {
        std::pair<core::TraceId, core::SpanId> key {};
        unbytea(row[0], key.first);
        unbytea(row[1], key.second);
        fresh.insert(key);
    }
    return fresh;
}

} // namespace agentops::store::pg

// SPDX-License-Identifier: MIT
// PostgresStore's span rows: a batch goes to the server as COPY text into a temporary table of the
// writer's connection, then one INSERT ... SELECT moves the rows that are new into spans.
//
// Why not COPY into spans itself: COPY FROM is refused on a table under row-level security (every
// project table is, schema 5), and COPY has no ON CONFLICT, which idempotent ingest needs. The
// temporary table is local to the connection (no WAL, no locks shared with anyone), so the extra
// copy costs little next to what COPY saves over the former INSERT ... SELECT FROM unnest(<37 text
// arrays>): no array literals to escape here and parse there, one pass over each value
// (docs/benchmarks.md, "Ingest on PostgreSQL").
#include "store/postgresutil.h"
#include "store/spanrow.h"

#include <pqxx/tablewriter>

#include <algorithm>
#include <string_view>
#include <vector>

namespace agentops::store::pg {

namespace {

constexpr const char *kSpanColumns
    = "trace_id, span_id, parent_span_id, trace_state, name, kind, otel_kind, start_ns, end_ns, status, "
      "status_message, service, scope_name, scope_version, request_model, response_model, provider, tok_input, "
      "tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, price_ref, session_id, "
      "user_id, input, output, attributes, events, links, resource_id, dropped, agent_name, tool_name, payload_refs, "
      "day";

/// Builds COPY text-format rows (tab between values, \N for NULL, a newline after each row).
class CopyBuilder
{
public:
    void null() { sep() += "\\N"; }
    /// As ArrayBuilder::text: bytes that are not valid UTF-8, and NUL, become U+FFFD.
    void text(std::string_view v)
    {
        appendValidUtf8<'\\', '\t', '\n', '\r'>(sep(), v, [](std::string &out, char c) {
            out.push_back('\\');
            out.push_back(c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\');
        });
    }
    void textOrNull(std::string_view v) { v.empty() ? null() : text(v); }
    void i64(std::int64_t v)
    {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        sep().append(buf, r.ptr);
    }
    void optI64(const std::optional<std::int64_t> &v) { v ? i64(*v) : null(); }
    void dbl(double v) { sep() += number(v); }
    void optDbl(const std::optional<double> &v) { v ? dbl(*v) : null(); }
    /// bytea in hex, its backslash escaped for COPY.
    void bytes(const void *data, std::size_t n)
    {
        static constexpr char kHex[] = "0123456789abcdef";
        auto &s = sep();
        s += "\\\\x";
        for (const auto *b = static_cast<const std::uint8_t *>(data), *end = b + n; b != end; ++b) {
            s.push_back(kHex[*b >> 4]);
            s.push_back(kHex[*b & 15]);
        }
    }
    void endRow()
    {
        m_s.push_back('\n');
        m_first = true;
    }
    /// The rows, less the last newline (tablewriter adds one).
    std::string finish()
    {
        if (!m_s.empty())
            m_s.pop_back();
        return std::move(m_s);
    }
    bool empty() const { return m_s.empty(); }

private:
    std::string &sep()
    {
        if (!m_first)
            m_s.push_back('\t');
        m_first = false;
        return m_s;
    }
    std::string m_s;
    bool m_first = true;
};

static_assert(RowSink<CopyBuilder>);

/// One span's row: the columns every store writes (spanrow.h), then its partition's day, as COPY text.
void addRow(CopyBuilder &b, const EncodedSpan &e, std::int64_t resourceId, int day)
{
    spanColumns(b, e, resourceId);
    b.i64(day);
    b.endRow();
}

} // namespace

std::set<std::pair<core::TraceId, core::SpanId>> insertSpanRows(pqxx::transaction_base &tx,
    std::span<const std::span<const EncodedSpan>> chunks,
    const std::unordered_map<std::uint64_t, std::int64_t> &resourceIds, const std::map<core::TraceId, int> &days)
{
    // The stage: made on first use by this connection (a transaction that rolled back took it away,
    // so it is looked up each time), emptied by every commit (one call per transaction). Temporary
    // tables have no row security. Its columns compress as those of spans do: a value compressed
    // here goes into spans as it is, so this is the one compression it gets.
    if (tx.exec("SELECT to_regclass('pg_temp.span_stage')")[0][0].is_null())
        tx.exec("CREATE TEMPORARY TABLE span_stage (LIKE spans INCLUDING COMPRESSION) ON COMMIT DELETE ROWS; "
                "ALTER TABLE pg_temp.span_stage DROP COLUMN id");
    CopyBuilder rows;
    for (const auto &chunk : chunks)
        for (const EncodedSpan &e : chunk)
            addRow(rows, e, resourceIds.at(e.resource_hash), days.at(e.span->trace_id));
    {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        // tablewriter, not stream_to: libpqxx 6.4's stream_to takes rows only as tuples of values it
        // converts and escapes one by one; tablewriter takes the rows made above as they are.
        static const std::vector<std::string> columns = [] {
            std::vector<std::string> out;
            std::string_view all = kSpanColumns;
            for (std::size_t at = 0; at < all.size();) {
                const std::size_t comma = std::min(all.find(',', at), all.size());
                out.emplace_back(all.substr(at, comma - at));
                at = comma + 2; // ", "
            }
            return out;
        }();
        pqxx::tablewriter writer(tx, "pg_temp.span_stage", columns.begin(), columns.end());
#pragma GCC diagnostic pop
        writer.write_raw_line(rows.finish());
        writer.complete();
    }
    // Rows in COPY order (a heap only appended to since it was emptied), so of two copies of a span
    // in one batch the first is the one stored, as before.
    const auto inserted = tx.exec(std::string("INSERT INTO spans(") + kSpanColumns + ") SELECT " + kSpanColumns
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

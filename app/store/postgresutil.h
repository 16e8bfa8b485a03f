// SPDX-License-Identifier: MIT
#pragma once
// PostgresStore's connection, pool helpers and text-format conversions, shared by its translation units.

#include "core/span.h"
#include "store/encodedspan.h"
#include "store/postgresstore.h"

#include <pqxx/pqxx>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace agentops::store {

namespace pg {

/// libpqxx's connect_direct that also keeps its libpq handle, for what libpqxx 6 cannot do: COPY in
/// binary format (its COPY writers end every piece of data with a newline).
class HandlePolicy : public pqxx::connect_direct
{
public:
    using connect_direct::connect_direct;
    handle do_startconnect(handle orig) override;
    handle do_dropconnect(handle orig) noexcept override;
    /// The connection's libpq handle; nullptr while it is not connected.
    handle raw() const { return m_handle; }

private:
    handle m_handle = nullptr;
};

/// A libpqxx connection, as pqxx::connection, whose libpq handle can be had (raw()).
class Database : public pqxx::connection_base
{
public:
    explicit Database(const std::string &conninfo)
        : connection_base(m_policy)
        , m_policy(conninfo)
    {
        init();
    }
    ~Database() noexcept { close(); }
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    pqxx::connectionpolicy::handle raw() const { return m_policy.raw(); }

private:
    HandlePolicy m_policy;
};

} // namespace pg

/// One connection with its search_path set to the store's schema, and its own caches.
class PostgresStore::Connection
{
public:
    Connection(const std::string &conninfo, const std::string &schema);
    pg::Database db;
    std::unordered_map<std::int64_t, core::Attributes> resourceCache;
};

namespace pg {

/// Lock class ids of pg_advisory_xact_lock(class, hashtext(schema)).
inline constexpr int kMigrationLock = 0x41474f50; // 'AGOP'
inline constexpr int kWriterLock = 0x41474f51;
inline constexpr int kSearchLock = 0x41474f52; ///< the content search indexer of a schema
/// Deletions of spans (retention, erasure) and the search indexer's steps take turns under it. A
/// deletion locks the spans it deletes, in the order it finds them, then (ON DELETE CASCADE) their
/// span_search rows; a step locks span_search rows, then (their foreign key) the spans they are made
/// from, in id order: the two deadlocked, and a span deleted between a step's read and its insert
/// failed the step. Nothing else the writer does waits for a step (PostgresStore::runIndexer).
inline constexpr int kSearchDeleteLock = 0x41474f53;

inline std::string quoteIdent(const std::string &name)
{
    return '"' + name + '"';
}

/// bytea in text format: \x and hex digits.
inline std::string bytea(const void *data, std::size_t n)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\\x";
    out.reserve(2 + 2 * n);
    const auto *p = static_cast<const unsigned char *>(data);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(kHex[p[i] >> 4]);
        out.push_back(kHex[p[i] & 15]);
    }
    return out;
}
template<std::size_t N>
std::string bytea(const std::array<std::uint8_t, N> &a)
{
    return bytea(a.data(), N);
}

/// Decodes a bytea field in text (hex) format; empty when null.
inline std::string unbytea(const pqxx::field &f)
{
    std::string out;
    if (f.is_null())
        return out;
    const char *p = f.c_str();
    const std::size_t n = f.size();
    if (n < 2 || p[0] != '\\' || p[1] != 'x')
        return out;
    auto val = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return 0;
    };
    out.reserve((n - 2) / 2);
    for (std::size_t i = 2; i + 1 < n; i += 2)
        out.push_back(static_cast<char>(val(p[i]) << 4 | val(p[i + 1])));
    return out;
}

/// Fills a fixed-size id from a bytea field; false when null or of another size.
template<std::size_t N>
bool unbytea(const pqxx::field &f, std::array<std::uint8_t, N> &out)
{
    const std::string raw = unbytea(f);
    if (raw.size() != N)
        return false;
    std::copy(raw.begin(), raw.end(), out.begin());
    return true;
}

/// The trace ids of the first column of rows (null and malformed values left out).
inline std::set<core::TraceId> traceIdsIn(const pqxx::result &rows)
{
    std::set<core::TraceId> out;
    for (const auto &row : rows) {
        core::TraceId id {};
        if (unbytea(row[0], id))
            out.insert(id);
    }
    return out;
}

inline std::int64_t i64(const pqxx::field &f)
{
    std::int64_t v = 0;
    if (!f.is_null())
        std::from_chars(f.c_str(), f.c_str() + f.size(), v);
    return v;
}

inline std::optional<std::int64_t> optI64(const pqxx::field &f)
{
    if (f.is_null())
        return std::nullopt;
    return i64(f);
}

/// Reads the six token columns, in the order every span query selects them (input, output, total,
/// cache_read, cache_write, reasoning), starting at column first; NULL stays "not reported". The
/// twin of sqlite::readTokens.
inline void readTokens(const pqxx::row &row, int first, core::TokenUsage &tokens)
{
    tokens.input = optI64(row[first]);
    tokens.output = optI64(row[first + 1]);
    tokens.total = optI64(row[first + 2]);
    tokens.cache_read = optI64(row[first + 3]);
    tokens.cache_write = optI64(row[first + 4]);
    tokens.reasoning = optI64(row[first + 5]);
}

inline double dbl(const pqxx::field &f)
{
    double v = 0;
    if (!f.is_null())
        std::from_chars(f.c_str(), f.c_str() + f.size(), v);
    return v;
}

inline std::string text(const pqxx::field &f)
{
    return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
}

inline std::string_view textView(const pqxx::field &f)
{
    return f.is_null() ? std::string_view() : std::string_view(f.c_str(), f.size());
}

/// Shortest text that reads back as the same double.
inline std::string number(double v)
{
    char buf[40];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, ec == std::errc() ? end : buf);
}

/// Length of the valid UTF-8 sequence at p (2..4 bytes), 0 when it is not one.
inline std::size_t utf8Length(const unsigned char *p, std::size_t avail)
{
    const unsigned char c = p[0];
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (avail < len || p[1] < lo || p[1] > hi)
        return 0;
    for (std::size_t k = 2; k < len; ++k)
        if (p[k] < 0x80 || p[k] > 0xBF)
            return 0;
    return len;
}
/// Whether none of the 8 bytes at p needs a look of its own in appendValidUtf8<Escaped...>: all are
/// ASCII, none is a control character (NUL, and the tab, newline and return formats escape), and
/// none is one of Escaped (SWAR: "Bit Twiddling Hacks", haszero and haslessthan).
template<char... Escaped>
bool plainAscii8(const unsigned char *p)
{
    constexpr std::uint64_t k01 = 0x0101010101010101ULL;
    constexpr std::uint64_t k80 = 0x8080808080808080ULL;
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    [[maybe_unused]] const auto has = [w](unsigned char c) {
        const std::uint64_t x = w ^ (k01 * c);
        return (x - k01) & ~x & k80;
    };
    const std::uint64_t control = (w - k01 * 0x20) & ~w & k80; // a byte < 0x20
    const std::uint64_t escaped = (std::uint64_t { 0 } | ... | (Escaped >= 0x20 ? has(Escaped) : 0));
    return ((w & k80) | control | escaped) == 0;
}

/// Appends v to out with every byte that is not part of valid UTF-8, and NUL, replaced by U+FFFD;
/// each byte of Escaped goes through escape(out, c), which escapes it for its format. Runs of other
/// bytes are appended whole, 8 at a time where they are plain ASCII: this is on the writer's path
/// for every text value of every span (prompts of kilobytes), and one byte at a time it was most of
/// the writer's CPU.
template<char... Escaped, typename Escape>
void appendValidUtf8(std::string &out, std::string_view v, Escape &&escape)
{
    static_assert(((static_cast<unsigned char>(Escaped) > 0 && static_cast<unsigned char>(Escaped) < 0x80) && ...),
        "only ASCII other than NUL is escaped; NUL and bytes of invalid UTF-8 become U+FFFD");
    const auto *p = reinterpret_cast<const unsigned char *>(v.data());
    const std::size_t n = v.size();
    std::size_t run = 0; // start of the bytes not yet appended
    for (std::size_t i = 0; i < n;) {
        if (i + 8 <= n && plainAscii8<Escaped...>(p + i)) {
            i += 8;
            continue;
        }
        const unsigned char c = p[i];
        const bool escaped = ((c == static_cast<unsigned char>(Escaped)) || ...);
        const std::size_t len = c == 0 ? 0 : c < 0x80 ? 1 : utf8Length(p + i, n - i);
        if (len > 0 && !escaped) {
            i += len; // stays in the run
            continue;
        }
        out.append(v.data() + run, i - run);
        if (escaped)
            escape(out, static_cast<char>(c));
        else
            out += "\xEF\xBF\xBD";
        run = ++i;
    }
    out.append(v.data() + run, n - run);
}

/// v with every byte that is not part of valid UTF-8, and NUL, replaced by U+FFFD.
inline std::string validUtf8(std::string_view v)
{
    std::string out;
    out.reserve(v.size());
    appendValidUtf8<>(out, v, [](std::string &, char) {});
    return out;
}

/// True when v is valid UTF-8 without NUL (PostgreSQL text takes it as it is).
inline bool isValidUtf8(std::string_view v)
{
    const auto *p = reinterpret_cast<const unsigned char *>(v.data());
    for (std::size_t i = 0; i < v.size();) {
        const std::size_t len = p[i] == 0 ? 0 : p[i] < 0x80 ? 1 : utf8Length(p + i, v.size() - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

/// Builds a PostgreSQL array literal ('{...}') element by element, for unnest(): one parameter
/// carries a whole column of a batch.
class ArrayBuilder
{
public:
    void null() { sep() += "NULL"; }
    /// PostgreSQL text holds valid UTF-8 without NUL: other bytes become U+FFFD rather than fail the
    /// batch (producers do send them).
    void text(std::string_view v)
    {
        auto &s = sep();
        s.push_back('"');
        appendValidUtf8<'"', '\\'>(s, v, [](std::string &out, char c) {
            out.push_back('\\');
            out.push_back(c);
        });
        s.push_back('"');
    }
    /// Empty text is stored as NULL (as SqliteStore's bindTextOrNull does).
    void textOrNull(std::string_view v) { v.empty() ? null() : text(v); }
    void i64(std::int64_t v) { sep() += std::to_string(v); }
    void optI64(const std::optional<std::int64_t> &v) { v ? i64(*v) : null(); }
    void dbl(double v) { sep() += number(v); }
    void optDbl(const std::optional<double> &v) { v ? dbl(*v) : null(); }
    void bytes(const void *data, std::size_t n) { text(bytea(data, n)); }
    template<std::size_t N>
    void bytes(const std::array<std::uint8_t, N> &a)
    {
        bytes(a.data(), N);
    }
    std::string finish() const { return m_s + '}'; }

private:
    std::string &sep()
    {
        if (m_s.size() > 1)
            m_s.push_back(',');
        return m_s;
    }
    std::string m_s = "{";
};

/// A row sink (store/rowsink.h) for a batch of rows sent as one array a column (for unnest()):
/// row() starts the next row.
class ArrayColumns
{
public:
    explicit ArrayColumns(std::size_t columns)
        : m_columns(columns)
    { }
    ArrayColumns &row()
    {
        m_next = 0;
        ++m_rows;
        return *this;
    }
    void null() { next().null(); }
    void i64(std::int64_t v) { next().i64(v); }
    void optI64(const std::optional<std::int64_t> &v) { next().optI64(v); }
    void dbl(double v) { next().dbl(v); }
    void optDbl(const std::optional<double> &v) { next().optDbl(v); }
    void text(std::string_view v) { next().text(v); }
    void textOrNull(std::string_view v) { next().textOrNull(v); }
    void bytes(const void *data, std::size_t n) { next().bytes(data, n); }
    std::size_t rows() const { return m_rows; }
    /// The parameters: one array a column.
    std::vector<std::string> finish() const
    {
        std::vector<std::string> out;
        out.reserve(m_columns.size());
        for (const auto &c : m_columns)
            out.push_back(c.finish());
        return out;
    }

private:
    ArrayBuilder &next() { return m_columns.at(m_next++); }
    std::vector<ArrayBuilder> m_columns;
    std::size_t m_next = 0;
    std::size_t m_rows = 0;
};
/// Writes the batch's span rows (COPY through a temporary table, postgresspanrows.cpp), each into
/// the partition of its trace's day (`days`, traceDays), skipping spans already stored; returns the
/// (trace id, span id) of each row inserted. Once per transaction; raw is tx's connection's libpq handle.
std::set<std::pair<core::TraceId, core::SpanId>> insertSpanRows(pqxx::transaction_base &tx,
    pqxx::connectionpolicy::handle raw, std::span<const std::span<const EncodedSpan>> chunks,
    const std::unordered_map<std::uint64_t, std::int64_t> &resourceIds, const std::map<core::TraceId, int> &days);

// Spans are partitioned by the day (UTC, days since 1970) their trace was first stored (schema 9,
// postgrespartitions.cpp).
inline constexpr std::int64_t kDayNs = 86'400LL * 1'000'000'000;
/// The day of a time in ns since 1970, rounded down.
int dayOf(std::int64_t ns);
/// The name of a day's partition: spans_YYYYMMDD.
std::string partitionName(int day);
/// Makes the day's partition when it is missing, with the policies of every table of the schema;
/// false when the day is inside the partition of the days before the schema was partitioned.
bool ensurePartition(pqxx::dbtransaction &tx, const std::string &schema, int day);
/// A partition of spans and the days it holds, [from, to).
struct SpanPartition
{
    std::string name;
    int from = 0; ///< INT32_MIN: from the first day
    int to = 0;
};
/// Every partition of spans, the oldest first.
std::vector<SpanPartition> spanPartitions(pqxx::transaction_base &tx);
/// The day of each trace of the batch: its summary's, or `today` for a trace not stored yet.
std::map<core::TraceId, int> traceDays(
    pqxx::transaction_base &tx, std::span<const std::span<const EncodedSpan>> chunks, int today);

/// Columns of a summary row, in the order readSummary expects.
extern const char *const kSummaryColumns;
core::TraceSummary readSummary(const pqxx::row &r);
/// Runs a statement with text parameters ($1, $2, ...).
pqxx::result run(pqxx::transaction_base &tx, const std::string &sql, const std::vector<std::string> &params);

} // namespace pg

template<typename F>
auto PostgresStore::withReader(F &&f)
{
    auto c = acquire();
    try {
        if constexpr (std::is_void_v<decltype(f(*c))>) {
            f(*c);
            release(std::move(c));
        } else {
            auto r = f(*c);
            release(std::move(c));
            return r;
        }
    } catch (const pqxx::broken_connection &e) {
        release(nullptr);
        throw StoreError(std::string("database connection lost: ") + e.what());
    } catch (const pqxx::sql_error &e) {
        release(c->db.is_open() ? std::move(c) : nullptr);
        throw StoreError(std::string("database: ") + e.what());
    } catch (const pqxx::failure &e) {
        release(nullptr); // in doubt: a fresh connection next time
        throw StoreError(std::string("database: ") + e.what());
    } catch (...) {
        release(c->db.is_open() ? std::move(c) : nullptr);
        throw;
    }
}

template<typename F>
auto PostgresStore::withWriter(F &&f)
{
    std::lock_guard lock(m_writeMutex);
    try {
        if (!m_writer || !m_writer->db.is_open())
            m_writer = std::make_unique<Connection>(m_conninfo, m_options.schema);
        return f(*m_writer);
    } catch (const pqxx::broken_connection &e) {
        m_writer.reset();
        throw StoreError(std::string("database connection lost: ") + e.what());
    } catch (const pqxx::sql_error &e) {
        if (m_writer && !m_writer->db.is_open())
            m_writer.reset();
        m_partitionsReady = INT_MIN; // a partition dropped by another server, say
        throw StoreError(std::string("database: ") + e.what());
    } catch (const pqxx::failure &e) {
        m_writer.reset(); // in doubt: a fresh connection next time
        m_partitionsReady = INT_MIN;
        throw StoreError(std::string("database: ") + e.what());
    }
}

} // namespace agentops::store

// SPDX-License-Identifier: MIT
#pragma once

#include "core/alertrule.h"
#include "core/span.h"
#include "store/encodedspan.h"
#include "store/metrics.h"
#include "store/spantable.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace agentops::store {

/// Raised for storage failures (I/O, corruption, a schema newer than this build).
class StoreError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// A cursor or filter the caller got wrong; the message names what.
class QueryError : public std::invalid_argument
{
public:
    using std::invalid_argument::invalid_argument;
};

enum class TraceSort { StartTime, Duration, Cost, Tokens, SpanCount, ErrorCount };

struct TraceQuery
{
    std::optional<std::int64_t> from_ns; ///< trace start >= from
    std::optional<std::int64_t> to_ns; ///< trace start < to
    std::string service; ///< exact
    std::string name_contains; ///< case-insensitive substring of the root name
    bool errors_only = false;
    std::string model; ///< any span of the trace used this model
    std::string session_id;
    /// Content search (store/searchquery.h): what the spans say, with field prefixes and AND/OR/NOT.
    std::string text;
    std::optional<std::int64_t> min_duration_ns;
    std::optional<double> min_cost_usd;
    TraceSort sort = TraceSort::StartTime;
    bool descending = true;
    int limit = 50; ///< 1..1000
    std::string cursor; ///< from TracePage::next_cursor; empty for the first page
};

/// Where a content search matched a trace: its first span that matched, and the text around it.
struct SearchHit
{
    std::string span_id; ///< hex
    std::string span_name;
    std::string snippet; ///< the matched text with some context, "…" where it was cut
    /// The matched parts of snippet, [begin, end) in Unicode code points.
    std::vector<std::pair<int, int>> highlights;
    bool operator==(const SearchHit &) const = default;
};

struct TracePage
{
    std::vector<core::TraceSummary> traces;
    /// With TraceQuery::text: one per trace, where it matched (empty when only fields of the trace,
    /// such as its session, matched).
    std::vector<SearchHit> hits;
    /// The page answers a content search (TraceQuery::text): its answer carries `matches`, even when
    /// empty.
    bool searched = false;
    std::string next_cursor; ///< empty on the last page
};

/// How much of each span trace() reads.
enum class TraceLoad {
    Full, ///< everything
    Automatic, ///< everything up to kFullTraceLoadLimit spans; above it, as Narrow
    Narrow, ///< what the waterfall draws; payloads, attributes, events, links, resource via span()
    /// everything up to kFullTraceLoadLimit spans; above it, one slim record a span in
    /// TraceDetail::table (what the waterfall draws, searches and compares), the rest via span()
    Slim,
};
/// Traces up to this size are read whole; bigger ones narrow, their span details on demand.
inline constexpr std::int64_t kFullTraceLoadLimit = 100'000;

struct TraceDetail
{
    core::TraceSummary summary;
    /// false: spans hold no input/output, attributes, events, links or resource (TraceLoad::Narrow),
    /// or the trace is in `table` (TraceLoad::Slim); TraceStore::span() reads one span whole.
    bool complete = true;
    /// Every span in tree order (depth first, children by start time); spans whose parent has not
    /// arrived follow as roots of their own subtrees, marked by orphan[i].
    std::vector<core::Span> spans;
    /// Instead of spans, for a big trace read with TraceLoad::Slim: the same spans, in the same
    /// order, as slim records.
    SpanTable table;
    std::vector<int> depth;
    std::vector<bool> orphan;

    bool slim() const { return spans.empty() && !table.rows.empty(); }
    std::size_t spanCount() const { return slim() ? table.size() : spans.size(); }
    const core::SpanId &spanId(std::size_t i) const { return slim() ? table.rows[i].span_id : spans[i].span_id; }
    /// Span i: whole or narrow as read; from a slim trace, narrow (SpanTable::span()).
    core::Span span(std::size_t i) const { return slim() ? table.span(i, summary.trace_id) : spans[i]; }
    /// Position of the span with this id, or -1.
    int indexOf(const core::SpanId &id) const
    {
        for (std::size_t i = 0, n = spanCount(); i < n; ++i)
            if (spanId(i) == id)
                return static_cast<int>(i);
        return -1;
    }
    /// The same trace with its spans in `spans` (narrow ones for a slim trace), for what reads
    /// core::Span (the comparison, export).
    TraceDetail withSpans() const
    {
        TraceDetail d;
        d.summary = summary;
        d.complete = complete;
        d.spans = slim() ? table.spans(summary.trace_id) : spans;
        d.depth = depth;
        d.orphan = orphan;
        return d;
    }
};

struct SessionSummary
{
    std::string session_id;
    std::string user_id;
    std::int64_t first_start_ns = 0;
    std::int64_t last_end_ns = 0;
    std::int64_t trace_count = 0;
    std::int64_t span_count = 0;
    std::int64_t error_count = 0;
    std::int64_t total_tokens = 0;
    double cost_usd = 0; ///< the priced spans' sum; no cost at all when priced_spans is 0
    std::int64_t priced_spans = 0;
    std::int64_t unpriced_spans = 0;
};

struct SessionQuery
{
    std::optional<std::int64_t> from_ns;
    std::optional<std::int64_t> to_ns;
    std::string user_id;
    int limit = 50;
    std::string cursor;
};

struct SessionPage
{
    std::vector<SessionSummary> sessions;
    std::string next_cursor;
};

/// Whole traces picked for erasure or export: one trace by its id (32 hex digits), every trace of a
/// session, or every trace of the end user the spans name (core::Span::user_id: `user.id`,
/// `enduser.id` and the producers' equivalents, see the normalizer). A trace counts as the session's
/// or user's when its summary or any one of its spans names it.
struct TraceSelection
{
    enum class By { Trace, Session, User };
    By by = By::Trace;
    std::string id;
};
/// "trace", "session", "user".
const char *toString(TraceSelection::By by);
/// Throws QueryError naming what is wrong: an empty id, an id over 1024 bytes, or a trace id that
/// is not 32 hex digits (all zero included). A trace selection's id is returned parsed in traceId.
void checkSelection(const TraceSelection &selection, core::TraceId &traceId);

/// What erase() took away.
struct EraseStats
{
    std::size_t traces = 0;
    std::size_t spans = 0;
};

/// Result of one batch write.
struct WriteStats
{
    std::size_t inserted = 0; ///< new spans
    std::size_t duplicates = 0; ///< spans already stored (retries): ignored, summaries untouched
};

/// What a store's traces take, for retention by size: pages in use, not free pages the store reuses
/// for new traces.
struct StoreBytes
{
    std::uint64_t data = 0; ///< traces, spans, rollups: what deleting traces frees at once
    /// Indexes kept beside the data (the content search index), which free their share later: their
    /// pages in use, deleted rows not merged away yet included.
    std::uint64_t derived = 0;
    /// The write-ahead logs of the data and of the indexes, as their files take on disk.
    std::uint64_t wal = 0;
    /// The indexes' share of the data stored now, estimated per span: derived over the rows the
    /// indexes hold (live and deleted), times the spans stored. Deleting traces lowers it at once,
    /// though the pages come free only when the index's segments merge; not-yet-indexed spans are
    /// counted as the others.
    std::uint64_t derived_share = 0;
    std::int64_t derived_rows = 0; ///< rows the indexes hold, live ones
    std::int64_t derived_dead_rows = 0; ///< and deleted ones still in their segments
    std::uint64_t total() const { return data + derived; }
    /// What the store takes by this count: the data, its logs and the indexes' share.
    std::uint64_t counted() const { return data + wal + derived_share; }
    /// What retention by size holds within `limit`: counted(), the logs at most half of the limit
    /// (checkpoints empty them, deleting traces does not: logs left big by a burst of ingest must
    /// not make it delete every trace).
    std::uint64_t countedWithin(std::uint64_t limit) const
    {
        return data + derived_share + (wal < limit / 2 ? wal : limit / 2);
    }
};

/// Where traces live. One writer at a time calls writeBatch (the ingest pipeline's thread);
/// queries may run concurrently from any thread.
class TraceStore
{
public:
    virtual ~TraceStore() = default;

    /// Stores the spans in one transaction, durable when it returns. Idempotent on
    /// (trace_id, span_id): a span already stored is skipped and does not count again in the summary.
    /// The spans come in chunks (one per request the ingest pipeline groups into one commit), so
    /// grouping them needs no copy.
    virtual WriteStats writeEncoded(std::span<const std::span<const EncodedSpan>> chunks) = 0;
    /// writeEncoded() of encodeSpans(spans), for callers that have not encoded on their own thread.
    WriteStats writeBatch(std::span<const core::Span> spans)
    {
        std::vector<EncodedSpan> encoded;
        encodeSpans(spans, encoded);
        const std::span<const EncodedSpan> chunk(encoded);
        return writeEncoded({ &chunk, 1 });
    }

    virtual TracePage listTraces(const TraceQuery &query) = 0;
    virtual std::optional<TraceDetail> trace(const core::TraceId &id, TraceLoad load) = 0;
    std::optional<TraceDetail> trace(const core::TraceId &id) { return trace(id, TraceLoad::Full); }
    /// One span, whole; nullopt when the trace has no such span.
    virtual std::optional<core::Span> span(const core::TraceId &traceId, const core::SpanId &spanId) = 0;
    virtual SessionPage listSessions(const SessionQuery &query) = 0;
    /// Traces of one session, oldest first.
    virtual std::vector<core::TraceSummary> sessionTraces(const std::string &session_id) = 0;

    /// Dashboard aggregates over a time range (store/metrics.h). Throws QueryError naming the field
    /// the caller got wrong.
    virtual MetricsResult metrics(const MetricsQuery &query) = 0;
    /// Prices stored LLM and embedding spans that have tokens again: price(span) gets the fields
    /// pricing reads (kind, models, provider, tokens, cost, price ref, times) and returns true when
    /// it changed cost_usd or price_ref. Trace summaries and metrics follow exactly. Works in small
    /// transactions so ingest is never held up long; progress(done, total) after each one returns
    /// false to stop (what was committed stays consistent). Returns the number of spans changed.
    virtual std::size_t reprice(const std::function<bool(core::Span &)> &price,
        const std::function<bool(std::size_t done, std::size_t total)> &progress)
        = 0;

    /// Retention: deletes whole traces that started before cutoff_ns, at most max_traces of them, in
    /// one short transaction (their spans, payloads no longer referenced, model index rows, and their
    /// share of the metrics rollups go with them, so metrics stay exact). Returns the number deleted;
    /// the retention job calls it again until it returns 0. PostgresStore drops a whole day of
    /// traces at once where it can, however many, and keeps those stored on the day the cutoff is
    /// in until that day can go (docs/postgresql.md, "Partitions by day").
    virtual std::size_t deleteTracesBefore(std::int64_t cutoff_ns, std::size_t max_traces) = 0;

    /// Alert rules (core/alertrule.h), by id, with their last state. Rules live with the traces they
    /// watch: one set per store (per project on a team server).
    virtual std::vector<core::AlertRule> alertRules() = 0;
    /// Stores a new rule (its id and state are ignored) and returns it with its id. Throws QueryError
    /// when it is not valid (validateAlertRule) or its name is taken.
    virtual core::AlertRule addAlertRule(const core::AlertRule &rule) = 0;
    /// Replaces a rule's definition; its state starts over (ok). An empty webhook_secret keeps the
    /// stored one when the URL is kept. False when there is no such rule; throws as addAlertRule.
    virtual bool updateAlertRule(const core::AlertRule &rule) = 0;
    /// Removes a rule (its events stay, by name). False when there is no such rule.
    virtual bool removeAlertRule(std::int64_t id) = 0;
    /// The outcome of one evaluation: the rules' new states and the events it raised, in one
    /// transaction. States of rules removed meanwhile are ignored. Keeps the newest
    /// kMaxAlertEvents events.
    virtual void recordAlertEvaluation(
        const std::vector<std::pair<std::int64_t, core::AlertState>> &states, std::vector<core::AlertEvent> &events)
        = 0;
    /// The newest events first, at most limit of them.
    virtual std::vector<core::AlertEvent> alertEvents(std::size_t limit) = 0;
    static constexpr std::size_t kMaxAlertEvents = 1000;
    /// The traces a selection picks, oldest first. Throws QueryError for a trace id that is not 32
    /// hex digits or an empty id.
    virtual std::vector<core::TraceId> selectTraces(const TraceSelection &selection) = 0;
    /// Erasure (a person's right to have their data deleted): deletes the selected traces whole, as
    /// retention does (spans, summaries, their share of the rollups, indexes), and makes sure their
    /// text is not left behind anywhere the store keeps files (SqliteStore: zeroed free space, the
    /// WAL emptied, the search index purged; PostgresStore: DELETE, see docs/deployment.md). Returns
    /// what went; 0 traces when the selection matched none.
    virtual EraseStats erase(const TraceSelection &selection) = 0;
    /// What the stored traces take now (see StoreBytes); nullopt when the store cannot tell cheaply
    /// and exactly, so retention by size is refused for it.
    virtual std::optional<StoreBytes> storeBytes() { return std::nullopt; }
    /// Rewrites derived indexes so that deleted rows leave them (SqliteStore: FTS5 'optimize' of the
    /// search index, after the deletions queued). Blocks until done; false when there is none or it
    /// failed.
    virtual bool compactIndexes() { return false; }

    /// Can the store answer queries and take writes now (for /readyz)?
    virtual bool ready(std::string &why) = 0;
    virtual std::int64_t spanCount() = 0;
};

} // namespace agentops::store

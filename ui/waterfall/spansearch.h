// SPDX-License-Identifier: MIT
#pragma once

#include "spantree.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace agentops::store {
struct TraceDetail;
}

namespace agentops::ui {

struct WaterfallData;

/// The searchable text of a trace's spans, each distinct combination stored once.
///
/// A span matches a search when its name, kind, model, tool, agent, service or status message
/// contains the text (ASCII case-insensitive), or when it failed and "error" contains the text.
/// Spans of one sort share all of those, so a million spans come down to a few hundred distinct
/// records: a search reads those (one contiguous buffer) and then one record number per span,
/// instead of seven strings scattered over every 800-byte span. Spans with text of their own
/// (unique names or error messages) just make more records.
class SpanSearchIndex
{
public:
    static std::unique_ptr<const SpanSearchIndex> build(const store::TraceDetail &trace);

    /// The spans that contain the needle, which is already folded (core::asciiLower), in span order.
    /// Returns an empty list at once when `cancelled` says the answer is no longer wanted.
    std::vector<int> find(std::string_view needle, const std::function<bool()> &cancelled = {}) const;

    std::size_t spanCount() const { return m_spanRecord.size(); }
    std::size_t recordCount() const { return m_recordError.size(); }

private:
    /// A record as a key into the index's growing text: offsets, not pointers, since the text moves
    /// as it grows.
    struct RecordKey
    {
        std::size_t start;
        std::size_t size;
        bool error;
    };
    struct RecordHash
    {
        const std::string *text;
        std::size_t operator()(const RecordKey &key) const noexcept;
    };
    struct RecordEqual
    {
        const std::string *text;
        bool operator()(const RecordKey &a, const RecordKey &b) const noexcept;
    };
    using RecordMap = std::unordered_map<RecordKey, std::uint32_t, RecordHash, RecordEqual>;
    template<typename AppendFields>
    std::uint32_t addRecord(RecordMap &records, bool error, AppendFields &&append);

    /// The records' fields, folded, each field followed by a NUL so a search cannot run across two.
    std::string m_text;
    std::vector<std::size_t> m_recordStart; ///< record r is m_text[m_recordStart[r], m_recordStart[r + 1])
    std::vector<std::uint8_t> m_recordError; ///< 1: the record's spans failed
    std::vector<std::uint32_t> m_spanRecord;
};

/// A trace's SpanSearchIndex, built by whichever thread asks for it first (others wait for it). The
/// view starts building it as soon as a big trace starts loading, alongside the tree.
class LazySpanSearchIndex
{
public:
    explicit LazySpanSearchIndex(std::shared_ptr<const store::TraceDetail> trace);
    ~LazySpanSearchIndex();
    const SpanSearchIndex &get() const;
    const std::shared_ptr<const store::TraceDetail> &trace() const { return m_trace; }

private:
    std::shared_ptr<const store::TraceDetail> m_trace;
    mutable std::once_flag m_once;
    mutable std::unique_ptr<const SpanSearchIndex> m_index;
};

/// What a search keeps of a trace: its matches, their ancestors (so matches are seen in context) and
/// the tree of those spans. Computed in one go, off the GUI thread for big traces, and then shown by
/// WaterfallFilterModel with a single model reset.
struct SpanFilter
{
    std::shared_ptr<const WaterfallData> data; ///< the trace it was computed for
    QString text; ///< as searched (trimmed); never empty
    std::vector<int> matches; ///< in tree order
    std::vector<std::uint8_t> state; ///< per span: 1 it matches, 2 a descendant does
    SpanTree tree; ///< the kept spans only: row[i] is -1 for the others
    /// Spans to expand, top down, so that the first matches show without laying out more than
    /// the row budget compute() was given; the view lays out every expanded row.
    std::vector<int> expand;

    /// Folds the search text as spans' text is folded for the index.
    static std::string needleOf(const QString &text);

    /// Searches data for text (trimmed; empty gives nullptr: nothing filtered). Returns nullptr as
    /// well when `cancelled` says, between steps, that the answer is no longer wanted.
    static std::shared_ptr<const SpanFilter> compute(std::shared_ptr<const WaterfallData> data, const QString &text,
        int expandRowBudget, const std::function<bool()> &cancelled = {});
};

/// The spans in keep (one byte a span, non-zero: kept) as a tree of their own. Parents of kept
/// spans must be kept too; full must be in tree (depth-first) order, as WaterfallData's is.
SpanTree keptTree(const SpanTree &full, const std::vector<std::uint8_t> &keep);

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#pragma once
// Tool calls that failed, as a later model call of the same trace reports them (core/failures.h):
// Google ADK hands the model {"error": ...} for a tool that raised and leaves the tool's span unset
// and empty. The writer marks the tool span as the error it was, in the model call's transaction,
// whether the tool span came in this batch or an earlier one, and corrects the trace's error count
// and the rollups. Shared by SqliteStore and PostgresStore, which read the candidates in their SQL.

#include "core/span.h"

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::store {

/// One lookup: the results of tool `tool` that model call `call` reports, in the request's order,
/// at least one of them failed.
struct ToolResultLookup
{
    const core::Span *call = nullptr;
    std::string tool;
    std::vector<const core::ToolResultReport *> results;
};

/// The lookups for a batch's newly stored model calls, earliest call first (an earlier call claims
/// its tools before a later one looks).
std::vector<ToolResultLookup> toolResultLookups(const std::vector<const core::Span *> &calls);

/// Where a lookup's tool calls are: the trace's tool spans of that name that started after the
/// previous model call started (the one whose answer asked for them: its tools run after it, or
/// within its span, as Google ADK nests them and may end the call's span after them) and started
/// before the reporting call did (ADK may close a tool's span only after the next call). The SDKs
/// round start times down to a millisecond, so the end allows one.
inline constexpr std::int64_t kClockSlackNs = 1'000'000;

/// A candidate tool span as the store found it.
struct ToolSpanRow
{
    std::int64_t id = 0; ///< the store's row id
    core::Span span; ///< the fields rollups key by, and its status
    bool hasInput = false;
    bool hasOutput = false;
    std::string callId; ///< gen_ai.tool.call.id or ai.toolCall.id, when the span has one
};

/// The tool call id in a span's stored attributes (JSON text), or "".
std::string toolCallIdOf(std::string_view attributesJson);

/// What to write for one tool span that is marked: status error with the reported message, and the
/// arguments and the result the model was handed where the span has none.
struct ToolSpanUpdate
{
    std::int64_t id = 0;
    std::string message;
    std::string input; ///< empty: keep the span's
    std::string output; ///< {"error": message}
};

/// Pairs a lookup's results with its candidates (ordered by start): by call id where both have one,
/// the rest in order. A failed result marks its span when the span is still unset and has no result
/// of its own (a producer that recorded the failure, or a result, is not overruled). The marked
/// candidates' spans get the error status and message, ready for BatchRollup::addFailure; returns
/// the updates and, in `marked`, the candidates they are for; `unpaired` counts the failed results
/// that found no span (not stored yet, see PendingReports).
std::vector<ToolSpanUpdate> pairResults(const ToolResultLookup &lookup, std::vector<ToolSpanRow> &candidates,
    std::vector<std::size_t> &marked, std::size_t &unpaired);

/// Model calls that reported a failed tool call whose span was not stored yet. Exporters send spans
/// as they end, in requests that a server may commit in either order, so a tool's span can arrive
/// after the model call that reported its failure. The writer keeps such calls (at most
/// `capacity`, the oldest dropped first) and looks again when a later batch brings an unset tool
/// span of the same trace. In memory: after a restart, or when another server instance stores the
/// tool span, it stays unset. Thread-safe.
class PendingReports
{
public:
    explicit PendingReports(std::size_t capacity = 1024)
        : m_capacity(capacity)
    { }
    /// Keeps what pairing needs of @p call (ids, times, the reported results), once.
    void keep(const core::Span &call);
    /// The calls kept for @p trace, taken out (the writer keeps them again if still unpaired).
    std::vector<core::Span> take(const core::TraceId &trace);
    bool empty() const;

private:
    mutable std::mutex m_mutex;
    std::size_t m_capacity;
    std::deque<core::Span> m_calls; ///< oldest first
};

} // namespace agentops::store

// SPDX-License-Identifier: MIT
#pragma once
// Tool calls that failed, as a later model call of the same trace reports them (core/failures.h):
// Google ADK hands the model {"error": ...} for a tool that raised and leaves the tool's span unset
// and empty. The writer marks the tool span as the error it was, in the model call's transaction,
// whether the tool span came in this batch or an earlier one, and corrects the trace's error count
// and the rollups. Shared by SqliteStore and PostgresStore, which find the candidates in their SQL.

#include "core/span.h"

#include <cstdint>
#include <string>
#include <vector>

namespace agentops::store {

/// One lookup: the failures of tool `tool` that model call `call` reports, in the request's order.
/// The tool spans to mark are the trace's latest tool spans of that name that are unset, have no
/// result, and ended before the call ended (the SDKs round start times, so "before it started"
/// would miss the tool that ran just before); the i-th latest answers the i-th last failure.
struct ToolFailureLookup
{
    const core::Span *call = nullptr;
    std::string tool;
    std::vector<const core::ReportedToolFailure *> failures;
};

/// The lookups for a batch's newly stored model calls, earliest call first (so that an earlier call
/// claims its tools before a later one looks).
std::vector<ToolFailureLookup> toolFailureLookups(const std::vector<const core::Span *> &calls);

/// A candidate tool span as the store found it, newest first.
struct ToolSpanRow
{
    std::int64_t id = 0; ///< the store's row id
    core::Span span; ///< the fields rollups key by (name, kind, start, models, service, agent, trace id)
    bool hasInput = false;
};

/// What to write for one tool span that is marked: status error with the reported message, and the
/// arguments and the result the model was handed where the span has none.
struct ToolSpanUpdate
{
    std::int64_t id = 0;
    std::string message;
    std::string input; ///< empty: keep the span's
    std::string output; ///< {"error": message}
};

/// Pairs a lookup's failures with its candidates (newest first): the latest candidate answers the
/// last failure. Sets each marked candidate's status and message, so its span can go to
/// BatchRollup::addFailure.
std::vector<ToolSpanUpdate> pairFailures(const ToolFailureLookup &lookup, std::vector<ToolSpanRow> &candidates);

} // namespace agentops::store

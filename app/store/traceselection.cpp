// SPDX-License-Identifier: MIT
#include "store/tracestore.h"

#include <algorithm>

namespace agentops::store {

const char *toString(TraceSelection::By by)
{
    switch (by) {
    case TraceSelection::By::Trace: return "trace";
    case TraceSelection::By::Session: return "session";
    case TraceSelection::By::User: return "user";
    }
    return "trace";
}

void checkSelection(const TraceSelection &selection, core::TraceId &traceId)
{
    const std::string what = toString(selection.by);
    if (selection.id.empty())
        throw QueryError(what + ": needs an id");
    // Session and user ids are stored cut at the value limit, but no producer sends ids this long.
    if (selection.id.size() > 1024)
        throw QueryError(what + ": an id of at most 1024 bytes, got " + std::to_string(selection.id.size()));
    if (selection.by != TraceSelection::By::Trace)
        return;
    traceId = {};
    if (selection.id.size() != 32 || !core::fromHex(selection.id, traceId)
        || std::all_of(traceId.begin(), traceId.end(), [](std::uint8_t b) { return b == 0; }))
        throw QueryError("trace: a trace id is 32 hex digits, not all zero, got '" + selection.id + "'");
}

} // namespace agentops::store

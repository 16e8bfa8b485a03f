// SPDX-License-Identifier: MIT
#pragma once
// What the spans a write batch stored change beyond their own rows, gathered as the writer learns
// which of the batch's spans were new: the rollups, and the model calls to look at for tool calls
// that failed (toolfailures.h). Shared by SqliteStore and PostgresStore.

#include "core/span.h"
#include "store/rollup.h"
#include "store/toolfailures.h"

#include <deque>
#include <set>
#include <vector>

namespace agentops::store {

class NewSpans
{
public:
    explicit NewSpans(const PendingReports &pending)
        : m_anyPending(!pending.empty())
    { }
    NewSpans(const NewSpans &) = delete;
    NewSpans &operator=(const NewSpans &) = delete;

    /// A span the batch stored (not another copy of one stored already). It outlives this.
    void add(const core::Span &s);
    /// The model calls whose tool failures to look for: the batch's own that report any, and those
    /// kept in `pending` from earlier batches for the traces to which this batch brought an unset
    /// tool span (taken out of it). Call once, after the last add.
    const std::vector<const core::Span *> &reportingCalls(PendingReports &pending);

    /// The rollup rows the new spans add to.
    rollup::BatchRollup rollups;

private:
    bool m_anyPending;
    std::vector<const core::Span *> m_calls;
    std::set<core::TraceId> m_lateToolTraces;
    std::deque<core::Span> m_pendingCalls; ///< the calls taken out of PendingReports
};

} // namespace agentops::store

// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"
#include "store/spantable.h"

#include <vector>

namespace agentops::store {

/// Puts the spans of one trace in tree order, in place: depth first from the roots, siblings by start
/// time. Spans whose parent is not in the trace (yet) start subtrees of their own and are marked in
/// orphan; a parent cycle (bad input) cannot hide spans either. depth and orphan get one entry per span.
/// For whole spans (core::Span) and a big trace's slim rows (SpanTable::Row).
template<typename SpanT>
void orderTree(std::vector<SpanT> &spans, std::vector<int> &depth, std::vector<bool> &orphan);

extern template void orderTree(std::vector<core::Span> &, std::vector<int> &, std::vector<bool> &);
extern template void orderTree(std::vector<SpanTable::Row> &, std::vector<int> &, std::vector<bool> &);

} // namespace agentops::store

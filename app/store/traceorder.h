// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <vector>

namespace agentops::store {

/// Puts the spans of one trace in tree order, in place: depth first from the roots, siblings by start
/// time. Spans whose parent is not in the trace (yet) start subtrees of their own and are marked in
/// orphan; a parent cycle (bad input) cannot hide spans either. depth and orphan get one entry per span.
void orderTree(std::vector<core::Span> &spans, std::vector<int> &depth, std::vector<bool> &orphan);

} // namespace agentops::store

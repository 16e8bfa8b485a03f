// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <memory>
#include <string>
#include <vector>

/// Spans and payloads for the details tests.
namespace detailsfixtures {

struct Convention
{
    std::string name;
    std::string payload;
    std::string expected; ///< describeMessages() of the parse, or "(not a conversation)"
};

/// One payload per message convention the conversation view reads.
std::vector<Convention> conventions();

agentops::core::Span baseSpan(int n);
/// A model call: system, user, assistant with a tool call, a tool result, and the answer.
agentops::core::Span llmSpan();
/// A tool call that timed out, with an exception event and its stack trace.
agentops::core::Span failedToolSpan();
std::shared_ptr<const agentops::store::TraceDetail> traceOf(std::vector<agentops::core::Span> spans);

} // namespace detailsfixtures

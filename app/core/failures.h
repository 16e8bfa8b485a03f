// SPDX-License-Identifier: MIT
#pragma once
// Failures that producers report without an error status: an exception event or error.type on a
// span left unset, a tool result that says it failed, and (ADK) a tool failure that only the next
// model call's request shows, as the function response handed to the model.

#include "core/span.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace agentops::core {

/// Marks a span whose status is unset as an error when the producer recorded a failure otherwise:
/// an `exception` event (message: exception.message, else exception.type), an `error.type`
/// attribute (OTel semantic conventions set it exactly when the operation failed; errorType is its
/// value), or, on a tool span, a result that reports a failure (`{"error": ...}`, as ADK hands the
/// model; MCP's `{"isError": true, ...}`). A status the producer set (ok or error) is kept.
void deriveFailureStatus(Span &span, std::string_view errorType);

/// Failure messages derived here are cut to this many bytes (on a UTF-8 boundary): a tool's error
/// can be a whole stack trace, and the message keys the error groups.
inline constexpr std::size_t kMaxFailureMessage = 512;

/// The tool results a model call's request hands the model for the first time — those after the
/// last turn in which the model asked for tools — when at least one of them failed (Gemini/ADK
/// function responses `{"error": ...}`, Anthropic `tool_result` blocks with `is_error`, AI SDK
/// `error-text`/`error-json` outputs); empty otherwise. Each with the tool's name, call id and
/// arguments from the model turn that asked for it. Cheap when the request reports no failure: the
/// text after the last tool call is scanned for the markers before anything is parsed. Never
/// throws; JSON nested deeper than the decoders accept is not parsed.
std::vector<ToolResultReport> toolResultsReportedIn(std::string_view request);

} // namespace agentops::core

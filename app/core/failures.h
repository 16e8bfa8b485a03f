// SPDX-License-Identifier: MIT
#pragma once
// Failures that producers report without an error status: an exception event or error.type on a
// span left unset, a tool result that says it failed, and (ADK) a tool failure that only the next
// model call's request shows, as the function response handed to the model.

#include "core/span.h"

#include <string_view>
#include <vector>

namespace agentops::core {

/// Marks a span whose status is unset as an error when the producer recorded a failure otherwise:
/// an `exception` event (message: exception.message, else exception.type), an `error.type`
/// attribute (OTel semantic conventions set it exactly when the operation failed; errorType is its
/// value), or, on a tool span, a result that reports a failure (`{"error": ...}`, as ADK hands the
/// model; MCP's `{"isError": true, ...}`). A status the producer set (ok or error) is kept.
void deriveFailureStatus(Span &span, std::string_view errorType);

/// The tool calls whose failure a model call's request reports to the model: the tool results after
/// the request's last model turn that say they failed (Gemini/ADK function responses
/// `{"error": ...}`, Anthropic `tool_result` blocks with `is_error`, AI SDK `error-text`/`error-json`
/// outputs), with the tool's name, call id and arguments from the model turn that asked for them.
/// Cheap when the request holds none (a substring check before any parsing); never throws.
std::vector<ReportedToolFailure> toolFailuresReportedIn(std::string_view request);

} // namespace agentops::core

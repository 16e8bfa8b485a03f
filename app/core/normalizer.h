// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

namespace agentops::core {

/// Derives the canonical fields of a span (kind, models, provider, agent and tool names, tokens,
/// input/output payloads, session and user) from its raw attributes, events and name, reading every
/// convention family the product understands: OpenTelemetry GenAI (current and older names),
/// OpenInference, Vercel AI SDK, Traceloop/OpenLLMetry and Google ADK. Precedence between families
/// is that of DESIGN.md. Fields that are already set (by the native API) are left alone; raw
/// attributes are never removed.
void normalizeSpan(Span &span);

} // namespace agentops::core

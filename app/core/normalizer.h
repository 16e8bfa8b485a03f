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
///
/// Token counts come out canonical (see TokenUsage): a producer's input count is taken to include its
/// cache reads and writes, and its output count its reasoning, as the OTel GenAI conventions ask,
/// unless the producer is known not to (AI SDK <= 5 with Anthropic, Gemini's thoughts in ADK) or the
/// numbers prove otherwise (a part larger than the whole, a reported total that only adds up with the
/// parts on top). Flattened message attributes and message events are rebuilt into JSON arrays.
void normalizeSpan(Span &span);

} // namespace agentops::core

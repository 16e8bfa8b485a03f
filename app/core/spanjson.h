// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::core {

/// JSON spellings of the span model, shared by the store (attribute columns), the query API and the
/// clients that read it back. Writers append compact JSON; readers never throw and return false
/// (with the reason in error) on text they cannot read.

/// Appends s as a JSON string literal (quoted, escaped; invalid UTF-8 replaced by U+FFFD).
void appendJsonString(std::string &out, std::string_view s);
/// Appends d as a JSON number in its shortest exact form; NaN and the infinities, which JSON has no
/// number for, as the strings "NaN", "Infinity" and "-Infinity".
void appendJsonDouble(std::string &out, double d);

/// Appends attrs as one JSON object ({"key": value, ...}), leaving out the attributes at the indexes
/// in skip (ascending); Json values are embedded as they are.
void appendAttributesJson(std::string &out, const Attributes &attrs, std::span<const std::size_t> skip = {});
std::string attributesToJson(const Attributes &attrs);

void appendEventsJson(std::string &out, const std::vector<SpanEvent> &events);
void appendLinksJson(std::string &out, const std::vector<SpanLink> &links);

bool attributesFromJson(std::string_view json, Attributes &out, std::string *error = nullptr);
bool eventsFromJson(std::string_view json, std::vector<SpanEvent> &out, std::string *error = nullptr);
bool linksFromJson(std::string_view json, std::vector<SpanLink> &out, std::string *error = nullptr);

/// The query API's span object (docs/api.md "Span"). depth/orphan are the tree position in a trace.
void appendSpanApiJson(std::string &out, const Span &span, int depth, bool orphan);
/// The query API's trace summary object (docs/api.md "TraceSummary").
void appendSummaryApiJson(std::string &out, const TraceSummary &summary);
/// Appends `,"cost_usd":…,"priced_spans":…,"unpriced_spans":…` for a total (trace, session, time
/// bucket): the cost is null when none of its spans was priced, never a silent 0.
void appendTotalCostJson(std::string &out, double costUsd, std::int64_t pricedSpans, std::int64_t unpricedSpans);

/// True when JSON text nests arrays/objects deeper than limit. A cheap scan run before handing
/// untrusted text to a recursive parser, so no input can recurse without bound.
bool jsonNestingExceeds(std::string_view text, std::size_t limit);

/// The four hex digits of a JSON \u escape at text[pos], pos moved past them; false when they
/// are not four hex digits.
bool readJsonHex4(std::string_view text, std::size_t &pos, std::uint32_t &codePoint);
/// Appends a code point as UTF-8.
void appendUtf8(std::string &out, std::uint32_t codePoint);

/// "2026-11-25T17:48:56.123456789Z" for nanoseconds since the epoch.
std::string formatRfc3339Nanos(std::int64_t ns);
/// Parses RFC 3339 ("2026-11-25T17:48:56Z", fractions to ns, "+02:00" offsets) into ns since epoch.
bool parseRfc3339Nanos(std::string_view text, std::int64_t &ns);

} // namespace agentops::core

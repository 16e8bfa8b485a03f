// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace agentops::store {

/// The spans of a big trace as the waterfall draws, searches and compares them: one slim record a
/// span (~130 bytes against ~800 for a core::Span with its strings), its names and services
/// interned. A span's payloads, attributes, events and resource are read on demand
/// (TraceStore::span()).
struct SpanTable
{
    /// Token counts as in core::TokenUsage; a count is reported when its bit in `tokens_present` is set.
    enum TokenBit : std::uint8_t { Input = 1, Output = 2, Total = 4, CacheRead = 8, CacheWrite = 16, Reasoning = 32 };

    struct Row
    {
        core::SpanId span_id {};
        core::SpanId parent_span_id {}; ///< all zero: a root span
        std::int64_t start_ns = 0;
        std::int64_t end_ns = 0;
        std::int64_t tokens[6] {}; ///< input, output, total, cache_read, cache_write, reasoning
        double cost_usd = 0; ///< when has_cost
        /// Indexes into SpanTable::strings (0: empty).
        std::uint32_t name = 0;
        std::uint32_t service = 0;
        std::uint32_t request_model = 0;
        std::uint32_t response_model = 0;
        std::uint32_t provider = 0;
        std::uint32_t agent = 0;
        std::uint32_t tool = 0;
        std::uint32_t status_message = 0;
        core::SpanKind kind = core::SpanKind::Other;
        core::StatusCode status = core::StatusCode::Unset;
        std::uint8_t tokens_present = 0; ///< TokenBit flags
        bool has_cost = false;

        bool isRoot() const { return core::isZero(parent_span_id); }
        /// The model to show and price: the one that answered, else the one asked for.
        std::uint32_t model() const { return response_model != 0 ? response_model : request_model; }
    };

    std::vector<Row> rows;
    std::vector<std::string> strings { std::string() }; ///< strings[0] is the empty string

    std::size_t size() const { return rows.size(); }
    std::string_view text(std::uint32_t id) const { return strings[id]; }
    /// The span as a narrow core::Span: the fields of the row, nothing else (no payloads,
    /// attributes, events, links, resource, scope, session or user).
    core::Span span(std::size_t i, const core::TraceId &traceId) const;
    /// Every span, as span(i).
    std::vector<core::Span> spans(const core::TraceId &traceId) const;

    /// A row of a core::Span, its strings interned through `intern`.
    template<typename Intern>
    static Row rowOf(const core::Span &s, Intern &&intern);
    /// The table of whole or narrow spans (in their order).
    static SpanTable fromSpans(const std::vector<core::Span> &spans);
    /// Appends other's rows, re-interning their strings into this table's.
    void append(SpanTable &&other);
};

/// Gives each distinct string a number, the first time it is seen, in the table's `strings`.
class StringInterner
{
public:
    explicit StringInterner(std::vector<std::string> &strings);
    std::uint32_t operator()(std::string_view text);

private:
    std::vector<std::string> &m_strings;
    /// The map's keys: copies that never move (a short string's bytes move with a std::string).
    std::deque<std::string> m_keys;
    std::unordered_map<std::string_view, std::uint32_t> m_ids;
};

template<typename Intern>
SpanTable::Row SpanTable::rowOf(const core::Span &s, Intern &&intern)
{
    Row r;
    r.span_id = s.span_id;
    r.parent_span_id = s.parent_span_id;
    r.start_ns = s.start_ns;
    r.end_ns = s.end_ns;
    const std::optional<std::int64_t> *counts[6] = { &s.tokens.input, &s.tokens.output, &s.tokens.total,
        &s.tokens.cache_read, &s.tokens.cache_write, &s.tokens.reasoning };
    for (int k = 0; k < 6; ++k) {
        if (*counts[k]) {
            r.tokens[k] = **counts[k];
            r.tokens_present |= std::uint8_t(1u << k);
        }
    }
    r.has_cost = s.cost_usd.has_value();
    r.cost_usd = s.cost_usd.value_or(0);
    r.name = intern(s.name);
    r.service = intern(s.service_name);
    r.request_model = intern(s.request_model);
    r.response_model = intern(s.response_model);
    r.provider = intern(s.provider);
    r.agent = intern(s.agent_name);
    r.tool = intern(s.tool_name);
    r.status_message = intern(s.status_message);
    r.kind = s.kind;
    r.status = s.status;
    return r;
}

} // namespace agentops::store

// SPDX-License-Identifier: MIT
#include "store/spantable.h"

namespace agentops::store {

StringInterner::StringInterner(std::vector<std::string> &strings)
    : m_strings(strings)
{
    if (m_strings.empty())
        m_strings.emplace_back();
    for (std::uint32_t i = 0; i < m_strings.size(); ++i)
        m_ids.emplace(m_keys.emplace_back(m_strings[i]), i);
}

std::uint32_t StringInterner::operator()(std::string_view text)
{
    if (text.empty())
        return 0;
    if (const auto it = m_ids.find(text); it != m_ids.end())
        return it->second;
    const auto id = static_cast<std::uint32_t>(m_strings.size());
    m_strings.emplace_back(text);
    m_ids.emplace(m_keys.emplace_back(text), id);
    return id;
}

core::Span SpanTable::span(std::size_t i, const core::TraceId &traceId) const
{
    const Row &r = rows[i];
    core::Span s;
    s.trace_id = traceId;
    s.span_id = r.span_id;
    s.parent_span_id = r.parent_span_id;
    s.start_ns = r.start_ns;
    s.end_ns = r.end_ns;
    s.kind = r.kind;
    s.status = r.status;
    s.name = strings[r.name];
    s.service_name = strings[r.service];
    s.request_model = strings[r.request_model];
    s.response_model = strings[r.response_model];
    s.provider = strings[r.provider];
    s.agent_name = strings[r.agent];
    s.tool_name = strings[r.tool];
    s.status_message = strings[r.status_message];
    std::optional<std::int64_t> *counts[6] = { &s.tokens.input, &s.tokens.output, &s.tokens.total, &s.tokens.cache_read,
        &s.tokens.cache_write, &s.tokens.reasoning };
    for (int k = 0; k < 6; ++k)
        if (r.tokens_present & (1u << k))
            *counts[k] = r.tokens[k];
    if (r.has_cost)
        s.cost_usd = r.cost_usd;
    return s;
}

std::vector<core::Span> SpanTable::spans(const core::TraceId &traceId) const
{
    std::vector<core::Span> out;
    out.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        out.push_back(span(i, traceId));
    return out;
}

SpanTable SpanTable::fromSpans(const std::vector<core::Span> &spans)
{
    SpanTable table;
    StringInterner intern(table.strings);
    table.rows.reserve(spans.size());
    for (const core::Span &s : spans)
        table.rows.push_back(rowOf(s, intern));
    return table;
}

void SpanTable::append(SpanTable &&other)
{
    StringInterner intern(strings);
    std::vector<std::uint32_t> map(other.strings.size());
    for (std::size_t i = 0; i < other.strings.size(); ++i)
        map[i] = intern(other.strings[i]);
    rows.reserve(rows.size() + other.rows.size());
    for (Row r : other.rows) {
        for (std::uint32_t *id : { &r.name, &r.service, &r.request_model, &r.response_model, &r.provider, &r.agent,
                 &r.tool, &r.status_message })
            *id = map[*id];
        rows.push_back(r);
    }
    other = SpanTable();
}

} // namespace agentops::store

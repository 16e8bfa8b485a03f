// SPDX-License-Identifier: MIT
#include "ingest/decoderesult.h"

#include <algorithm>
#include <utility>

namespace agentops::ingest {

namespace {

std::size_t storageBytes(const core::Attributes &attrs)
{
    std::size_t n = attrs.capacity() * sizeof(core::Attribute);
    for (const auto &a : attrs)
        n += a.key.capacity() + a.value.s.capacity();
    return n;
}

/// What a span would hand on to the next one decoded into its storage.
std::size_t storageBytes(const core::Span &s)
{
    return s.name.capacity() + s.trace_state.capacity() + s.status_message.capacity() + s.service_name.capacity()
        + s.scope_name.capacity() + s.scope_version.capacity() + s.request_model.capacity()
        + s.response_model.capacity() + s.provider.capacity() + s.agent_name.capacity() + s.tool_name.capacity()
        + s.price_ref.capacity() + s.input.capacity() + s.output.capacity() + s.session_id.capacity()
        + s.user_id.capacity() + storageBytes(s.attributes) + storageBytes(s.resource);
}

/// Back to a default span, its strings and attribute lists keeping their storage (attributes its
/// elements too; see DecodeResult::addSpan). Field by field: building a default span and moving it
/// in cost more than the rest of a span's decoding bookkeeping. A field added to core::Span must be
/// reset here too (the size check below is there to say so).
void reset(core::Span &span)
{
#if defined(__GLIBCXX__) && defined(__x86_64__)
    static_assert(sizeof(core::Span) == 824, "core::Span changed: reset the new field here, then update the size");
#endif
    span.trace_id = {};
    span.span_id = {};
    span.parent_span_id = {};
    span.trace_state.clear();
    span.name.clear();
    span.kind = core::SpanKind::Other;
    span.otel_kind = 0;
    span.start_ns = 0;
    span.end_ns = 0;
    span.status = core::StatusCode::Unset;
    span.status_message.clear();
    span.service_name.clear();
    span.scope_name.clear();
    span.scope_version.clear();
    span.request_model.clear();
    span.response_model.clear();
    span.provider.clear();
    span.agent_name.clear();
    span.tool_name.clear();
    span.tokens = {};
    span.cost_usd.reset();
    span.price_ref.clear();
    span.input.clear();
    span.output.clear();
    span.session_id.clear();
    span.user_id.clear();
    // attributes: kept, elements and all, for the decoder to overwrite.
    span.events.clear();
    span.links.clear();
    // The resource is assigned as a whole (vector copy-assignment reuses its elements' storage).
    span.dropped_attributes = 0;
    span.dropped_events = 0;
    span.dropped_links = 0;
    span.reported_tool_results.clear();
}

} // namespace

void DecodeResult::countStorage()
{
    if (m_counted.size() > spans.size()) // the caller took spans out
        m_counted.resize(spans.size());
    for (std::size_t i = m_counted.size(); i < spans.size(); ++i)
        m_counted.push_back(storageBytes(spans[i]));
}

void DecodeResult::clear() noexcept
{
    errors.clear();
    rejected = 0;
    std::fill(redactions.begin(), redactions.end(), 0);
    try {
        keepStorage();
    } catch (...) {
        release(); // out of memory: keep nothing
    }
}

void DecodeResult::release() noexcept
{
    std::vector<core::Span>().swap(spans);
    std::vector<core::Span>().swap(m_spare);
    std::vector<std::size_t>().swap(m_counted);
    std::vector<std::size_t>().swap(m_spareBytes);
    m_nextSpare = 0;
}

void DecodeResult::keepStorage()
{
    // A request of unusually many spans leaves nothing behind, its span vectors included.
    if (std::max(spans.capacity(), m_spare.capacity()) > kKeptSpans) {
        release();
        return;
    }
    countStorage();
    // The spans go back to the places of the spares they were decoded into, in their order (the
    // spans of a client's next request tend to look like those of its last one, position by
    // position), ahead of the spares not handed out this time. Events and links are rare: not kept.
    auto keep = [this](std::size_t to, std::size_t from) {
        core::Span &span = m_spare[to] = std::move(spans[from]);
        std::vector<core::SpanEvent>().swap(span.events);
        std::vector<core::SpanLink>().swap(span.links);
        m_spareBytes[to] = m_counted[from];
    };
    const std::size_t back = std::min(spans.size(), m_nextSpare);
    for (std::size_t i = 0; i < back; ++i)
        keep(i, i);
    if (back < m_nextSpare) { // spans were dropped or taken out: their places go
        m_spare.erase(m_spare.begin() + std::ptrdiff_t(back), m_spare.begin() + std::ptrdiff_t(m_nextSpare));
        m_spareBytes.erase(
            m_spareBytes.begin() + std::ptrdiff_t(back), m_spareBytes.begin() + std::ptrdiff_t(m_nextSpare));
    }
    for (std::size_t i = back; i < spans.size(); ++i) {
        m_spare.emplace_back();
        m_spareBytes.push_back(0);
        keep(m_spare.size() - 1, i);
    }
    spans.clear();
    m_counted.clear();
    m_nextSpare = 0;

    // Within kKeptSpanBytes, the vectors themselves counted; the spans at the end go first.
    std::size_t total = (spans.capacity() + m_spare.capacity()) * sizeof(core::Span)
        + (m_counted.capacity() + m_spareBytes.capacity()) * sizeof(std::size_t);
    for (const std::size_t bytes : m_spareBytes)
        total += bytes;
    while (total > kKeptSpanBytes && !m_spare.empty()) {
        total -= m_spareBytes.back();
        m_spareBytes.pop_back();
        m_spare.pop_back();
    }
}

core::Span &DecodeResult::addSpan()
{
    // The span decoded last is counted now, while it is still in the cache.
    countStorage();
    if (m_nextSpare == m_spare.size())
        return spans.emplace_back();
    core::Span &span = spans.emplace_back(std::move(m_spare[m_nextSpare++]));
    reset(span);
    return span;
}

void DecodeResult::dropLastSpan()
{
    spans.pop_back();
    if (m_counted.size() > spans.size())
        m_counted.pop_back();
}

} // namespace agentops::ingest

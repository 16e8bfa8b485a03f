// SPDX-License-Identifier: MIT
#include "ingest/decode.h"

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
/// elements too; see DecodeResult::addSpan). Built from a default span, so a field added to
/// core::Span later starts out default here as well.
void reset(core::Span &span)
{
    core::Span fresh;
    auto keep = [](std::string &from, std::string &to) {
        from.clear();
        to.swap(from);
    };
    keep(span.trace_state, fresh.trace_state);
    keep(span.name, fresh.name);
    keep(span.status_message, fresh.status_message);
    keep(span.service_name, fresh.service_name);
    keep(span.scope_name, fresh.scope_name);
    keep(span.scope_version, fresh.scope_version);
    keep(span.request_model, fresh.request_model);
    keep(span.response_model, fresh.response_model);
    keep(span.provider, fresh.provider);
    keep(span.agent_name, fresh.agent_name);
    keep(span.tool_name, fresh.tool_name);
    keep(span.price_ref, fresh.price_ref);
    keep(span.input, fresh.input);
    keep(span.output, fresh.output);
    keep(span.session_id, fresh.session_id);
    keep(span.user_id, fresh.user_id);
    fresh.attributes.swap(span.attributes);
    // The resource is assigned as a whole (vector copy-assignment reuses its elements' storage).
    fresh.resource.swap(span.resource);
    span = std::move(fresh);
}

} // namespace

void DecodeResult::clear()
{
    errors.clear();
    rejected = 0;
    std::size_t kept = 0;
    for (const auto &s : m_spare)
        kept += storageBytes(s);
    // Kept in reverse, so that addSpan() hands the first span's storage out first: the spans of a
    // client's next request tend to look like those of its last one.
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        const std::size_t bytes = storageBytes(*it);
        if (kept + bytes > kKeptSpanBytes)
            break;
        kept += bytes;
        m_spare.push_back(std::move(*it));
    }
    spans.clear();
}

core::Span &DecodeResult::addSpan()
{
    if (m_spare.empty())
        return spans.emplace_back();
    core::Span &span = spans.emplace_back(std::move(m_spare.back()));
    m_spare.pop_back();
    reset(span);
    return span;
}

void DecodeResult::dropLastSpan()
{
    m_spare.push_back(std::move(spans.back()));
    spans.pop_back();
}

} // namespace agentops::ingest

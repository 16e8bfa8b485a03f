// SPDX-License-Identifier: MIT
#include "store/toolfailures.h"

#include "core/spanjson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace agentops::store {

std::vector<ToolResultLookup> toolResultLookups(const std::vector<const core::Span *> &calls)
{
    std::vector<const core::Span *> sorted = calls;
    std::ranges::stable_sort(sorted, {}, &core::Span::start_ns);
    std::vector<ToolResultLookup> out;
    for (const core::Span *call : sorted) {
        std::map<std::string, std::size_t> byTool;
        for (const auto &r : call->reported_tool_results) {
            auto [it, added] = byTool.try_emplace(r.tool_name, out.size());
            if (added)
                out.push_back({ call, r.tool_name, {} });
            out[it->second].results.push_back(&r);
        }
    }
    std::erase_if(out,
        [](const ToolResultLookup &l) { return std::ranges::none_of(l.results, &core::ToolResultReport::failed); });
    return out;
}

std::string toolCallIdOf(std::string_view attributesJson)
{
    if (attributesJson.find("tool.call.id") == std::string_view::npos
        && attributesJson.find("toolCall.id") == std::string_view::npos)
        return {};
    if (core::jsonNestingExceeds(attributesJson, 256))
        return {};
    try {
        const auto attrs = nlohmann::json::parse(attributesJson, nullptr, false);
        if (!attrs.is_object())
            return {};
        for (const char *key : { "gen_ai.tool.call.id", "ai.toolCall.id" })
            if (auto it = attrs.find(key); it != attrs.end() && it->is_string())
                return it->get<std::string>();
    } catch (const std::exception &) { }
    return {};
}

std::vector<ToolSpanUpdate> pairResults(const ToolResultLookup &lookup, std::vector<ToolSpanRow> &candidates,
    std::vector<std::size_t> &marked, std::size_t &unpaired)
{
    const std::size_t none = candidates.size();
    std::vector<std::size_t> pairOf(lookup.results.size(), none);
    std::vector<bool> taken(candidates.size());
    // The model's call ids first, where the span records one too.
    for (std::size_t r = 0; r < lookup.results.size(); ++r) {
        const auto &id = lookup.results[r]->call_id;
        if (id.empty())
            continue;
        for (std::size_t c = 0; c < candidates.size(); ++c)
            if (!taken[c] && candidates[c].callId == id) {
                pairOf[r] = c;
                taken[c] = true;
                break;
            }
    }
    // The rest in order: the k-th result answers the k-th call made (two different ids never pair).
    for (std::size_t r = 0; r < lookup.results.size(); ++r) {
        if (pairOf[r] != none)
            continue;
        const bool hasId = !lookup.results[r]->call_id.empty();
        for (std::size_t c = 0; c < candidates.size(); ++c)
            if (!taken[c] && !(hasId && !candidates[c].callId.empty())) {
                pairOf[r] = c;
                taken[c] = true;
                break;
            }
    }

    std::vector<ToolSpanUpdate> updates;
    marked.clear();
    unpaired = 0;
    for (std::size_t r = 0; r < lookup.results.size(); ++r) {
        const core::ToolResultReport &result = *lookup.results[r];
        if (result.failed && pairOf[r] == none)
            ++unpaired;
        if (!result.failed || pairOf[r] == none)
            continue;
        ToolSpanRow &row = candidates[pairOf[r]];
        if (row.span.status != core::StatusCode::Unset || row.hasOutput)
            continue; // the producer said how it ended: its word stands
        ToolSpanUpdate u;
        u.id = row.id;
        u.message = result.message;
        if (!row.hasInput)
            u.input = result.arguments;
        nlohmann::json answer;
        answer["error"] = result.message;
        u.output = answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        row.span.status = core::StatusCode::Error;
        row.span.status_message = result.message;
        updates.push_back(std::move(u));
        marked.push_back(pairOf[r]);
    }
    return updates;
}

void PendingReports::keep(const core::Span &call)
{
    std::lock_guard lock(m_mutex);
    for (const core::Span &kept : m_calls)
        if (kept.trace_id == call.trace_id && kept.span_id == call.span_id)
            return;
    core::Span &kept = m_calls.emplace_back();
    kept.trace_id = call.trace_id;
    kept.span_id = call.span_id;
    kept.kind = call.kind;
    kept.start_ns = call.start_ns;
    kept.end_ns = call.end_ns;
    kept.reported_tool_results = call.reported_tool_results;
    if (m_calls.size() > m_capacity)
        m_calls.pop_front();
}

std::vector<core::Span> PendingReports::take(const core::TraceId &trace)
{
    std::lock_guard lock(m_mutex);
    std::vector<core::Span> out;
    for (auto it = m_calls.begin(); it != m_calls.end();) {
        if (it->trace_id == trace) {
            out.push_back(std::move(*it));
            it = m_calls.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

bool PendingReports::empty() const
{
    std::lock_guard lock(m_mutex);
    return m_calls.empty();
}

} // namespace agentops::store

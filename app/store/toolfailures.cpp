// SPDX-License-Identifier: MIT
#include "store/toolfailures.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace agentops::store {

std::vector<ToolFailureLookup> toolFailureLookups(const std::vector<const core::Span *> &calls)
{
    std::vector<const core::Span *> sorted = calls;
    std::ranges::stable_sort(sorted, {}, &core::Span::start_ns);
    std::vector<ToolFailureLookup> out;
    for (const core::Span *call : sorted) {
        std::map<std::string, std::size_t> byTool;
        for (const auto &f : call->reported_tool_failures) {
            auto [it, added] = byTool.try_emplace(f.tool_name, out.size());
            if (added)
                out.push_back({ call, f.tool_name, {} });
            out[it->second].failures.push_back(&f);
        }
    }
    return out;
}

std::vector<ToolSpanUpdate> pairFailures(const ToolFailureLookup &lookup, std::vector<ToolSpanRow> &candidates)
{
    std::vector<ToolSpanUpdate> updates;
    const std::size_t n = std::min(lookup.failures.size(), candidates.size());
    for (std::size_t k = 0; k < n; ++k) {
        ToolSpanRow &row = candidates[k];
        const core::ReportedToolFailure &f = *lookup.failures[lookup.failures.size() - 1 - k];
        ToolSpanUpdate u;
        u.id = row.id;
        u.message = f.message;
        if (!row.hasInput)
            u.input = f.arguments;
        nlohmann::json result;
        result["error"] = f.message;
        u.output = result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        row.span.status = core::StatusCode::Error;
        row.span.status_message = f.message;
        updates.push_back(std::move(u));
    }
    return updates;
}

} // namespace agentops::store

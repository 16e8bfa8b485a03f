// SPDX-License-Identifier: MIT
#pragma once
// What one write batch adds to one trace's summary: shared by SqliteStore and PostgresStore, which
// add it to the stored row in their own SQL.

#include "core/span.h"
#include "core/usage.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace agentops::store {

/// Separates the items of a summary's set columns (models, agents).
inline constexpr char kSetSeparator = '\x1f';

/// What one batch adds to one trace's summary. Views point into the batch's spans.
struct TraceDelta
{
    const core::Span *root = nullptr;
    const core::Span *earliest = nullptr;
    std::int64_t start = INT64_MAX;
    std::int64_t end = INT64_MIN;
    std::int64_t spans = 0;
    std::int64_t errors = 0;
    core::UsageTotals usage; ///< tokens and cost of the spans that count (core/usage.h)
    std::set<std::string_view> models;
    std::set<std::string_view> agents;
    std::int64_t kinds = 0; ///< bit set of the span kinds
    std::string_view session;
    std::string_view user;

    void add(const core::Span &s)
    {
        if (s.isRoot() && !root)
            root = &s;
        if (!earliest || s.start_ns < earliest->start_ns)
            earliest = &s;
        start = std::min(start, s.start_ns);
        end = std::max(end, std::max(s.end_ns, s.start_ns));
        ++spans;
        if (s.status == core::StatusCode::Error)
            ++errors;
        usage.add(s);
        if (!s.model().empty())
            models.insert(s.model());
        if (!s.agent_name.empty())
            agents.insert(s.agent_name);
        kinds |= std::int64_t(1) << static_cast<int>(s.kind);
        if (session.empty())
            session = s.session_id;
        if (user.empty())
            user = s.user_id;
    }
};

/// The items of a set joined by kSetSeparator, into out (cleared first).
inline void joinSet(std::string &out, const std::set<std::string_view> &items)
{
    out.clear();
    for (const auto &item : items) {
        if (!out.empty())
            out.push_back(kSetSeparator);
        out += item;
    }
}

} // namespace agentops::store

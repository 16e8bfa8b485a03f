// SPDX-License-Identifier: MIT
#include "spansearch.h"

#include "core/text.h"
#include "store/tracestore.h"
#include "waterfalldata.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>

namespace agentops::ui {

std::size_t SpanSearchIndex::RecordHash::operator()(const RecordKey &key) const noexcept
{
    return std::hash<std::string_view>()(std::string_view(text->data() + key.start, key.size)) ^ std::size_t(key.error);
}

bool SpanSearchIndex::RecordEqual::operator()(const RecordKey &a, const RecordKey &b) const noexcept
{
    return a.error == b.error && a.size == b.size
        && std::memcmp(text->data() + a.start, text->data() + b.start, a.size) == 0;
}

namespace {

/// ASCII case folding (as core::asciiLower) is enough for span names, kinds and model ids, and keeps
/// a search to plain byte compares.
void appendFolded(std::string &out, std::string_view text)
{
    const std::size_t at = out.size();
    out.append(text);
    std::transform(out.begin() + std::ptrdiff_t(at), out.end(), out.begin() + std::ptrdiff_t(at), core::asciiLowerChar);
    out.push_back('\0');
}

bool wanted(const std::function<bool()> &cancelled)
{
    return !cancelled || !cancelled();
}

/// The kept spans to expand, in tree order, so that the matches show from the first on until the
/// rows laid out would exceed the budget (the first match always shows).
std::vector<int> expansionFor(const SpanTree &kept, const std::vector<int> &matches, int budget)
{
    std::vector<int> out;
    std::vector<std::uint8_t> open(std::size_t(kept.size()), 0);
    std::vector<int> path;
    std::int64_t rows = std::int64_t(kept.roots.size());
    for (std::size_t k = 0; k < matches.size(); ++k) {
        path.clear();
        std::int64_t cost = 0;
        for (int p = kept.parent[matches[k]]; p >= 0 && !open[p]; p = kept.parent[p]) {
            path.push_back(p);
            cost += kept.childCount(p);
        }
        if (k > 0 && rows + cost > budget)
            break;
        rows += cost;
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
            open[*it] = 1;
            out.push_back(*it);
        }
    }
    return out;
}

/// Hash of a slim span's searchable fields (their string numbers, kind and failure).
struct FieldsHash
{
    std::size_t operator()(const std::array<std::uint32_t, 8> &f) const noexcept
    {
        std::size_t h = 0;
        for (const std::uint32_t v : f)
            h = h * 0x9E3779B97F4A7C15ull + v;
        return h;
    }
};

} // namespace

/// Appends span i's record to the index's text (via append(text, span)), or finds an equal one.
template<typename AppendFields>
std::uint32_t SpanSearchIndex::addRecord(RecordMap &records, bool error, AppendFields &&append)
{
    const std::size_t start = m_text.size();
    append(m_text);
    const auto next = std::uint32_t(m_recordError.size());
    const auto [it, added] = records.try_emplace(RecordKey { start, m_text.size() - start, error }, next);
    if (added) {
        m_recordStart.push_back(m_text.size());
        m_recordError.push_back(error);
    } else {
        m_text.resize(start);
    }
    return it->second;
}

std::unique_ptr<const SpanSearchIndex> SpanSearchIndex::build(const store::TraceDetail &trace)
{
    auto index = std::make_unique<SpanSearchIndex>();
    index->m_spanRecord.resize(trace.spanCount());
    index->m_recordStart.push_back(0);
    RecordMap records(1024, RecordHash { &index->m_text }, RecordEqual { &index->m_text });
    if (trace.slim()) {
        // Spans with the same names share their string numbers: the text of each combination is
        // folded once.
        const store::SpanTable &table = trace.table;
        std::unordered_map<std::array<std::uint32_t, 8>, std::uint32_t, FieldsHash> seen;
        for (std::size_t i = 0; i < table.rows.size(); ++i) {
            const store::SpanTable::Row &s = table.rows[i];
            const bool error = s.status == core::StatusCode::Error;
            const std::array<std::uint32_t, 8> fields { s.name, std::uint32_t(s.kind), s.model(), s.tool, s.agent,
                s.service, s.status_message, std::uint32_t(error) };
            auto [it, added] = seen.try_emplace(fields, 0);
            if (added) {
                it->second = index->addRecord(records, error, [&](std::string &text) {
                    appendFolded(text, table.text(s.name));
                    appendFolded(text, core::toString(s.kind));
                    appendFolded(text, table.text(s.model()));
                    appendFolded(text, table.text(s.tool));
                    appendFolded(text, table.text(s.agent));
                    appendFolded(text, table.text(s.service));
                    appendFolded(text, table.text(s.status_message));
                });
            }
            index->m_spanRecord[i] = it->second;
        }
    } else {
        for (std::size_t i = 0; i < trace.spans.size(); ++i) {
            const core::Span &s = trace.spans[i];
            index->m_spanRecord[i]
                = index->addRecord(records, s.status == core::StatusCode::Error, [&](std::string &text) {
                      appendFolded(text, s.name);
                      appendFolded(text, core::toString(s.kind));
                      appendFolded(text, s.model());
                      appendFolded(text, s.tool_name);
                      appendFolded(text, s.agent_name);
                      appendFolded(text, s.service_name);
                      appendFolded(text, s.status_message);
                  });
        }
    }
    index->m_text.shrink_to_fit();
    return index;
}

LazySpanSearchIndex::LazySpanSearchIndex(std::shared_ptr<const store::TraceDetail> trace)
    : m_trace(std::move(trace))
{ }

LazySpanSearchIndex::~LazySpanSearchIndex() = default;

const SpanSearchIndex &LazySpanSearchIndex::get() const
{
    std::call_once(m_once, [this] {
        static const store::TraceDetail empty;
        m_index = SpanSearchIndex::build(m_trace ? *m_trace : empty);
    });
    return *m_index;
}

std::vector<int> SpanSearchIndex::find(std::string_view needle, const std::function<bool()> &cancelled) const
{
    std::vector<int> out;
    if (needle.empty())
        return out;
    std::vector<std::uint8_t> hit(recordCount(), 0);
    const std::string_view text(m_text);
    for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at)) {
        // The record holding the hit; the search goes on after it, one hit a record is enough.
        const auto next = std::upper_bound(m_recordStart.begin(), m_recordStart.end(), at);
        hit[std::size_t(next - m_recordStart.begin()) - 1] = 1;
        at = *next;
    }
    if (std::string_view("error").find(needle) != std::string_view::npos) {
        for (std::size_t r = 0; r < hit.size(); ++r)
            hit[r] |= m_recordError[r];
    }
    if (!wanted(cancelled))
        return {};
    for (std::size_t i = 0; i < m_spanRecord.size(); ++i) {
        if (hit[m_spanRecord[i]])
            out.push_back(int(i));
    }
    return out;
}

std::string SpanFilter::needleOf(const QString &text)
{
    return core::asciiLower(text.trimmed().toStdString());
}

std::shared_ptr<const SpanFilter> SpanFilter::compute(std::shared_ptr<const WaterfallData> data, const QString &text,
    int expandRowBudget, const std::function<bool()> &cancelled)
{
    const QString trimmed = text.trimmed();
    if (!data || trimmed.isEmpty())
        return nullptr;
    const SpanSearchIndex &index = data->searchIndex();
    if (!wanted(cancelled))
        return nullptr;
    auto filter = std::make_shared<SpanFilter>();
    filter->text = trimmed;
    filter->matches = index.find(needleOf(trimmed), cancelled);
    if (!wanted(cancelled))
        return nullptr;
    // Children come after their parents: walking up from each match until an ancestor already
    // marked touches every kept span once.
    const SpanTree &full = data->tree;
    filter->state.assign(std::size_t(full.size()), 0);
    for (const int m : filter->matches) {
        filter->state[m] |= 1;
        for (int p = full.parent[m]; p >= 0 && !(filter->state[p] & 2); p = full.parent[p])
            filter->state[p] |= 2;
    }
    filter->tree = keptTree(full, filter->state);
    if (!wanted(cancelled))
        return nullptr;
    filter->expand = expansionFor(filter->tree, filter->matches, expandRowBudget);
    filter->data = std::move(data);
    return filter;
}

SpanTree keptTree(const SpanTree &full, const std::vector<std::uint8_t> &keep)
{
    const int n = full.size();
    SpanTree tree;
    tree.parent = full.parent;
    tree.row.assign(std::size_t(n), -1);
    tree.childBegin.assign(std::size_t(n) + 1, 0);
    // First count each span's kept children (in childBegin[p + 1]), then turn the counts into offsets.
    for (int i = 0; i < n; ++i) {
        if (!keep[i])
            continue;
        if (const int p = full.parent[i]; p >= 0) {
            tree.row[i] = tree.childBegin[p + 1]++;
        } else {
            tree.row[i] = int(tree.roots.size());
            tree.roots.push_back(i);
        }
    }
    for (int i = 0; i < n; ++i)
        tree.childBegin[i + 1] += tree.childBegin[i];
    tree.children.resize(std::size_t(tree.childBegin[n]));
    for (int i = 0; i < n; ++i) {
        if (const int p = full.parent[i]; keep[i] && p >= 0)
            tree.children[tree.childBegin[p] + tree.row[i]] = i;
    }
    return tree;
}

} // namespace agentops::ui

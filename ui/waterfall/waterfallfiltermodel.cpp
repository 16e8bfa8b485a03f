// SPDX-License-Identifier: MIT
#include "waterfallfiltermodel.h"

#include "store/tracestore.h"
#include "waterfallmodel.h"

#include <algorithm>
#include <string_view>

namespace agentops::ui {

namespace {

/// ASCII case folding is enough for span names, kinds and model ids, and keeps a million-span
/// search to plain byte compares.
char fold(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool containsFolded(std::string_view haystack, std::string_view needle)
{
    if (needle.size() > haystack.size())
        return false;
    const auto it = std::search(
        haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) { return fold(a) == b; });
    return it != haystack.end();
}

} // namespace

WaterfallFilterModel::WaterfallFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    // The tree has its own order (by start time); sorting would only cost.
    setDynamicSortFilter(false);
}

void WaterfallFilterModel::setWaterfallModel(WaterfallModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (!m_model) {
        setSourceModel(nullptr);
        return;
    }
    // Connected before the proxy's own handlers so that the matches are ready when it re-filters.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        m_state.clear();
        m_matches.clear();
    });
    // A new trace is searched for the same text; the proxy's own reset follows the source's.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { recompute(); });
    setSourceModel(model);
}

void WaterfallFilterModel::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    recompute();
    invalidateFilter();
}

bool WaterfallFilterModel::isMatch(int span) const
{
    return span >= 0 && std::size_t(span) < m_state.size() && (m_state[span] & 1);
}

void WaterfallFilterModel::recompute()
{
    m_matches.clear();
    m_state.clear();
    if (m_text.isEmpty() || !m_model || !m_model->waterfallData())
        return;
    const WaterfallData &data = *m_model->waterfallData();
    const auto &spans = data.trace->spans;
    std::string needle = m_text.toUtf8().toStdString();
    std::transform(needle.begin(), needle.end(), needle.begin(), fold);
    m_state.assign(spans.size(), 0);
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const core::Span &s = spans[i];
        if (containsFolded(s.name, needle) || containsFolded(core::toString(s.kind), needle)
            || containsFolded(s.model(), needle) || containsFolded(s.tool_name, needle)
            || containsFolded(s.agent_name, needle) || containsFolded(s.service_name, needle)
            || containsFolded(s.status_message, needle)
            || (s.status == core::StatusCode::Error && containsFolded("error", needle))) {
            m_state[i] = 1;
            m_matches.push_back(int(i));
        }
    }
    // Children come after their parents in tree order, so one backward pass marks every ancestor.
    for (int i = int(spans.size()) - 1; i >= 0; --i) {
        const int p = data.tree.parent[i];
        if (p >= 0 && m_state[i])
            m_state[p] |= 2;
    }
}

bool WaterfallFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_state.empty())
        return m_text.isEmpty();
    const QModelIndex index = m_model->index(sourceRow, 0, sourceParent);
    const int span = WaterfallModel::spanOf(index);
    return span >= 0 && m_state[span] != 0;
}

QVariant WaterfallFilterModel::data(const QModelIndex &index, int role) const
{
    if (role == WaterfallModel::MatchRole) {
        if (m_text.isEmpty())
            return int(WaterfallModel::NoSearch);
        const int span = index.data(WaterfallModel::SpanIndexRole).toInt();
        return int(isMatch(span) ? WaterfallModel::Match : WaterfallModel::NoMatch);
    }
    return QSortFilterProxyModel::data(index, role);
}

} // namespace agentops::ui

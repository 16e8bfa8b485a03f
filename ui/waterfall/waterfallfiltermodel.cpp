// SPDX-License-Identifier: MIT
#include "waterfallfiltermodel.h"

#include "spansearch.h"
#include "waterfalldata.h"
#include "waterfallmodel.h"

namespace agentops::ui {

namespace {
/// setSearchText() is for small traces and tests: it expands nothing itself.
constexpr int NoExpansion = 0;
const std::vector<int> noMatches;
} // namespace

WaterfallFilterModel::WaterfallFilterModel(QObject *parent)
    : QAbstractProxyModel(parent)
{ }

WaterfallFilterModel::~WaterfallFilterModel() = default;

void WaterfallFilterModel::setWaterfallModel(WaterfallModel *model)
{
    if (model == m_model)
        return;
    beginResetModel();
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_filter.reset();
    setSourceModel(model);
    if (m_model) {
        // The waterfall model only ever changes by a reset (a new trace).
        connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
        connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
            // A new trace is searched for the same text.
            if (m_filter && m_filter->data != m_model->waterfallData())
                m_filter = SpanFilter::compute(m_model->waterfallData(), m_filter->text, NoExpansion);
            endResetModel();
        });
    }
    endResetModel();
}

void WaterfallFilterModel::setSearchText(const QString &text)
{
    if (text.trimmed() == searchText())
        return;
    setFilter(SpanFilter::compute(m_model ? m_model->waterfallData() : nullptr, text, NoExpansion));
}

void WaterfallFilterModel::setFilter(std::shared_ptr<const SpanFilter> filter)
{
    if (filter && (!m_model || filter->data != m_model->waterfallData()))
        return;
    if (filter == m_filter)
        return;
    // One reset, whatever the number of rows that come and go: the view drops its persistent indexes
    // and lays out again once.
    beginResetModel();
    m_filter = std::move(filter);
    endResetModel();
}

QString WaterfallFilterModel::searchText() const
{
    return m_filter ? m_filter->text : QString();
}

const std::vector<int> &WaterfallFilterModel::matches() const
{
    return m_filter ? m_filter->matches : noMatches;
}

bool WaterfallFilterModel::isMatch(int span) const
{
    return m_filter && span >= 0 && std::size_t(span) < m_filter->state.size() && (m_filter->state[span] & 1);
}

const SpanTree *WaterfallFilterModel::tree() const
{
    if (m_filter)
        return &m_filter->tree;
    if (m_model && m_model->waterfallData())
        return &m_model->waterfallData()->tree;
    return nullptr;
}

bool WaterfallFilterModel::isShown(int span) const
{
    const SpanTree *t = tree();
    return t && span >= 0 && span < t->size() && t->row[span] >= 0;
}

QModelIndex WaterfallFilterModel::indexForSpan(int span, int column) const
{
    if (!isShown(span) || column < 0 || column >= WaterfallModel::NUM_COLUMNS)
        return {};
    return createIndex(tree()->row[span], column, quintptr(span));
}

QModelIndex WaterfallFilterModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!m_model || !proxyIndex.isValid())
        return {};
    return m_model->indexForSpan(WaterfallModel::spanOf(proxyIndex), proxyIndex.column());
}

QModelIndex WaterfallFilterModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    return indexForSpan(WaterfallModel::spanOf(sourceIndex), sourceIndex.column());
}

QModelIndex WaterfallFilterModel::index(int row, int column, const QModelIndex &parent) const
{
    const SpanTree *t = tree();
    if (!t || row < 0 || column < 0 || column >= WaterfallModel::NUM_COLUMNS
        || (parent.isValid() && parent.column() != 0))
        return {};
    const int p = WaterfallModel::spanOf(parent);
    if (row >= t->childCount(p))
        return {};
    return createIndex(row, column, quintptr(t->child(p, row)));
}

QModelIndex WaterfallFilterModel::parent(const QModelIndex &child) const
{
    const SpanTree *t = tree();
    if (!t || !child.isValid())
        return {};
    const int p = t->parent[WaterfallModel::spanOf(child)];
    return p < 0 ? QModelIndex() : createIndex(t->row[p], 0, quintptr(p));
}

QModelIndex WaterfallFilterModel::sibling(int row, int column, const QModelIndex &index) const
{
    return index.isValid() ? this->index(row, column, parent(index)) : QModelIndex();
}

int WaterfallFilterModel::rowCount(const QModelIndex &parent) const
{
    const SpanTree *t = tree();
    if (!t || (parent.isValid() && parent.column() != 0))
        return 0;
    return t->childCount(WaterfallModel::spanOf(parent));
}

int WaterfallFilterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() && parent.column() != 0 ? 0 : WaterfallModel::NUM_COLUMNS;
}

bool WaterfallFilterModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant WaterfallFilterModel::data(const QModelIndex &index, int role) const
{
    if (role == WaterfallModel::MatchRole) {
        if (!m_filter)
            return int(WaterfallModel::NoSearch);
        return int(isMatch(WaterfallModel::spanOf(index)) ? WaterfallModel::Match : WaterfallModel::NoMatch);
    }
    return QAbstractProxyModel::data(index, role);
}

QVariant WaterfallFilterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    // Columns are the source's, with or without rows (QAbstractProxyModel maps them through row 0).
    return m_model ? m_model->headerData(section, orientation, role) : QVariant();
}

} // namespace agentops::ui

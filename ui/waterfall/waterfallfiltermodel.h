// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractProxyModel>

#include <cstdint>
#include <memory>
#include <vector>

namespace agentops::ui {

class WaterfallModel;
struct SpanFilter;
struct SpanTree;

/// Search over a WaterfallModel: keeps the spans whose name, kind, model, tool, agent, service or
/// status message contains the text, and their ancestors, so matches stay in context.
///
/// A search is a SpanFilter, computed in one go (by setSearchText() right here, or on a worker and
/// handed over with setFilter()) and shown with one model reset. The proxy's rows are read straight
/// off the filter's flat tree. (QSortFilterProxyModel re-filtering an expanded tree removed rows
/// parent by parent, and each removal walked every persistent index the tree view held: 48 s for a
/// search in a 100k-span trace.)
class WaterfallFilterModel : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit WaterfallFilterModel(QObject *parent = nullptr);
    ~WaterfallFilterModel() override;

    void setWaterfallModel(WaterfallModel *model);
    WaterfallModel *waterfallModel() const { return m_model; }

    /// Searches at once, on this thread.
    void setSearchText(const QString &text);
    /// Shows a filter computed elsewhere for the model's current data; nullptr shows every span.
    /// A filter computed for other data is ignored.
    void setFilter(std::shared_ptr<const SpanFilter> filter);
    const std::shared_ptr<const SpanFilter> &filter() const { return m_filter; }
    QString searchText() const;
    /// Spans that match, in tree order.
    const std::vector<int> &matches() const;
    bool isMatch(int span) const;
    /// The proxy index of a span, invalid when the search hides it.
    QModelIndex indexForSpan(int span, int column = 0) const;

    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    /// The tree shown: the filter's, or the whole trace's when there is no search.
    const SpanTree *tree() const;
    bool isShown(int span) const;

    WaterfallModel *m_model = nullptr;
    std::shared_ptr<const SpanFilter> m_filter;
};

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"
#include "waterfalldata.h"

#include <QAbstractItemModel>

#include <memory>

namespace agentops::ui {

/// The spans of one trace as a tree. Rows map straight onto WaterfallData's flat arrays (the
/// internal id of an index is the span's position in the trace), so the model holds no per-span
/// objects and a million spans cost nothing until they are shown.
class WaterfallModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Columns { NameColumn, DurationColumn, TimelineColumn, NUM_COLUMNS };
    enum Roles {
        SpanIndexRole = Qt::UserRole, ///< int: position in trace()->spans
        StartRole, ///< qint64 ns
        EndRole, ///< qint64 ns
        KindRole, ///< int: core::SpanKind
        ErrorRole, ///< bool
        OrphanRole, ///< bool: the parent span is not in the trace
        CriticalRole, ///< bool: on the critical path
        SecondaryTextRole, ///< QString: the model or tool, shown dimmed after the name
        MatchRole, ///< int: MatchState (answered by the filter model)
    };
    enum MatchState { NoSearch, Match, NoMatch };

    explicit WaterfallModel(QObject *parent = nullptr);

    void setWaterfallData(std::shared_ptr<const WaterfallData> data);
    const std::shared_ptr<const WaterfallData> &waterfallData() const { return m_data; }

    QModelIndex indexForSpan(int span, int column = NameColumn) const;
    static int spanOf(const QModelIndex &index) { return index.isValid() ? int(index.internalId()) : -1; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// The kind as the user reads it ("LLM", "tool").
    static QString kindName(core::SpanKind kind);
    /// The rich-text tooltip of a span.
    QString toolTip(int span) const;

private:
    std::shared_ptr<const WaterfallData> m_data;
};

} // namespace agentops::ui

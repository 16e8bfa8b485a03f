// SPDX-License-Identifier: MIT
#pragma once

#include "store/metrics.h"

#include <QAbstractTableModel>

#include <vector>

namespace agentops::ui {

/// The dashboard's "top failing spans": errors grouped by span name and status message, with how
/// often and when they last happened. Each row knows an example trace to open.
class ErrorGroupModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { SpanColumn, MessageColumn, CountColumn, LastSeenColumn, NUM_COLUMNS };
    enum Roles { TraceIdRole = Qt::UserRole, SortRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setErrors(std::vector<store::ErrorGroup> errors);
    const store::ErrorGroup &errorAt(int row) const { return m_errors.at(static_cast<std::size_t>(row)); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<store::ErrorGroup> m_errors;
};

/// A ranked list of traces (the slowest or the costliest of the range) for the dashboard.
class TraceRankModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { NameColumn, ServiceColumn, StartColumn, DurationColumn, TokensColumn, CostColumn, NUM_COLUMNS };
    enum Roles { TraceIdRole = Qt::UserRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setTraces(std::vector<core::TraceSummary> traces);
    const core::TraceSummary &traceAt(int row) const { return m_traces.at(static_cast<std::size_t>(row)); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<core::TraceSummary> m_traces;
};

} // namespace agentops::ui

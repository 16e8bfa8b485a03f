// SPDX-License-Identifier: MIT
#include "dashboard/metricstablemodels.h"

#include "common/format.h"
#include "dashboard/metricsseries.h"

#include <QDateTime>
#include <QFont>

namespace agentops::ui {

namespace {
QString shortTime(std::int64_t ns)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1'000'000);
    if (t.date() == QDate::currentDate())
        return t.toString(QStringLiteral("HH:mm:ss"));
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString fullTime(std::int64_t ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString traceCost(const core::TraceSummary &t)
{
    return format::cost(t.cost_usd, t.priced_spans, t.unpriced_spans);
}
} // namespace

void ErrorGroupModel::setErrors(std::vector<store::ErrorGroup> errors)
{
    beginResetModel();
    m_errors = std::move(errors);
    endResetModel();
}

int ErrorGroupModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_errors.size());
}

int ErrorGroupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant ErrorGroupModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &e = m_errors[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SpanColumn: return QString::fromStdString(e.span_name);
        case MessageColumn:
            return e.message.empty() ? tr("(no message)")
                                     : QString::fromStdString(e.message).simplified(); // one line per row
        case CountColumn: return dashboard::fmt::count(e.count);
        case LastSeenColumn: return shortTime(e.last_seen_ns);
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case MessageColumn: return QString::fromStdString(e.message);
        case LastSeenColumn: return fullTime(e.last_seen_ns);
        default: return tr("Double-click to open an example trace");
        }
    case Qt::TextAlignmentRole:
        if (index.column() == CountColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case TraceIdRole: return QString::fromStdString(core::toHex(e.example_trace));
    case SortRole:
        switch (index.column()) {
        case CountColumn: return QVariant::fromValue<qlonglong>(e.count);
        case LastSeenColumn: return QVariant::fromValue<qlonglong>(e.last_seen_ns);
        default: return index.data(Qt::DisplayRole);
        }
    }
    return {};
}

QVariant ErrorGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section == CountColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SpanColumn: return tr("Span");
    case MessageColumn: return tr("Error");
    case CountColumn: return tr("Count");
    case LastSeenColumn: return tr("Last seen");
    }
    return {};
}

void TraceRankModel::setTraces(std::vector<core::TraceSummary> traces)
{
    beginResetModel();
    m_traces = std::move(traces);
    endResetModel();
}

int TraceRankModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_traces.size());
}

int TraceRankModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant TraceRankModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &t = m_traces[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return t.name.empty() ? tr("(unnamed)") : QString::fromStdString(t.name);
        case ServiceColumn: return QString::fromStdString(t.service_name);
        case StartColumn: return shortTime(t.start_ns);
        case DurationColumn: return dashboard::fmt::duration(t.durationNs());
        case TokensColumn: return dashboard::fmt::count(t.total_tokens);
        case CostColumn: return traceCost(t);
        }
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case StartColumn: return fullTime(t.start_ns);
        case CostColumn:
            if (t.unpriced_spans > 0)
                return format::costNote(t.priced_spans, t.unpriced_spans);
            break;
        default: break;
        }
        return tr("Double-click to open the trace");
    case Qt::ForegroundRole:
        if (index.column() == NameColumn && t.error_count > 0)
            return dashboard::errorColor();
        break;
    case Qt::TextAlignmentRole:
        if (index.column() >= DurationColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case TraceIdRole: return QString::fromStdString(core::toHex(t.trace_id));
    }
    return {};
}

QVariant TraceRankModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section >= DurationColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Trace");
    case ServiceColumn: return tr("Service");
    case StartColumn: return tr("Started");
    case DurationColumn: return tr("Duration");
    case TokensColumn: return tr("Tokens");
    case CostColumn: return tr("Cost");
    }
    return {};
}

} // namespace agentops::ui

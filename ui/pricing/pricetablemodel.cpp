// SPDX-License-Identifier: MIT
#include "pricing/pricetablemodel.h"

#include "pricing/priceformat.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace agentops::ui {

namespace {

/// The price a call is billed at for this token type, and whether the row sets it or it falls back
/// (cache prices to input, reasoning to output), as PriceTable::price applies them.
struct Effective
{
    std::optional<double> value;
    bool fallback = false;
};

Effective effectivePrice(const core::TokenPrices &p, int column)
{
    switch (column) {
    case PriceTableModel::InputColumn: return { p.input, false };
    case PriceTableModel::OutputColumn: return { p.output, false };
    case PriceTableModel::CacheReadColumn:
        return p.cache_read ? Effective { p.cache_read, false } : Effective { p.input, true };
    case PriceTableModel::CacheWriteColumn:
        return p.cache_write ? Effective { p.cache_write, false } : Effective { p.input, true };
    case PriceTableModel::ReasoningColumn:
        return p.reasoning ? Effective { p.reasoning, false } : Effective { p.output, true };
    default: return {};
    }
}

bool isPriceColumn(int column)
{
    return column >= PriceTableModel::InputColumn && column <= PriceTableModel::ReasoningColumn;
}

} // namespace

PriceTableModel::PriceTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void PriceTableModel::setTable(const core::PriceTable &effective, const core::PriceTable &shipped)
{
    beginResetModel();
    m_entries.clear();
    m_entries.reserve(effective.rows().size());
    for (const auto &row : effective.rows()) {
        Entry e;
        e.row = row;
        e.replacesShipped = row.source == core::PriceRow::Source::Override
            && std::ranges::find(shipped.rows(), row.id, &core::PriceRow::id) != shipped.rows().end();
        QString filter = QString::fromStdString(row.id) + QLatin1Char('\n') + QString::fromStdString(row.provider);
        for (const auto &m : row.models)
            filter += QLatin1Char('\n') + QString::fromStdString(m);
        for (const auto &p : row.patterns)
            filter += QLatin1Char('\n') + QString::fromStdString(p);
        e.filterText = filter.toLower();
        m_entries.push_back(std::move(e));
    }
    endResetModel();
}

const core::PriceRow *PriceTableModel::rowAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return &m_entries[static_cast<std::size_t>(row)].row;
}

int PriceTableModel::indexOfId(const QString &id) const
{
    const std::string key = id.toStdString();
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].row.id == key)
            return static_cast<int>(i);
    return -1;
}

int PriceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int PriceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant PriceTableModel::display(const Entry &e, int column) const
{
    const auto &r = e.row;
    switch (column) {
    case IdColumn: return QString::fromStdString(r.id);
    case ProviderColumn: return QString::fromStdString(r.provider);
    case NamesColumn: return pricing::namesSummary(r);
    case InputColumn:
    case CacheReadColumn:
    case CacheWriteColumn:
    case OutputColumn:
    case ReasoningColumn: {
        const auto p = effectivePrice(r.prices, column);
        return p.value ? pricing::perMillion(*p.value) : QString();
    }
    case TiersColumn: {
        if (r.tiers.empty())
            return QString();
        // The full list is in the tooltip; one tier is what nearly every row has.
        const auto &t = r.tiers.front();
        QString text = tr("above %1").arg(pricing::threshold(t.above_input_tokens));
        if (r.tiers.size() > 1)
            text += tr(" (+%n more)", nullptr, static_cast<int>(r.tiers.size() - 1));
        return text;
    }
    case AsOfColumn: return QString::fromStdString(r.as_of);
    case SourceColumn:
        if (r.source == core::PriceRow::Source::Shipped)
            return tr("Shipped");
        // Whether it replaces a shipped row is in the tooltip: the column stays narrow.
        return tr("Override");
    default: return {};
    }
}

QVariant PriceTableModel::toolTip(const Entry &e, int column) const
{
    const auto &r = e.row;
    switch (column) {
    case IdColumn: {
        QString tip = tr("Spans priced by this row record “%1”.").arg(QString::fromStdString(r.ref()));
        if (!r.url.empty())
            tip += QLatin1Char('\n') + tr("Prices published at %1").arg(QString::fromStdString(r.url));
        if (!r.note.empty())
            tip += QLatin1Char('\n') + QString::fromStdString(r.note);
        return tip;
    }
    case NamesColumn: {
        QStringList lines;
        if (!r.models.empty()) {
            lines << tr("Exact names:");
            for (const auto &m : r.models)
                lines << QStringLiteral("  ") + QString::fromStdString(m);
        }
        if (!r.patterns.empty()) {
            lines << tr("Patterns (* = any characters):");
            for (const auto &p : r.patterns)
                lines << QStringLiteral("  ") + QString::fromStdString(p);
        }
        return lines.join(QLatin1Char('\n'));
    }
    case CacheReadColumn:
    case CacheWriteColumn:
    case ReasoningColumn:
        if (effectivePrice(r.prices, column).fallback)
            return column == ReasoningColumn ? tr("Not set: reasoning tokens are billed at the output price")
                                             : tr("Not set: billed at the input price");
        return {};
    case TiersColumn: return r.tiers.empty() ? QVariant() : QVariant(pricing::tiersSummary(r));
    case SourceColumn:
        if (r.source == core::PriceRow::Source::Shipped)
            return tr("Comes with the app; override it to change its prices");
        return e.replacesShipped ? tr("Your row, in place of the shipped row with the same id")
                                 : tr("Your row, added to the shipped table");
    default: return {};
    }
}

QVariant PriceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &e = m_entries[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    const bool isOverride = e.row.source == core::PriceRow::Source::Override;
    switch (role) {
    case Qt::DisplayRole: return display(e, column);
    case Qt::ToolTipRole: return toolTip(e, column);
    case Qt::TextAlignmentRole:
        if (isPriceColumn(column))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole: {
        // A price the row does not set is what the call is billed at all the same; dimmed so the
        // prices the provider lists stand out.
        if (isPriceColumn(column) && effectivePrice(e.row.prices, column).fallback)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        if (column == SourceColumn && isOverride)
            return QBrush(QGuiApplication::palette().color(QPalette::Link));
        return {};
    }
    case Qt::FontRole:
        if (isOverride && (column == IdColumn || column == SourceColumn)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case RowIdRole: return QString::fromStdString(e.row.id);
    case IsOverrideRole: return isOverride;
    case SortRole:
        if (isPriceColumn(column)) {
            const auto p = effectivePrice(e.row.prices, column);
            return p.value ? *p.value : -1.0;
        }
        if (column == TiersColumn)
            return e.row.tiers.empty() ? qlonglong(0) : qlonglong(e.row.tiers.front().above_input_tokens);
        return display(e, column).toString().toLower();
    case FilterRole: return e.filterText;
    default: return {};
    }
}

QVariant PriceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IdColumn: return tr("Id");
        case ProviderColumn: return tr("Provider");
        case NamesColumn: return tr("Models / patterns");
        case InputColumn: return tr("Input");
        case CacheReadColumn: return tr("Cached read");
        case CacheWriteColumn: return tr("Cache write");
        case OutputColumn: return tr("Output");
        case ReasoningColumn: return tr("Reasoning");
        case TiersColumn: return tr("Tiers");
        case AsOfColumn: return tr("As of");
        case SourceColumn: return tr("Source");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && isPriceColumn(section))
        return tr("USD per million tokens");
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue((isPriceColumn(section) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    return {};
}

PriceFilterModel::PriceFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setFilterRole(PriceTableModel::FilterRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortRole(PriceTableModel::SortRole);
}

} // namespace agentops::ui

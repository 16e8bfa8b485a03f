// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <string>
#include <vector>

namespace agentops::ui {

/// The rows of an effective price table, one per line, for the price editor: ids, names, the five
/// token prices (a price a row leaves out shows the one it falls back to, dimmed), tiers and where
/// the row comes from.
class PriceTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns {
        IdColumn,
        ProviderColumn,
        NamesColumn,
        InputColumn,
        CacheReadColumn,
        CacheWriteColumn,
        OutputColumn,
        ReasoningColumn,
        TiersColumn,
        AsOfColumn,
        SourceColumn,
        NUM_COLUMNS
    };
    enum Roles {
        RowIdRole = Qt::UserRole, ///< QString: the row's id
        IsOverrideRole, ///< bool
        SortRole, ///< numbers as numbers
        FilterRole, ///< id, provider and every name, lower case
    };

    explicit PriceTableModel(QObject *parent = nullptr);

    /// The effective rows; rows also in shipped (by id) are marked as replacing a shipped row.
    void setTable(const core::PriceTable &effective, const core::PriceTable &shipped);
    const core::PriceRow *rowAt(int row) const;
    /// The line of the row with this id, or -1.
    int indexOfId(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Entry
    {
        core::PriceRow row;
        bool replacesShipped = false;
        QString filterText;
    };
    QVariant display(const Entry &e, int column) const;
    QVariant toolTip(const Entry &e, int column) const;

    std::vector<Entry> m_entries;
};

/// Filters the price rows on id, provider and names (case-insensitive substring) and sorts numbers
/// as numbers.
class PriceFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit PriceFilterModel(QObject *parent = nullptr);
};

} // namespace agentops::ui

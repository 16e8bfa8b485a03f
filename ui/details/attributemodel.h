// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>

class QLineEdit;
class QTableView;
class QLabel;

namespace agentops::ui {

/// Attributes (span, resource, event) as a key / value / type table.
class AttributeModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { KeyColumn, ValueColumn, TypeColumn, NUM_COLUMNS };
    enum Roles { FullValueRole = Qt::UserRole }; ///< the whole value as text (display is cut to one line)

    explicit AttributeModel(QObject *parent = nullptr);

    void setAttributes(const core::Attributes &attributes);
    const core::Attributes &attributes() const { return m_attributes; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    core::Attributes m_attributes;
};

/// Filters attribute rows on key or value (case-insensitive substring).
class AttributeFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit AttributeFilterProxy(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

/// A filterable attribute table with copy actions (context menu and Ctrl+C).
class AttributeTable : public QWidget
{
    Q_OBJECT
public:
    explicit AttributeTable(QWidget *parent = nullptr);

    void setAttributes(const core::Attributes &attributes);
    void setPlaceholder(const QString &text);
    AttributeModel *model() const { return m_model; }
    AttributeFilterProxy *proxy() const { return m_proxy; }
    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *view() const { return m_view; }

    /// Text Ctrl+C copies: the value of one selected cell, else "key<TAB>value" per selected row.
    QString selectionText() const;
    /// Every attribute as one JSON object, pretty-printed.
    QString allAsJson() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showContextMenu(const QPoint &pos);

    AttributeModel *m_model;
    AttributeFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QLabel *m_empty;
};

} // namespace agentops::ui

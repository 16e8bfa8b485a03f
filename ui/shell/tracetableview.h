// SPDX-License-Identifier: MIT
#pragma once

#include <QPersistentModelIndex>
#include <QTableView>

namespace agentops::ui {

/// A table for trace and session lists: compact rows, sensible header behaviour, Enter activates
/// the current row, and rows inserted above the visible ones (live updates) do not move what the
/// user is looking at unless the list is scrolled to the very top.
class TraceTableView : public QTableView
{
    Q_OBJECT

public:
    explicit TraceTableView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

Q_SIGNALS:
    void rowActivated(const QModelIndex &index);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;

private:
    void rememberAnchor();

    QPersistentModelIndex m_anchor;
    int m_anchorOffset = 0;
};

} // namespace agentops::ui

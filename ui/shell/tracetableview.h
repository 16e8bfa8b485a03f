// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QPersistentModelIndex>
#include <QTableView>

class QTimer;

namespace agentops::ui {

/// A table for trace and session lists: compact rows, sensible header behaviour, Enter activates
/// the current row, and rows inserted above the visible ones (live updates) do not move what the
/// user is looking at unless the list is scrolled to the very top. Columns of figures, times and ids
/// size to their content, so that none loses a digit.
class TraceTableView : public QTableView
{
    Q_OBJECT

public:
    explicit TraceTableView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

    /// These columns are as wide as their widest loaded cell and their title: they fit again when the
    /// model is reset and grow as rows arrive or change. maxWidth (0: none) caps them; a longer
    /// cell is elided in the middle (ids keep their start and end) and its tooltip shows it whole.
    void setContentColumns(const QList<int> &columns, int maxWidth = 0);
    /// Text columns that widen into the table's spare width, in this order, up to their widest loaded
    /// cell (at most maxWidth): names are not cut off while the table has room. They never narrow,
    /// so a width the user chose stays.
    void setGrowColumns(const QList<int> &columns, int maxWidth);
    /// The text a cell shows: its display text, elided when its column is too narrow for it.
    QString displayedText(const QModelIndex &index) const;

Q_SIGNALS:
    void rowActivated(const QModelIndex &index);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    bool viewportEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rememberAnchor();
    /// Sizes the content columns: exactly to their content, or only wider (rows added).
    void fitContentColumns(bool exact);
    void scheduleFit(bool exact);

    QPersistentModelIndex m_anchor;
    int m_anchorOffset = 0;
    QList<int> m_contentColumns;
    int m_contentMaxWidth = 0;
    QList<int> m_growColumns;
    int m_growMaxWidth = 0;
    QTimer *m_fitTimer;
    bool m_fitExact = false;
    /// How much fits widened each column beyond its own width, given back and shared out again at
    /// each fit; m_fitting while a fit sets widths.
    QHash<int, int> m_grown;
    bool m_fitting = false;
};

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#include "shell/tracetableview.h"

#include <QApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyledItemDelegate>

namespace agentops::ui {

namespace {
/// Leaves air between a cell's text and the column edges, which the default delegate does not.
class PaddedDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->rect.adjust(kPadding, 0, -kPadding, 0);
    }
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        // The row background (selection, error tint) spans the whole cell; only the content is inset.
        QStyleOptionViewItem background = option;
        QStyledItemDelegate::initStyleOption(&background, index);
        background.text.clear();
        background.icon = QIcon();
        background.features &= ~QStyleOptionViewItem::HasDecoration;
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, widget);
        QStyleOptionViewItem content = option;
        initStyleOption(&content, index);
        content.backgroundBrush = Qt::NoBrush;
        style->drawControl(QStyle::CE_ItemViewItem, &content, painter, widget);
    }
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(2 * kPadding, 0);
    }

private:
    static constexpr int kPadding = 5;
};
} // namespace

TraceTableView::TraceTableView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setShowGrid(false);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setCornerButtonEnabled(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setItemDelegate(new PaddedDelegate(this));
    verticalHeader()->hide();
    // Fixed row heights: the view never measures rows, so long lists cost nothing.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setMinimumSectionSize(40);
    connect(this, &QAbstractItemView::doubleClicked, this, &TraceTableView::rowActivated);
}

void TraceTableView::setModel(QAbstractItemModel *newModel)
{
    if (model())
        disconnect(model(), nullptr, this, nullptr);
    QTableView::setModel(newModel);
    if (newModel)
        connect(newModel, &QAbstractItemModel::rowsAboutToBeInserted, this, &TraceTableView::rememberAnchor);
}

void TraceTableView::rememberAnchor()
{
    m_anchor = QPersistentModelIndex();
    // At the top the user is watching for new traces: let them push the list down.
    if (verticalScrollBar()->value() == 0)
        return;
    const QModelIndex top = indexAt(QPoint(1, 1));
    if (!top.isValid())
        return;
    m_anchor = top;
    m_anchorOffset = rowViewportPosition(top.row());
}

void TraceTableView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    QTableView::rowsInserted(parent, start, end);
    if (!m_anchor.isValid())
        return;
    // The scroll range has to know about the new rows before the old top row can be scrolled to.
    updateGeometries();
    verticalScrollBar()->setValue(verticalHeader()->sectionPosition(m_anchor.row()) - m_anchorOffset);
    m_anchor = QPersistentModelIndex();
}

void TraceTableView::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentIndex().isValid()) {
        Q_EMIT rowActivated(currentIndex());
        event->accept();
        return;
    }
    QTableView::keyPressEvent(event);
}

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#include "shell/tracetableview.h"

#include "common/paddedheaderview.h"
#include "common/paddeditemdelegate.h"

#include <QApplication>
#include <QHeaderView>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QSet>
#include <QTimer>
#include <QToolTip>

#include <algorithm>

namespace agentops::ui {

TraceTableView::TraceTableView(QWidget *parent)
    : QTableView(parent)
    , m_fitTimer(new QTimer(this))
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
    // Tab leaves the list for the next control (arrows move within it); QTableView would keep it.
    setTabKeyNavigation(false);
    setHorizontalHeader(new PaddedHeaderView(Qt::Horizontal, this));
    setItemDelegate(new PaddedItemDelegate(this));
    verticalHeader()->hide();
    // Fixed row heights: the view never measures rows, so long lists cost nothing.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setMinimumSectionSize(40);
    // A column the user sized keeps that width: fits no longer count what they gave it.
    // (Hiding and showing a column resize it to and from 0: that is not the user sizing it.)
    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this](int column, int oldSize, int newSize) {
        if (!m_fitting && oldSize > 0 && newSize > 0)
            m_grown.remove(column);
    });
    connect(this, &QAbstractItemView::doubleClicked, this, &TraceTableView::rowActivated);
    // Many changes in a row (pages of rows, live updates) fit the columns once.
    m_fitTimer->setSingleShot(true);
    m_fitTimer->setInterval(0);
    connect(m_fitTimer, &QTimer::timeout, this, [this] {
        const bool exact = m_fitExact;
        m_fitExact = false;
        fitContentColumns(exact);
    });
}

void TraceTableView::setModel(QAbstractItemModel *newModel)
{
    if (model())
        disconnect(model(), nullptr, this, nullptr);
    QTableView::setModel(newModel);
    if (!newModel)
        return;
    connect(newModel, &QAbstractItemModel::rowsAboutToBeInserted, this, &TraceTableView::rememberAnchor);
    connect(newModel, &QAbstractItemModel::modelReset, this, [this] { scheduleFit(true); });
    connect(newModel, &QAbstractItemModel::rowsInserted, this, [this] { scheduleFit(false); });
    connect(newModel, &QAbstractItemModel::dataChanged, this, [this] { scheduleFit(false); });
    connect(newModel, &QAbstractItemModel::layoutChanged, this, [this] { scheduleFit(false); });
    scheduleFit(true);
}

void TraceTableView::setContentColumns(const QList<int> &columns, int maxWidth)
{
    m_contentColumns = columns;
    m_contentMaxWidth = maxWidth;
    QSet<int> middle;
    if (maxWidth > 0)
        for (int column : columns)
            middle.insert(column);
    static_cast<PaddedItemDelegate *>(itemDelegate())->setMiddleElided(middle);
    fitContentColumns(true);
}

void TraceTableView::setGrowColumns(const QList<int> &columns, int maxWidth)
{
    m_growColumns = columns;
    m_growMaxWidth = maxWidth;
    scheduleFit(false);
}

void TraceTableView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    scheduleFit(false);
}

void TraceTableView::scheduleFit(bool exact)
{
    if (m_contentColumns.isEmpty() && m_growColumns.isEmpty())
        return;
    m_fitExact = m_fitExact || exact;
    m_fitTimer->start();
}

void TraceTableView::fitContentColumns(bool exact)
{
    if (!model())
        return;
    auto *header = horizontalHeader();
    for (int column : std::as_const(m_contentColumns)) {
        if (column >= model()->columnCount() || isColumnHidden(column))
            continue;
        // The widest cell among the rows on screen and up to the header's precision (1000) around them.
        const int title = header->sectionSizeHint(column);
        int width = std::max(sizeHintForColumn(column), title);
        if (m_contentMaxWidth > 0)
            width = std::min(width, std::max(m_contentMaxWidth, title));
        if (exact || width > columnWidth(column))
            setColumnWidth(column, width);
    }
    if (m_growColumns.isEmpty() || header->count() == 0)
        return;
    // The last column shown stretches over what is left: what it holds beyond its own content is spare.
    int visual = header->count() - 1;
    while (visual > 0 && header->isSectionHidden(header->logicalIndex(visual)))
        --visual;
    const int last = header->logicalIndex(visual);
    const int lastNeeds = std::max(header->sectionSizeHint(last), std::min(sizeHintForColumn(last), m_growMaxWidth));
    int spare
        = header->stretchLastSection() ? header->sectionSize(last) - lastNeeds : viewport()->width() - header->length();
    // What earlier fits gave the columns shown is shared out again, in the order of the columns: a
    // column shown later (the Found column of a search) comes before those that grew meanwhile.
    QList<int> shown;
    for (int column : std::as_const(m_growColumns)) {
        if (column == last || column >= model()->columnCount() || isColumnHidden(column))
            continue;
        shown.append(column);
        spare += m_grown.value(column);
    }
    m_fitting = true;
    for (int column : std::as_const(shown)) {
        const int base = columnWidth(column) - m_grown.value(column);
        const int want = std::min(sizeHintForColumn(column), m_growMaxWidth);
        const int grow = std::clamp(want - base, 0, std::max(spare, 0));
        spare -= grow;
        m_grown.insert(column, grow);
        if (base + grow != columnWidth(column))
            setColumnWidth(column, base + grow);
    }
    m_fitting = false;
}

QString TraceTableView::displayedText(const QModelIndex &index) const
{
    if (!index.isValid())
        return {};
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    if (option.rect.isEmpty())
        option.rect = QRect(columnViewportPosition(index.column()), 0, columnWidth(index.column()), rowHeight(0));
    if (const auto *delegate = qobject_cast<const PaddedItemDelegate *>(itemDelegateForIndex(index)))
        return delegate->displayedText(option, index);
    return static_cast<const PaddedItemDelegate *>(itemDelegate())->displayedText(option, index);
}

bool TraceTableView::viewportEvent(QEvent *event)
{
    // A cell cut short shows itself whole on hover, unless the model has a tooltip of its own.
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QModelIndex index = indexAt(help->pos());
        if (index.isValid() && !index.data(Qt::ToolTipRole).isValid()) {
            const QString text = index.data(Qt::DisplayRole).toString();
            if (!text.isEmpty() && displayedText(index) != text) {
                QToolTip::showText(help->globalPos(), text, viewport(), visualRect(index));
                return true;
            }
        }
    }
    return QTableView::viewportEvent(event);
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

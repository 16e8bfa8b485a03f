// SPDX-License-Identifier: MIT
#include "shell/tracelistpage.h"

#include "common/paddeditemdelegate.h"

#include "common/focusring.h"
#include "common/format.h"
#include "common/theme.h"
#include "shell/tracefilterbar.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTextLayout>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace agentops::ui {

namespace {

/// The Found column: a search hit's snippet with the matched parts in bold, padded as the other
/// columns are. Bold text is wider: its size hint and where it cuts the text allow for that.
class MatchDelegate : public PaddedItemDelegate
{
public:
    using PaddedItemDelegate::PaddedItemDelegate;

    QString displayedText(const QStyleOptionViewItem &cell, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = cell;
        initStyleOption(&opt, index);
        const int width = textWidth(opt);
        const int extra = boldExtra(opt, index);
        if (opt.fontMetrics.horizontalAdvance(opt.text) + extra <= width)
            return opt.text;
        return opt.fontMetrics.elidedText(opt.text, Qt::ElideRight, width - extra);
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        return PaddedItemDelegate::sizeHint(option, index) + QSize(boldExtra(opt, index), 0);
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        paintBackground(painter, option, index);
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString shown = displayedText(option, index);
        const QWidget *widget = opt.widget;
        const QStyle *style = widget ? widget->style() : QApplication::style();
        const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
        const int margin = (text.width() - textWidth(opt)) / 2;
        QTextLayout layout(shown, opt.font);
        layout.setFormats(formats(opt, index));
        layout.beginLayout();
        QTextLine line = layout.createLine();
        line.setLineWidth(text.width() * 2);
        layout.endLayout();
        painter->save();
        painter->setPen(
            opt.palette.color(opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
        painter->setClipRect(text);
        layout.draw(painter, QPointF(text.left() + margin, text.top() + (text.height() - line.height()) / 2));
        painter->restore();
    }

private:
    static QList<QTextLayout::FormatRange> formats(const QStyleOptionViewItem &opt, const QModelIndex &index)
    {
        QList<QTextLayout::FormatRange> out;
        QFont bold = opt.font;
        bold.setBold(true);
        for (const QPoint &range : index.data(TraceTableModel::MatchHighlightsRole).value<QList<QPoint>>()) {
            QTextLayout::FormatRange f;
            f.start = range.x();
            f.length = range.y() - range.x();
            f.format.setFont(bold);
            out.append(f);
        }
        return out;
    }

    /// How much wider the text is with its matches in bold.
    static int boldExtra(const QStyleOptionViewItem &opt, const QModelIndex &index)
    {
        QFont boldFont = opt.font;
        boldFont.setBold(true);
        const QFontMetrics boldMetrics(boldFont);
        int extra = 0;
        for (const QPoint &range : index.data(TraceTableModel::MatchHighlightsRole).value<QList<QPoint>>()) {
            const QString part = opt.text.mid(range.x(), range.y() - range.x());
            extra += boldMetrics.horizontalAdvance(part) - opt.fontMetrics.horizontalAdvance(part);
        }
        return std::max(0, extra) + 1;
    }
};

core::TraceId idOf(const QModelIndex &index)
{
    core::TraceId id {};
    core::fromHex(index.data(TraceTableModel::TraceIdRole).toString().toStdString(), id);
    return id;
}
} // namespace

TraceListPage::TraceListPage(client::TraceSourceRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_model(new TraceListModel(runner, this))
    , m_filterBar(new TraceFilterBar(this))
    , m_view(new TraceTableView(this))
    , m_empty(new QWidget(this))
    , m_emptyLabel(new QLabel(m_empty))
    , m_clearFilters(new QPushButton(tr("Clear filters"), m_empty))
{
    m_importNotice = createImportNotice();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 0);
    layout->setSpacing(10);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_importNotice);
    layout->addWidget(m_view, 1);

    m_view->setModel(m_model);
    auto *header = m_view->horizontalHeader();
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    // Text columns get room to start with; times and figures take what their content needs.
    const struct
    {
        int column;
        int width;
    } widths[] = {
        { TraceTableModel::NameColumn, 22 * em },
        { TraceTableModel::ServiceColumn, 11 * em },
        { TraceTableModel::ModelsColumn, 16 * em },
        { TraceTableModel::SessionColumn, 10 * em },
    };
    for (const auto &w : widths)
        header->resizeSection(w.column, w.width);
    m_view->setContentColumns(
        { TraceTableModel::StartColumn, TraceTableModel::DurationColumn, TraceTableModel::SpansColumn,
            TraceTableModel::ErrorsColumn, TraceTableModel::TokensColumn, TraceTableModel::CostColumn });
    // With room to spare (a wide window), names are not cut off: the session first (an id that is
    // cut is no use), then the service, the name and the models.
    m_view->setGrowColumns(
        { TraceTableModel::MatchColumn, TraceTableModel::SessionColumn, TraceTableModel::ServiceColumn,
            TraceTableModel::NameColumn, TraceTableModel::ModelsColumn },
        40 * em);
    header->setSortIndicator(TraceTableModel::StartColumn, Qt::DescendingOrder);
    header->setSortIndicatorShown(true);
    m_view->setSortingEnabled(true);
    // Columns without a server-side sort keep the indicator where the data is actually sorted.
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this, header](int column, Qt::SortOrder) {
        if (!TraceListModel::sortForColumn(column))
            header->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
    });

    // Over the empty table: why it is empty, and in the no-match state a way out.
    m_empty->setObjectName(QStringLiteral("emptyState"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setTextFormat(Qt::RichText);
    m_emptyLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_clearFilters->setObjectName(QStringLiteral("clearFilters"));
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->setContentsMargins(40, 40, 40, 40);
    emptyLayout->setSpacing(12);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_emptyLabel);
    emptyLayout->addWidget(m_clearFilters, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(1);
    m_empty->setParent(m_view->viewport());
    m_empty->hide();
    connect(m_clearFilters, &QPushButton::clicked, m_filterBar, &TraceFilterBar::clear);
    // Tab in reading order: the filters, the notice above the list, the list, the way out of an
    // empty result (over the list).
    setTabChain({ m_importNotice->findChild<QPushButton *>(QStringLiteral("showImported")),
        m_importNotice->findChild<QToolButton *>(), m_view, m_clearFilters });

    connect(m_filterBar, &TraceFilterBar::filterChanged, this, &TraceListPage::applyFilter);
    // Down from the search box goes to the results, as in a search field of any list.
    m_filterBar->searchEdit()->installEventFilter(this);
    connect(m_view, &TraceTableView::rowActivated, this, [this](const QModelIndex &index) {
        if (!index.isValid())
            return;
        core::SpanId span {};
        if (core::fromHex(index.data(TraceTableModel::MatchSpanRole).toString().toStdString(), span))
            Q_EMIT spanActivated(idOf(index), span);
        else
            Q_EMIT traceActivated(idOf(index));
    });
    m_view->setItemDelegateForColumn(TraceTableModel::MatchColumn, new MatchDelegate(m_view));
    m_view->setColumnHidden(TraceTableModel::MatchColumn, true);
    // While searching, where each trace matched is read next to its name.
    header->moveSection(header->visualIndex(TraceTableModel::MatchColumn), TraceTableModel::NameColumn + 1);
    header->resizeSection(TraceTableModel::MatchColumn, 30 * em);
    // A reset shows every section again: where each trace matched is worth a column only while
    // there is a search.
    connect(m_model, &QAbstractItemModel::modelReset, this,
        [this] { m_view->setColumnHidden(TraceTableModel::MatchColumn, m_model->filter().text.empty()); });
    connect(m_model, &TraceListModel::reloaded, this, [this] {
        restoreSelection();
        updateEmptyState();
        Q_EMIT countChanged();
    });
    connect(m_model, &TraceListModel::rowsAdded, this, [this] {
        updateEmptyState();
        Q_EMIT countChanged();
    });
    connect(m_model, &TraceListModel::loadingChanged, this, &TraceListPage::updateEmptyState);
    connect(m_model, &TraceListModel::knownValuesChanged, this, [this] {
        m_filterBar->setKnownServices(m_model->knownServices());
        m_filterBar->setKnownModels(m_model->knownModels());
    });
    m_model->setFilter(m_filterBar->filter());
}

QWidget *TraceListPage::createImportNotice()
{
    auto *notice = new QFrame(this);
    notice->setObjectName(QStringLiteral("importNotice"));
    notice->setFrameShape(QFrame::StyledPanel);
    notice->setAutoFillBackground(true);
    notice->setBackgroundRole(QPalette::ToolTipBase);
    notice->setForegroundRole(QPalette::ToolTipText);
    m_importLabel = new QLabel(notice);
    m_importLabel->setWordWrap(true);
    auto *show = new QPushButton(tr("Show all time"), notice);
    show->setObjectName(QStringLiteral("showImported"));
    auto *close = new QToolButton(notice);
    close->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    auto *row = new QHBoxLayout(notice);
    row->setContentsMargins(10, 4, 4, 4);
    row->addWidget(m_importLabel, 1);
    row->addWidget(show);
    row->addWidget(close);
    notice->hide();
    connect(show, &QPushButton::clicked, this, [this] {
        m_imported.clear();
        m_filterBar->setTimeRange(TimeRange::last(TimeRange::Preset::All));
        updateImportNotice();
    });
    connect(close, &QToolButton::clicked, this, [this] {
        m_imported.clear();
        updateImportNotice();
    });
    return notice;
}

void TraceListPage::noteImported(const std::vector<std::int64_t> &traceStarts)
{
    m_imported = traceStarts;
    updateImportNotice();
}

void TraceListPage::updateImportNotice()
{
    // Only the time range is named: the other filters are there to see, and were set on purpose.
    const store::TraceQuery q = m_filterBar->filter();
    const auto outside = std::count_if(m_imported.begin(), m_imported.end(),
        [&q](std::int64_t start) { return (q.from_ns && start < *q.from_ns) || (q.to_ns && start >= *q.to_ns); });
    if (outside == 0) {
        m_imported.clear(); // all in view: nothing to say, now or after a later change of range
        m_importNotice->hide();
        return;
    }
    const QString range = m_filterBar->drillDown() ? tr("the dashboard bucket") : m_filterBar->timeRange().label();
    m_importLabel->setText(outside == 1 ? tr("1 imported trace is outside the time range (%1).").arg(range)
                                        : tr("%1 imported traces are outside the time range (%2).")
                                              .arg(format::count(static_cast<std::int64_t>(outside)), range));
    m_importNotice->show();
}

QString TraceListPage::importNoticeText() const
{
    return m_importNotice->isHidden() ? QString() : m_importLabel->text();
}

void TraceListPage::setEmptyText(const QString &text)
{
    m_emptyText = text;
    updateEmptyState();
}

bool TraceListPage::isShowingNoMatch() const
{
    return !m_empty->isHidden() && !m_clearFilters->isHidden();
}

QString TraceListPage::emptyStateText() const
{
    return m_empty->isHidden() ? QString() : m_emptyLabel->text();
}

void TraceListPage::updateEmptyState()
{
    const bool empty = m_model->rowCount() == 0 && !m_model->isLoading();
    const bool noMatch = empty && m_filterBar->isFiltering();
    if (!empty || (!noMatch && m_emptyText.isEmpty())) {
        m_empty->hide();
        return;
    }
    if (!m_searchError.isEmpty()) {
        m_emptyLabel->setText(QStringLiteral("<p style='font-size:large'>%1</p><p style='color:%3'>%2</p>")
                                  .arg(tr("The search cannot be run"), m_searchError.toHtmlEscaped(),
                                      theme::mutedText(palette()).name()));
    } else if (noMatch) {
        // Not the first-run text: traces may well be stored, the filters hide them.
        QString detail = m_filterBar->description().toHtmlEscaped();
        if (m_filterBar->searchIsNameOnly())
            detail += QStringLiteral("<br>")
                + tr("A word of one or two characters is looked for in trace names only; spans are searched "
                     "for three or more (東京の, not 東京).")
                      .toHtmlEscaped();
        m_emptyLabel->setText(QStringLiteral("<p style='font-size:large'>%1</p><p style='color:%3'>%2</p>")
                                  .arg(tr("No traces match the filters"), detail, theme::mutedText(palette()).name()));
    } else {
        m_emptyLabel->setText(m_emptyText);
    }
    m_clearFilters->setVisible(noMatch);
    m_empty->resize(m_view->viewport()->size());
    m_empty->show();
}

bool TraceListPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filterBar->searchEdit() && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_model->rowCount() > 0) {
        m_view->setFocus(Qt::TabFocusReason);
        if (!m_view->currentIndex().isValid())
            m_view->selectionModel()->setCurrentIndex(
                m_model->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void TraceListPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The no-match text carries a colour of the palette.
    if (event->type() == QEvent::PaletteChange)
        updateEmptyState();
}

void TraceListPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateEmptyState();
}

void TraceListPage::applyFilter()
{
    m_reselect = selectedTraceIds();
    m_recurrent = currentTraceId();
    const store::TraceQuery filter = m_filterBar->filter();
    m_view->setColumnHidden(TraceTableModel::MatchColumn, filter.text.empty());
    m_searchError = m_filterBar->searchError();
    if (!m_searchError.isEmpty()) {
        m_model->clearRows(); // say why rather than keep showing the last search's traces
        updateEmptyState();
        updateImportNotice();
        Q_EMIT countChanged();
        return;
    }
    m_model->setFilter(filter);
    updateImportNotice();
}

void TraceListPage::showTimeRange(
    std::int64_t from_ns, std::int64_t to_ns, const QString &service, const QString &model)
{
    m_filterBar->showRange(format::fromNs(from_ns), format::fromNs(to_ns), service, model);
}

void TraceListPage::refresh()
{
    if (!m_searchError.isEmpty())
        return;
    m_reselect = selectedTraceIds();
    m_recurrent = currentTraceId();
    // Presets like "last 15 minutes" move with the clock.
    m_model->setFilter(m_filterBar->filter());
}

void TraceListPage::refreshNewer()
{
    if (m_searchError.isEmpty())
        m_model->refreshNewer();
}

void TraceListPage::restoreSelection()
{
    auto *selection = m_view->selectionModel();
    QItemSelection items;
    for (const auto &id : m_reselect) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            items.select(m_model->index(row, 0), m_model->index(row, TraceTableModel::NUM_COLUMNS - 1));
    }
    if (!items.isEmpty())
        selection->select(items, QItemSelectionModel::ClearAndSelect);
    if (m_recurrent) {
        const int row = m_model->rowOf(*m_recurrent);
        if (row >= 0) {
            selection->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::NoUpdate);
            m_view->scrollTo(m_model->index(row, 0));
        }
    }
    m_reselect.clear();
    m_recurrent.reset();
}

std::optional<core::TraceId> TraceListPage::currentTraceId() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    return idOf(current);
}

std::vector<core::TraceId> TraceListPage::selectedTraceIds() const
{
    std::vector<core::TraceId> ids;
    const auto rows = m_view->selectionModel()->selectedRows();
    for (const auto &index : rows)
        ids.push_back(idOf(index));
    return ids;
}

bool TraceListPage::selectTrace(const core::TraceId &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, 0);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

void TraceListPage::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("traceList/header"), m_view->horizontalHeader()->saveState());
}

void TraceListPage::restoreState(const QSettings &settings)
{
    const QByteArray state = settings.value(QStringLiteral("traceList/header")).toByteArray();
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
    // The saved sort indicator is not the model's sort (which always starts newest first).
    m_view->horizontalHeader()->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
}

} // namespace agentops::ui

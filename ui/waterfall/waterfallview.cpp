// SPDX-License-Identifier: MIT
#include "waterfallview.h"

#include "common/format.h"

#include "spansearch.h"
#include "timeaxisheader.h"
#include "timelinedata.h"
#include "waterfalldata.h"
#include "waterfalldelegate.h"
#include "waterfallfiltermodel.h"
#include "waterfallminimap.h"
#include "waterfallmodel.h"
#include "waterfalltreeview.h"

#include <QAction>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPointer>
#include <QScrollBar>
#include <QShortcut>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace agentops::ui {

namespace {
/// Above this many spans the tree is built on a worker thread so that the window stays responsive.
constexpr std::size_t AsyncBuildThreshold = 20000;
/// Above this many spans only the upper levels start expanded: QTreeView lays out every expanded
/// row (about 90 ms per 100k rows here), and nobody reads a million rows top to bottom anyway.
constexpr int ExpandAllThreshold = 250000;
constexpr int ExpandDepthForHugeTraces = 2;
/// The search follows the typing after this pause: short enough that the results of what was typed
/// show within 100 ms (the search itself takes ~1 ms on 100k spans, ~10-30 ms on a million), long
/// enough that a held key or a quick burst makes one search, not one a key.
constexpr int SearchDelayMs = 50;
/// Rows a search result may lay out (the view lays out every expanded row, ~1 µs each): the paths to
/// the first matches are expanded up to this, the others come with stepping (Enter, F3).
constexpr int ExpandRowBudget = 20000;
/// Spans expanded per event-loop turn when the full tree comes back after a search.
constexpr int ExpandChunk = 8000;

QToolButton *makeButton(const QString &text, const QString &toolTip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setAutoRaise(true);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}
} // namespace

WaterfallView::WaterfallView(QWidget *parent)
    : QWidget(parent)
    , m_timeLine(std::make_unique<TimeLineData>())
    , m_latestSearch(std::make_shared<std::atomic<quint64>>(0))
    , m_model(new WaterfallModel(this))
    , m_filter(new WaterfallFilterModel(this))
{
    m_filter->setWaterfallModel(m_model);

    // Tool bar: search on the left, view controls on the right. A tool bar, so that in a narrow window
    // the controls that do not fit move behind its » button rather than widen the window.
    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("waterfallToolBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->setContentsMargins(2, 0, 2, 0);
    setUpSearch(bar);
    m_criticalButton
        = makeButton(tr("Critical path"), tr("Highlight the spans that determined the trace's duration"), bar);
    m_criticalButton->setObjectName(QStringLiteral("waterfallCriticalPath"));
    m_criticalButton->setCheckable(true);
    auto *expandButton = makeButton(tr("Expand all"), tr("Expand all spans (Ctrl+E)"), bar);
    auto *collapseButton = makeButton(tr("Collapse all"), tr("Collapse all spans (Ctrl+Shift+E)"), bar);
    m_fitButton
        = makeButton(tr("Reset zoom"), tr("Show the whole trace (Ctrl+0, Esc, or double-click the time line)"), bar);
    m_fitButton->setObjectName(QStringLiteral("waterfallResetZoom"));
    auto *stretch = new QWidget(bar);
    stretch->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    for (QWidget *widget : std::initializer_list<QWidget *> { m_search, m_prevButton, m_nextButton, m_matchLabel,
             stretch, m_criticalButton, expandButton, collapseButton, m_fitButton })
        bar->addWidget(widget);

    m_minimap = new WaterfallMinimap(m_timeLine.get(), this);
    m_minimap->setObjectName(QStringLiteral("waterfallMinimap"));

    m_tree = new WaterfallTreeView(m_timeLine.get(), WaterfallModel::TimelineColumn, this);
    m_tree->setObjectName(QStringLiteral("waterfallTree"));
    m_header = new TimeAxisHeader(m_timeLine.get(), WaterfallModel::TimelineColumn, m_tree);
    m_tree->setHeader(m_header);
    m_delegate = new WaterfallDelegate(m_timeLine.get(), m_tree);
    m_tree->setItemDelegate(m_delegate);
    m_tree->setModel(m_filter);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_header->setStretchLastSection(true);
    m_header->setSectionResizeMode(QHeaderView::Interactive);
    m_header->setMinimumSectionSize(60);
    m_header->resizeSection(WaterfallModel::NameColumn, 360);
    fitDurationColumn();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_minimap);
    layout->addWidget(m_tree, 1);

    connect(m_criticalButton, &QToolButton::toggled, this, &WaterfallView::setCriticalPathVisible);
    connect(expandButton, &QToolButton::clicked, m_tree, &QTreeView::expandAll);
    connect(collapseButton, &QToolButton::clicked, m_tree, &QTreeView::collapseAll);
    connect(m_fitButton, &QToolButton::clicked, this, [this] {
        m_timeLine->reset();
        timeLineChanged();
    });

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex &current) { onCurrentChanged(current); });
    connect(m_header, &QHeaderView::sectionResized, this, &WaterfallView::syncGeometry);
    connect(m_header, &QHeaderView::geometriesChanged, this, &WaterfallView::syncGeometry);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &WaterfallView::showContextMenu);
    connect(m_tree, &WaterfallTreeView::zoomRequested, this, [this](double factor, double x) {
        m_timeLine->zoom(factor, x);
        timeLineChanged();
    });
    connect(m_tree, &WaterfallTreeView::panRequested, this, [this](double dx) {
        m_timeLine->panPixels(dx);
        timeLineChanged();
    });
    connect(m_tree, &WaterfallTreeView::rangeRequested, this, [this](qint64 a, qint64 b) {
        m_timeLine->zoomTo(a, b);
        timeLineChanged();
    });
    connect(m_tree, &WaterfallTreeView::resetZoomRequested, this, [this] {
        m_timeLine->reset();
        timeLineChanged();
    });
    connect(m_minimap, &WaterfallMinimap::panRequested, this, [this](qint64 start) {
        m_timeLine->panTo(start);
        timeLineChanged();
    });
    connect(m_minimap, &WaterfallMinimap::zoomRequested, this, [this](double factor, qint64 time) {
        m_timeLine->zoom(factor, m_timeLine->mapTimeToX(time));
        timeLineChanged();
    });

    // Shortcuts work anywhere inside the waterfall, the search field included.
    // Each says what it does (whatsThis): Help ▸ Keyboard Shortcuts lists them from there.
    const auto shortcut = [this](const QKeySequence &keys, const QString &description, auto slot) {
        auto *s = new QShortcut(keys, this);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        s->setWhatsThis(description);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence::Find, tr("Search spans"), [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    shortcut(QKeySequence::FindNext, tr("Next match"), [this] { stepMatch(+1); });
    shortcut(QKeySequence::FindPrevious, tr("Previous match"), [this] { stepMatch(-1); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_E), tr("Expand all spans"), [this] { m_tree->expandAll(); });
    shortcut(
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), tr("Collapse all spans"), [this] { m_tree->collapseAll(); });
    shortcut(QKeySequence::ZoomIn, tr("Zoom in on the time line"), [this] {
        m_timeLine->zoom(1.5, m_timeLine->width / 2.0);
        timeLineChanged();
    });
    shortcut(QKeySequence::ZoomOut, tr("Zoom out of the time line"), [this] {
        m_timeLine->zoom(1 / 1.5, m_timeLine->width / 2.0);
        timeLineChanged();
    });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_0), tr("Show the whole trace (reset zoom)"), [this] {
        m_timeLine->reset();
        timeLineChanged();
    });

    m_criticalAction = new QAction(tr("Highlight Critical Path"), this);
    m_criticalAction->setCheckable(true);
    connect(m_criticalAction, &QAction::toggled, m_criticalButton, &QToolButton::setChecked);

    updateMatchLabel();
    timeLineChanged();
}

void WaterfallView::setUpSearch(QWidget *bar)
{
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("waterfallSearch"));
    // A short hint, so that at 1280 pixels the view controls beside it stay on the tool bar; the
    // tooltip says what is searched.
    m_search->setPlaceholderText(tr("Search spans  Ctrl+F"));
    m_search->setToolTip(tr("Finds spans by name, kind, model, tool, agent, service or error message as you type.\n"
                            "Enter or F3: next match · Shift+Enter or Shift+F3: previous · Esc: clear"));
    m_search->setClearButtonEnabled(true);
    // Wide enough for the whole hint, in whatever font (plus the frame and the clear button).
    m_search->setMinimumWidth(
        std::max(200, m_search->fontMetrics().horizontalAdvance(m_search->placeholderText()) + 48));
    m_search->setMaximumWidth(420);
    m_search->installEventFilter(this);
    m_matchLabel = new QLabel(bar);
    m_matchLabel->setObjectName(QStringLiteral("waterfallMatchLabel"));
    // Room for the usual "12 of 345" without the bar's layout moving as the count changes.
    m_matchLabel->setMinimumWidth(m_matchLabel->fontMetrics().horizontalAdvance(QStringLiteral("00 of 000")) + 8);
    m_prevButton = makeButton(QStringLiteral("▲"), tr("Previous match (Shift+Enter, Shift+F3)"), bar);
    m_nextButton = makeButton(QStringLiteral("▼"), tr("Next match (Enter, F3)"), bar);

    m_searchThread.setMaxThreadCount(1);
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(SearchDelayMs);
    m_expandTimer = new QTimer(this);
    m_expandTimer->setSingleShot(true);
    m_expandTimer->setInterval(0);
    connect(m_searchTimer, &QTimer::timeout, this, &WaterfallView::startSearch);
    connect(m_expandTimer, &QTimer::timeout, this, &WaterfallView::expandMore);
    connect(m_search, &QLineEdit::textChanged, this, &WaterfallView::searchTextChanged);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { stepMatch(+1); });
    connect(m_prevButton, &QToolButton::clicked, this, [this] { stepMatch(-1); });
    connect(m_nextButton, &QToolButton::clicked, this, [this] { stepMatch(+1); });
}

WaterfallView::~WaterfallView()
{
    // The tree's selection model and header signal this view while they are torn down; let them go
    // while this is still a WaterfallView.
    delete m_tree;
    m_searchThread.waitForDone();
}

std::shared_ptr<const store::TraceDetail> WaterfallView::trace() const
{
    return m_trace;
}

int WaterfallView::currentSpan() const
{
    return m_current;
}

void WaterfallView::setTrace(std::shared_ptr<const store::TraceDetail> trace)
{
    const quint64 generation = ++m_generation;
    m_trace = std::move(trace);
    m_pendingCurrent = -1;
    if (m_current != -1) {
        m_current = -1;
        Q_EMIT currentSpanChanged(-1);
    }
    if (!m_trace || m_trace->spanCount() < AsyncBuildThreshold) {
        applyData(m_trace ? WaterfallData::build(m_trace) : nullptr);
        return;
    }
    // Big trace: clear the view now, build the tree on a worker, and show it unless another trace
    // was asked for in the meantime.
    applyData(nullptr);
    m_tree->setPlaceholderText(tr("Loading %1 spans…").arg(QLocale().toString(qulonglong(m_trace->spanCount()))));
    // The search index is built meanwhile, on the search thread, so that a search soon after the
    // tree shows need not wait for it.
    auto index = std::make_shared<const LazySpanSearchIndex>(m_trace);
    (void)QtConcurrent::run(&m_searchThread, [index] { index->get(); });
    auto *watcher = new QFutureWatcher<std::shared_ptr<const WaterfallData>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // a newer setTrace() won
        applyData(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([trace = m_trace, index] { return WaterfallData::build(trace, index); }));
}

void WaterfallView::applyData(std::shared_ptr<const WaterfallData> data)
{
    m_data = std::move(data);
    // A search of the previous trace is of no use any more; the text is searched again below.
    m_latestSearch->store(++m_searchGeneration);
    m_searchTimer->stop();
    m_searchRunning = false;
    m_filter->setFilter(nullptr);
    m_expandNext = -1;
    m_model->setWaterfallData(m_data);
    m_minimap->setWaterfallData(m_data);
    if (m_data)
        m_timeLine->setFullRange(m_data->traceStart, m_data->traceEnd);
    else
        m_timeLine->setFullRange(0, 1);
    m_tree->setPlaceholderText(m_trace ? QString() : tr("No trace selected"));
    fitDurationColumn();
    expandAfterLoad();
    updateMatchLabel();
    syncGeometry();
    timeLineChanged();
    if (m_data && m_pendingCurrent >= 0) {
        const int pending = std::exchange(m_pendingCurrent, -1);
        setCurrentSpan(pending);
    }
    if (m_data && searchPending())
        startSearch();
}

void WaterfallView::expandAfterLoad()
{
    if (!m_data)
        return;
    if (m_data->size() <= ExpandAllThreshold) {
        m_tree->expandAll();
        return;
    }
    // The upper levels only, deepest first: a span expanded while its parent is collapsed is only
    // recorded, and the top-level spans, expanded last, lay their subtrees out once.
    // (QTreeView::expandToDepth lays out each expansion as it goes: ~0.2 s for a million spans.)
    const SpanTree &tree = m_data->tree;
    std::vector<int> upper(tree.roots.begin(), tree.roots.end());
    for (std::size_t begin = 0, depth = 1; depth < std::size_t(ExpandDepthForHugeTraces); ++depth) {
        const std::size_t end = upper.size();
        for (std::size_t k = begin; k < end; ++k)
            for (const int child : tree.childrenOf(upper[k]))
                upper.push_back(child);
        begin = end;
    }
    for (auto it = upper.rbegin(); it != upper.rend(); ++it)
        if (tree.childCount(*it) > 0)
            m_tree->expand(m_filter->indexForSpan(*it));
}

void WaterfallView::setCurrentSpan(int index)
{
    if (!m_data) {
        // Still building: apply once the tree is there.
        if (m_trace && index >= 0 && std::size_t(index) < m_trace->spanCount())
            m_pendingCurrent = index;
        return;
    }
    if (index < 0 || index >= m_data->size()) {
        m_tree->selectionModel()->clear();
        if (m_current != -1) {
            m_current = -1;
            Q_EMIT currentSpanChanged(-1);
        }
        return;
    }
    QModelIndex proxyIndex = m_filter->indexForSpan(index);
    if (!proxyIndex.isValid() && !m_search->text().isEmpty()) {
        // Filtered out by the search: the caller asked for this span, so show everything again.
        m_search->clear();
        searchNow();
        proxyIndex = m_filter->indexForSpan(index);
    }
    // Expanding the span's ancestors lays the rows out: a restore of the full tree finishes first.
    finishRestoringExpansion();
    if (!proxyIndex.isValid())
        return;
    for (QModelIndex p = proxyIndex.parent(); p.isValid(); p = p.parent())
        m_tree->expand(p);
    m_tree->selectionModel()->setCurrentIndex(
        proxyIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(proxyIndex);
    // Bring the bar into the window when zoomed in elsewhere.
    if (m_timeLine->isZoomed() && !m_timeLine->pixelSpan(m_data->start[index], m_data->end[index])) {
        m_timeLine->panTo(m_data->start[index] - m_timeLine->visibleDuration() / 10);
        timeLineChanged();
    }
}

void WaterfallView::onCurrentChanged(const QModelIndex &current)
{
    const int span = WaterfallModel::spanOf(m_filter->mapToSource(current));
    if (span == m_current)
        return;
    m_current = span;
    updateMatchLabel();
    Q_EMIT currentSpanChanged(span);
}

void WaterfallView::fitDurationColumn()
{
    // As wide as the longest duration a span of this trace can be spelled with: the widest spelling
    // of each unit up to the trace's length ("88.8 ms", "58m 58s"), and the length itself for the
    // hours' digits. Digits are equally wide in UI fonts, so these stand for every value.
    static constexpr std::int64_t widest[]
        = { 888, 88'800, 888'000, 88'800'000, 888'000'000, 58'800'000'000, 3'538'000'000'000 };
    const std::int64_t longest = m_data ? std::max<std::int64_t>(m_data->traceEnd - m_data->traceStart, 0) : 0;
    const QFontMetrics fm(m_tree->font());
    int text = fm.horizontalAdvance(format::duration(longest));
    for (const std::int64_t ns : widest)
        if (ns <= longest)
            text = std::max(text, fm.horizontalAdvance(format::duration(ns)));
    const int width = text + WaterfallDelegate::DurationPadding + 2;
    m_header->resizeSection(
        WaterfallModel::DurationColumn, std::max(width, m_header->sectionSizeHint(WaterfallModel::DurationColumn)));
}

void WaterfallView::syncGeometry()
{
    const int sectionWidth = m_header->sectionSize(WaterfallModel::TimelineColumn);
    const int width = std::max(0, sectionWidth - 2 * WaterfallDelegate::TimelineMargin);
    const QPoint origin = m_tree->viewport()->mapTo(this, QPoint(m_tree->timelineOrigin(), 0));
    const bool changed = width != m_timeLine->width;
    m_timeLine->width = width;
    m_minimap->setMapArea(m_minimap->mapFrom(this, origin).x(), width);
    if (changed)
        timeLineChanged();
}

void WaterfallView::timeLineChanged()
{
    m_fitButton->setEnabled(m_timeLine->isZoomed());
    m_tree->viewport()->update();
    m_header->viewport()->update();
    m_minimap->update();
}

void WaterfallView::focusInEvent(QFocusEvent *event)
{
    // Focus given to the view goes to the tree. Not a focus proxy: Tab would then jump from what
    // precedes the view straight to the tree, past the search field and the tool bar.
    QWidget::focusInEvent(event);
    m_tree->setFocus(event->reason());
}

void WaterfallView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    syncGeometry();
}

void WaterfallView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    syncGeometry();
}

bool WaterfallView::eventFilter(QObject *watched, QEvent *event)
{
    // The search field handles Escape itself (clears, or returns to the tree) before the page's Back.
    if (watched == m_search && event->type() == QEvent::ShortcutOverride
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        event->accept();
        return true;
    }
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && (key->modifiers() & Qt::ShiftModifier)) {
            stepMatch(-1);
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            if (!m_search->text().isEmpty())
                m_search->clear();
            else
                m_tree->setFocus(Qt::ShortcutFocusReason);
            return true;
        }
        if (key->key() == Qt::Key_Down) {
            m_tree->setFocus(Qt::ShortcutFocusReason);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void WaterfallView::searchTextChanged()
{
    // Whatever is being searched for is stale now.
    m_latestSearch->store(++m_searchGeneration);
    m_searchRunning = false;
    m_pendingStep = 0;
    m_searchTimer->start();
    updateMatchLabel();
}

bool WaterfallView::searchPending() const
{
    return m_search->text().trimmed() != m_filter->searchText();
}

void WaterfallView::startSearch()
{
    m_searchTimer->stop();
    if (!searchPending())
        return updateMatchLabel();
    const QString text = m_search->text().trimmed();
    if (text.isEmpty() || !m_data)
        return applyFilter(nullptr);
    // Searched on a worker: typing on never waits for it, and a result that comes after the text
    // changed again is dropped (the worker itself stops early when it sees a newer generation).
    const quint64 generation = m_searchGeneration;
    m_searchRunning = true;
    updateMatchLabel();
    QtConcurrent::run(&m_searchThread, [data = m_data, text, latest = m_latestSearch, generation] {
        return SpanFilter::compute(data, text, ExpandRowBudget, [&] { return latest->load() != generation; });
    }).then(this, [this, generation](const std::shared_ptr<const SpanFilter> &filter) {
        if (generation == m_searchGeneration)
            applyFilter(filter);
    });
}

void WaterfallView::searchNow()
{
    m_searchTimer->stop();
    m_latestSearch->store(++m_searchGeneration);
    applyFilter(SpanFilter::compute(m_data, m_search->text(), ExpandRowBudget));
}

void WaterfallView::applyFilter(const std::shared_ptr<const SpanFilter> &filter)
{
    m_searchRunning = false;
    m_expandNext = -1; // a restore still going on is over
    m_filter->setFilter(filter);
    if (m_filter->filter()) {
        // Right after the reset the view lays out nothing yet: expanding only records the indexes.
        for (const int span : filter->expand)
            m_tree->expand(m_filter->indexForSpan(span));
        m_tree->setPlaceholderText(filter->matches.empty() ? tr("No spans match “%1”").arg(filter->text) : QString());
        showCurrentAfterFilter();
    } else {
        m_tree->setPlaceholderText(m_trace ? QString() : tr("No trace selected"));
        restoreExpansion(); // and then shows the current span
    }
    updateMatchLabel();
    if (m_pendingStep != 0 && !searchPending())
        stepMatch(std::exchange(m_pendingStep, 0));
}

void WaterfallView::restoreExpansion()
{
    m_expandNext = -1;
    if (!m_data)
        return;
    if (m_data->size() > ExpandAllThreshold) {
        expandAfterLoad(); // the upper levels only: a few spans
        showCurrentAfterFilter();
        return;
    }
    // Everything expanded again, as when the trace opened. expandAll() would record and lay out
    // every row in one go (~50 ms for 100k spans), so it is done a chunk a turn, deepest spans first:
    // while their parents are collapsed the view only records them, and the top-level spans,
    // expanded last, lay out their subtrees once. The current span is shown at the end: expanding
    // its ancestors and scrolling to it now would lay the rows out early, and every span expanded
    // after that would insert its rows into the laid-out list.
    m_expandNext = m_data->size() - 1;
    expandMore();
}

void WaterfallView::expandMore()
{
    if (m_expandNext < 0 || m_filter->filter() || !m_data)
        return; // done, or a search or another trace came in between
    const SpanTree &tree = m_data->tree;
    for (int budget = ExpandChunk; m_expandNext >= 0 && budget > 0; --m_expandNext) {
        if (tree.childCount(m_expandNext) > 0) {
            m_tree->expand(m_filter->indexForSpan(m_expandNext));
            --budget;
        }
    }
    if (m_expandNext >= 0) {
        m_expandTimer->start();
        return;
    }
    showCurrentAfterFilter();
}

void WaterfallView::finishRestoringExpansion()
{
    while (m_expandNext >= 0 && !m_filter->filter() && m_data)
        expandMore();
    m_expandTimer->stop();
}

void WaterfallView::showCurrentAfterFilter()
{
    if (m_current < 0) {
        m_tree->scrollToTop();
        return;
    }
    const QModelIndex index = m_filter->indexForSpan(m_current);
    if (!index.isValid()) {
        // The search hides the current span.
        m_tree->scrollToTop();
        m_current = -1;
        Q_EMIT currentSpanChanged(-1);
        return;
    }
    for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
        m_tree->expand(p);
    // The same span as before: onCurrentChanged() sees no change and emits nothing.
    m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(index);
}

void WaterfallView::stepMatch(int direction)
{
    if (searchPending()) {
        if (m_data && m_data->size() >= int(AsyncBuildThreshold)) {
            // A big trace: step once the running search is done.
            m_pendingStep = direction;
            if (m_searchTimer->isActive())
                startSearch();
            return;
        }
        searchNow(); // small: at once
    }
    const auto &matches = m_filter->matches();
    if (matches.empty())
        return;
    int target;
    if (direction > 0) {
        const auto it = std::upper_bound(matches.begin(), matches.end(), m_current);
        target = it == matches.end() ? matches.front() : *it;
    } else {
        const auto it = std::lower_bound(matches.begin(), matches.end(), m_current);
        target = it == matches.begin() ? matches.back() : *std::prev(it);
    }
    setCurrentSpan(target);
    updateMatchLabel();
}

void WaterfallView::updateMatchLabel()
{
    const auto &matches = m_filter->matches();
    const bool pending = searchPending();
    m_prevButton->setEnabled(!matches.empty() || pending);
    m_nextButton->setEnabled(!matches.empty() || pending);
    // While the text and the results differ, the last count stays, greyed, until the new one comes.
    m_matchLabel->setEnabled(!pending);
    if (pending) {
        if (m_searchRunning && m_matchLabel->text().isEmpty())
            m_matchLabel->setText(tr("Searching…"));
        return;
    }
    if (m_filter->searchText().isEmpty()) {
        m_matchLabel->clear();
        return;
    }
    if (matches.empty()) {
        m_matchLabel->setText(tr("No matches"));
        return;
    }
    const QLocale locale;
    const QString total = locale.toString(qulonglong(matches.size()));
    const auto it = std::lower_bound(matches.begin(), matches.end(), m_current);
    if (it != matches.end() && *it == m_current)
        m_matchLabel->setText(tr("%1 of %2").arg(locale.toString(qlonglong(it - matches.begin()) + 1), total));
    else
        m_matchLabel->setText(matches.size() == 1 ? tr("1 match") : tr("%1 matches").arg(total));
}

void WaterfallView::setCriticalPathVisible(bool visible)
{
    m_delegate->setCriticalPathVisible(visible);
    m_criticalButton->setChecked(visible);
    m_criticalAction->setChecked(visible);
    m_tree->viewport()->update();
}

void WaterfallView::zoomToSpan(int span)
{
    if (!m_data || span < 0 || span >= m_data->size())
        return;
    // A little air on both sides so the bar's ends are visible.
    const qint64 duration = std::max<qint64>(m_data->end[span] - m_data->start[span], TimeLineData::MinVisibleNs);
    m_timeLine->zoomTo(m_data->start[span] - duration / 20, m_data->end[span] + duration / 20);
    timeLineChanged();
}

void WaterfallView::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_tree->indexAt(pos);
    const int span = WaterfallModel::spanOf(m_filter->mapToSource(index));
    QMenu menu(this);
    if (index.isValid()) {
        const QModelIndex nameIndex = index.siblingAtColumn(WaterfallModel::NameColumn);
        menu.addAction(tr("Zoom to Span"), this, [this, span] { zoomToSpan(span); });
        if (m_filter->hasChildren(nameIndex)) {
            menu.addAction(tr("Expand Subtree"), this, [this, nameIndex] { m_tree->expandRecursively(nameIndex); });
            menu.addAction(tr("Collapse Subtree"), this, [this, nameIndex] {
                // Collapse the descendants too, so expanding again shows one level.
                std::vector<QModelIndex> stack { nameIndex };
                while (!stack.empty()) {
                    const QModelIndex i = stack.back();
                    stack.pop_back();
                    if (!m_tree->isExpanded(i))
                        continue;
                    m_tree->collapse(i);
                    for (int r = 0, n = m_filter->rowCount(i); r < n; ++r)
                        stack.push_back(m_filter->index(r, 0, i));
                }
            });
        }
        menu.addSeparator();
    }
    menu.addAction(tr("Expand All"), QKeySequence(Qt::CTRL | Qt::Key_E), m_tree, &QTreeView::expandAll);
    menu.addAction(tr("Collapse All"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), m_tree, &QTreeView::collapseAll);
    menu.addSeparator();
    QAction *reset = menu.addAction(tr("Reset Zoom"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] {
        m_timeLine->reset();
        timeLineChanged();
    });
    reset->setEnabled(m_timeLine->isZoomed());
    menu.addAction(m_criticalAction);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

} // namespace agentops::ui

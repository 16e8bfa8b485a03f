// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <QThreadPool>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;
class QAction;

namespace agentops::ui {

class TimeAxisHeader;
class WaterfallDelegate;
class WaterfallFilterModel;
class WaterfallMinimap;
class WaterfallModel;
class WaterfallTreeView;
struct SpanFilter;
struct TimeLineData;
struct WaterfallData;

/// The span waterfall of one trace: the spans as a tree with a bar per span on a zoomable time line,
/// an overview strip of the whole trace, search, and the critical path.
class WaterfallView : public QWidget
{
    Q_OBJECT
public:
    explicit WaterfallView(QWidget *parent = nullptr);
    ~WaterfallView() override;

    void setTrace(std::shared_ptr<const store::TraceDetail> trace); // nullptr clears
    std::shared_ptr<const store::TraceDetail> trace() const;
    int currentSpan() const; // index into trace()->spans, -1 none
    void setCurrentSpan(int index);
    /// The thread searches (and the search index) are computed on: one, of the view's own. A newer
    /// search waits for the one before, which stops early once stale; and Qt's raster painting,
    /// which farms work out to the global pool and waits for it, never waits for a search.
    QThreadPool *searchThread() { return &m_searchThread; }

Q_SIGNALS:
    void currentSpanChanged(int index);

protected:
    void focusInEvent(QFocusEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setUpSearch(QWidget *bar);
    void applyData(std::shared_ptr<const WaterfallData> data);
    /// Sizes the Duration column to the longest duration the trace can show.
    void fitDurationColumn();
    void syncGeometry();
    void timeLineChanged();
    void searchTextChanged();
    void startSearch();
    void searchNow();
    bool searchPending() const;
    void applyFilter(const std::shared_ptr<const SpanFilter> &filter);
    void showCurrentAfterFilter();
    void restoreExpansion();
    void expandMore();
    void finishRestoringExpansion();
    void stepMatch(int direction);
    void updateMatchLabel();
    void onCurrentChanged(const QModelIndex &current);
    void showContextMenu(const QPoint &pos);
    void setCriticalPathVisible(bool visible);
    void zoomToSpan(int span);
    void expandAfterLoad();

    std::unique_ptr<TimeLineData> m_timeLine;
    std::shared_ptr<const store::TraceDetail> m_trace;
    std::shared_ptr<const WaterfallData> m_data;
    quint64 m_generation = 0;
    int m_current = -1;
    int m_pendingCurrent = -1;
    /// Bumped by every change of the search text or the trace: a search's result is shown only if
    /// nothing changed while it ran, and the worker stops early once it sees a newer number.
    quint64 m_searchGeneration = 0;
    std::shared_ptr<std::atomic<quint64>> m_latestSearch;
    QThreadPool m_searchThread;
    bool m_searchRunning = false; ///< a worker searches for the current text
    int m_pendingStep = 0;
    int m_expandNext = -1; ///< restoring the expansion after a search: the next span to expand, going up ///< Enter/F3
                           ///< pressed while the search was still running: +1 or -1

    WaterfallModel *m_model;
    WaterfallFilterModel *m_filter;
    WaterfallTreeView *m_tree;
    TimeAxisHeader *m_header;
    WaterfallDelegate *m_delegate;
    WaterfallMinimap *m_minimap;
    QLineEdit *m_search;
    QLabel *m_matchLabel;
    QToolButton *m_prevButton;
    QToolButton *m_nextButton;
    QToolButton *m_criticalButton;
    QToolButton *m_fitButton;
    QTimer *m_searchTimer;
    QTimer *m_expandTimer;
    QAction *m_criticalAction;
};

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#include "shell/sessionspage.h"

#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "shell/sessionlistmodel.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace agentops::ui {

SessionsPage::SessionsPage(client::TraceSourceRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_sessions(new SessionListModel(runner, this))
    , m_traces(new TraceTableModel(this))
    , m_sessionView(new TraceTableView(this))
    , m_traceView(new TraceTableView(this))
    , m_tracesTitle(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
{
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    m_sessionView->setModel(m_sessions);
    m_sessionView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_sessionView->horizontalHeader()->setSectionsMovable(false);
    // Session, last active, duration, traces, spans, errors, tokens, cost, user.
    const int sessionWidths[] = { 18 * em, 8 * em, 8 * em, 5 * em, 5 * em, 5 * em, 6 * em, 6 * em, 14 * em };
    // At least as wide as the column's title, which is longer in some languages.
    const auto resizeColumn = [](QHeaderView *header, int column, int width) {
        header->resizeSection(column, std::max(width, header->sectionSizeHint(column)));
    };
    for (int c = 0; c < SessionListModel::NUM_COLUMNS; ++c)
        resizeColumn(m_sessionView->horizontalHeader(), c, sessionWidths[c]);
    // Ids, times and figures as wide as they are; an id longer than 40 em is cut in its middle.
    m_sessionView->setContentColumns(
        { SessionListModel::SessionColumn, SessionListModel::LastActiveColumn, SessionListModel::DurationColumn,
            SessionListModel::TracesColumn, SessionListModel::SpansColumn, SessionListModel::ErrorsColumn,
            SessionListModel::TokensColumn, SessionListModel::CostColumn },
        40 * em);

    m_traceView->setModel(m_traces);
    m_traceView->setSelectionMode(QAbstractItemView::SingleSelection);
    const int traceWidths[TraceTableModel::NUM_COLUMNS]
        = { 8 * em, 22 * em, 11 * em, 8 * em, 5 * em, 5 * em, 6 * em, 6 * em, 16 * em, 10 * em, 30 * em };
    for (int c = 0; c < TraceTableModel::NUM_COLUMNS; ++c)
        resizeColumn(m_traceView->horizontalHeader(), c, traceWidths[c]);
    m_traceView->setColumnHidden(TraceTableModel::SessionColumn, true);
    m_traceView->setColumnHidden(TraceTableModel::MatchColumn, true); // a session's traces are not a search
    m_traceView->setContentColumns(
        { TraceTableModel::StartColumn, TraceTableModel::DurationColumn, TraceTableModel::SpansColumn,
            TraceTableModel::ErrorsColumn, TraceTableModel::TokensColumn, TraceTableModel::CostColumn });

    // A session id longer than the page is wide must not widen the window: the title is cut instead,
    // and its tooltip has it whole.
    m_tracesTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont titleFont = m_tracesTitle->font();
    titleFont.setWeight(QFont::DemiBold);
    m_tracesTitle->setFont(titleFont);

    auto *bottom = new QWidget(m_splitter);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 8, 0, 0);
    bottomLayout->setSpacing(6);
    bottomLayout->addWidget(m_tracesTitle);
    bottomLayout->addWidget(m_traceView, 1);
    m_splitter->insertWidget(0, m_sessionView);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 0);
    layout->addWidget(m_splitter);

    connect(m_sessionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            loadTraces(current.isValid() ? m_sessions->session(current.row()).session_id : std::string());
        });
    connect(m_sessions, &SessionListModel::reloaded, this, [this] {
        if (!m_current.empty() && selectSession(m_current))
            return;
        if (m_sessions->rowCount() > 0)
            selectSession(m_sessions->session(0).session_id);
        else
            loadTraces({});
    });
    connect(m_traceView, &TraceTableView::rowActivated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT traceActivated(m_traces->trace(index.row()).trace_id);
    });
    loadTraces({});
}

void SessionsPage::refresh()
{
    m_sessions->reload();
}

bool SessionsPage::selectSession(const std::string &sessionId)
{
    const int row = m_sessions->rowOf(sessionId);
    if (row < 0)
        return false;
    const QModelIndex index = m_sessions->index(row, 0);
    if (m_sessionView->currentIndex().row() == row)
        loadTraces(sessionId); // same row after a reload: its traces may have changed
    m_sessionView->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_sessionView->scrollTo(index);
    return true;
}

void SessionsPage::loadTraces(const std::string &sessionId)
{
    const quint64 generation = ++m_generation;
    m_current = sessionId;
    if (sessionId.empty()) {
        m_tracesTitle->setText(tr("Select a session to see its traces"));
        m_traces->setTraces({});
        return;
    }
    m_runner->run(
        this, [sessionId](client::TraceSource &source) { return source.sessionTraces(sessionId); },
        [this, generation, sessionId](std::vector<core::TraceSummary> traces) {
            if (generation != m_generation)
                return;
            const QString selected = m_traceView->currentIndex().isValid()
                ? m_traceView->currentIndex().data(TraceTableModel::TraceIdRole).toString()
                : QString();
            const QString session = QString::fromStdString(sessionId);
            m_tracesTitle->setToolTip(session);
            m_tracesTitle->setText(traces.size() == 1
                    ? tr("Session %1 — 1 trace").arg(session)
                    : tr("Session %1 — %2 traces, oldest first")
                          .arg(session, format::count(static_cast<std::int64_t>(traces.size()))));
            m_traces->setTraces(std::move(traces));
            core::TraceId id {};
            if (!selected.isEmpty() && core::fromHex(selected.toStdString(), id)) {
                const int row = m_traces->rowOf(id);
                if (row >= 0)
                    m_traceView->selectRow(row);
            }
            Q_EMIT sessionTracesLoaded();
        });
}

void SessionsPage::saveState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("sessions/splitter"), m_splitter->saveState());
}

void SessionsPage::restoreState(const QSettings &settings)
{
    const QByteArray state = settings.value(QStringLiteral("sessions/splitter")).toByteArray();
    if (!state.isEmpty())
        m_splitter->restoreState(state);
}

} // namespace agentops::ui

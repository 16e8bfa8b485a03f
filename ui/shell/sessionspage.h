// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <QWidget>

#include <string>

class QLabel;
class QSettings;
class QSplitter;

namespace agentops::client {
class TraceSourceRunner;
}

namespace agentops::ui {

class SessionListModel;
class TraceTableModel;
class TraceTableView;

/// The Sessions page: sessions most recently active first, and the traces of the selected one in
/// the order they ran.
class SessionsPage : public QWidget
{
    Q_OBJECT

public:
    explicit SessionsPage(client::TraceSourceRunner *runner, QWidget *parent = nullptr);

    SessionListModel *sessionModel() const { return m_sessions; }
    TraceTableModel *traceModel() const { return m_traces; }
    TraceTableView *sessionView() const { return m_sessionView; }
    TraceTableView *traceView() const { return m_traceView; }

    /// Reloads the sessions (keeping the selected one) and its traces.
    void refresh();
    bool selectSession(const std::string &sessionId);

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

Q_SIGNALS:
    void traceActivated(const core::TraceId &id);
    void sessionTracesLoaded();

private:
    void loadTraces(const std::string &sessionId);

    client::TraceSourceRunner *m_runner;
    SessionListModel *m_sessions;
    TraceTableModel *m_traces;
    TraceTableView *m_sessionView;
    TraceTableView *m_traceView;
    QLabel *m_tracesTitle;
    QSplitter *m_splitter;
    std::string m_current;
    quint64 m_generation = 0;
};

} // namespace agentops::ui

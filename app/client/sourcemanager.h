// SPDX-License-Identifier: MIT
#pragma once

#include "client/tracesource.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

namespace agentops::client {

class SwitchingSource;
class TraceSourceRunner;

/// Owns the source every page reads through and lets it be replaced (the local database, a team
/// server, the same server with a new token). Pages keep one runner for the app's life: its source
/// forwards each call to the current source, so a switch needs no page to be rebuilt, only
/// reloaded (sourceChanged).
///
/// It also watches how the calls end and turns that into one connection state for the UI: a failed
/// call sets Offline, Unauthorized, Forbidden or ServerError, the next successful call sets Ok again.
/// While offline it asks for a reload (retryRequested) with exponential backoff. Unauthorized is
/// reported once (unauthorized) until a call succeeds or the source is replaced, however many
/// requests fail. Answers of a source that has been replaced are ignored.
class SourceManager : public QObject
{
    Q_OBJECT

public:
    enum class State { Ok, Offline, Unauthorized, Forbidden, ServerError };
    Q_ENUM(State)

    /// local: the embedded database, the source at the start and after useLocal().
    explicit SourceManager(std::shared_ptr<TraceSource> local, QObject *parent = nullptr);
    ~SourceManager() override;

    /// The runner every page uses; stays the same across switches.
    TraceSourceRunner *runner() const { return m_runner.get(); }
    /// The source the runner reads: forwards to current().
    TraceSource &source() const;
    std::shared_ptr<TraceSource> current() const;
    std::shared_ptr<TraceSource> local() const { return m_local; }

    /// Identifies the current source: empty for the local database, else a saved server's id.
    QString currentId() const { return m_currentId; }
    bool isLocal() const { return m_currentId.isEmpty(); }
    /// "Local" or the server's name.
    QString displayName() const { return m_displayName; }

    /// Replaces the source behind every page. retire runs on the GUI thread when this source is
    /// replaced in turn (e.g. RemoteSource::cancelAll, so its calls in flight end at once).
    void setSource(std::shared_ptr<TraceSource> source, const QString &id, const QString &displayName,
        std::function<void()> retire = {});
    void useLocal();

    State state() const { return m_state; }
    /// What the failed call said; empty while Ok.
    QString stateMessage() const { return m_stateMessage; }
    /// Seconds until the next automatic retry while offline; 0 when none is planned.
    int retryInSeconds() const;
    /// The wait before the planned automatic retry, as it was planned (the backoff step); 0 when none
    /// is planned.
    int retryDelayMs() const;
    /// Retries at once (the "Retry now" button): resets the backoff and asks for a reload.
    void retryNow();
    /// First and longest wait between retries while offline (default 2 s and 60 s).
    void setRetryBackoff(int firstMs, int maxMs);

Q_SIGNALS:
    /// The pages must reload. sameSource: the same server with new credentials (keep the open
    /// trace, filters and selection); false: other data (leave the open trace).
    void sourceChanged(bool sameSource);
    void stateChanged(agentops::client::SourceManager::State state, const QString &message);
    /// A call was refused with 401: sign in again. Once until a call succeeds or the source changes.
    void unauthorized(const QString &message);
    /// Time to reload what is on screen (automatic retry while offline, or retryNow()).
    void retryRequested();
    /// Each second while a retry is planned.
    void retryCountdown(int seconds);

private:
    friend class SwitchingSource;
    void callFailed(quint64 generation, SourceError::Kind kind, const QString &message);
    void callSucceeded(quint64 generation);
    void setState(State state, const QString &message);
    void scheduleRetry();
    void stopRetry();

    std::shared_ptr<TraceSource> m_local;
    std::shared_ptr<TraceSource> m_current;
    std::shared_ptr<SwitchingSource> m_switching;
    std::unique_ptr<TraceSourceRunner> m_runner;
    std::function<void()> m_retire;
    QString m_currentId;
    QString m_displayName;
    quint64 m_generation = 0;
    State m_state = State::Ok;
    QString m_stateMessage;
    bool m_unauthorizedReported = false;
    QTimer m_retry;
    QTimer m_countdown;
    int m_backoffFirstMs = 2000;
    int m_backoffMaxMs = 60000;
    int m_backoffMs = 0;
};

} // namespace agentops::client

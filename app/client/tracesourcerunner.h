// SPDX-License-Identifier: MIT
#pragma once

#include "client/tracesource.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace agentops::client {

/// Runs TraceSource calls on worker threads so the GUI thread never blocks on the store or the
/// network. Each result is handed back on this object's thread, and only while the receiver that
/// asked for it is alive; receivers that issue overlapping requests drop the stale ones with a
/// generation number of their own. Failures go to the caller's error handler and to requestFailed.
class TraceSourceRunner : public QObject
{
    Q_OBJECT

public:
    using ErrorHandler = std::function<void(const QString &message)>;

    explicit TraceSourceRunner(std::shared_ptr<TraceSource> source, QObject *parent = nullptr);
    /// Waits for the requests still running: they use the source, which may go away after this.
    ~TraceSourceRunner() override;

    TraceSource &source() const { return *m_source; }
    std::shared_ptr<TraceSource> sharedSource() const { return m_source; }
    /// Requests started and not answered yet.
    int pending() const { return m_pending; }
    /// Blocks until every worker is idle (tests, shutdown); answers are still delivered later.
    void waitForWorkers() { m_pool.waitForDone(); }

    /// Calls work(TraceSource &) on a worker thread, then done(result) on this object's thread
    /// unless receiver has been destroyed by then. The answer always comes from the event loop,
    /// never from inside run().
    template<typename Work, typename Done>
    void run(QObject *receiver, Work work, Done done, ErrorHandler failed = {})
    {
        using Result = std::invoke_result_t<Work &, TraceSource &>;
        begin();
        QtConcurrent::run(&m_pool,
            [source = m_source, work = std::move(work)]() mutable {
                Outcome<Result> outcome;
                try {
                    outcome.value = work(*source);
                } catch (const std::exception &e) {
                    // A source says what kind of failure it was; anything else it let through is Other.
                    const auto *sourceError = dynamic_cast<const SourceError *>(&e);
                    outcome.error = QString::fromUtf8(e.what());
                    outcome.kind = sourceError ? sourceError->kind() : SourceError::Kind::Other;
                }
                return outcome;
            })
            .then([this, guard = QPointer<QObject>(receiver), done = std::move(done), failed = std::move(failed)](
                      Outcome<Result> outcome) mutable {
                // Always queued, also when the work finished before then() was attached: callers
                // must never see their answer inside the call that asked for it (a model would
                // insert rows in the middle of its own reset).
                QMetaObject::invokeMethod(
                    this,
                    [this, guard = std::move(guard), done = std::move(done), failed = std::move(failed),
                        outcome = std::move(outcome)]() mutable {
                        finish();
                        if (!guard)
                            return;
                        if (outcome.error) {
                            if (failed)
                                failed(*outcome.error);
                            Q_EMIT requestFailed(*outcome.error, outcome.kind);
                            return;
                        }
                        done(std::move(*outcome.value));
                    },
                    Qt::QueuedConnection);
            });
    }

Q_SIGNALS:
    /// A request failed; kind is the SourceError's (Other for any other exception).
    void requestFailed(const QString &message, agentops::client::SourceError::Kind kind);
    /// True while any request is running (a busy indicator in the UI).
    void busyChanged(bool busy);

private:
    template<typename T>
    struct Outcome
    {
        std::optional<T> value;
        std::optional<QString> error;
        SourceError::Kind kind = SourceError::Kind::Other;
    };

    void begin();
    void finish();

    std::shared_ptr<TraceSource> m_source;
    QThreadPool m_pool;
    int m_pending = 0;
};

} // namespace agentops::client

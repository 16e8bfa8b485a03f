// SPDX-License-Identifier: MIT
#include "client/sourcemanager.h"

#include "client/tracesourcerunner.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <type_traits>

namespace agentops::client {

/// The runner's source: forwards every call to the current source and tells the manager how the
/// call ended, tagged with the generation of the source it went to.
class SwitchingSource final : public TraceSource
{
public:
    explicit SwitchingSource(SourceManager *manager)
        : m_manager(manager)
    { }

    void detach()
    {
        const std::lock_guard lock(m_mutex);
        m_manager = nullptr;
    }

    void setTarget(std::shared_ptr<TraceSource> target, quint64 generation)
    {
        const std::lock_guard lock(m_mutex);
        m_target = std::move(target);
        m_generation = generation;
    }

    /// Successes are reported only while the manager is in a failed state (few events otherwise).
    void setFailing(bool failing) { m_failing = failing; }

    QString displayName() const override { return snapshot().first->displayName(); }
    store::TracePage listTraces(const store::TraceQuery &query) override
    {
        return call([&](TraceSource &s) { return s.listTraces(query); });
    }
    std::shared_ptr<const store::TraceDetail> trace(const core::TraceId &id) override
    {
        return call([&](TraceSource &s) { return s.trace(id); });
    }
    std::optional<core::Span> span(const core::TraceId &traceId, const core::SpanId &spanId) override
    {
        return call([&](TraceSource &s) { return s.span(traceId, spanId); });
    }
    store::SessionPage listSessions(const store::SessionQuery &query) override
    {
        return call([&](TraceSource &s) { return s.listSessions(query); });
    }
    std::vector<core::TraceSummary> sessionTraces(const std::string &sessionId) override
    {
        return call([&](TraceSource &s) { return s.sessionTraces(sessionId); });
    }
    store::MetricsResult metrics(const store::MetricsQuery &query) override
    {
        return call([&](TraceSource &s) { return s.metrics(query); });
    }
    std::uint64_t changeCounter() const override { return snapshot().first->changeCounter(); }

private:
    std::pair<std::shared_ptr<TraceSource>, quint64> snapshot() const
    {
        const std::lock_guard lock(m_mutex);
        return { m_target, m_generation };
    }

    template<typename Fn>
    std::invoke_result_t<Fn &, TraceSource &> call(Fn fn)
    {
        // The call keeps its source alive even when a switch replaces it meanwhile.
        // (Copied out of the structured binding: clang before 16 cannot capture one, and the
        // analysers run on clang.)
        const auto [target, boundGeneration] = snapshot();
        const auto generation = boundGeneration;
        try {
            auto result = fn(*target);
            if (m_failing)
                post([generation](SourceManager *m) { m->callSucceeded(generation); });
            return result;
        } catch (const SourceError &e) {
            post([generation, kind = e.kind(), message = QString::fromUtf8(e.what())](
                     SourceManager *m) { m->callFailed(generation, kind, message); });
            throw;
        }
    }

    template<typename Fn>
    void post(Fn fn)
    {
        // Under the lock the manager cannot finish its destructor; events posted to it are
        // discarded if it goes away before they are delivered.
        const std::lock_guard lock(m_mutex);
        if (!m_manager)
            return;
        QMetaObject::invokeMethod(
            m_manager, [m = m_manager, fn = std::move(fn)] { fn(m); }, Qt::QueuedConnection);
    }

    mutable std::mutex m_mutex;
    SourceManager *m_manager;
    std::shared_ptr<TraceSource> m_target;
    quint64 m_generation = 0;
    std::atomic<bool> m_failing { false };
};

SourceManager::SourceManager(std::shared_ptr<TraceSource> local, QObject *parent)
    : QObject(parent)
    , m_local(std::move(local))
    , m_current(m_local)
    , m_switching(std::make_shared<SwitchingSource>(this))
    , m_displayName(tr("Local"))
{
    m_switching->setTarget(m_local, m_generation);
    m_runner = std::make_unique<TraceSourceRunner>(m_switching);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        m_countdown.stop();
        Q_EMIT retryCountdown(0);
        Q_EMIT retryRequested();
    });
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] { Q_EMIT retryCountdown(retryInSeconds()); });
}

SourceManager::~SourceManager()
{
    m_switching->detach();
    if (m_retire)
        m_retire();
    // The runner waits for its workers; they may still call into the switching source.
    m_runner.reset();
}

TraceSource &SourceManager::source() const
{
    return *m_switching;
}

std::shared_ptr<TraceSource> SourceManager::current() const
{
    return m_current;
}

void SourceManager::setSource(
    std::shared_ptr<TraceSource> source, const QString &id, const QString &displayName, std::function<void()> retire)
{
    if (!source)
        source = m_local;
    const bool sameSource = id == m_currentId;
    // Answers of the old source are ignored from here on.
    ++m_generation;
    m_current = source;
    m_switching->setTarget(std::move(source), m_generation);
    if (m_retire)
        m_retire();
    m_retire = std::move(retire);
    m_currentId = id;
    m_displayName = displayName.isEmpty() ? tr("Local") : displayName;
    m_unauthorizedReported = false;
    m_backoffMs = 0;
    stopRetry();
    setState(State::Ok, {});
    Q_EMIT sourceChanged(sameSource);
}

void SourceManager::useLocal()
{
    setSource(m_local, {}, tr("Local"));
}

int SourceManager::retryDelayMs() const
{
    return m_retry.isActive() ? m_retry.interval() : 0;
}

int SourceManager::retryInSeconds() const
{
    if (!m_retry.isActive())
        return 0;
    return (m_retry.remainingTime() + 999) / 1000;
}

void SourceManager::retryNow()
{
    m_backoffMs = 0;
    stopRetry();
    Q_EMIT retryRequested();
}

void SourceManager::setRetryBackoff(int firstMs, int maxMs)
{
    m_backoffFirstMs = std::max(firstMs, 1);
    m_backoffMaxMs = std::max(maxMs, m_backoffFirstMs);
}

void SourceManager::callFailed(quint64 generation, SourceError::Kind kind, const QString &message)
{
    if (generation != m_generation)
        return;
    switch (kind) {
    case SourceError::Kind::Other:
    case SourceError::Kind::Cancelled: return; // a bad query or a call nobody waits for
    case SourceError::Kind::Offline:
        setState(State::Offline, message);
        if (!m_retry.isActive())
            scheduleRetry();
        return;
    case SourceError::Kind::Unauthorized:
        stopRetry();
        setState(State::Unauthorized, message);
        if (!m_unauthorizedReported) {
            m_unauthorizedReported = true;
            Q_EMIT unauthorized(message);
        }
        return;
    case SourceError::Kind::Forbidden: setState(State::Forbidden, message); return;
    case SourceError::Kind::Server: setState(State::ServerError, message); return;
    }
}

void SourceManager::callSucceeded(quint64 generation)
{
    if (generation != m_generation)
        return;
    m_unauthorizedReported = false;
    m_backoffMs = 0;
    stopRetry();
    setState(State::Ok, {});
}

void SourceManager::setState(State state, const QString &message)
{
    m_switching->setFailing(state != State::Ok);
    if (state == m_state && message == m_stateMessage)
        return;
    m_state = state;
    m_stateMessage = message;
    Q_EMIT stateChanged(state, message);
}

void SourceManager::scheduleRetry()
{
    m_backoffMs = m_backoffMs == 0 ? m_backoffFirstMs : std::min(m_backoffMs * 2, m_backoffMaxMs);
    m_retry.start(m_backoffMs);
    m_countdown.start();
    Q_EMIT retryCountdown(retryInSeconds());
}

void SourceManager::stopRetry()
{
    m_retry.stop();
    m_countdown.stop();
}

} // namespace agentops::client

// SPDX-License-Identifier: MIT
#include "alerts/alertmonitor.h"

#include "alerts/alertformat.h"
#include "alerts/evaluator.h"

#include <QApplication>
#include <QDateTime>
#include <QFutureWatcher>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QtConcurrent>

namespace agentops::ui {

AlertMonitor::AlertMonitor(store::TraceStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_timer(new QTimer(this))
{
    // For queued connections and QSignalSpy: the type of alertsRaised's argument.
    qRegisterMetaType<std::vector<core::AlertEvent>>();
    connect(m_timer, &QTimer::timeout, this, [this] { evaluateNow(); });
    if (m_store) {
        try {
            m_rules = m_store->alertRules();
        } catch (const std::exception &) {
            // Shown as no rules; the next evaluation tries again.
        }
    }
}

AlertMonitor::~AlertMonitor()
{
    // The evaluation uses the store, which may go soon after this object.
    m_future.waitForFinished();
}

void AlertMonitor::start(int intervalMs)
{
    m_timer->start(intervalMs);
    evaluateNow();
}

int AlertMonitor::firingCount() const
{
    return static_cast<int>(std::count_if(m_rules.begin(), m_rules.end(),
        [](const core::AlertRule &r) { return r.enabled && r.state.status == core::AlertStatus::Firing; }));
}

void AlertMonitor::evaluateNow(std::int64_t nowNs)
{
    if (!m_store || m_running)
        return;
    m_running = true;
    if (nowNs == 0)
        nowNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    store::TraceStore *store = m_store;
    auto *watcher = new QFutureWatcher<Evaluation>(this);
    connect(watcher, &QFutureWatcher<Evaluation>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_running = false;
        Evaluation result = watcher->result();
        if (result.error.isEmpty())
            m_rules = std::move(result.rules);
        // The states first (status bar, lists), then what changed (a message over the status bar).
        Q_EMIT evaluated();
        if (!result.events.empty()) {
            notify(result.events);
            Q_EMIT alertsRaised(result.events);
        }
    });
    const QFuture<Evaluation> future = QtConcurrent::run([store, nowNs] {
        Evaluation e;
        try {
            e.events = alerts::evaluateStore(*store, nowNs);
            e.rules = store->alertRules();
        } catch (const std::exception &ex) {
            e.error = QString::fromUtf8(ex.what());
        }
        return e;
    });
    m_future = future;
    watcher->setFuture(future);
}

void AlertMonitor::notify(const std::vector<core::AlertEvent> &events)
{
    // One notification: the first event in full, the rest counted.
    const core::AlertEvent &first = events.front();
    m_lastTitle = alertformat::eventTitle(first);
    m_lastText = alertformat::eventText(first);
    if (events.size() > 1)
        m_lastText += QLatin1Char('\n')
            + (events.size() == 2 ? tr("and 1 more alert") : tr("and %1 more alerts").arg(events.size() - 1));
    m_lastInTray = false;
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("AgentOps Monitor"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &AlertMonitor::notificationClicked);
        connect(m_tray, &QSystemTrayIcon::activated, this, &AlertMonitor::notificationClicked);
        m_tray->show();
    }
    const bool anyFiring = std::any_of(events.begin(), events.end(), [](const auto &e) { return e.firing; });
    m_tray->showMessage(
        m_lastTitle, m_lastText, anyFiring ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 15'000);
    m_lastInTray = true;
}

} // namespace agentops::ui

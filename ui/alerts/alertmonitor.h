// SPDX-License-Identifier: MIT
#pragma once

#include "core/alertrule.h"
#include "store/tracestore.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QString>

#include <vector>

class QSystemTrayIcon;
class QTimer;

namespace agentops::ui {

/// Evaluates the alert rules of the local database (alerts::evaluateStore) every interval, off the
/// GUI thread, and tells of alerts that fired or resolved: a desktop notification through the
/// system tray when there is one (QSystemTrayIcon is optional: without a tray the alerts list and
/// the status bar still show them), and the alertsRaised and evaluated signals.
class AlertMonitor : public QObject
{
    Q_OBJECT

public:
    explicit AlertMonitor(store::TraceStore *store, QObject *parent = nullptr);
    ~AlertMonitor() override;

    /// Starts evaluating every intervalMs (the first time at once).
    void start(int intervalMs = 60'000);
    /// Evaluates now (when no evaluation runs); nowNs 0: the clock's time.
    void evaluateNow(std::int64_t nowNs = 0);
    bool isEvaluating() const { return m_running; }

    store::TraceStore *store() const { return m_store; }
    /// The rules as the last evaluation left them.
    const std::vector<core::AlertRule> &rules() const { return m_rules; }
    int firingCount() const;
    /// The last notification: its title and text, and whether a tray icon showed it.
    QString lastTitle() const { return m_lastTitle; }
    QString lastText() const { return m_lastText; }
    bool lastShownInTray() const { return m_lastInTray; }
    /// The tray icon notifications go to; null when the desktop has no system tray.
    QSystemTrayIcon *trayIcon() const { return m_tray; }

Q_SIGNALS:
    /// After every evaluation (the rules' states may have changed).
    void evaluated();
    /// Alerts that began or stopped firing in the last evaluation.
    void alertsRaised(const std::vector<agentops::core::AlertEvent> &events);
    /// The user clicked a notification.
    void notificationClicked();

private:
    /// What an evaluation on the pool hands back.
    struct Evaluation
    {
        std::vector<core::AlertEvent> events;
        std::vector<core::AlertRule> rules;
        QString error;
    };
    void notify(const std::vector<core::AlertEvent> &events);

    store::TraceStore *m_store;
    QTimer *m_timer;
    QSystemTrayIcon *m_tray = nullptr;
    bool m_running = false;
    QFuture<Evaluation> m_future; ///< the evaluation running; waited for on destruction
    std::vector<core::AlertRule> m_rules;
    QString m_lastTitle;
    QString m_lastText;
    bool m_lastInTray = false;
};

} // namespace agentops::ui

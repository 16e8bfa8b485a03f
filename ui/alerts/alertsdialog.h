// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QLabel;
class QTreeWidget;

namespace agentops::ui {

class AlertMonitor;

/// View ▸ Alerts: the rules firing now, and the alerts raised recently (fired and resolved), from
/// the local database; follows the monitor's evaluations while it is open.
class AlertsDialog : public QDialog
{
    Q_OBJECT

public:
    enum FiringColumns { FiringRuleColumn, FiringConditionColumn, FiringScopeColumn, FiringSinceColumn };
    enum EventColumns { EventTimeColumn, EventRuleColumn, EventStatusColumn, EventDetailColumn };

    explicit AlertsDialog(AlertMonitor *monitor, QWidget *parent = nullptr);

    QTreeWidget *firingList() const { return m_firing; }
    QTreeWidget *eventList() const { return m_events; }
    void reload();

Q_SIGNALS:
    /// Settings → Alerts was asked for (to make or change rules).
    void editRulesRequested();

private:
    AlertMonitor *m_monitor;
    QLabel *m_summary;
    QTreeWidget *m_firing;
    QTreeWidget *m_events;
};

} // namespace agentops::ui

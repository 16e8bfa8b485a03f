// SPDX-License-Identifier: MIT
#include "alerts/alertsdialog.h"

#include "alerts/alertformat.h"
#include "alerts/alertmonitor.h"
#include "common/paddedheaderview.h"
#include "common/paddeditemdelegate.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace agentops::ui {

namespace {

/// How many recent alerts the dialog lists.
constexpr std::size_t kRecentEvents = 200;

QTreeWidget *makeList(const QStringList &headers, QWidget *parent)
{
    auto *list = new QTreeWidget(parent);
    // Air between the columns, as the other lists of the app have.
    list->setHeader(new PaddedHeaderView(Qt::Horizontal, list));
    list->setItemDelegate(new PaddedItemDelegate(list));
    list->setRootIsDecorated(false);
    list->setUniformRowHeights(true);
    list->setAllColumnsShowFocus(true);
    list->setHeaderLabels(headers);
    list->header()->setStretchLastSection(true);
    return list;
}

} // namespace

AlertsDialog::AlertsDialog(AlertMonitor *monitor, QWidget *parent)
    : QDialog(parent)
    , m_monitor(monitor)
    , m_summary(new QLabel(this))
    , m_firing(makeList({ tr("Rule"), tr("Condition"), tr("Scope"), tr("Firing since") }, this))
    , m_events(makeList({ tr("Time"), tr("Rule"), tr("Status"), tr("Details") }, this))
{
    setWindowTitle(tr("Alerts"));
    m_summary->setObjectName(QStringLiteral("alertsSummary"));
    m_summary->setWordWrap(true);
    m_firing->setObjectName(QStringLiteral("firingAlerts"));
    m_events->setObjectName(QStringLiteral("recentAlerts"));
    auto *firingLabel = new QLabel(tr("&Firing now"), this);
    firingLabel->setBuddy(m_firing);
    auto *recentLabel = new QLabel(tr("&Recent alerts"), this);
    recentLabel->setBuddy(m_events);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *rules = buttons->addButton(tr("Alert R&ules…"), QDialogButtonBox::ActionRole);
    rules->setObjectName(QStringLiteral("alertRulesButton"));
    auto *check = buttons->addButton(tr("&Check Now"), QDialogButtonBox::ActionRole);
    check->setObjectName(QStringLiteral("checkAlertsButton"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(rules, &QPushButton::clicked, this, &AlertsDialog::editRulesRequested);
    connect(check, &QPushButton::clicked, this, [this] {
        if (m_monitor)
            m_monitor->evaluateNow();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(firingLabel);
    layout->addWidget(m_firing, 1);
    layout->addWidget(recentLabel);
    layout->addWidget(m_events, 2);
    layout->addWidget(buttons);

    if (m_monitor)
        connect(m_monitor, &AlertMonitor::evaluated, this, &AlertsDialog::reload);
    reload();
    resize(820, 520);
}

void AlertsDialog::reload()
{
    m_firing->clear();
    m_events->clear();
    store::TraceStore *store = m_monitor ? m_monitor->store() : nullptr;
    if (!store) {
        m_summary->setText(tr("Alerts need the local database, which this session does not have."));
        return;
    }
    std::vector<core::AlertRule> rules;
    std::vector<core::AlertEvent> events;
    try {
        rules = store->alertRules();
        events = store->alertEvents(kRecentEvents);
    } catch (const std::exception &e) {
        m_summary->setText(tr("The alerts could not be read: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    int firing = 0;
    for (const auto &r : rules) {
        if (!r.enabled || r.state.status != core::AlertStatus::Firing)
            continue;
        ++firing;
        auto *item = new QTreeWidgetItem(m_firing,
            { QString::fromStdString(r.name), alertformat::condition(r), alertformat::scopeText(r.scope, r.scope_value),
                tr("%1 (%2)").arg(
                    alertformat::timeText(r.state.since_ns), alertformat::value(r.kind, r.state.fired_value)) });
        for (int c = 0; c < m_firing->columnCount(); ++c)
            item->setToolTip(c, item->text(c));
    }
    for (const auto &e : events) {
        auto *item = new QTreeWidgetItem(m_events,
            { alertformat::timeText(e.at_ns), QString::fromStdString(e.rule_name),
                e.firing ? tr("Fired") : tr("Resolved"), alertformat::eventText(e) });
        for (int c = 0; c < m_events->columnCount(); ++c)
            item->setToolTip(c, item->text(c));
    }
    for (auto *list : { m_firing, m_events })
        for (int c = 0; c < list->columnCount() - 1; ++c)
            list->resizeColumnToContents(c);
    if (rules.empty())
        m_summary->setText(tr("No alert rules yet: make one with Alert Rules…"));
    else if (firing == 0)
        m_summary->setText(rules.size() == 1
                ? tr("No alert is firing. 1 rule is checked every minute.")
                : tr("No alert is firing. %1 rules are checked every minute.").arg(rules.size()));
    else
        m_summary->setText(firing == 1 ? tr("1 alert firing.") : tr("%1 alerts firing.").arg(firing));
}

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#include "alerts/alertrulespage.h"

#include "alerts/alertformat.h"
#include "alerts/alertruledialog.h"
#include "common/paddedheaderview.h"
#include "common/paddeditemdelegate.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace agentops::ui {

AlertRulesPage::AlertRulesPage(store::TraceStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_list(new QTreeWidget(this))
    , m_empty(new QLabel(this))
    , m_add(new QPushButton(tr("&Add…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
{
    m_list->setObjectName(QStringLiteral("alertRules"));
    m_list->setHeader(new PaddedHeaderView(Qt::Horizontal, m_list));
    m_list->setItemDelegate(new PaddedItemDelegate(m_list));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->setHeaderLabels({ tr("Name"), tr("Condition"), tr("Scope"), tr("State") });
    m_list->header()->setStretchLastSection(true);
    m_list->header()->setSectionResizeMode(QHeaderView::Interactive);
    // Room for typical names before there are any, so the empty list does not look collapsed.
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const std::pair<int, int> widths[] = { { NameColumn, 12 }, { ConditionColumn, 18 }, { ScopeColumn, 12 } };
    for (const auto &[column, ems] : widths)
        m_list->header()->resizeSection(column, ems * em);
    m_empty->setObjectName(QStringLiteral("alertRulesEmpty"));
    m_empty->setWordWrap(true);
    m_add->setObjectName(QStringLiteral("addAlertRule"));
    m_edit->setObjectName(QStringLiteral("editAlertRule"));
    m_remove->setObjectName(QStringLiteral("removeAlertRule"));

    auto *intro = new QLabel(tr("Rules are checked every minute against the traces in this computer's database. "
                                "When one fires or resolves, a desktop notification tells you, and View ▸ "
                                "Alerts lists it."),
        this);
    intro->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_empty);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &AlertRulesPage::addRule);
    connect(m_edit, &QPushButton::clicked, this, &AlertRulesPage::editRule);
    connect(m_remove, &QPushButton::clicked, this, &AlertRulesPage::removeRule);
    // Enter edits the rule; the view would let it go on to the dialog's default button as well.
    m_list->installEventFilter(this);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &AlertRulesPage::editRule);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &AlertRulesPage::updateButtons);
    reload();
}

void AlertRulesPage::reload()
{
    const std::int64_t selected = m_list->currentItem() ? m_list->currentItem()->data(0, Qt::UserRole).toLongLong() : 0;
    m_list->clear();
    m_rules.clear();
    QString empty;
    if (!m_store) {
        empty = tr("Alerts need the local database, which this session does not have.");
    } else {
        try {
            m_rules = m_store->alertRules();
        } catch (const std::exception &e) {
            empty = tr("The alert rules could not be read: %1").arg(QString::fromUtf8(e.what()));
        }
        if (empty.isEmpty() && m_rules.empty())
            empty = tr("No alert rules yet. Add one to hear when error rates, cost or latency go up, or when an "
                       "agent goes quiet.");
    }
    for (const auto &r : m_rules) {
        auto *item = new QTreeWidgetItem(m_list,
            { QString::fromStdString(r.name), alertformat::condition(r), alertformat::scopeText(r.scope, r.scope_value),
                alertformat::state(r) });
        item->setData(0, Qt::UserRole, QVariant::fromValue<qlonglong>(r.id));
        for (int c = 0; c < NUM_COLUMNS; ++c)
            item->setToolTip(c, item->text(c));
        if (r.id == selected)
            m_list->setCurrentItem(item);
    }
    if (!m_list->currentItem() && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    for (int c = 0; c < NUM_COLUMNS - 1; ++c)
        if (m_list->topLevelItemCount() > 0)
            m_list->resizeColumnToContents(c);
    m_empty->setText(empty);
    m_empty->setVisible(!empty.isEmpty());
    updateButtons();
}

bool AlertRulesPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            editRule();
            return true;
        }
        if (key == Qt::Key_Delete) {
            removeRule();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void AlertRulesPage::updateButtons()
{
    const bool any = m_list->currentItem() != nullptr;
    m_add->setEnabled(m_store != nullptr);
    m_edit->setEnabled(any);
    m_remove->setEnabled(any);
}

bool AlertRulesPage::save(const core::AlertRule &rule)
{
    try {
        if (rule.id)
            m_store->updateAlertRule(rule);
        else
            m_store->addAlertRule(rule);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Alert Rule Not Saved"), QString::fromUtf8(e.what()));
        return false;
    }
    reload();
    Q_EMIT rulesChanged();
    return true;
}

void AlertRulesPage::addRule()
{
    if (!m_store)
        return;
    core::AlertRule fresh;
    fresh.threshold = 5;
    fresh.window_s = std::int64_t { 15 } * 60;
    fresh.for_s = 120;
    core::AlertRule edited = fresh;
    // Asked again until the rule is saved or the dialog cancelled (e.g. a name already taken).
    for (;;) {
        AlertRuleDialog dialog(edited, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        edited = dialog.rule();
        edited.created_ns = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
        if (save(edited))
            break;
    }
    // The new rule is the one of that name.
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        if (m_list->topLevelItem(i)->text(NameColumn) == QString::fromStdString(edited.name))
            m_list->setCurrentItem(m_list->topLevelItem(i));
}

void AlertRulesPage::editRule()
{
    const auto *item = m_list->currentItem();
    if (!item || !m_store)
        return;
    const std::int64_t id = item->data(0, Qt::UserRole).toLongLong();
    const auto it = std::find_if(m_rules.begin(), m_rules.end(), [id](const auto &r) { return r.id == id; });
    if (it == m_rules.end())
        return;
    core::AlertRule edited = *it;
    for (;;) {
        AlertRuleDialog dialog(edited, this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        edited = dialog.rule();
        if (save(edited))
            return;
    }
}

void AlertRulesPage::removeRule()
{
    const auto *item = m_list->currentItem();
    if (!item || !m_store)
        return;
    const auto answer = QMessageBox::question(this, tr("Remove Alert Rule"),
        tr("Remove the alert rule “%1”? Alerts it raised stay in the list.").arg(item->text(NameColumn)));
    if (answer != QMessageBox::Yes)
        return;
    try {
        m_store->removeAlertRule(item->data(0, Qt::UserRole).toLongLong());
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Alert Rule Not Removed"), QString::fromUtf8(e.what()));
        return;
    }
    reload();
    Q_EMIT rulesChanged();
}

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace agentops::ui {

/// Settings → Alerts: the alert rules of the local database, with their state, and buttons to add,
/// edit and remove them. Changes are written to the database at once (each through the rule's own
/// dialog, or a confirmation for removal).
class AlertRulesPage : public QWidget
{
    Q_OBJECT

public:
    enum Columns { NameColumn, ConditionColumn, ScopeColumn, StateColumn, NUM_COLUMNS };

    /// store may be null (no local database): the page says so.
    explicit AlertRulesPage(store::TraceStore *store, QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    void reload();
    void addRule();
    void editRule();
    void removeRule();

Q_SIGNALS:
    /// A rule was added, changed or removed.
    void rulesChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool save(const core::AlertRule &rule);
    void updateButtons();

    store::TraceStore *m_store;
    std::vector<core::AlertRule> m_rules;
    QTreeWidget *m_list;
    QLabel *m_empty;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
};

} // namespace agentops::ui

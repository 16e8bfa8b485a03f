// SPDX-License-Identifier: MIT
#pragma once

#include "core/alertrule.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace agentops::ui {

/// Makes or edits one alert rule: its name, what it watches (kind and threshold, in the kind's
/// unit), the window, the "for" duration, the scope, and whether it is on. OK stays disabled, with
/// the reason shown, while the rule is not valid (core::validateAlertRule).
class AlertRuleDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AlertRuleDialog(const core::AlertRule &rule, QWidget *parent = nullptr);

    /// The rule as edited (id, webhook and state as given).
    core::AlertRule rule() const;

private:
    void kindChanged();
    void updateState();

    core::AlertRule m_original;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QDoubleSpinBox *m_threshold;
    QSpinBox *m_window;
    QSpinBox *m_for;
    QComboBox *m_scope;
    QLineEdit *m_scopeValue;
    QCheckBox *m_enabled;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace agentops::ui

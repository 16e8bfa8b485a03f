// SPDX-License-Identifier: MIT
#include "alerts/alertruledialog.h"

#include "alerts/alertformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace agentops::ui {

namespace {

constexpr core::AlertKind kKinds[] = { core::AlertKind::ErrorRate, core::AlertKind::CostPerHour,
    core::AlertKind::CostPerDay, core::AlertKind::P95Latency, core::AlertKind::NoTraffic };

} // namespace

AlertRuleDialog::AlertRuleDialog(const core::AlertRule &rule, QWidget *parent)
    : QDialog(parent)
    , m_original(rule)
    , m_name(new QLineEdit(QString::fromStdString(rule.name), this))
    , m_kind(new QComboBox(this))
    , m_threshold(new QDoubleSpinBox(this))
    , m_window(new QSpinBox(this))
    , m_for(new QSpinBox(this))
    , m_scope(new QComboBox(this))
    , m_scopeValue(new QLineEdit(QString::fromStdString(rule.scope_value), this))
    , m_enabled(new QCheckBox(tr("Evaluate this rule"), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(rule.id ? tr("Edit Alert Rule") : tr("New Alert Rule"));
    m_name->setObjectName(QStringLiteral("alertName"));
    m_name->setPlaceholderText(tr("e.g. checkout errors"));
    m_name->setMaxLength(static_cast<int>(core::kMaxAlertNameBytes));
    m_kind->setObjectName(QStringLiteral("alertKind"));
    for (const auto kind : kKinds)
        m_kind->addItem(alertformat::kindName(kind), static_cast<int>(kind));
    m_kind->setCurrentIndex(m_kind->findData(static_cast<int>(rule.kind)));
    m_threshold->setObjectName(QStringLiteral("alertThreshold"));
    m_threshold->setRange(0, core::kMaxAlertThreshold);
    m_threshold->setValue(rule.threshold);
    m_window->setObjectName(QStringLiteral("alertWindow"));
    m_window->setRange(1, static_cast<int>(core::kMaxAlertWindowSeconds / 60));
    m_window->setSuffix(tr(" min"));
    m_window->setValue(static_cast<int>(std::max<std::int64_t>(1, rule.window_s / 60)));
    m_for->setObjectName(QStringLiteral("alertFor"));
    m_for->setRange(0, static_cast<int>(core::kMaxAlertForSeconds));
    m_for->setSuffix(tr(" s"));
    m_for->setValue(static_cast<int>(rule.for_s));
    m_for->setToolTip(tr("The condition must hold this long before the alert fires, and be gone this long "
                         "before it resolves, so a value that wavers around the threshold does not notify "
                         "again and again."));
    m_scope->setObjectName(QStringLiteral("alertScope"));
    m_scope->addItem(tr("All traffic"), static_cast<int>(core::AlertScope::All));
    m_scope->addItem(tr("One service"), static_cast<int>(core::AlertScope::Service));
    m_scope->addItem(tr("One agent"), static_cast<int>(core::AlertScope::Agent));
    m_scope->addItem(tr("One model"), static_cast<int>(core::AlertScope::Model));
    m_scope->setCurrentIndex(m_scope->findData(static_cast<int>(rule.scope)));
    m_scopeValue->setObjectName(QStringLiteral("alertScopeValue"));
    m_enabled->setObjectName(QStringLiteral("alertEnabled"));
    m_enabled->setChecked(rule.enabled);
    m_problem->setObjectName(QStringLiteral("alertProblem"));
    m_problem->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Watch:"), m_kind);
    form->addRow(tr("&Threshold:"), m_threshold);
    form->addRow(tr("Over the last:"), m_window);
    form->addRow(tr("&For at least:"), m_for);
    form->addRow(tr("&Scope:"), m_scope);
    form->addRow(tr("Na&me in scope:"), m_scopeValue);
    form->addRow(m_enabled);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &AlertRuleDialog::kindChanged);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &AlertRuleDialog::updateState);
    connect(m_name, &QLineEdit::textChanged, this, &AlertRuleDialog::updateState);
    connect(m_scopeValue, &QLineEdit::textChanged, this, &AlertRuleDialog::updateState);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &AlertRuleDialog::updateState);
    kindChanged();
    m_name->setFocus();
    resize(460, sizeHint().height());
}

void AlertRuleDialog::kindChanged()
{
    const auto kind = static_cast<core::AlertKind>(m_kind->currentData().toInt());
    // Each kind's threshold in its own unit and precision.
    switch (kind) {
    case core::AlertKind::ErrorRate:
        m_threshold->setDecimals(1);
        m_threshold->setMaximum(100);
        m_threshold->setPrefix({});
        m_threshold->setSuffix(tr(" %"));
        break;
    case core::AlertKind::CostPerHour:
    case core::AlertKind::CostPerDay:
        m_threshold->setDecimals(2);
        m_threshold->setMaximum(1e9);
        m_threshold->setPrefix(tr("$"));
        m_threshold->setSuffix(kind == core::AlertKind::CostPerHour ? tr(" per hour") : tr(" per day"));
        break;
    case core::AlertKind::P95Latency:
        m_threshold->setDecimals(0);
        m_threshold->setMaximum(1e9);
        m_threshold->setPrefix({});
        m_threshold->setSuffix(tr(" ms"));
        break;
    case core::AlertKind::NoTraffic:
        m_threshold->setDecimals(0);
        m_threshold->setMaximum(1e9);
        m_threshold->setPrefix(tr("at most "));
        m_threshold->setSuffix(tr(" spans"));
        break;
    }
    updateState();
}

core::AlertRule AlertRuleDialog::rule() const
{
    core::AlertRule r = m_original;
    r.name = m_name->text().trimmed().toStdString();
    r.kind = static_cast<core::AlertKind>(m_kind->currentData().toInt());
    r.threshold = m_threshold->value();
    r.window_s = std::int64_t(m_window->value()) * 60;
    r.for_s = m_for->value();
    r.scope = static_cast<core::AlertScope>(m_scope->currentData().toInt());
    r.scope_value = r.scope == core::AlertScope::All ? std::string() : m_scopeValue->text().trimmed().toStdString();
    r.enabled = m_enabled->isChecked();
    return r;
}

void AlertRuleDialog::updateState()
{
    const auto scope = static_cast<core::AlertScope>(m_scope->currentData().toInt());
    m_scopeValue->setEnabled(scope != core::AlertScope::All);
    switch (scope) {
    case core::AlertScope::All: m_scopeValue->setPlaceholderText({}); break;
    case core::AlertScope::Service: m_scopeValue->setPlaceholderText(tr("service.name, e.g. checkout")); break;
    case core::AlertScope::Agent: m_scopeValue->setPlaceholderText(tr("agent name, e.g. weather_agent")); break;
    case core::AlertScope::Model: m_scopeValue->setPlaceholderText(tr("model, e.g. gpt-4o-mini")); break;
    }
    const core::AlertRule r = rule();
    QString problem;
    if (r.name.empty())
        problem = tr("Give the rule a name.");
    else if (r.scope != core::AlertScope::All && r.scope_value.empty())
        problem = tr("Name the service, agent or model the rule watches.");
    else if (const auto why = core::validateAlertRule(r); !why.empty())
        problem = QString::fromStdString(why);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#include "shell/redactionsettings.h"

#include "common/theme.h"
#include "ingest/redaction.h"

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

#include <stdexcept>

namespace agentops::ui {

namespace {

enum Columns { NameColumn, PatternColumn, KeysColumn, NUM_COLUMNS };

QString builtinLabel(std::string_view name)
{
    if (name == "email")
        return RedactionSettings::tr("E-mail addresses");
    if (name == "api_key")
        return RedactionSettings::tr("API keys (sk-…, AKIA…, ghp_…, xox…)");
    if (name == "bearer")
        return RedactionSettings::tr("Bearer tokens");
    if (name == "jwt")
        return RedactionSettings::tr("JSON Web Tokens");
    return RedactionSettings::tr("Card numbers (Luhn-checked)");
}

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

} // namespace

RedactionSettings::RedactionSettings(bool enabled, const QString &rulesJson, QWidget *parent)
    : QWidget(parent)
    , m_enabled(new QCheckBox(tr("Redact secrets and personal data before traces are stored"), this))
    , m_rules(new QTableWidget(0, NUM_COLUMNS, this))
    , m_add(new QPushButton(tr("Add Rule"), this))
    , m_remove(new QPushButton(tr("Remove Rule"), this))
    , m_problem(new QLabel(this))
    , m_counts(new QLabel(this))
{
    m_enabled->setChecked(enabled);
    auto *note = new QLabel(tr("What matches is replaced by [REDACTED:<rule>] in every trace received from now "
                               "on: prompts, completions, tool arguments and results, attributes, events, names "
                               "and status messages. Traces already stored are not changed."),
        this);
    note->setWordWrap(true);
    note->setTextFormat(Qt::PlainText); // "<rule>" is no tag

    ingest::RedactionConfig config;
    try {
        if (!rulesJson.trimmed().isEmpty())
            config = ingest::parseRedactionRules(rulesJson.toStdString());
    } catch (const std::invalid_argument &) {
        // Rules edited by hand that no longer load (the receiver says so): start again from the
        // built-ins rather than show half of them.
        config = {};
    }
    auto *builtins = new QGroupBox(tr("Built-in patterns"), this);
    auto *grid = new QGridLayout(builtins);
    int i = 0;
    for (std::string_view name : ingest::kBuiltinPatterns) {
        auto *box = new QCheckBox(builtinLabel(name), builtins);
        const bool on = rulesJson.trimmed().isEmpty()
            || std::find(config.builtins.begin(), config.builtins.end(), name) != config.builtins.end();
        box->setChecked(on);
        grid->addWidget(box, i / 2, i % 2);
        m_builtins.append(box);
        connect(box, &QCheckBox::toggled, this, &RedactionSettings::check);
        ++i;
    }

    auto *custom = new QGroupBox(tr("Rules of your own"), this);
    auto *customLayout = new QVBoxLayout(custom);
    m_rules->setHorizontalHeaderLabels({ tr("Name"), tr("Pattern (RE2)"), tr("Attribute keys") });
    // Names are short words; room for one such as "customer_id" without resizing by hand.
    m_rules->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_rules->horizontalHeader()->resizeSection(
        NameColumn, m_rules->fontMetrics().horizontalAdvance(QStringLiteral("authorization")) + 24);
    m_rules->horizontalHeader()->setSectionResizeMode(PatternColumn, QHeaderView::Stretch);
    m_rules->horizontalHeader()->setSectionResizeMode(KeysColumn, QHeaderView::Stretch);
    m_rules->verticalHeader()->setVisible(false);
    m_rules->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rules->setSelectionMode(QAbstractItemView::SingleSelection);
    m_rules->setTabKeyNavigation(false); // Tab leaves the table; arrows move between cells
    m_rules->setMinimumHeight(120);
    auto *help = new QLabel(tr("A pattern alone is replaced wherever it matches; with attribute keys (separated "
                               "by commas) only in those attributes' values. Keys without a pattern replace "
                               "those attributes' whole values."),
        custom);
    help->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText); // it quotes patterns
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    customLayout->addWidget(help);
    customLayout->addWidget(m_rules, 1);
    customLayout->addLayout(buttons);
    customLayout->addWidget(m_problem);

    m_counts->setWordWrap(true);
    m_counts->setTextFormat(Qt::PlainText);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_enabled);
    layout->addWidget(note);
    layout->addWidget(builtins);
    layout->addWidget(custom, 1);
    layout->addWidget(m_counts);

    for (const ingest::RedactionRule &r : config.rules) {
        QStringList keys;
        for (const std::string &k : r.keys)
            keys.append(QString::fromStdString(k));
        addRule(QString::fromStdString(r.name), QString::fromStdString(r.pattern), keys.join(QStringLiteral(", ")));
    }
    connect(m_enabled, &QCheckBox::toggled, this, &RedactionSettings::check);
    connect(m_add, &QPushButton::clicked, this, [this] {
        addRule(QStringLiteral("rule%1").arg(m_rules->rowCount() + 1), QString(), QString());
        m_rules->setCurrentCell(m_rules->rowCount() - 1, PatternColumn);
        m_rules->setFocus();
        m_rules->editItem(m_rules->currentItem());
    });
    connect(m_remove, &QPushButton::clicked, this, &RedactionSettings::removeRule);
    connect(m_rules, &QTableWidget::itemChanged, this, &RedactionSettings::check);
    connect(m_rules, &QTableWidget::itemSelectionChanged, this, &RedactionSettings::check);
    setCounts({});
    check();
}

void RedactionSettings::addRule(const QString &name, const QString &pattern, const QString &keys)
{
    const QSignalBlocker block(m_rules);
    const int row = m_rules->rowCount();
    m_rules->insertRow(row);
    m_rules->setItem(row, NameColumn, new QTableWidgetItem(name));
    m_rules->setItem(row, PatternColumn, new QTableWidgetItem(pattern));
    m_rules->setItem(row, KeysColumn, new QTableWidgetItem(keys));
    check();
}

void RedactionSettings::removeRule()
{
    const int row = m_rules->currentRow();
    if (row < 0)
        return;
    m_rules->removeRow(row);
    if (m_rules->rowCount() > 0)
        m_rules->setCurrentCell(std::min(row, m_rules->rowCount() - 1), NameColumn);
    check();
}

QList<QWidget *> RedactionSettings::focusOrder() const
{
    QList<QWidget *> order { m_enabled };
    for (QCheckBox *box : m_builtins)
        order.append(box);
    order << m_rules << m_add << m_remove;
    return order;
}

bool RedactionSettings::isRedacting() const
{
    return m_enabled->isChecked();
}

QString RedactionSettings::rulesJson() const
{
    ingest::RedactionConfig config;
    for (int i = 0; i < m_builtins.size(); ++i)
        if (m_builtins[i]->isChecked())
            config.builtins.emplace_back(ingest::kBuiltinPatterns[i]);
    for (int row = 0; row < m_rules->rowCount(); ++row) {
        ingest::RedactionRule rule;
        rule.name = cellText(m_rules, row, NameColumn).toStdString();
        rule.pattern = cellText(m_rules, row, PatternColumn).toStdString();
        const QStringList keys = cellText(m_rules, row, KeysColumn).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &k : keys)
            if (!k.trimmed().isEmpty())
                rule.keys.push_back(k.trimmed().toStdString());
        config.rules.push_back(std::move(rule));
    }
    return QString::fromStdString(ingest::redactionRulesToJson(config));
}

void RedactionSettings::check()
{
    const bool on = m_enabled->isChecked();
    for (QCheckBox *box : std::as_const(m_builtins))
        box->setEnabled(on);
    m_rules->setEnabled(on);
    m_add->setEnabled(on);
    m_remove->setEnabled(on && m_rules->currentRow() >= 0);
    QString problem;
    try {
        const ingest::Redactor redactor(ingest::parseRedactionRules(rulesJson().toStdString()));
    } catch (const std::invalid_argument &e) {
        problem = QString::fromStdString(e.what());
    }
    // Rules that cannot be used block OK only while redaction is on; off, they are kept to edit later.
    const bool valid = problem.isEmpty() || !on;
    m_problem->setVisible(!problem.isEmpty());
    m_problem->setText(problem);
    // A wrapped label in a tab page is not given the height of its lines by the layouts above it:
    // reserve three, which the longest refusal (RE2's reason included) needs at the dialog's width.
    m_problem->setMinimumHeight(problem.isEmpty() ? 0 : m_problem->fontMetrics().lineSpacing() * 3);
    QPalette pal = m_problem->palette();
    pal.setColor(QPalette::WindowText, theme::errorText(palette()));
    m_problem->setPalette(pal);
    if (valid != m_valid) {
        m_valid = valid;
        Q_EMIT validityChanged(valid);
    }
}

void RedactionSettings::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        check(); // the problem's colour follows the theme
}

void RedactionSettings::setCounts(const QList<QPair<QString, quint64>> &counts)
{
    QStringList parts;
    for (const auto &[rule, count] : counts)
        if (count > 0)
            parts.append(tr("%1: %2").arg(rule, QLocale().toString(count)));
    m_counts->setText(parts.isEmpty()
            ? tr("Nothing redacted since AgentOps Monitor started.")
            : tr("Redacted since AgentOps Monitor started — %1").arg(parts.join(QStringLiteral(" · "))));
}

} // namespace agentops::ui

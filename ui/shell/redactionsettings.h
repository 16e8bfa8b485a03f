// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace agentops::ui {

/// The Redaction page of the Settings dialog: redaction on or off, a check box per built-in pattern
/// (ingest/redaction.h), rules of one's own (name, RE2 pattern, attribute keys) and what was
/// redacted since the app started. Every change is checked as the receiver would check it; a rule
/// it would refuse is named under the table and valid() turns false.
class RedactionSettings : public QWidget
{
    Q_OBJECT

public:
    explicit RedactionSettings(bool enabled, const QString &rulesJson, QWidget *parent = nullptr);

    bool isRedacting() const;
    /// The rules as JSON (ingest/redaction.h's format), built-in check boxes included.
    QString rulesJson() const;
    bool valid() const { return m_valid; }
    void setCounts(const QList<QPair<QString, quint64>> &counts);

    QTableWidget *rulesTable() const { return m_rules; }
    /// The page's controls in reading order, for the dialog's Tab order.
    QList<QWidget *> focusOrder() const;

Q_SIGNALS:
    void validityChanged(bool valid);

protected:
    void changeEvent(QEvent *event) override;

private:
    void addRule(const QString &name, const QString &pattern, const QString &keys);
    void removeRule();
    void check();

    QCheckBox *m_enabled;
    QList<QCheckBox *> m_builtins; ///< in ingest::kBuiltinPatterns' order
    QTableWidget *m_rules;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLabel *m_problem;
    QLabel *m_counts;
    bool m_valid = true;
};

} // namespace agentops::ui

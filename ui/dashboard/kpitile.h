// SPDX-License-Identifier: MIT
#pragma once

#include <QFrame>

class QLabel;

namespace agentops::ui {

/// One headline number on the dashboard: a caption, the value in large type, and a detail line
/// that can turn into a warning (for example unpriced spans next to the total cost).
class KpiTile : public QFrame
{
    Q_OBJECT

public:
    explicit KpiTile(const QString &caption, QWidget *parent = nullptr);

    void setValue(const QString &value, const QString &toolTip = {});
    void setDetail(const QString &detail);
    /// Shown instead of the detail, in the warning colour.
    void setWarning(const QString &warning);

    QString value() const;
    QString detail() const;
    QString warning() const;
    bool hasWarning() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateColors();

    QLabel *m_caption;
    QLabel *m_value;
    QLabel *m_detail;
    QString m_warning;
};

} // namespace agentops::ui

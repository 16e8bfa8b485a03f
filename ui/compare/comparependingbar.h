// SPDX-License-Identifier: MIT
#pragma once

#include <QFrame>

class QAction;
class QLabel;
class QPushButton;

namespace agentops::ui {

/// The run kept by Compare With…, shown until run B is picked or the comparison is cancelled: "Comparing
/// with “name” (start) from source — select run B and press Ctrl+D", with Compare and Cancel. A status-bar message
/// would be replaced by the next one; this stays while the user browses other pages and sources.
class ComparePendingBar : public QFrame
{
    Q_OBJECT

public:
    explicit ComparePendingBar(QWidget *parent = nullptr);

    /// Shows the bar for run A, named as the user knows it (“name” (start)).
    void showRun(const QString &run, const QString &sourceName);
    /// Hides the bar (run B was picked, or the comparison cancelled).
    void clear();
    QString text() const;
    QPushButton *compareButton() const { return m_compare; }
    QPushButton *cancelButton() const { return m_cancel; }
    /// Escape: add it to the pages where run B is picked (a shortcut of the page, so that Escape keeps
    /// its meaning on the pages that use it to go back).
    QAction *cancelAction() const { return m_cancelAction; }

Q_SIGNALS:
    void compareRequested();
    void cancelRequested();

private:
    QLabel *m_label;
    QPushButton *m_compare;
    QPushButton *m_cancel;
    QAction *m_cancelAction;
};

} // namespace agentops::ui

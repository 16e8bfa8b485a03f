// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace agentops::ui {

/// Read-only text that shows only its first part when it is large, with a button to show all of
/// it: laying out megabytes of text at once would freeze the window.
class ElidedTextView : public QWidget
{
    Q_OBJECT
public:
    static constexpr qsizetype kElideBytes = qsizetype { 64 } * 1024;

    explicit ElidedTextView(QWidget *parent = nullptr);

    void setText(const QString &text, bool monospace = false);
    QString text() const { return m_full; }
    /// True while only the first part is shown.
    bool isElided() const { return m_elided; }
    void showAll();
    QPlainTextEdit *editor() const { return m_edit; }

private:
    QPlainTextEdit *m_edit;
    QWidget *m_bar;
    QLabel *m_barLabel;
    QPushButton *m_showAll;
    QString m_full;
    bool m_elided = false;
};

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace agentops::ui {

/// Offered at start when the app crashed the time before: the report the crash left in the data
/// directory (signal, backtrace, version, last log lines), with "Open Folder" and "Dismiss". The
/// reports shown are marked seen, so each is offered once. Nothing is sent anywhere.
class CrashReportDialog : public QDialog
{
    Q_OBJECT

public:
    /// reports: unseen report files, oldest first; the newest is shown.
    CrashReportDialog(const QStringList &reports, QWidget *parent = nullptr);

    /// Unseen reports in dir (crash::unseenReports), as the dialog takes them.
    static QStringList unseenReports(const QString &dir);
    /// The directory the desktop app's crash reports go to (in its data directory).
    static QString reportDirectory();

    QString shownReport() const { return m_report; }
    QPushButton *openFolderButton() const { return m_openFolder; }
    QPushButton *dismissButton() const { return m_dismiss; }
    QPlainTextEdit *textView() const { return m_text; }

Q_SIGNALS:
    /// "Open Folder" asks for the report's folder in the file manager (the dialog opens it unless
    /// a connected slot handles it, as tests do).
    void openFolderRequested(const QString &folder);

private:
    QString m_report;
    QLabel *m_intro = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QPushButton *m_openFolder = nullptr;
    QPushButton *m_dismiss = nullptr;
};

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#include "shell/crashreportdialog.h"

#include "core/crashhandler.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QMetaMethod>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QUrl>
#include <QVBoxLayout>

namespace agentops::ui {

CrashReportDialog::CrashReportDialog(const QStringList &reports, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("AgentOps Monitor Quit Unexpectedly"));
    const QString newest = reports.isEmpty() ? QString() : reports.constLast();
    QFile file(newest);
    QString text;
    if (file.open(QIODevice::ReadOnly))
        text = QString::fromUtf8(file.read(1 << 20));
    // Seen from now on, whatever the user does with the dialog: each crash is offered once.
    for (const auto &report : reports) {
        const QString seen = QString::fromStdString(crash::markSeen(report.toStdString()));
        if (report == newest)
            m_report = seen.isEmpty() ? report : seen;
    }

    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_intro->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const QString where = QDir::toNativeSeparators(m_report);
    m_intro->setText(reports.size() > 1
            ? tr("AgentOps Monitor quit unexpectedly %1 times since it last ran. The latest report is below and "
                 "in %2. It stays on this computer: nothing was sent anywhere.")
                  .arg(reports.size())
                  .arg(where)
            : tr("AgentOps Monitor quit unexpectedly the last time it ran. The report below is in %1. It stays on "
                 "this computer: nothing was sent anywhere.")
                  .arg(where));
    m_text = new QPlainTextEdit(text, this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *buttons = new QDialogButtonBox(this);
    m_openFolder = buttons->addButton(tr("Open Folder"), QDialogButtonBox::ActionRole);
    m_dismiss = buttons->addButton(tr("Dismiss"), QDialogButtonBox::RejectRole);
    m_dismiss->setDefault(true);
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        const QString folder = QFileInfo(m_report).absolutePath();
        if (isSignalConnected(QMetaMethod::fromSignal(&CrashReportDialog::openFolderRequested)))
            Q_EMIT openFolderRequested(folder);
        else
            QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(760, 480);
}

QStringList CrashReportDialog::unseenReports(const QString &dir)
{
    QStringList out;
    for (const auto &report : crash::unseenReports(dir.toStdString()))
        out << QString::fromStdString(report);
    return out;
}

QString CrashReportDialog::reportDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/crash-reports");
}

} // namespace agentops::ui

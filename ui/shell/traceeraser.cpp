// SPDX-License-Identifier: MIT
#include "shell/traceeraser.h"

#include <QAbstractButton>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QtConcurrent>

namespace agentops::ui {

TraceEraser::TraceEraser(store::TraceStore &store, QWidget *parent)
    : QObject(parent)
    , m_store(store)
    , m_parent(parent)
{ }

TraceEraser::~TraceEraser()
{
    waitForFinished();
}

QMessageBox *TraceEraser::confirmation(QWidget *parent, const QString &title, const QString &question)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, question, QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("eraseConfirmation"));
    box->setInformativeText(tr("Everything it holds (spans, prompts, responses, attributes) is deleted from the local "
                               "database, its write-ahead log and the search index, and the dashboard's totals no "
                               "longer count it. This cannot be undone; a backup made earlier still holds it."));
    auto *erase = box->addButton(tr("Erase"), QMessageBox::DestructiveRole);
    erase->setObjectName(QStringLiteral("eraseButton"));
    auto *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel); // a stray Enter erases nothing
    box->setEscapeButton(cancel);
    return box;
}

bool TraceEraser::confirmAndErase(
    const std::vector<store::TraceSelection> &selections, const QString &title, const QString &question)
{
    if (m_running || selections.empty())
        return false;
    QPointer<QMessageBox> box = confirmation(m_parent, title, question);
    box->exec();
    const bool confirmed = box && box->buttonRole(box->clickedButton()) == QMessageBox::DestructiveRole;
    delete box;
    return confirmed && start(selections);
}

bool TraceEraser::start(const std::vector<store::TraceSelection> &selections)
{
    if (m_running)
        return false;
    m_running = true;
    auto &store = m_store;
    // As DatabaseBackup does: the answer is posted to this object, which waits for the work before
    // it goes (a posted answer to an object that is gone is dropped).
    m_work = QtConcurrent::run([this, &store, selections] {
        store::EraseStats all;
        QString error;
        try {
            for (const auto &s : selections) {
                const auto stats = store.erase(s);
                all.traces += stats.traces;
                all.spans += stats.spans;
            }
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, all, error] { done(all, error); }, Qt::QueuedConnection);
    });
    return true;
}

void TraceEraser::done(const store::EraseStats &all, const QString &error)
{
    m_running = false;
    if (!error.isEmpty()) {
        Q_EMIT failed(tr("Could not erase: %1").arg(error));
        return;
    }
    Q_EMIT finished(all.traces == 0 ? tr("Nothing to erase: the traces were already gone")
            : all.traces == 1
            ? tr("Erased 1 trace (%1 spans)").arg(QLocale().toString(qint64(all.spans)))
            : tr("Erased %1 traces (%2 spans)")
                  .arg(QLocale().toString(qint64(all.traces)), QLocale().toString(qint64(all.spans))));
}

void TraceEraser::waitForFinished()
{
    m_work.waitForFinished();
}

} // namespace agentops::ui

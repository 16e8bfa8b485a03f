// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <vector>

class QMessageBox;
class QWidget;

namespace agentops::ui {

/// Erase Trace… and Erase Session… of the trace lists and the sessions page: traces deleted from
/// the local database for good (store::TraceStore::erase, which leaves none of their text in the
/// database, its write-ahead log or the search index), after a confirmation that names what goes.
/// The erasure runs on a worker thread; the lists are read again when it has finished.
class TraceEraser : public QObject
{
    Q_OBJECT

public:
    TraceEraser(store::TraceStore &store, QWidget *parent);
    ~TraceEraser() override;

    /// The confirmation, not shown: title, question naming what, what erasing means, Erase and
    /// Cancel (the default, and Escape). The caller shows it (exec) and deletes it.
    static QMessageBox *confirmation(QWidget *parent, const QString &title, const QString &question);
    /// Asks (confirmation) and, when confirmed, starts erasing; false when the user cancelled or an
    /// erasure is still running.
    bool confirmAndErase(
        const std::vector<store::TraceSelection> &selections, const QString &title, const QString &question);
    /// Starts erasing without asking; false when one is still running.
    bool start(const std::vector<store::TraceSelection> &selections);
    bool isRunning() const { return m_running; }
    /// Blocks until the erasure in progress has finished (tests).
    void waitForFinished();

Q_SIGNALS:
    /// message: what was erased, for the status bar.
    void finished(const QString &message);
    void failed(const QString &message);

private:
    void done(const store::EraseStats &all, const QString &error);

    store::TraceStore &m_store;
    QWidget *m_parent;
    QFuture<void> m_work;
    bool m_running = false;
};

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#include "pricing/repricer.h"

#include "store/tracestore.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

namespace agentops::ui {

Repricer::Repricer(QObject *parent)
    : QObject(parent)
{ }

Repricer::~Repricer()
{
    cancel();
    wait();
}

std::function<bool(core::Span &)> Repricer::priceWith(std::shared_ptr<const core::PriceTable> table)
{
    return [table = std::move(table)](core::Span &span) { return core::repriceSpan(span, *table); };
}

std::size_t Repricer::run(store::TraceStore &store, std::shared_ptr<const core::PriceTable> table,
    const std::function<bool(std::size_t done, std::size_t total)> &progress)
{
    return store.reprice(priceWith(std::move(table)), progress);
}

void Repricer::start(store::TraceStore &store, std::shared_ptr<const core::PriceTable> table)
{
    if (m_running || !table)
        return;
    m_running = true;
    m_cancel = false;
    m_future = QtConcurrent::run([this, &store, table = std::move(table)] {
        Outcome outcome;
        try {
            outcome.changed = run(store, table, [this, &outcome](std::size_t done, std::size_t total) {
                // Queued to this object: delivered on its thread, dropped if it is gone by then.
                QMetaObject::invokeMethod(
                    this, [this, done, total] { Q_EMIT progressChanged(qint64(done), qint64(total)); },
                    Qt::QueuedConnection);
                if (m_cancel.load())
                    outcome.cancelled = true;
                return !outcome.cancelled;
            });
        } catch (const std::exception &e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        // Posted from here rather than through a continuation: a continuation attached after a fast
        // run has finished would run at once, inside start(), and the destructor's wait would not
        // cover one that runs on the pool.
        QMetaObject::invokeMethod(
            this,
            [this, outcome] {
                m_running = false;
                Q_EMIT finished(qint64(outcome.changed), outcome.cancelled, outcome.error);
            },
            Qt::QueuedConnection);
    });
}

void Repricer::cancel()
{
    m_cancel = true;
}

void Repricer::wait()
{
    if (m_future.isValid())
        m_future.waitForFinished();
}

} // namespace agentops::ui

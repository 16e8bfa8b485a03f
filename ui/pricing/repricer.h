// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace agentops::store {
class TraceStore;
}

namespace agentops::ui {

/// Prices the model calls already stored again with a new table (TraceStore::reprice), off the GUI
/// thread. Spans that arrived with a cost of their own (the native API) keep it, as at ingest.
class Repricer : public QObject
{
    Q_OBJECT

public:
    explicit Repricer(QObject *parent = nullptr);
    /// Cancels a run and waits for it: the store must not be closed under it.
    ~Repricer() override;

    /// The price functor TraceStore::reprice takes: applies the table, true when cost or ref changed.
    static std::function<bool(core::Span &)> priceWith(std::shared_ptr<const core::PriceTable> table);
    /// Runs on the calling thread; progress(done, total) after each committed batch, false to stop.
    /// Returns the number of spans whose cost changed. Throws what the store throws.
    static std::size_t run(store::TraceStore &store, std::shared_ptr<const core::PriceTable> table,
        const std::function<bool(std::size_t done, std::size_t total)> &progress);

    /// Starts a run on the thread pool; progressChanged and finished arrive on this object's thread.
    /// Ignored while one is running.
    void start(store::TraceStore &store, std::shared_ptr<const core::PriceTable> table);
    /// Stops after the batch in progress; what was committed stays consistent.
    void cancel();
    bool isRunning() const { return m_running; }
    /// Blocks until the run (if any) is done; finished has not necessarily been delivered yet.
    void wait();

Q_SIGNALS:
    void progressChanged(qint64 done, qint64 total);
    /// changed: spans with a new cost; cancelled: stopped before the end; error: the store failed.
    void finished(qint64 changed, bool cancelled, const QString &error);

private:
    struct Outcome
    {
        std::size_t changed = 0;
        bool cancelled = false;
        QString error;
    };

    std::atomic<bool> m_cancel { false };
    bool m_running = false;
    QFuture<void> m_future;
};

} // namespace agentops::ui

// SPDX-License-Identifier: MIT
#include "tracefileimporter.h"

#include "ingest/redaction.h"
#include "ingest/tracefile.h"
#include "ingest/valuelimits.h"

#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressDialog>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

namespace agentops::ui {

TraceFileImporter::TraceFileImporter(store::IngestPipeline &pipeline, QWidget *window, Dialogs dialogs)
    : QObject(window)
    , m_pipeline(pipeline)
    , m_window(window)
    , m_dialogs(dialogs)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &TraceFileImporter::pollProgress);
}

TraceFileImporter::~TraceFileImporter()
{
    // The worker holds a reference to the pipeline: it must end before its owner may go away.
    if (m_state)
        m_state->cancel = true;
    m_work.waitForFinished();
}

bool TraceFileImporter::isRunning() const
{
    return m_running;
}

void TraceFileImporter::cancel()
{
    if (m_state)
        m_state->cancel = true;
}

void TraceFileImporter::importFiles(const QStringList &paths, std::shared_ptr<const ingest::Redactor> redactor)
{
    if (m_running || paths.isEmpty())
        return;
    m_running = true;
    m_redactor = std::move(redactor);
    m_redactions.clear();
    m_state = std::make_shared<State>();
    if (m_dialogs == Dialogs::Show) {
        m_progress = new QProgressDialog(m_window);
        m_progress->setWindowTitle(tr("Import Traces"));
        m_progress->setLabelText(paths.size() == 1 ? tr("Importing %1…").arg(QFileInfo(paths.first()).fileName())
                                                   : tr("Importing %1 files…").arg(paths.size()));
        m_progress->setRange(0, 1000);
        m_progress->setMinimumDuration(400);
        m_progress->setAutoClose(false);
        m_progress->setAutoReset(false);
        m_progress->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_progress, &QProgressDialog::canceled, this, &TraceFileImporter::cancel);
    }
    m_timer->start();
    auto state = m_state;
    store::IngestPipeline *pipeline = &m_pipeline;
    m_work = QtConcurrent::run(
        [pipeline, paths, state, redactor = m_redactor] { return run(*pipeline, paths, redactor.get(), *state); });
    m_work.then(this, [this](const Outcome &outcome) { done(outcome); });
}

void TraceFileImporter::pollProgress()
{
    if (!m_state)
        return;
    const qint64 done = m_state->done.load();
    const qint64 total = m_state->total.load();
    Q_EMIT progressChanged(done, total);
    if (m_progress && total > 0)
        m_progress->setValue(int(done * 1000 / total));
}

namespace {

/// Hands batches to the pipeline on a thread of its own, so that reading and decoding the next batch
/// overlaps with encoding and committing this one. At most kWaiting batches wait, which keeps memory
/// within a few batches whatever the file's size.
class BatchSubmitter
{
public:
    static constexpr std::size_t kWaiting = 2;

    BatchSubmitter(store::IngestPipeline &pipeline, const std::atomic<bool> &cancel)
        : m_pipeline(pipeline)
        , m_cancel(cancel)
        , m_thread([this] { run(); })
    { }
    ~BatchSubmitter() { finish(); }

    /// Queues a batch, waiting while kWaiting do; returns why the store cannot take spans ("": go on).
    std::string push(std::vector<core::Span> &&batch)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_queue.size() < kWaiting || !m_error.empty(); });
        if (!m_error.empty())
            return m_error;
        m_queue.push_back(std::move(batch));
        m_changed.notify_all();
        return {};
    }

    /// Waits until every queued batch is committed or refused; returns the first refusal.
    std::string finish()
    {
        {
            std::lock_guard lock(m_mutex);
            m_closing = true;
            m_changed.notify_all();
        }
        if (m_thread.joinable())
            m_thread.join();
        return m_error;
    }

    /// Spans committed so far.
    std::size_t committed() const { return m_committed.load(); }

private:
    void run()
    {
        for (;;) {
            std::vector<core::Span> batch;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [this] { return !m_queue.empty() || m_closing; });
                if (m_queue.empty())
                    return;
                batch = std::move(m_queue.front());
                m_queue.pop_front();
            }
            if (m_cancel)
                continue; // what waits is dropped; what was committed stays, and is counted
            std::string error = submit(batch);
            std::lock_guard lock(m_mutex);
            if (!error.empty() && m_error.empty()) {
                m_error = std::move(error);
                m_queue.clear(); // nothing after a refused batch is stored
            }
            m_changed.notify_all();
        }
    }

    std::string submit(std::vector<core::Span> &batch)
    {
        // The pipeline is shared with the embedded server: a full queue is a reason to wait, not to fail.
        for (;;) {
            const auto result = m_pipeline.submit(batch);
            switch (result.outcome) {
            case store::IngestPipeline::Outcome::Committed: m_committed += batch.size(); return {};
            case store::IngestPipeline::Outcome::QueueFull:
                if (m_cancel)
                    return "cancelled";
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                continue;
            case store::IngestPipeline::Outcome::StoreFailed: return "the store refused the spans: " + result.error;
            case store::IngestPipeline::Outcome::Stopped: return "the local store is shutting down";
            }
        }
    }

    store::IngestPipeline &m_pipeline;
    const std::atomic<bool> &m_cancel;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::vector<core::Span>> m_queue;
    bool m_closing = false;
    std::string m_error;
    std::atomic<std::size_t> m_committed { 0 };
    std::thread m_thread; // last: starts when everything above is ready
};

} // namespace

TraceFileImporter::Outcome TraceFileImporter::run(
    store::IngestPipeline &pipeline, const QStringList &paths, const ingest::Redactor *redactor, State &state)
{
    Outcome out;
    if (redactor)
        out.redactions.assign(redactor->ruleNames().size(), 0);
    qint64 total = 0;
    for (const QString &p : paths)
        total += QFileInfo(p).size();
    state.total = total;

    qint64 base = 0;
    for (const QString &path : paths) {
        if (state.cancel)
            break;
        const QString name = QFileInfo(path).fileName();
        ingest::TraceFileOptions options;
        options.cancel = &state.cancel;
        options.batch_spans = kChunkSpans;
        options.redactor = redactor;
        options.progress = [&state, base](std::uint64_t done, std::uint64_t) { state.done = base + qint64(done); };
        BatchSubmitter submitter(pipeline, state.cancel);
        const ingest::SpanSink sink = [&](std::vector<core::Span> &&batch) -> std::string {
            // A file may hold values as large as a hostile client's: cut as the receivers cut them.
            ingest::limitValueSizes(batch, ingest::kDefaultMaxValueBytes);
            for (const core::Span &span : batch) {
                const auto it = out.traceStarts.find(span.trace_id);
                if (it != out.traceStarts.end())
                    it->second = std::min(it->second, span.start_ns);
                else if (out.traceStarts.size() < kMaxTrackedTraces)
                    out.traceStarts.emplace(span.trace_id, span.start_ns);
            }
            return submitter.push(std::move(batch));
        };
        auto result = ingest::readTraceFile(QFile::encodeName(path).toStdString(), sink, options);
        const std::string storeError = submitter.finish();
        if (!storeError.empty() && result.error.empty() && !(result.cancelled || state.cancel))
            result.error = storeError; // refused after the reader had handed the batch over
        for (std::size_t i = 0; i < result.redactions.size() && i < out.redactions.size(); ++i)
            out.redactions[i] += result.redactions[i];
        const int committed = int(submitter.committed());
        out.spans += committed;
        for (const auto &w : result.warnings)
            out.warnings << name + QStringLiteral(": ") + QString::fromStdString(w);
        if (result.cancelled || state.cancel) {
            out.cancelled = true;
            break;
        }
        if (!result.error.empty())
            out.errors << name + QStringLiteral(": ") + QString::fromStdString(result.error);
        else
            out.spansOfGoodFiles += committed;
        base += QFileInfo(path).size();
        state.done = base;
    }
    out.cancelled = out.cancelled || state.cancel;
    return out;
}

std::vector<std::int64_t> TraceFileImporter::importedTraceStarts() const
{
    return m_traceStarts;
}

void TraceFileImporter::done(const Outcome &outcome)
{
    m_running = false;
    m_traceStarts.clear();
    m_traceStarts.reserve(outcome.traceStarts.size());
    for (const auto &[id, start] : outcome.traceStarts)
        m_traceStarts.push_back(start);
    for (std::size_t i = 0; m_redactor && i < outcome.redactions.size(); ++i)
        m_redactions.append({ QString::fromStdString(m_redactor->ruleNames()[i]), outcome.redactions[i] });
    m_timer->stop();
    pollProgress();
    if (m_progress)
        m_progress->close();
    const bool dialogs = m_dialogs == Dialogs::Show;

    if (outcome.cancelled) {
        Q_EMIT failed(tr("Import cancelled; %1 spans were imported before.").arg(outcome.spans));
        return;
    }
    if (!outcome.errors.isEmpty()) {
        QString message = outcome.errors.join(QLatin1Char('\n'));
        // A file that failed half-way says itself how many of its spans were imported.
        if (outcome.spansOfGoodFiles > 0)
            message
                += QLatin1Char('\n') + tr("%1 spans from the other files were imported.").arg(outcome.spansOfGoodFiles);
        if (dialogs) {
            auto *box = new QMessageBox(QMessageBox::Warning, tr("Import Failed"),
                outcome.errors.size() == 1 ? tr("Could not import a trace file.")
                                           : tr("Could not import some trace files."),
                QMessageBox::Ok, m_window);
            box->setInformativeText(message);
            if (!outcome.warnings.isEmpty())
                box->setDetailedText(outcome.warnings.join(QLatin1Char('\n')));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
        Q_EMIT failed(message);
        return;
    }
    if (dialogs && !outcome.warnings.isEmpty()) {
        auto *box = new QMessageBox(QMessageBox::Information, tr("Import Finished"),
            tr("%1 spans were imported; some parts of the files were left out.").arg(outcome.spans), QMessageBox::Ok,
            m_window);
        box->setDetailedText(outcome.warnings.join(QLatin1Char('\n')));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    Q_EMIT finished(outcome.spans, outcome.warnings);
}

} // namespace agentops::ui

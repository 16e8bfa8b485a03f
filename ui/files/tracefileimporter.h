// SPDX-License-Identifier: MIT
#pragma once

#include "store/ingestpipeline.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace agentops::ingest {
class Redactor;
}

class QProgressDialog;
class QTimer;
class QWidget;

namespace agentops::ui {

/// Imports OTLP trace files (JSON, JSON lines, protobuf) into the local store on a worker thread,
/// handing spans to the ingest pipeline in chunks as the file is read (a second thread stores one
/// chunk while the next is read; a few chunks at most are held, whatever the file's size), with a
/// progress dialog that follows the bytes read and can cancel. A file that cannot be read is named,
/// with the problem and where it is, in failed() and a message box; when the problem is met half-way
/// the spans before it stay imported and the message says how many. Cancel stops at the next chunk:
/// the chunks committed stay, and failed() says how many spans they held.
class TraceFileImporter : public QObject
{
    Q_OBJECT
public:
    /// None: no progress dialog and no message boxes (tests, callers that report on their own).
    enum class Dialogs { Show, None };
    static constexpr std::size_t kChunkSpans = 2000;
    /// The most traces whose start an import remembers (importedTraceStarts), so that a file of
    /// millions of one-span traces costs bounded memory.
    static constexpr std::size_t kMaxTrackedTraces = 100'000;

    /// window parents the dialogs and this object; pipeline must outlive the importer.
    explicit TraceFileImporter(
        store::IngestPipeline &pipeline, QWidget *window = nullptr, Dialogs dialogs = Dialogs::Show);
    ~TraceFileImporter() override;

    /// Starts importing; ignored while an import runs. redactor (null: none) redacts every span as
    /// the receivers do, before anything is stored.
    void importFiles(const QStringList &paths, std::shared_ptr<const ingest::Redactor> redactor = {});
    bool isRunning() const;
    void cancel();
    /// The start of each trace the last import stored spans of (its earliest span's start), at most
    /// kMaxTrackedTraces of them; valid from finished() or failed() until the next import.
    std::vector<std::int64_t> importedTraceStarts() const;
    /// Replacements per redaction rule (rule name, count, in the redactor's order) in the spans the
    /// last import read; empty without a redactor. Valid from finished() or failed() on.
    QList<QPair<QString, quint64>> redactionCounts() const { return m_redactions; }

Q_SIGNALS:
    void progressChanged(qint64 bytesRead, qint64 bytesTotal);
    /// Every file was read; warnings name lines or spans that were left out.
    void finished(int spans, const QStringList &warnings);
    /// A file could not be read, or the store refused the spans, or the import was cancelled.
    /// Spans committed before that stay in the store.
    void failed(const QString &message);

private:
    struct State
    {
        std::atomic<bool> cancel { false };
        std::atomic<qint64> done { 0 };
        std::atomic<qint64> total { 0 };
    };
    struct Outcome
    {
        int spans = 0; ///< committed, from every file
        int spansOfGoodFiles = 0; ///< committed from the files read without error
        QStringList warnings;
        QStringList errors;
        bool cancelled = false;
        std::map<core::TraceId, std::int64_t> traceStarts;
        std::vector<std::uint64_t> redactions; ///< per rule of the redactor
    };
    static Outcome run(
        store::IngestPipeline &pipeline, const QStringList &paths, const ingest::Redactor *redactor, State &state);
    void done(const Outcome &outcome);
    void pollProgress();

    store::IngestPipeline &m_pipeline;
    QPointer<QWidget> m_window;
    Dialogs m_dialogs;
    std::shared_ptr<State> m_state;
    QFuture<Outcome> m_work;
    QTimer *m_timer;
    QPointer<QProgressDialog> m_progress;
    std::vector<std::int64_t> m_traceStarts;
    std::shared_ptr<const ingest::Redactor> m_redactor; ///< of the import running or last run
    QList<QPair<QString, quint64>> m_redactions;
    bool m_running = false;
};

} // namespace agentops::ui

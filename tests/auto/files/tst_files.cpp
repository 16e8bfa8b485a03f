// SPDX-License-Identifier: MIT
#include "files/tracefileimporter.h"
#include "files/tracefiles.h"

#include "core/spanjson.h"
#include "ingest/redaction.h"
#include "ingest/tracefile.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "support/bigotlp.h"
#include "support/plantedtracefile.h"

#include <QDir>
#include <QMimeData>
#include <QProgressDialog>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <fstream>

using namespace agentops;

namespace {

core::Span makeSpan(std::uint8_t trace, int n)
{
    core::Span s;
    s.trace_id.fill(trace);
    s.span_id.fill(0);
    s.span_id[0] = 0x42;
    s.span_id[6] = std::uint8_t(n >> 8);
    s.span_id[7] = std::uint8_t(n & 0xff);
    if (n > 0) {
        s.parent_span_id.fill(0);
        s.parent_span_id[0] = 0x42;
    }
    s.name = n == 0 ? "root" : "step " + std::to_string(n);
    s.start_ns = 1741946400000000000 + std::int64_t(n) * 1000;
    s.end_ns = s.start_ns + 500;
    s.service_name = "svc";
    s.resource = { { "service.name", core::AttrValue::ofString("svc") } };
    s.attributes = { { "gen_ai.operation.name", core::AttrValue::ofString(n % 2 ? "chat" : "execute_tool") },
        { "gen_ai.request.model", core::AttrValue::ofString("gpt-4o") } };
    return s;
}

std::vector<core::Span> makeTrace(std::uint8_t trace, int spans)
{
    std::vector<core::Span> out;
    out.reserve(static_cast<std::size_t>(spans));
    for (int i = 0; i < spans; ++i)
        out.push_back(makeSpan(trace, i));
    return out;
}

/// Real captured spans, their values cut short, so that a span takes what one of a long agent trace does.
const bench::TemplateSpans &capturedSpans()
{
    static const bench::TemplateSpans t = [] {
        std::vector<std::string> paths;
        for (const QString &name : QDir(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks"))
                                       .entryList({ QStringLiteral("*.otlp.json") }, QDir::Files, QDir::Name))
            paths.push_back(AGENTOPS_FIXTURES_DIR "/frameworks/" + name.toStdString());
        return bench::loadTemplate(paths, 24, 4);
    }();
    return t;
}

void writeFile(const QString &path, std::string_view content)
{
    std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
    out.write(content.data(), std::streamsize(content.size()));
}

} // namespace

class TestFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_store = std::make_unique<store::SqliteStore>(m_dir->filePath(QStringLiteral("store.db")).toStdString());
        m_pipeline = std::make_unique<store::IngestPipeline>(*m_store);
    }

    void cleanup()
    {
        m_pipeline.reset();
        m_store.reset();
        m_dir.reset();
    }

    void importIntoStore()
    {
        const auto a = makeTrace(1, 2500);
        const auto b = makeTrace(2, 700);
        const QString path = m_dir->filePath(QStringLiteral("export.jsonl"));
        std::string error;
        QVERIFY(ingest::writeTraceFile(path.toStdString(), { a, b }, error));

        ui::TraceFileImporter importer(*m_pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
        importer.importFiles({ path });
        QVERIFY(importer.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 60000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(finished.first().at(0).toInt(), 3200);
        QCOMPARE(finished.first().at(1).toStringList(), QStringList());
        QVERIFY(!importer.isRunning());

        QCOMPARE(m_store->spanCount(), 3200);
        const auto trace = m_store->trace(a.front().trace_id);
        QVERIFY(trace);
        QCOMPARE(trace->spans.size(), std::size_t(2500));
        QCOMPARE(trace->summary.name, std::string("root"));
        QVERIFY(m_pipeline->counters().commits >= 2); // submitted in chunks
    }

    void bigFileProgressFollowsTheBytes()
    {
        // One trace of 40,000 spans on one line, as the app's own export writes a big trace.
        const QString path = m_dir->filePath(QStringLiteral("big.json"));
        const qint64 size = qint64(bench::writeBigOtlpJson(path.toStdString(), capturedSpans(), 40000));
        ui::TraceFileImporter importer(*m_pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
        std::vector<std::pair<qint64, std::uint64_t>> seen; // bytes read, spans committed by then
        connect(&importer, &ui::TraceFileImporter::progressChanged, this, [&](qint64 done, qint64 total) {
            QCOMPARE(total, size);
            seen.emplace_back(done, m_pipeline->counters().committed_spans);
        });
        importer.importFiles({ path });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 240000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(finished.first().at(0).toInt(), 40000);
        QCOMPARE(m_store->spanCount(), 40000);
        core::TraceId id {};
        QVERIFY(core::fromHex(bench::kBigTraceId, id));
        const auto trace = m_store->trace(id);
        QVERIFY(trace);
        QCOMPARE(trace->spans.size(), std::size_t(40000));

        QVERIFY(!seen.empty());
        QVERIFY(
            std::is_sorted(seen.begin(), seen.end(), [](const auto &a, const auto &b) { return a.first < b.first; }));
        QCOMPARE(seen.back().first, size);
        // The bar moved while the spans were being stored, not at the end only.
        const auto moving = std::count_if(
            seen.begin(), seen.end(), [&](const auto &p) { return p.second > 0 && p.first > 0 && p.first < size; });
        QVERIFY2(moving >= 1,
            qPrintable(QStringLiteral("%1 updates, none between 0 and 100% while storing").arg(seen.size())));
    }

    void cancelKeepsWhatWasCommitted()
    {
        const QString path = m_dir->filePath(QStringLiteral("cancel.json"));
        // Big enough that storing it outlasts the dialog's delay on a fast idle machine too; the
        // test cancels once it has seen the bar move.
        bench::writeBigOtlpJson(path.toStdString(), capturedSpans(), 400000);
        ui::TraceFileImporter importer(*m_pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
        connect(&importer, &ui::TraceFileImporter::progressChanged, this, [&](qint64, qint64) {
            if (m_pipeline->counters().committed_spans > 0)
                importer.cancel();
        });
        importer.importFiles({ path });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 240000);
        QCOMPARE(finished.count(), 0);
        const QString message = failed.first().at(0).toString();
        // What was committed stays, and the message says exactly how much that is.
        const int stored = m_store->spanCount();
        QVERIFY(stored > 0 && stored < 40000);
        QCOMPARE(message, QStringLiteral("Import cancelled; %1 spans were imported before.").arg(stored));
        QVERIFY(!importer.isRunning());
    }

    void bigFileBrokenHalfWay()
    {
        const QString whole = m_dir->filePath(QStringLiteral("whole.json"));
        bench::writeBigOtlpJson(whole.toStdString(), capturedSpans(), 20000);
        std::ifstream in(whole.toStdString(), std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        const QString path = m_dir->filePath(QStringLiteral("half.json"));
        writeFile(path, std::string_view(text).substr(0, text.size() / 2));
        ui::TraceFileImporter importer(*m_pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
        importer.importFiles({ path });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 240000);
        QCOMPARE(finished.count(), 0);
        const QString message = failed.first().at(0).toString();
        const int stored = m_store->spanCount();
        QVERIFY(stored > 5000 && stored < 20000);
        QVERIFY2(message.startsWith(QStringLiteral("half.json: line 1: not valid JSON")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("%1 spans were imported before it").arg(stored)), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("other files")), qPrintable(message));
    }

    void progressDialogMovesWhileStoring()
    {
        // The dialog the user sees: its bar between 0 and 100% while spans are being committed.
        const QString path = m_dir->filePath(QStringLiteral("dialog.json"));
        // Big enough that storing it outlasts the dialog's delay on a fast idle machine too; the
        // test cancels once it has seen the bar move.
        bench::writeBigOtlpJson(path.toStdString(), capturedSpans(), 400000);
        QWidget window;
        window.resize(900, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ui::TraceFileImporter importer(*m_pipeline, &window);
        QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        importer.importFiles({ path });
        QProgressDialog *dialog = nullptr;
        bool seen = false;
        const auto standsBetween = [&] {
            dialog = window.findChild<QProgressDialog *>();
            seen = dialog && dialog->isVisible() && dialog->value() > 0 && dialog->value() < 1000
                && m_pipeline->counters().committed_spans > 0;
            return seen || finished.count() > 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(standsBetween(), 240000);
        QVERIFY2(seen, "the bar never stood between 0 and 100% while spans were stored");
        QVERIFY(dialog->grab().save(QStringLiteral(AGENTOPS_BINARY_DIR "/import-progress.png")));
        importer.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count() + finished.count(), 1, 60000);
    }

    void brokenFileFails()
    {
        const QString good = m_dir->filePath(QStringLiteral("good.jsonl"));
        std::string error;
        QVERIFY(ingest::writeTraceFile(good.toStdString(), { makeTrace(3, 5) }, error));
        const QString broken = m_dir->filePath(QStringLiteral("broken.json"));
        writeFile(broken, "{\n  \"resourceSpans\": [\n    { \"scopeSpans\": [ { \"spans\": [ {\n");

        ui::TraceFileImporter importer(*m_pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
        importer.importFiles({ good, broken });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 60000);
        QCOMPARE(finished.count(), 0);
        const QString message = failed.first().at(0).toString();
        QVERIFY2(message.startsWith(QStringLiteral("broken.json: not valid JSON")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("line 4")), qPrintable(message)); // where
        QVERIFY2(message.contains(QStringLiteral("5 spans from the other files were imported")), qPrintable(message));
        QCOMPARE(m_store->spanCount(), 5);
    }

    void badLineIsAWarning()
    {
        const std::string good = ingest::encodeOtlpJson(makeTrace(4, 3));
        const QString path = m_dir->filePath(QStringLiteral("collector.json"));
        writeFile(path, good + "\n{\"resourceSpans\": 7}\n" + ingest::encodeOtlpJson(makeTrace(5, 2)) + '\n');
        ui::TraceFileImporter importer(*m_pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        QSignalSpy progress(&importer, &ui::TraceFileImporter::progressChanged);
        importer.importFiles({ path });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().at(0).toInt(), 5);
        QCOMPARE(finished.first().at(1).toStringList(),
            QStringList { QStringLiteral("collector.json: line 2: resourceSpans: must be an array") });
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong());
    }

    void cancelStopsTheImport()
    {
        std::vector<std::vector<core::Span>> traces;
        traces.reserve(40);
        for (int t = 0; t < 40; ++t)
            traces.push_back(makeTrace(std::uint8_t(10 + t), 500));
        const QString path = m_dir->filePath(QStringLiteral("big.jsonl"));
        std::string error;
        QVERIFY(ingest::writeTraceFile(path.toStdString(), traces, error));
        ui::TraceFileImporter importer(*m_pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
        importer.importFiles({ path });
        importer.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 60000);
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().at(0).toString().startsWith(QStringLiteral("Import cancelled")));
        QVERIFY(m_store->spanCount() < 20000);
    }

    void exportAndImportAgain()
    {
        auto first = makeTrace(6, 4);
        first[1].kind = core::SpanKind::Tool;
        first[1].cost_usd = 0.5;
        m_store->writeBatch(first);
        const auto stored = m_store->trace(first.front().trace_id);
        QVERIFY(stored);
        const QString path = m_dir->filePath(QStringLiteral("mine.jsonl"));
        QString error;
        QVERIFY2(ui::exportTraces(nullptr, { std::make_shared<const store::TraceDetail>(*stored) }, path, &error),
            qPrintable(error));

        std::vector<core::Span> back;
        const auto result = ingest::readTraceFile(path.toStdString(), back);
        QVERIFY(result.ok());
        QCOMPARE(back.size(), stored->spans.size());
        for (std::size_t i = 0; i < back.size(); ++i)
            QVERIFY(back[i] == stored->spans[i]);

        QVERIFY(!ui::exportTraces(nullptr, { stored ? std::make_shared<const store::TraceDetail>(*stored) : nullptr },
            m_dir->filePath(QStringLiteral("no/such/dir/x.jsonl")), &error));
        QVERIFY(error.contains(QStringLiteral("cannot create")));
    }

    void importRedacts_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("redact");
        for (const char *format : { "jsonl", "json", "pb" }) {
            QTest::addRow("%s off", format) << QString::fromLatin1(format) << false;
            QTest::addRow("%s on", format) << QString::fromLatin1(format) << true;
        }
    }

    /// A captured trace file holding an e-mail address and API keys, imported with and without the
    /// built-in redaction: in every format (JSON lines, one pretty-printed request read as a stream,
    /// protobuf in batches) nothing stored holds them, and each replacement is counted per rule.
    void importRedacts()
    {
        QFETCH(QString, format);
        QFETCH(bool, redact);
        std::size_t planted = 0;
        const auto requests = test::capturedRequestsWithKey(planted);
        QVERIFY(planted > 0);
        std::size_t emails = 0;
        for (const auto &r : requests)
            emails += test::occurrences(r.dump(), test::kFileEmail);
        QVERIFY(emails > 0);
        const QString path = m_dir->filePath(QStringLiteral("run.") + format);
        test::writePlantedTraceFile(path, requests, format);

        std::shared_ptr<const ingest::Redactor> redactor;
        if (redact)
            redactor = std::make_shared<const ingest::Redactor>(
                ingest::parseRedactionRules(R"({"builtin":["email","api_key"],"rules":[]})"));
        ui::TraceFileImporter importer(*m_pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);
        QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
        QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
        importer.importFiles({ path }, redactor);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 60000);
        QCOMPARE(failed.count(), 0);

        std::string stored;
        std::int64_t spans = 0;
        store::TraceQuery query;
        query.limit = 100;
        for (const auto &summary : m_store->listTraces(query).traces) {
            const auto trace = m_store->trace(summary.trace_id, store::TraceLoad::Full);
            QVERIFY(trace);
            for (std::size_t i = 0; i < trace->spans.size(); ++i)
                core::appendSpanApiJson(stored, trace->spans[i], trace->depth[i], false);
            spans += std::int64_t(trace->spans.size());
            stored += summary.user_id;
        }
        QCOMPARE(spans, std::int64_t(finished.first().at(0).toInt()));
        QVERIFY(spans > 0);
        const auto counts = importer.redactionCounts();
        if (!redact) {
            QVERIFY(stored.find(test::kFileEmail) != std::string::npos); // the check below can fail
            QVERIFY(stored.find(test::kFileKey) != std::string::npos);
            QVERIFY(counts.isEmpty());
            return;
        }
        QVERIFY2(stored.find(test::kFileEmail) == std::string::npos, "an e-mail address was stored");
        QVERIFY2(stored.find(test::kFileKey) == std::string::npos, "an API key was stored");
        QVERIFY(stored.find("[REDACTED:api_key]") != std::string::npos);
        QVERIFY(stored.find("[REDACTED:email]") != std::string::npos);
        QCOMPARE(counts.size(), 2);
        QCOMPARE(counts.at(0), qMakePair(QStringLiteral("api_key"), quint64(planted)));
        QCOMPARE(counts.at(1), qMakePair(QStringLiteral("email"), quint64(emails)));
    }

    void dragAndDrop()
    {
        const QString json = m_dir->filePath(QStringLiteral("t.json"));
        const QString pb = m_dir->filePath(QStringLiteral("t.pb"));
        const QString txt = m_dir->filePath(QStringLiteral("notes.txt"));
        for (const QString &p : { json, pb, txt })
            writeFile(p, "x");
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(json), QUrl::fromLocalFile(pb), QUrl::fromLocalFile(txt),
            QUrl(QStringLiteral("https://example.org/t.json")) });
        QVERIFY(ui::isTraceFile(&mime));
        QCOMPARE(ui::traceFilesFrom(&mime), (QStringList { json, pb }));
        QMimeData text;
        text.setText(QStringLiteral("hello"));
        QVERIFY(!ui::isTraceFile(&text));
        QVERIFY(!ui::isTraceFile(nullptr));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<store::IngestPipeline> m_pipeline;
};

QTEST_MAIN(TestFiles)
#include "tst_files.moc"

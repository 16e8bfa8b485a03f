// SPDX-License-Identifier: MIT
#include "client/localbackend.h"
#include "client/priceoverrides.h"
#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "dashboard/dashboardchartview.h"
#include "dashboard/dashboardview.h"
#include "dashboard/kpitile.h"
#include "dashboard/metricsseries.h"
#include "details/spandetailsview.h"
#include "files/tracefileimporter.h"
#include "shell/sessionlistmodel.h"
#include "shell/tracetablemodel.h"
#include "shell/traceviewpage.h"
#include "support/common.h"
#include "support/frameworkruns.h"

#include <nlohmann/json.hpp>

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>

#include <map>

using namespace agentops;
using nlohmann::json;
using test::expectedCost;
using test::n;
using test::Run;
using test::runsOf;

namespace {

using agentops::test::q;

json readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return json::parse(f.readAll().toStdString());
}

QString plain(const QString &html)
{
    return QTextDocumentFragment::fromHtml(html).toPlainText().replace(QChar(0xa0), QLatin1Char(' '));
}

QStringList labelTexts(QWidget *w)
{
    QStringList out;
    for (const QLabel *l : w->findChildren<QLabel *>())
        out << plain(l->text());
    return out;
}

} // namespace

class TestFrameworks : public QObject
{
    Q_OBJECT

private:
    json m_prices;

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QStandardPaths::setTestModeEnabled(true);
        QFile::remove(client::PriceOverrides::defaultPath()); // the shipped prices only
        m_prices = readJson(QStringLiteral(AGENTOPS_SOURCE_DIR "/resources/prices.json"));
        QVERIFY(m_prices.contains("rows"));
    }

    void figuresMatchTheProducer_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char *s :
            { "adk-js", "vercel-ai", "vercel-ai-openinference", "openai-openllmetry", "openai-openinference" })
            QTest::newRow(s) << QString::fromLatin1(s);
    }

    void figuresMatchTheProducer()
    {
        QFETCH(QString, scenario);
        const QString base = QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/") + scenario;
        const json expected = readJson(base + QStringLiteral(".expected.json"));
        const auto runs = runsOf(expected, m_prices);
        QVERIFY(!runs.empty());

        // File → Open into a real store, through the ingest pipeline with the shipped prices.
        QTemporaryDir dir;
        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        backend.setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
        QVERIFY(backend.start());
        {
            ui::TraceFileImporter importer(*backend.pipeline(), nullptr, ui::TraceFileImporter::Dialogs::None);
            QSignalSpy finished(&importer, &ui::TraceFileImporter::finished);
            QSignalSpy failed(&importer, &ui::TraceFileImporter::failed);
            importer.importFiles({ base + QStringLiteral(".otlp.json") });
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 10000);
            QVERIFY(failed.isEmpty());
            QCOMPARE(finished.first().at(1).toStringList(), QStringList());
        }
        client::TraceSourceRunner runner(backend.source());

        // The trace list, one row per run.
        ui::TraceListModel list(&runner);
        list.setFilter(store::TraceQuery {});
        QTRY_COMPARE_WITH_TIMEOUT(list.rowCount(), int(runs.size()), 10000);
        std::map<std::string, int> rowOf;
        for (int r = 0; r < list.rowCount(); ++r)
            rowOf[core::toHex(list.trace(r).trace_id)] = r;
        auto cell = [&list](int row, int column) { return list.index(row, column).data().toString(); };
        for (const Run &run : runs) {
            QVERIFY(rowOf.count(run.traceId));
            const int row = rowOf[run.traceId];
            QCOMPARE(cell(row, ui::TraceTableModel::TokensColumn), ui::format::count(run.input + run.output));
            QCOMPARE(cell(row, ui::TraceTableModel::CostColumn), ui::format::cost(run.cost, run.priced, run.unpriced));
            QCOMPARE(cell(row, ui::TraceTableModel::ErrorsColumn),
                run.errors > 0 ? ui::format::count(run.errors) : QStringLiteral("—"));
            QCOMPARE(cell(row, ui::TraceTableModel::SpansColumn), ui::format::count(run.spans));
            QCOMPARE(cell(row, ui::TraceTableModel::DurationColumn), ui::format::duration(run.end - run.start));
        }

        // The trace view: its header, and every model call's and failed tool's details.
        ui::TraceViewPage page(&runner);
        page.resize(1280, 720);
        for (const Run &run : runs) {
            core::TraceId id {};
            QVERIFY(core::fromHex(run.traceId, id));
            QSignalSpy loaded(&page, &ui::TraceViewPage::traceLoaded);
            page.openTrace(id);
            QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() && page.trace(), 10000);
            const QString header = labelTexts(&page).join(QLatin1Char('\n'));
            const QStringList facts { QStringLiteral("Tokens ") + ui::format::count(run.input + run.output),
                QStringLiteral("Cost ") + ui::format::cost(run.cost, run.priced, run.unpriced),
                QStringLiteral("Errors ") + ui::format::count(run.errors),
                QStringLiteral("Spans ") + ui::format::count(run.spans) };
            for (const QString &fact : facts)
                QVERIFY2(header.contains(fact), qPrintable(fact + QStringLiteral(" not in:\n") + header));

            const auto &spans = page.trace()->spans;
            auto indexOf = [&spans](const std::string &spanId) {
                for (std::size_t i = 0; i < spans.size(); ++i)
                    if (core::toHex(spans[i].span_id) == spanId)
                        return int(i);
                return -1;
            };
            auto *details = page.details();
            for (const auto &call : run.calls) {
                const int i = indexOf(call["span_id"]);
                QVERIFY(i >= 0);
                details->setSpan(page.trace(), i);
                const QStringList texts = labelTexts(details->tabs()->widget(ui::SpanDetailsView::OverviewTab));
                const std::string model
                    = call["response_model"].is_string() ? call["response_model"] : call["request_model"];
                const auto cost = expectedCost(m_prices, model, call["usage"]);
                for (const QString &want :
                    { ui::format::count(n(call["usage"]["input"])), ui::format::count(n(call["usage"]["output"])),
                        ui::format::cost(cost.value_or(0), cost ? 1 : 0, cost ? 0 : 1) })
                    QVERIFY2(texts.contains(want), qPrintable(want + QStringLiteral(" not in: ") + texts.join(u'|')));
            }
            for (const auto &[spanId, message] : run.failedTools) {
                const int i = indexOf(spanId);
                QVERIFY(i >= 0);
                QVERIFY(spans[std::size_t(i)].status == core::StatusCode::Error);
                details->setSpan(page.trace(), i);
                const QString texts = labelTexts(details).join(QLatin1Char('\n'));
                QVERIFY2(texts.contains(q(message)), qPrintable(texts));
            }
        }

        // The session row: the sums of its runs.
        std::map<std::string, Run> sessions;
        for (const Run &run : runs) {
            if (run.session.empty())
                continue;
            Run &s = sessions[run.session];
            s.input += run.input;
            s.output += run.output;
            s.cost += run.cost;
            s.priced += run.priced;
            s.unpriced += run.unpriced;
            s.errors += run.errors;
        }
        ui::SessionListModel sessionModel(&runner);
        sessionModel.reload();
        QTRY_COMPARE_WITH_TIMEOUT(sessionModel.rowCount(), int(sessions.size()), 10000);
        for (int r = 0; r < sessionModel.rowCount(); ++r) {
            const auto id = sessionModel.index(r, ui::SessionListModel::SessionColumn).data().toString().toStdString();
            QVERIFY(sessions.count(id));
            const Run &s = sessions[id];
            auto at = [&](int column) { return sessionModel.index(r, column).data().toString(); };
            QCOMPARE(at(ui::SessionListModel::TokensColumn), ui::format::count(s.input + s.output));
            QCOMPARE(at(ui::SessionListModel::CostColumn), ui::format::cost(s.cost, s.priced, s.unpriced));
            QCOMPARE(at(ui::SessionListModel::ErrorsColumn),
                s.errors > 0 ? ui::format::count(s.errors) : QStringLiteral("—"));
        }

        // The dashboard over a range that holds the runs: its tiles and its buckets.
        Run all;
        std::int64_t errorTraces = 0;
        all.start = INT64_MAX;
        for (const Run &run : runs) {
            all.input += run.input;
            all.output += run.output;
            all.cacheRead += run.cacheRead;
            all.cost += run.cost;
            all.priced += run.priced;
            all.unpriced += run.unpriced;
            errorTraces += run.errors > 0;
            all.start = std::min(all.start, run.start);
        }
        store::MetricsQuery mq;
        mq.from_ns = all.start - 30LL * 60 * 1'000'000'000;
        mq.to_ns = all.start + 30LL * 60 * 1'000'000'000;
        mq.group_by = store::MetricsGroupBy::Model;
        store::MetricsQuery whole = mq;
        whole.group_by = store::MetricsGroupBy::None;
        ui::DashboardView view;
        view.setResult(backend.store()->metrics(mq), mq, backend.store()->metrics(whole));
        QCOMPARE(view.kpi(ui::DashboardView::TracesKpi)->value(), ui::format::count(std::int64_t(runs.size())));
        QCOMPARE(view.kpi(ui::DashboardView::TokensKpi)->value(), ui::format::count(all.input + all.output));
        QCOMPARE(view.kpi(ui::DashboardView::CostKpi)->value(), ui::format::cost(all.cost, all.priced, all.unpriced));
        QCOMPARE(view.kpi(ui::DashboardView::ErrorRateKpi)->value(),
            ui::dashboard::fmt::percent(errorTraces, std::int64_t(runs.size())));
        // Bucket by bucket, the token chart adds up to the producer's totals.
        std::int64_t input = 0, output = 0, traces = 0, failed = 0;
        for (const auto &row : view.chartView(ui::DashboardView::TokensChart)->data().rows) {
            input += row[2].toLongLong() + row[3].toLongLong();
            output += row[4].toLongLong();
        }
        for (const auto &row : view.chartView(ui::DashboardView::TracesChart)->data().rows) {
            traces += row[2].toLongLong();
            failed += row[3].toLongLong();
        }
        QCOMPARE(input, all.input);
        QCOMPARE(output, all.output);
        QCOMPARE(traces, std::int64_t(runs.size()));
        QCOMPARE(failed, errorTraces);
        backend.stop();
    }
};

QTEST_MAIN(TestFrameworks)
#include "tst_frameworks.moc"

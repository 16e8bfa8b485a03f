// SPDX-License-Identifier: MIT
#include "client/localsource.h"
#include "client/remotesource.h"
#include "client/tracesourcerunner.h"
#include "common/theme.h"
#include "compare/comparepage.h"
#include "store/sqlitestore.h"
#include "support/fixturestore.h"
#include "support/httptestclient.h"
#include "support/serverprocess.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <fstream>

using namespace agentops;
using nlohmann::json;

namespace {

std::int64_t n(const json &v)
{
    return v.is_number() ? v.get<std::int64_t>() : 0;
}

core::TraceId traceId(const json &run)
{
    core::TraceId id {};
    core::fromHex(run["trace_id"].get<std::string>(), id);
    return id;
}

/// The row whose run-B span has this id; -1 when none.
int rowOfB(const ui::StepDiffModel &model, const std::string &spanId)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.spanB(row) && core::toHex(model.spanB(row)->span_id) == spanId)
            return row;
    return -1;
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void acrossSources();
    void againstTeamServer();
    void keyboard();
    void statusOfChangedAndAddedSteps();
    void deltaColumnsAddUp();
    void bigTracesAreComparedOnTheirNarrowSpans();
    void renders_data();
    void renders();

private:
    void compareRuns();
    /// What the page shows for run "ok" against the retried run, read from run B's source.
    void checkOkAgainstRetry(const QString &sourceName);

    std::unique_ptr<test::FixtureStore> m_local, m_team, m_vercel;
    std::shared_ptr<client::TraceSource> m_localSource, m_teamSource;
    std::unique_ptr<client::TraceSourceRunner> m_runner;
    std::unique_ptr<ui::ComparePage> m_page;
    json m_ok, m_retry;
};

// Two sources, as a local database and a team server's are: run "ok" in one, the retried run in
// the other.
void TestCompare::initTestCase()
{
    m_local = std::make_unique<test::FixtureStore>();
    m_local->ingest("adk-js");
    m_team = std::make_unique<test::FixtureStore>();
    m_team->ingest("adk-js-retry");
    m_vercel = std::make_unique<test::FixtureStore>();
    m_vercel->ingest("vercel-ai");
    m_localSource = std::make_shared<client::LocalSource>(m_local->store(), nullptr);
    m_teamSource = std::make_shared<client::LocalSource>(m_team->store(), nullptr);
    m_runner = std::make_unique<client::TraceSourceRunner>(m_localSource);
    m_page = std::make_unique<ui::ComparePage>(m_runner.get());
    new QAbstractItemModelTester(m_page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    m_ok = test::FixtureStore::run(test::FixtureStore::expected("adk-js"), "ok");
    m_retry = test::FixtureStore::run(test::FixtureStore::expected("adk-js-retry"), "retry");
}

void TestCompare::compareRuns()
{
    QSignalSpy compared(m_page.get(), &ui::ComparePage::compared);
    QSignalSpy text(m_page.get(), &ui::ComparePage::pairTextShown);
    m_page->compare({ m_localSource, traceId(m_ok), QStringLiteral("Local") },
        { m_teamSource, traceId(m_retry), QStringLiteral("team.example") });
    QVERIFY(m_page->isLoading());
    QVERIFY(compared.wait(10000));
    QVERIFY(text.count() > 0 || text.wait(10000));
}

void TestCompare::acrossSources()
{
    compareRuns();
    checkOkAgainstRetry(QStringLiteral("team.example"));
}

void TestCompare::checkOkAgainstRetry(const QString &sourceName)
{
    auto *model = m_page->model();
    const auto *r = model->result();
    QVERIFY(r);
    QCOMPARE(std::int64_t(r->diff.added), n(m_retry["span_count"]) - n(m_ok["span_count"]));
    // The first divergence is selected: the failed attempt ADK reported, added in run B.
    const int failed = rowOfB(*model, m_retry["tool_calls"][0]["span_id"]);
    QVERIFY(failed >= 0);
    QCOMPARE(m_page->stepView()->currentIndex().row(), failed);
    QCOMPARE(model->index(failed, ui::StepDiffModel::StateColumn).data().toString(), QStringLiteral("added"));
    QVERIFY(model->index(failed, 0).data(Qt::BackgroundRole).value<QColor>().isValid());
    QVERIFY(
        model->index(failed, ui::StepDiffModel::StepBColumn).data().toString().contains(QStringLiteral("get_weather")));
    QVERIFY(model->index(failed, ui::StepDiffModel::StepAColumn).data().toString().isEmpty());
    // The summary: the producers' run totals, the counts, the first divergence.
    const QString summary = m_page->summaryLabel()->text();
    const std::int64_t dInput = n(m_retry["total_usage"]["input"]) - n(m_ok["total_usage"]["input"]);
    const std::int64_t dOutput = n(m_retry["total_usage"]["output"]) - n(m_ok["total_usage"]["output"]);
    auto sign = [](std::int64_t v) -> QString {
        return (v > 0 ? QStringLiteral("+") : v < 0 ? QStringLiteral("−") : QString()) + QString::number(std::abs(v));
    };
    QVERIFY2(summary.contains(QStringLiteral("input ") + sign(dInput)), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("output ") + sign(dOutput)), qPrintable(summary));
    QVERIFY2(
        summary.contains(QStringLiteral("<b>") + sign(dInput + dOutput) + QStringLiteral("</b>")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("2 added, 0 removed")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("execute_tool get_weather")), qPrintable(summary));
    QVERIFY(m_page->titleLabel()->text().contains(sourceName));

    // The final answer's prompt: the word diff holds what ADK handed the model after the retry.
    const int answer = rowOfB(*model, m_retry["llm_calls"][2]["span_id"]);
    QVERIFY(answer >= 0 && model->spanA(answer));
    QCOMPARE(core::toHex(model->spanA(answer)->span_id), m_ok["llm_calls"][1]["span_id"].get<std::string>());
    QSignalSpy text(m_page.get(), &ui::ComparePage::pairTextShown);
    m_page->stepView()->setCurrentIndex(model->index(answer, 0));
    QVERIFY(text.wait(10000));
    const QString html = m_page->textView()->toHtml();
    QVERIFY(html.contains(QStringLiteral("busy")));
    QVERIFY(html.contains(QStringLiteral("line-through")) || html.contains(QStringLiteral("background-color")));
}

// Run B on a real agentops-server (team mode, its project's API key), read over loopback HTTP by
// RemoteSource; run A in the local store.
void TestCompare::againstTeamServer()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("server"));
    QByteArray out;
    QCOMPARE(test::runServerCommand(
                 data, { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("agents") }, out),
        0);
    QCOMPARE(test::runServerCommand(
                 data, { QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("agents") }, out),
        0);
    const std::string key = test::apiKeyIn(out).toStdString();
    QVERIFY2(!key.empty(), out.constData());
    QProcess server;
    const int port = test::startServerProcess(server,
        { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), data }, 20000,
        "http");
    QVERIFY(port > 0);
    auto stop = qScopeGuard([&] {
        server.terminate();
        if (!server.waitForFinished(15000))
            server.kill();
    });
    // The retried run, sent to the server as ADK's exporter sent it.
    std::ifstream in(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/adk-js-retry.otlp.json");
    std::string line;
    test::HttpClient http("127.0.0.1", port);
    const test::HttpClient::Headers auth { { "Authorization", "Bearer " + key } };
    while (std::getline(in, line)) {
        const auto res = http.post("/v1/traces", auth, line, "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
    }
    client::RemoteConfig config;
    config.base_url = "http://127.0.0.1:" + std::to_string(port);
    config.token = key;
    auto remote = std::make_shared<client::RemoteSource>(config);

    QSignalSpy compared(m_page.get(), &ui::ComparePage::compared);
    QSignalSpy failed(m_page.get(), &ui::ComparePage::compareFailed);
    QSignalSpy text(m_page.get(), &ui::ComparePage::pairTextShown);
    m_page->compare(
        { m_localSource, traceId(m_ok), QStringLiteral("Local") }, { remote, traceId(m_retry), remote->displayName() });
    QVERIFY(compared.wait(20000));
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    // The remote run is read whole (inputs and outputs compared), like the local one.
    QVERIFY(m_page->model()->result()->b->complete);
    QVERIFY(m_page->model()->result()->diff.content_compared);
    QVERIFY(text.count() > 0 || text.wait(10000));
    checkOkAgainstRetry(remote->displayName());
}

void TestCompare::keyboard()
{
    compareRuns();
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    m_page->activateWindow();
    m_page->stepView()->setFocus();
    const int before = m_page->stepView()->currentIndex().row();
    QSignalSpy text(m_page.get(), &ui::ComparePage::pairTextShown);
    QTest::keyClick(m_page->stepView(), Qt::Key_Down);
    QCOMPARE(m_page->stepView()->currentIndex().row(), before + 1);
    QVERIFY(text.wait(10000));
    QTest::keyClick(m_page->stepView(), Qt::Key_Home, Qt::ControlModifier);
    QCOMPARE(m_page->stepView()->currentIndex().row(), 0);
    QTest::keyClick(m_page->stepView(), Qt::Key_D, Qt::AltModifier);
    QCOMPARE(m_page->stepView()->currentIndex().row(), rowOfB(*m_page->model(), m_retry["tool_calls"][0]["span_id"]));
    QSignalSpy back(m_page.get(), &ui::ComparePage::backRequested);
    QTest::keyClick(m_page->stepView(), Qt::Key_Escape);
    QCOMPARE(back.count(), 1);
    m_page->hide();
}

// The failed run's status and error message, as ADK reported them, are in the text pane: next to
// the other run's for a changed pair, alone for a step only one run has.
void TestCompare::statusOfChangedAndAddedSteps()
{
    const json error = test::FixtureStore::run(test::FixtureStore::expected("adk-js"), "tool-error");
    const auto &failedCall = error["tool_calls"][0];
    QVERIFY(failedCall["failed"].get<bool>());
    const QString message = QString::fromStdString(failedCall["error_message"].get<std::string>());
    QSignalSpy compared(m_page.get(), &ui::ComparePage::compared);
    m_page->compare({ m_localSource, traceId(m_ok), QStringLiteral("Local") },
        { m_localSource, traceId(error), QStringLiteral("Local") });
    QVERIFY(compared.wait(10000));
    // Both runs are "invocation" from Local: the header tells them apart by id and outcome.
    const QString title = m_page->titleLabel()->text();
    auto label = [](const json &run) -> QString {
        return QStringLiteral("“invocation” %1 (Local, ")
            .arg(QString::fromStdString(run["trace_id"].get<std::string>().substr(0, 8)));
    };
    QVERIFY2(title.startsWith(QStringLiteral("A: ") + label(m_ok)), qPrintable(title));
    QVERIFY2(title.contains(QStringLiteral("B: ") + label(error)), qPrintable(title));
    QVERIFY2(
        title.contains(QStringLiteral(", ok) · B:")) && title.endsWith(QStringLiteral(", failed)")), qPrintable(title));
    auto *model = m_page->model();
    const int row = rowOfB(*model, failedCall["span_id"]);
    QVERIFY(row >= 0 && model->spanA(row));
    QVERIFY(model->index(row, ui::StepDiffModel::ChangesColumn).data().toString().contains(QStringLiteral("status")));
    QSignalSpy text(m_page.get(), &ui::ComparePage::pairTextShown);
    m_page->stepView()->setCurrentIndex(model->index(row, 0));
    QVERIFY(text.wait(10000));
    const QString shown = m_page->textView()->toPlainText();
    QVERIFY2(shown.contains(QStringLiteral("Run B: error — ") + message), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("Run A: ")), qPrintable(shown));
    QVERIFY2(shown.indexOf(QStringLiteral("Status")) < shown.indexOf(QStringLiteral("Input")), qPrintable(shown));
    for (bool dark : { false, true }) {
        ui::theme::apply(dark ? ui::theme::Choice::Dark : ui::theme::Choice::Light);
        m_page->resize(1280 - 150, 720 - 80);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        QTest::qWait(50);
        QVERIFY(m_page->grab().save(QStringLiteral(AGENTOPS_BINARY_DIR "/compare-status-%1.png")
                                        .arg(dark ? QStringLiteral("dark") : QStringLiteral("light"))));
    }
    m_page->hide();

    // The failed attempt only the retried run has: its status and message too.
    compareRuns();
    const int added = rowOfB(*model, m_retry["tool_calls"][0]["span_id"]);
    QCOMPARE(m_page->stepView()->currentIndex().row(), added);
    const QString addedText = m_page->textView()->toPlainText();
    const QString retryMessage = QString::fromStdString(m_retry["tool_calls"][0]["error_message"].get<std::string>());
    QVERIFY2(addedText.contains(QStringLiteral("Run B: error — ") + retryMessage), qPrintable(addedText));
    QVERIFY2(!addedText.contains(QStringLiteral("Run A:")), qPrintable(addedText));
}

// Above kFullTraceLoadLimit spans a trace is read slim (one small record a span, details on
// demand); the comparison reads whole spans, so each side is compared on its narrow spans.
void TestCompare::bigTracesAreComparedOnTheirNarrowSpans()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    store::SqliteStore db(dir.filePath(QStringLiteral("big.db")).toStdString());
    const auto steps = static_cast<std::size_t>(store::kFullTraceLoadLimit);
    // An agent span and `count` tool steps under it, each step named after its position.
    auto write = [&db](std::uint8_t run, std::size_t count) {
        core::TraceId trace {};
        trace[0] = run;
        trace[15] = 1;
        const auto idOf = [](std::size_t i) {
            core::SpanId id {};
            id[0] = 1;
            for (int k = 0; k < 4; ++k)
                id[static_cast<std::size_t>(7 - k)] = static_cast<std::uint8_t>(i >> (8 * k));
            return id;
        };
        std::vector<core::Span> spans(count + 1);
        constexpr std::int64_t kStart = 1'700'000'000'000'000'000;
        for (std::size_t i = 0; i <= count; ++i) {
            core::Span &s = spans[i];
            s.trace_id = trace;
            s.span_id = idOf(i);
            s.parent_span_id = i == 0 ? core::SpanId {} : idOf(0);
            s.kind = i == 0 ? core::SpanKind::Agent : core::SpanKind::Tool;
            s.name = i == 0 ? "invoke_agent planner" : "execute_tool step " + std::to_string(i);
            s.start_ns = kStart + static_cast<std::int64_t>(i) * 1000;
            s.end_ns = i == 0 ? kStart + static_cast<std::int64_t>(count + 1) * 1000 : s.start_ns + 500;
            s.service_name = "big";
        }
        db.writeBatch(spans);
        return trace;
    };
    const core::TraceId a = write(1, steps);
    const core::TraceId b = write(2, steps + 2); // two steps more at the end
    auto source = std::make_shared<client::LocalSource>(db, nullptr);
    QVERIFY(source->trace(a)->slim()); // precondition: the page is given slim traces

    QSignalSpy compared(m_page.get(), &ui::ComparePage::compared);
    m_page->compare({ source, a, QStringLiteral("Local") }, { source, b, QStringLiteral("Local") });
    QVERIFY(compared.wait(120000));
    const auto *r = m_page->model()->result();
    QVERIFY(r && !r->a->slim() && !r->b->slim());
    QCOMPARE(r->a->spans.size(), steps + 1);
    QCOMPARE(r->b->spans.size(), steps + 3);
    QCOMPARE(r->diff.added, std::size_t(2));
    QCOMPARE(r->diff.removed, std::size_t(0));
    QCOMPARE(r->diff.same + r->diff.changed, steps + 1);
    QCOMPARE(m_page->model()->rowCount(), static_cast<int>(steps + 3));
}

// Vercel AI SDK, run "ok" against the run whose tool failed: the agent span repeats the run's usage,
// so its Δ is shown in parentheses, and the counted rows add up to the producer's run totals.
void TestCompare::deltaColumnsAddUp()
{
    const json expected = test::FixtureStore::expected("vercel-ai");
    const json ok = test::FixtureStore::run(expected, "ok");
    const json error = test::FixtureStore::run(expected, "tool-error");
    auto source = std::make_shared<client::LocalSource>(m_vercel->store(), nullptr);
    QSignalSpy compared(m_page.get(), &ui::ComparePage::compared);
    m_page->compare(
        { source, traceId(ok), QStringLiteral("Local") }, { source, traceId(error), QStringLiteral("Local") });
    QVERIFY(compared.wait(10000));
    auto *model = m_page->model();
    auto total = [](const json &run) { return n(run["total_usage"]["input"]) + n(run["total_usage"]["output"]); };
    std::int64_t counted = 0;
    int rollups = 0, zeroCost = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto tokens = model->index(row, ui::StepDiffModel::TokensColumn);
        const auto cost = model->index(row, ui::StepDiffModel::CostColumn);
        const core::Span *s = model->spanA(row) ? model->spanA(row) : model->spanB(row);
        QString text = tokens.data().toString();
        if (s->kind == core::SpanKind::Agent || s->kind == core::SpanKind::Chain) {
            ++rollups;
            QVERIFY2(text.startsWith(QLatin1Char('(')) && text.endsWith(QLatin1Char(')')), qPrintable(text));
            QVERIFY(tokens.data(Qt::ForegroundRole).value<QColor>().isValid());
            QVERIFY(tokens.data(Qt::ToolTipRole)
                        .toString()
                        .contains(QStringLiteral("sum of the calls below; counted once, on them")));
            QVERIFY(cost.data(Qt::ToolTipRole).toString().contains(QStringLiteral("counted once")));
            continue;
        }
        QVERIFY2(!text.startsWith(QLatin1Char('(')), qPrintable(text));
        text.replace(QStringLiteral("−"), QStringLiteral("-")).remove(QLatin1Char(',')).remove(QLatin1Char('+'));
        counted += text.toLongLong();
        const auto d = diff::pairDelta(model->spanA(row), model->spanB(row));
        if (d.cost_usd && *d.cost_usd == 0) {
            ++zeroCost;
            QCOMPARE(cost.data().toString(), QStringLiteral("—"));
        }
    }
    QVERIFY(rollups > 0);
    QCOMPARE(counted, total(error) - total(ok));
    // An unchanged priced step, as the retried ADK run has (its model calls before the failure).
    compareRuns();
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto d = diff::pairDelta(model->spanA(row), model->spanB(row));
        if (d.cost_usd && *d.cost_usd == 0) {
            ++zeroCost;
            QCOMPARE(model->index(row, ui::StepDiffModel::CostColumn).data().toString(), QStringLiteral("—"));
        }
    }
    QVERIFY(zeroCost > 0);
}

void TestCompare::renders_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("dark");
    QTest::newRow("1280x720 light") << QSize(1280, 720) << false;
    QTest::newRow("1280x720 dark") << QSize(1280, 720) << true;
    QTest::newRow("1920x1080 light") << QSize(1920, 1080) << false;
    QTest::newRow("1920x1080 dark") << QSize(1920, 1080) << true;
}

// Rendered as a page of the window would be (the window's sidebar takes ~150 px); every figure
// fits its column, the summary its label. The PNGs are for looking at.
void TestCompare::renders()
{
    QFETCH(QSize, size);
    QFETCH(bool, dark);
    ui::theme::apply(dark ? ui::theme::Choice::Dark : ui::theme::Choice::Light);
    m_page->resize(size.width() - 150, size.height() - 80);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    compareRuns();
    QTest::qWait(50);
    auto *view = m_page->stepView();
    auto *model = m_page->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = ui::StepDiffModel::StateColumn; column < ui::StepDiffModel::NUM_COLUMNS; ++column) {
            if (column == ui::StepDiffModel::StepAColumn || column == ui::StepDiffModel::StepBColumn)
                continue;
            const QString text = model->index(row, column).data().toString();
            QVERIFY2(view->fontMetrics().horizontalAdvance(text) + 8 <= view->columnWidth(column), qPrintable(text));
        }
    }
    int right = 0;
    for (int c = 0; c < ui::StepDiffModel::NUM_COLUMNS - 1; ++c)
        right += view->columnWidth(c);
    QVERIFY2(right <= view->viewport()->width(), qPrintable(QString::number(right)));
    auto *summary = m_page->summaryLabel();
    QVERIFY(summary->heightForWidth(summary->width()) <= summary->height());
    const QString name = QStringLiteral("compare-%1x%2-%3.png")
                             .arg(size.width())
                             .arg(size.height())
                             .arg(dark ? QStringLiteral("dark") : QStringLiteral("light"));
    QVERIFY(m_page->grab().save(QStringLiteral(AGENTOPS_BINARY_DIR "/") + name));
    m_page->hide();
}

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"

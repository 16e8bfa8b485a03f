// SPDX-License-Identifier: MIT
#include "client/localbackend.h"
#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "common/translations.h"
#include "details/spandetailsview.h"
#include "shell/mainwindow.h"
#include "shell/sessionlistmodel.h"
#include "shell/sessionspage.h"
#include "shell/tracefilterbar.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "shell/traceviewpage.h"
#include "store/ingestpipeline.h"
#include "support/common.h"
#include "waterfall/waterfalldelegate.h"
#include "waterfall/waterfallmodel.h"
#include "waterfall/waterfallview.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>

#include <memory>

using namespace agentops;
using ui::MainWindow;
using ui::SessionListModel;
using ui::TraceTableModel;

namespace {

using agentops::test::kSecond;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

/// Session ids as producers write them: a UUID with a prefix, and one longer than any column.
const std::string kUuidSession = "support-bot:7f3c2a9e-5b1d-4e8f-9a6c-0d2e4b8f1a37";
const std::string kLongSession = "session-2025-11-14T10:22:33Z-9f8e7d6c5b4a3210-customer-support-escalation";

core::TraceId traceId(int n)
{
    core::TraceId id {};
    id[0] = 0xf1;
    id[15] = static_cast<std::uint8_t>(n);
    return id;
}

core::SpanId spanId(int n, int k)
{
    core::SpanId id {};
    id[0] = static_cast<std::uint8_t>(n + 1);
    id[4] = static_cast<std::uint8_t>(k >> 16);
    id[5] = static_cast<std::uint8_t>(k >> 8);
    id[6] = static_cast<std::uint8_t>(k);
    id[7] = 1;
    return id;
}

struct Run
{
    const char *name;
    std::int64_t start;
    std::int64_t duration;
    std::string session;
    std::int64_t tokens; ///< over all model calls
    double cost; ///< of the priced calls
    bool unpricedCall = false; ///< one more call of a model without a price
};

/// An agent run: a root span and three priced model calls sharing the tokens and the cost, and
/// optionally a call of a model without a price (the trace's cost then reads "$…+").
std::vector<core::Span> agentRun(int n, const Run &run)
{
    std::vector<core::Span> spans;
    core::Span root;
    root.trace_id = traceId(n);
    root.span_id = spanId(n, 0);
    root.name = run.name;
    root.kind = core::SpanKind::Agent;
    root.service_name = "customer-support-openinference-agent"; // longer than the column's first width
    root.session_id = run.session;
    root.user_id = "maria@example.com";
    root.start_ns = run.start;
    root.end_ns = run.start + run.duration;
    spans.push_back(root);
    const int calls = run.unpricedCall ? 4 : 3;
    for (int k = 1; k <= calls; ++k) {
        core::Span llm = root;
        llm.span_id = spanId(n, k);
        llm.parent_span_id = root.span_id;
        llm.kind = core::SpanKind::Llm;
        llm.start_ns = run.start + (k - 1) * run.duration / calls;
        llm.end_ns = llm.start_ns + run.duration / calls;
        const bool unpriced = k == 4;
        llm.name = unpriced ? "chat in-house-llm" : "chat gpt-4o";
        llm.request_model = llm.response_model = unpriced ? "in-house-llm" : "gpt-4o";
        // Short messages: the Found column joins them with " · ", longer than its first width.
        llm.input = R"([{"role":"system","content":"parcel desk"},{"role":"user","content":"Rotterdam depot"},)"
                    R"({"role":"tool","content":"courier line busy"},{"role":"assistant","content":"delayed"}])";
        const std::int64_t share = run.tokens / calls + (k == 1 ? run.tokens % calls : 0);
        llm.tokens.input = share - 10;
        llm.tokens.output = 10;
        llm.tokens.total = share;
        if (!unpriced)
            llm.cost_usd = k == 1 ? run.cost - 2 * (run.cost / 3) : run.cost / 3;
        spans.push_back(std::move(llm));
    }
    return spans;
}

/// One agent run of 100,000 tool calls (100,001 spans).
std::vector<core::Span> bulkRun(int n, std::int64_t start)
{
    std::vector<core::Span> spans;
    spans.reserve(100'001);
    core::Span root;
    root.trace_id = traceId(n);
    root.span_id = spanId(n, 0);
    root.name = "bulk_agent_run";
    root.kind = core::SpanKind::Agent;
    root.service_name = "bulk";
    root.start_ns = start;
    root.end_ns = start + 100'000LL * 40'000'000;
    spans.push_back(root);
    for (int k = 1; k <= 100'000; ++k) {
        core::Span tool;
        tool.trace_id = root.trace_id;
        tool.span_id = spanId(n, k);
        tool.parent_span_id = root.span_id;
        tool.name = "execute_tool lookup";
        tool.kind = core::SpanKind::Tool;
        tool.tool_name = "lookup";
        tool.service_name = root.service_name;
        tool.start_ns = start + (k - 1) * 40'000'000LL;
        tool.end_ns = tool.start_ns + 30'000'000;
        spans.push_back(std::move(tool));
    }
    return spans;
}

/// Cells of the given columns whose text does not show whole: "row/column: shown (whole)".
QStringList cutCells(const ui::TraceTableView *view, const QList<int> &columns)
{
    QStringList cut;
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column : columns) {
            const QModelIndex index = model->index(row, column);
            const QString whole = index.data().toString();
            const QString shown = view->displayedText(index);
            if (shown != whole)
                cut << QStringLiteral("%1/%2: '%3' ('%4')").arg(row).arg(column).arg(shown, whole);
        }
    }
    return cut;
}

} // namespace

class TestFigures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void windowFitsTheScreen_data();
    void windowFitsTheScreen();
    void figuresShowWhole_data();
    void figuresShowWhole();
    void minimumDurationReadsAsDuration();
    void detailsKeepTheirShareWhateverTheSpan();

private:
    void show(QSize size);
    /// A new window in this language (its texts are set when it is built).
    void openWindow(const QString &language);
    QString shot(const QString &name, QSize size) const
    {
        return QStringLiteral("%1/%2-%3x%4-%5.png")
            .arg(m_shots, name)
            .arg(size.width())
            .arg(size.height())
            .arg(m_language);
    }

    QTemporaryDir m_dir;
    QString m_shots;
    QString m_language;
    std::unique_ptr<client::LocalBackend> m_backend;
    std::unique_ptr<client::TraceSourceRunner> m_runner;
    std::unique_ptr<MainWindow> m_window;
};

void TestFigures::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOpsFiguresTest"));
    QCoreApplication::setApplicationName(QStringLiteral("figures"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    m_shots
        = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR", QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/figures"));
    QVERIFY(QDir().mkpath(m_shots));

    m_backend = std::make_unique<client::LocalBackend>(m_dir.filePath(QStringLiteral("traces.db")));
    m_backend->setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
    QString error;
    QVERIFY2(m_backend->start(&error), qPrintable(error));
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    const std::int64_t march2023 = 1'678'788'000 * kSecond; // 2023-03-14T10:00:00Z
    const Run runs[] = {
        { "nightly_batch_agent", now - 26 * kHour, 25 * kHour + 15 * kMinute + 36 * kSecond, kLongSession, 1'234'567,
            1234.56, true },
        { "support_triage", now - 2 * kHour, 83 * kSecond, kUuidSession, 223'456, 51.23 },
        { "quick_answer", now - kHour, 850'000, kUuidSession, 120, 0.0042 },
        { "legacy_import", march2023, 3 * kMinute + 5 * kSecond, "old-session-2023", 45'000, 2.5 },
    };
    std::vector<core::Span> spans;
    int n = 0;
    for (const Run &run : runs)
        for (auto &s : agentRun(n++, run))
            spans.push_back(std::move(s));
    for (auto &s : bulkRun(n++, now - 3 * kHour))
        spans.push_back(std::move(s));
    const auto result = m_backend->pipeline()->submit(std::move(spans));
    QCOMPARE(int(result.outcome), int(store::IngestPipeline::Outcome::Committed));

    m_runner = std::make_unique<client::TraceSourceRunner>(m_backend->source());
    openWindow(QStringLiteral("en"));
}

void TestFigures::openWindow(const QString &language)
{
    if (m_window && m_language == language)
        return;
    m_window.reset();
    QString error;
    QVERIFY2(ui::translations::install(language, &error), qPrintable(error));
    m_language = language;
    m_window = std::make_unique<MainWindow>(m_backend.get(), m_runner.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->traceListPage()->model()->rowCount(), 5, 20000);
}

void TestFigures::cleanupTestCase()
{
    m_window.reset();
    ui::translations::install(QStringLiteral("en"));
    m_runner.reset();
    if (m_backend)
        m_backend->stop();
    m_backend.reset();
    qInfo("screenshots in %s", qPrintable(m_shots));
}

void TestFigures::show(QSize size)
{
    m_window->resize(size);
    QTest::qWait(50);
    QCoreApplication::processEvents();
}

void TestFigures::windowFitsTheScreen_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("language");
    QTest::newRow("1280x720") << QSize(1280, 720) << QStringLiteral("en");
    QTest::newRow("1920x1080") << QSize(1920, 1080) << QStringLiteral("en");
    // Longer words, wider durations ("25 h 15 min").
    QTest::newRow("1280x720 German") << QSize(1280, 720) << QStringLiteral("de");
}

void TestFigures::windowFitsTheScreen()
{
    QFETCH(QSize, size);
    QFETCH(QString, language);
    openWindow(language);
    // Every page, the trace view with a trace open included: none may make the window wider or
    // taller than the screen.
    m_window->openTrace(m_window->traceListPage()->model()->trace(0).trace_id);
    QTRY_VERIFY(m_window->traceViewPage()->trace() != nullptr);
    for (const auto page : { MainWindow::Page::Dashboard, MainWindow::Page::Traces, MainWindow::Page::Sessions,
             MainWindow::Page::Trace }) {
        m_window->showPage(page);
        show(size);
        const QSize minimum = m_window->minimumSizeHint();
        QVERIFY2(minimum.width() <= size.width() && minimum.height() <= size.height(),
            qPrintable(
                QStringLiteral("page %1 needs %2x%3").arg(int(page)).arg(minimum.width()).arg(minimum.height())));
        QCOMPARE(m_window->size(), size);
    }
}

void TestFigures::figuresShowWhole_data()
{
    windowFitsTheScreen_data();
}

void TestFigures::figuresShowWhole()
{
    QFETCH(QSize, size);
    QFETCH(QString, language);
    openWindow(language);
    const std::int64_t longRun = 25 * kHour + 15 * kMinute + 36 * kSecond;
    const QString longDuration = ui::format::duration(longRun);
    if (language == QStringLiteral("en"))
        QCOMPARE(longDuration, QStringLiteral("25h 15m"));
    // The trace list: times and figures whole, right-aligned.
    m_window->showPage(MainWindow::Page::Traces);
    show(size);
    auto *list = m_window->traceListPage();
    const QList<int> listColumns
        = { TraceTableModel::StartColumn, TraceTableModel::DurationColumn, TraceTableModel::SpansColumn,
              TraceTableModel::ErrorsColumn, TraceTableModel::TokensColumn, TraceTableModel::CostColumn };
    QTRY_VERIFY2(cutCells(list->view(), listColumns).isEmpty(),
        qPrintable(cutCells(list->view(), listColumns).join(QStringLiteral("; "))));
    if (size.width() >= 1920) {
        // With room to spare, names are not cut off either.
        const QList<int> textColumns
            = { TraceTableModel::NameColumn, TraceTableModel::ServiceColumn, TraceTableModel::ModelsColumn };
        QTRY_VERIFY2(cutCells(list->view(), textColumns).isEmpty(),
            qPrintable(cutCells(list->view(), textColumns).join(QStringLiteral("; "))));
    }
    QVERIFY(m_window->grab().save(shot(QStringLiteral("tracelist"), size)));
    if (size.width() >= 1920) {
        // A search: the Found column shows where each trace matched, whole while there is room.
        auto *search = list->filterBar()->searchEdit();
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("courier")); // as typed: a search for every prefix
        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 4, 20000);
        QTRY_VERIFY2(cutCells(list->view(), { TraceTableModel::MatchColumn }).isEmpty(),
            qPrintable(cutCells(list->view(), { TraceTableModel::MatchColumn }).join(QStringLiteral("; "))));
        QVERIFY(m_window->grab().save(shot(QStringLiteral("tracelist-search"), size)));
        search->clear();
        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 5, 20000);
    }
    // What the data says, as the list shows it.
    const auto *model = list->model();
    QStringList durations;
    for (int row = 0; row < model->rowCount(); ++row)
        durations << model->index(row, TraceTableModel::DurationColumn).data().toString();
    QVERIFY2(durations.contains(longDuration), qPrintable(durations.join(QLatin1Char(','))));
    QStringList figures;
    for (int row = 0; row < model->rowCount(); ++row)
        for (int column : { TraceTableModel::SpansColumn, TraceTableModel::TokensColumn, TraceTableModel::CostColumn })
            figures << model->index(row, column).data().toString();
    for (const char *figure : { "100,001", "1,234,567", "223,456", "$51.23" })
        QVERIFY2(figures.contains(QString::fromUtf8(figure)), figure);
    QVERIFY2(figures.filter(QStringLiteral("$1,234.56")).size() == 1, qPrintable(figures.join(QLatin1Char(','))));

    // The Sessions page: ids, times and figures whole; an id longer than any column keeps its
    // start and end, and its tooltip has it whole.
    m_window->showPage(MainWindow::Page::Sessions);
    auto *sessions = m_window->sessionsPage();
    QTRY_COMPARE(sessions->sessionModel()->rowCount(), 3);
    QTRY_VERIFY(sessions->traceModel()->rowCount() > 0);
    QTest::qWait(50);
    const QList<int> sessionColumns = { SessionListModel::LastActiveColumn, SessionListModel::DurationColumn,
        SessionListModel::TracesColumn, SessionListModel::SpansColumn, SessionListModel::ErrorsColumn,
        SessionListModel::TokensColumn, SessionListModel::CostColumn };
    QTRY_VERIFY2(cutCells(sessions->sessionView(), sessionColumns).isEmpty(),
        qPrintable(cutCells(sessions->sessionView(), sessionColumns).join(QStringLiteral("; "))));
    QTRY_VERIFY2(cutCells(sessions->traceView(), listColumns).isEmpty(),
        qPrintable(cutCells(sessions->traceView(), listColumns).join(QStringLiteral("; "))));
    const auto *sessionModel = sessions->sessionModel();
    for (int row = 0; row < sessionModel->rowCount(); ++row) {
        const QModelIndex id = sessionModel->index(row, SessionListModel::SessionColumn);
        const QString whole = id.data().toString();
        const QString shown = sessions->sessionView()->displayedText(id);
        if (whole.toStdString() == kLongSession) {
            QVERIFY2(shown.startsWith(QStringLiteral("session-2025")) && shown.endsWith(QStringLiteral("escalation")),
                qPrintable(shown));
            QCOMPARE(id.data(Qt::ToolTipRole).toString(), whole);
        } else {
            QCOMPARE(shown, whole);
        }
    }
    QVERIFY(m_window->grab().save(shot(QStringLiteral("sessions"), size)));

    // The 25-hour trace: the waterfall's Duration column has room for every span's duration.
    int longRow = -1;
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->trace(row).name == "nightly_batch_agent")
            longRow = row;
    QVERIFY(longRow >= 0);
    m_window->openTrace(model->trace(longRow).trace_id);
    auto *page = m_window->traceViewPage();
    QTRY_VERIFY(page->trace() != nullptr && page->trace()->summary.name == "nightly_batch_agent");
    auto *tree = page->waterfall()->findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    QVERIFY(tree);
    QTRY_VERIFY(tree->model()->rowCount() > 0);
    tree->expandAll();
    page->setCurrentSpan(0);
    QTest::qWait(100);
    const int durationWidth = tree->header()->sectionSize(ui::WaterfallModel::DurationColumn);
    QStringList spanDurations;
    const QFontMetrics fm(tree->font());
    for (QModelIndex index = tree->model()->index(0, ui::WaterfallModel::DurationColumn); index.isValid();
         index = tree->indexBelow(index)) {
        const QModelIndex cell = index.siblingAtColumn(ui::WaterfallModel::DurationColumn);
        const QString text = cell.data().toString();
        spanDurations << text;
        QVERIFY2(fm.horizontalAdvance(text) <= durationWidth - ui::WaterfallDelegate::DurationPadding,
            qPrintable(QStringLiteral("'%1' in %2 px").arg(text).arg(durationWidth)));
    }
    // One spelling of the same duration: list, waterfall, trace header and span details.
    QCOMPARE(spanDurations.value(0), longDuration);
    QStringList labels;
    for (const QLabel *label : page->findChildren<QLabel *>())
        if (label->isVisible() && label->text().contains(longDuration))
            labels << label->objectName();
    QVERIFY2(labels.size() >= 3, qPrintable(QString::number(labels.size()))); // header, chip, timing row

    // The span details: every tab and every Copy button in view, nothing to scroll sideways, even
    // with the splitter dragged as far right as it goes.
    auto *details = page->details();
    auto *splitter = qobject_cast<QSplitter *>(details->parentWidget());
    QVERIFY(splitter);
    const QList<int> sizes = splitter->sizes();
    splitter->setSizes({ sizes.value(0) + sizes.value(1), 0 });
    QTest::qWait(50);
    QTabBar *tabs = details->tabs()->tabBar();
    for (int i = 0; i < tabs->count(); ++i)
        QVERIFY2(tabs->rect().contains(tabs->tabRect(i)),
            qPrintable(QStringLiteral("tab '%1' at %2..%3 of %4")
                           .arg(tabs->tabText(i))
                           .arg(tabs->tabRect(i).left())
                           .arg(tabs->tabRect(i).right())
                           .arg(tabs->width())));
    auto *overview = qobject_cast<QScrollArea *>(details->tabs()->widget(ui::SpanDetailsView::OverviewTab));
    QVERIFY(overview && overview->widget());
    QCOMPARE(overview->horizontalScrollBar()->maximum(), 0);
    int copies = 0;
    const auto buttons = overview->widget()->findChildren<QToolButton *>();
    for (QToolButton *button : buttons) {
        if (button->objectName() != QStringLiteral("copyButton"))
            continue;
        ++copies;
        const QRect inViewport(button->mapTo(overview->viewport(), QPoint(0, 0)), button->size());
        QVERIFY2(overview->viewport()->rect().contains(inViewport),
            qPrintable(QStringLiteral("%1 at x %2..%3 of %4")
                           .arg(button->toolTip())
                           .arg(inViewport.left())
                           .arg(inViewport.right())
                           .arg(overview->viewport()->width())));
    }
    QCOMPARE(copies, 4); // session, user, trace id, span id
    splitter->setSizes(sizes);
    QTest::qWait(50);
    QVERIFY(m_window->grab().save(shot(QStringLiteral("trace"), size)));
    m_window->showPage(MainWindow::Page::Traces);
}

void TestFigures::minimumDurationReadsAsDuration()
{
    openWindow(QStringLiteral("en"));
    // The minimum-duration filter writes durations as the list does, and reads them as typed.
    auto *bar = m_window->traceListPage()->filterBar();
    auto *box = bar->findChild<QDoubleSpinBox *>(QStringLiteral("minDuration"));
    QVERIFY(box);
    bar->setMinDurationSeconds(5400);
    QCOMPARE(box->text(), QStringLiteral("≥ 1h 30m"));
    box->selectAll();
    QTest::keyClicks(box, QStringLiteral("2m 30s"));
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(box->value(), 150.0);
    QCOMPARE(bar->filter().min_duration_ns.value_or(0), 150 * kSecond);
    box->stepUp(); // to the next round threshold
    QCOMPARE(box->text(), QStringLiteral("≥ 5m 00s"));
    box->stepDown();
    box->stepDown();
    QCOMPARE(box->text(), QStringLiteral("≥ 1m 00s"));
    bar->setMinDurationSeconds(0);
    QCOMPARE(box->text(), QStringLiteral("Any duration"));
    QVERIFY(!bar->filter().min_duration_ns);
}

void TestFigures::detailsKeepTheirShareWhateverTheSpan()
{
    // Runs last: it adds a trace to the store. The ADK run whose tool call failed, at 1280×720:
    // whichever span is selected (the failed tool with its "Arguments & Result" tab, a model call
    // with eleven attributes), the waterfall keeps its share of the splitter and its whole tool bar
    // ("Reset zoom" not pushed behind the overflow arrow), and every tab stays in view.
    openWindow(QStringLiteral("en"));
    show(QSize(1280, 720));
    QSignalSpy imported(m_window.get(), &MainWindow::importFinished);
    QSignalSpy importFailed(m_window.get(), &MainWindow::importFailed);
    m_window->importFiles({ QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/adk-js.otlp.json") });
    // Counted, not waited for (an answer before the wait began would be missed), and a failure
    // says why.
    QTRY_VERIFY_WITH_TIMEOUT(imported.count() + importFailed.count() > 0, 60000);
    QVERIFY2(importFailed.isEmpty(), qPrintable(importFailed.value(0).value(0).toString()));
    QCOMPARE(imported.count(), 1);
    auto *list = m_window->traceListPage();
    QTRY_VERIFY_WITH_TIMEOUT(list->model()->rowCount() > 5, 10000);
    int adk = -1;
    for (int row = 0; row < list->model()->rowCount(); ++row)
        if (list->model()->trace(row).service_name == "adk-weather-agent" && list->model()->trace(row).error_count > 0)
            adk = row;
    QVERIFY(adk >= 0);
    m_window->openTrace(list->model()->trace(adk).trace_id);
    auto *page = m_window->traceViewPage();
    QTRY_VERIFY(page->trace() && !page->isLoading());
    auto *splitter = qobject_cast<QSplitter *>(page->details()->parentWidget());
    QVERIFY(splitter);
    const int width = splitter->width() - splitter->handleWidth();
    splitter->setSizes({ width * 62 / 100, width - width * 62 / 100 });
    QTest::qWait(50);
    const QList<int> sizes = splitter->sizes();
    QVERIFY2(std::abs(sizes.value(0) - width * 62 / 100) <= 2,
        qPrintable(QStringLiteral("the waterfall has %1 px of %2, not its 62 %").arg(sizes.value(0)).arg(width)));
    auto *toolBar = page->waterfall()->findChild<QToolBar *>();
    QVERIFY(toolBar);
    bool toolSeen = false; // the one that failed
    for (int i = 0; i < int(page->trace()->spans.size()); ++i) {
        page->setCurrentSpan(i);
        QTest::qWait(50);
        const auto &span = page->trace()->spans[std::size_t(i)];
        toolSeen = toolSeen || span.kind == core::SpanKind::Tool;
        const QString which = QString::fromStdString(span.name);
        QVERIFY2(splitter->sizes() == sizes,
            qPrintable(QStringLiteral("%1: waterfall %2 px, details %3 px, were %4 and %5")
                           .arg(which)
                           .arg(splitter->sizes().value(0))
                           .arg(splitter->sizes().value(1))
                           .arg(sizes.value(0))
                           .arg(sizes.value(1))));
        for (QAction *action : toolBar->actions())
            if (!action->isSeparator() && action->isVisible())
                QVERIFY2(toolBar->widgetForAction(action) && toolBar->widgetForAction(action)->isVisible(),
                    qPrintable(
                        QStringLiteral("%1: '%2' is behind the tool bar's overflow arrow").arg(which, action->text())));
        // Every tab in view; a title cut short (never the first) has its whole text as tooltip.
        QTabBar *tabs = page->details()->tabs()->tabBar();
        for (int t = 0; t < tabs->count(); ++t) {
            QVERIFY2(tabs->rect().contains(tabs->tabRect(t)), qPrintable(tabs->tabText(t)));
            QString shown = tabs->tabText(t);
            shown.replace(QStringLiteral("&&"), QStringLiteral("&"));
            QVERIFY2(shown == tabs->tabToolTip(t) || (shown.endsWith(QChar(0x2026)) && t > 0),
                qPrintable(shown + QStringLiteral(" / ") + tabs->tabToolTip(t)));
            QVERIFY2(!shown.endsWith(QChar(0x2026)) || tabs->tabToolTip(t).startsWith(shown.chopped(1)),
                qPrintable(shown + QStringLiteral(" / ") + tabs->tabToolTip(t)));
        }
        if (span.kind == core::SpanKind::Tool)
            QVERIFY(m_window->grab().save(shot(QStringLiteral("failed-tool"), QSize(1280, 720))));
    }
    QVERIFY(toolSeen);
}

QTEST_MAIN(TestFigures)
#include "tst_figures.moc"

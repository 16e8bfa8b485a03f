// SPDX-License-Identifier: MIT
#include "client/localbackend.h"
#include "client/priceoverrides.h"
#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "common/theme.h"
#include "common/timerange.h"
#include "dashboard/dashboardpage.h"
#include "dashboard/dashboardview.h"
#include "dashboard/kpitile.h"
#include "pricing/priceeditordialog.h"
#include "shell/mainwindow.h"
#include "shell/sessionlistmodel.h"
#include "shell/sessionspage.h"
#include "shell/settingsdialog.h"
#include "shell/tracefilterbar.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "shell/traceviewpage.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "support/httptestclient.h"
#include "waterfall/waterfallview.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <algorithm>
#include <memory>
#include <random>

using namespace agentops;
using ui::MainWindow;
using ui::TraceTableModel;

namespace {

core::TraceId makeTraceId(std::mt19937_64 &rng)
{
    core::TraceId id {};
    for (auto &b : id)
        b = static_cast<std::uint8_t>(rng());
    return id;
}

core::SpanId makeSpanId(std::mt19937_64 &rng)
{
    core::SpanId id {};
    for (auto &b : id)
        b = static_cast<std::uint8_t>(rng());
    return id;
}

struct Price
{
    const char *model;
    const char *provider;
    double inputPerMillion;
    double outputPerMillion;
};

/// About thirty agent runs of the kind people debug: several services, three providers, tool calls,
/// retrieval, a few failures and one model without a price.
std::vector<core::Span> realisticTraces(std::int64_t nowNs)
{
    std::mt19937_64 rng(42);
    const Price prices[] = { { "gpt-4o", "openai", 2.5, 10 }, { "claude-sonnet-4", "anthropic", 3, 15 },
        { "gemini-2.5-pro", "gcp.gemini", 1.25, 10 }, { "llama-3.1-70b-local", "ollama", -1, -1 } };
    struct Agent
    {
        const char *service;
        const char *agent;
        const char *tools[3];
        const char *question;
    };
    const Agent agents[] = {
        { "travel-assistant", "travel_planner", { "search_flights", "search_hotels", "get_weather" },
            "Plan a 3-day trip to Lisbon in May for two, mid-range budget." },
        { "support-bot", "support_triage", { "lookup_order", "refund_policy", "create_ticket" },
            "My order #48211 arrived damaged, can I get a replacement?" },
        { "code-reviewer", "review_agent", { "fetch_diff", "run_linter", "post_comment" },
            "Review pull request #1873 in the payments service." },
        { "research-agent", "deep_research", { "web_search", "fetch_page", "summarize" },
            "Compare the energy density of sodium-ion and LFP batteries." },
    };
    std::vector<core::Span> spans;
    std::int64_t start = nowNs - 2LL * 3600 * 1'000'000'000;
    for (int t = 0; t < 30; ++t) {
        const Agent &a = agents[t % 4 == 3 && t % 8 == 7 ? 1 : t % 4];
        const Price &p = prices[t == 11 ? 3 : (t * 5 + t / 4) % 3];
        const auto traceId = makeTraceId(rng);
        const std::string session = "sess-" + std::string(a.service).substr(0, 4) + "-" + std::to_string(t / 5 + 1);
        start += (3 + static_cast<std::int64_t>(rng() % 5)) * 60'000'000'000LL
            + static_cast<std::int64_t>(rng() % 997) * 1'000'000;

        core::Span root;
        root.trace_id = traceId;
        root.span_id = makeSpanId(rng);
        root.name = std::string("invoke_agent ") + a.agent;
        root.kind = core::SpanKind::Agent;
        root.agent_name = a.agent;
        root.service_name = a.service;
        root.session_id = session;
        root.user_id = t % 3 == 0 ? "maria@example.com" : "dev@example.com";
        root.start_ns = start;
        root.input = a.question;
        root.resource = { { "service.name", core::AttrValue::ofString(a.service) },
            { "service.version", core::AttrValue::ofString("1.4.2") },
            { "deployment.environment.name", core::AttrValue::ofString("staging") } };

        std::int64_t cursor = start + 12'000'000;
        const int steps = 2 + static_cast<int>(rng() % 4);
        const bool failing = t % 7 == 4;
        const bool llmFailing = t % 9 == 6;
        for (int s = 0; s < steps; ++s) {
            core::Span llm;
            llm.trace_id = traceId;
            llm.span_id = makeSpanId(rng);
            llm.parent_span_id = root.span_id;
            llm.name = std::string("chat ") + p.model;
            llm.kind = core::SpanKind::Llm;
            llm.service_name = a.service;
            llm.session_id = session;
            llm.request_model = p.model;
            llm.response_model = p.model;
            llm.provider = p.provider;
            llm.start_ns = cursor;
            llm.end_ns = cursor + (400 + static_cast<std::int64_t>(rng() % 2600)) * 1'000'000;
            const std::int64_t in = 800 + static_cast<std::int64_t>(rng() % 5200) + std::int64_t { s } * 900;
            const std::int64_t out = 60 + static_cast<std::int64_t>(rng() % 700);
            llm.tokens.input = in;
            llm.tokens.output = out;
            llm.tokens.total = in + out;
            if (s > 0)
                llm.tokens.cache_read = in / 2;
            if (p.inputPerMillion >= 0)
                llm.cost_usd
                    = (static_cast<double>(in) * p.inputPerMillion + static_cast<double>(out) * p.outputPerMillion)
                    / 1e6;
            llm.input = std::string(R"([{"role":"system","content":"You are )") + a.agent
                + R"(, a helpful agent. Use the tools when needed."},{"role":"user","content":")" + a.question
                + R"("}])";
            llm.output = s + 1 < steps
                ? std::string(R"([{"role":"assistant","content":"Calling )") + a.tools[s % 3]
                    + R"( to gather what I need."}])"
                : std::string(
                    R"([{"role":"assistant","content":"Here is what I found: the best option fits the budget and dates you gave."}])");
            llm.attributes = { { "gen_ai.operation.name", core::AttrValue::ofString("chat") },
                { "gen_ai.request.temperature", core::AttrValue::ofDouble(0.2) },
                { "gen_ai.request.model", core::AttrValue::ofString(p.model) } };
            if (llmFailing && s == steps - 1) {
                llm.status = core::StatusCode::Error;
                llm.status_message = "429 Too Many Requests: rate limit exceeded for " + std::string(p.model);
                llm.output.clear();
                llm.tokens = {};
                llm.cost_usd.reset();
            }
            cursor = llm.end_ns + 3'000'000;
            spans.push_back(llm);
            if (s + 1 == steps)
                break;

            core::Span tool;
            tool.trace_id = traceId;
            tool.span_id = makeSpanId(rng);
            tool.parent_span_id = root.span_id;
            tool.name = std::string("execute_tool ") + a.tools[s % 3];
            tool.kind = core::SpanKind::Tool;
            tool.tool_name = a.tools[s % 3];
            tool.service_name = a.service;
            tool.session_id = session;
            tool.start_ns = cursor;
            tool.end_ns = cursor + (30 + static_cast<std::int64_t>(rng() % 1400)) * 1'000'000;
            tool.input = R"({"query":"Lisbon","limit":5})";
            tool.output = R"({"results":[{"id":1,"score":0.92},{"id":2,"score":0.87}]})";
            if (failing && s == 0) {
                tool.status = core::StatusCode::Error;
                tool.status_message = "HTTP 503 from upstream API after 3 retries";
                tool.output.clear();
            }
            if (t % 4 == 3 && s == 0) {
                core::Span retr = tool;
                retr.span_id = makeSpanId(rng);
                retr.parent_span_id = tool.span_id;
                retr.name = "retrieve documents";
                retr.kind = core::SpanKind::Retriever;
                retr.tool_name.clear();
                retr.start_ns = tool.start_ns + 5'000'000;
                retr.end_ns = tool.end_ns - 5'000'000;
                spans.push_back(retr);
            }
            cursor = tool.end_ns + 2'000'000;
            spans.push_back(tool);
        }
        root.end_ns = cursor + 8'000'000;
        if (failing || llmFailing) {
            root.status = core::StatusCode::Error;
            root.status_message = "agent run failed";
        }
        root.output = "Done.";
        spans.push_back(root);
    }
    return spans;
}

std::string otlpJsonTrace(const std::string &traceIdHex, std::int64_t startNs)
{
    const std::string s = std::to_string(startNs);
    const std::string mid = std::to_string(startNs + 200'000'000);
    const std::string e = std::to_string(startNs + 1'240'000'000);
    return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"http-test-agent"}}]},
"scopeSpans":[{"scope":{"name":"test"},"spans":[
{"traceId":")"
        + traceIdHex + R"(","spanId":"1111111111111111","name":"invoke_agent http_probe","kind":1,
 "startTimeUnixNano":")"
        + s + R"(","endTimeUnixNano":")" + e + R"(",
 "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}}]},
{"traceId":")"
        + traceIdHex + R"(","spanId":"2222222222222222","parentSpanId":"1111111111111111","name":"chat gpt-4o","kind":3,
 "startTimeUnixNano":")"
        + mid + R"(","endTimeUnixNano":")" + e + R"(",
 "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
  {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
  {"key":"gen_ai.usage.input_tokens","value":{"intValue":"1200"}},
  {"key":"gen_ai.usage.output_tokens","value":{"intValue":"300"}}]}
]}]}]})";
}

/// The agent trace of otlpJsonTrace() as the protobuf an OTLP/gRPC exporter sends.
opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest otlpGrpcTrace(
    const std::string &traceIdHex, std::int64_t startNs)
{
    namespace otlp = opentelemetry::proto;
    auto bytes = [](const std::string &hex) {
        std::string out;
        for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
            out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
        return out;
    };
    otlp::collector::trace::v1::ExportTraceServiceRequest req;
    auto *rs = req.add_resource_spans();
    auto *service = rs->mutable_resource()->add_attributes();
    service->set_key("service.name");
    service->mutable_value()->set_string_value("grpc-test-agent");
    auto *ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("test");
    auto attr = [](otlp::trace::v1::Span *span, const char *key) {
        auto *kv = span->add_attributes();
        kv->set_key(key);
        return kv->mutable_value();
    };
    auto *root = ss->add_spans();
    root->set_trace_id(bytes(traceIdHex));
    root->set_span_id(bytes("1111111111111111"));
    root->set_name("invoke_agent grpc_probe");
    root->set_start_time_unix_nano(static_cast<std::uint64_t>(startNs));
    root->set_end_time_unix_nano(static_cast<std::uint64_t>(startNs + 1'240'000'000));
    attr(root, "gen_ai.operation.name")->set_string_value("invoke_agent");
    auto *chat = ss->add_spans();
    chat->set_trace_id(bytes(traceIdHex));
    chat->set_span_id(bytes("2222222222222222"));
    chat->set_parent_span_id(bytes("1111111111111111"));
    chat->set_name("chat gpt-4o");
    chat->set_kind(otlp::trace::v1::Span::SPAN_KIND_CLIENT);
    chat->set_start_time_unix_nano(static_cast<std::uint64_t>(startNs + 200'000'000));
    chat->set_end_time_unix_nano(static_cast<std::uint64_t>(startNs + 1'240'000'000));
    attr(chat, "gen_ai.operation.name")->set_string_value("chat");
    attr(chat, "gen_ai.request.model")->set_string_value("gpt-4o");
    attr(chat, "gen_ai.usage.input_tokens")->set_int_value(1200);
    attr(chat, "gen_ai.usage.output_tokens")->set_int_value(300);
    return req;
}

/// The texts shown over an empty table.
QString emptyStateText(QWidget *viewport)
{
    QStringList texts;
    const auto labels = viewport->findChildren<QLabel *>();
    for (QLabel *label : labels)
        if (label->isVisible())
            texts << label->text();
    return texts.join(QLatin1Char('\n'));
}

/// An OTLP/JSON request on one line, as JSON lines files hold them.
QByteArray jsonLine(std::string request)
{
    std::replace(request.begin(), request.end(), '\n', ' ');
    return QByteArray::fromStdString(request) + '\n';
}

/// Picks an entry of a combo box as a user does (activated), by its text.
void choose(QComboBox *combo, const QString &text)
{
    combo->setCurrentIndex(combo->findText(text));
    Q_EMIT combo->activated(combo->currentIndex());
}

/// Every display text in the tree (all levels).
QStringList treeNames(const QAbstractItemModel *model, const QModelIndex &parent = {})
{
    QStringList names;
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex index = model->index(r, 0, parent);
        names << index.data().toString();
        names << treeNames(model, index);
    }
    return names;
}

/// A one-span agent run named after its age, which started startNs.
core::Span agentRun(int n, const char *age, std::int64_t startNs)
{
    core::Span root;
    root.trace_id[0] = 0x7a;
    root.trace_id[15] = static_cast<std::uint8_t>(n + 1);
    root.span_id[0] = 0x7b;
    root.span_id[7] = static_cast<std::uint8_t>(n + 1);
    root.name = std::string("run ") + age;
    root.kind = core::SpanKind::Agent;
    root.service_name = "ranges";
    root.start_ns = startNs;
    root.end_ns = startNs + 2'000'000'000;
    return root;
}

/// The trace names the list shows, in its order.
QStringList listedNames(const ui::TraceListModel *model)
{
    QStringList names;
    for (int row = 0; row < model->rowCount(); ++row)
        names << QString::fromStdString(model->trace(row).name);
    return names;
}

} // namespace

class TestDesktop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void receivesOverHttpAndShowsTrace();
    void receivesOverGrpcAndSaysWhere();
    void settingsConfigureBothReceivers();
    void portInUseKeepsStoredData();
    void importAndExportFiles();
    void screenshots();
    void dashboardAndTraceListShareTheTimeRange();
    void everyRangeOptionChangesBothPages();
    void repricingShowsNewCostsWithoutRefresh();
    void importNamesTracesOutsideTheRange();
    void noMatchOffersClearFilters();
    void contentSearchOpensTheSpanThatMatched();

private:
    QString dbPath() const { return m_dir->filePath(QStringLiteral("traces.db")); }
    void startApp(const client::ServerSettings &settings);
    QTreeView *waterfallTree() const;

    QTemporaryDir m_home;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<client::LocalBackend> m_backend;
    std::unique_ptr<client::TraceSourceRunner> m_runner;
    std::unique_ptr<MainWindow> m_window;
};

void TestDesktop::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Preferences and window geometry of the tests stay out of the user's configuration.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOps"));
    QCoreApplication::setApplicationName(QStringLiteral("AgentOps Monitor Test"));
}

void TestDesktop::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestDesktop::cleanup()
{
    m_window.reset();
    m_runner.reset();
    m_backend.reset();
    m_dir.reset();
}

void TestDesktop::startApp(const client::ServerSettings &settings)
{
    m_backend = std::make_unique<client::LocalBackend>(dbPath());
    m_backend->setServerSettings(settings);
    QString error;
    QVERIFY2(m_backend->start(&error), qPrintable(error));
    m_runner = std::make_unique<client::TraceSourceRunner>(m_backend->source());
    m_window = std::make_unique<MainWindow>(m_backend.get(), m_runner.get());
    m_window->setPollInterval(100);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

QTreeView *TestDesktop::waterfallTree() const
{
    auto *page = m_window->traceViewPage();
    return page->waterfall() ? page->waterfall()->findChild<QTreeView *>() : nullptr;
}

void TestDesktop::receivesOverHttpAndShowsTrace()
{
    startApp({ true, QStringLiteral("127.0.0.1"), 0, true, 0 });
    QVERIFY(m_backend->isServing());
    const int port = m_backend->serverPort();
    QVERIFY(port > 0);
    QVERIFY(m_window->serverStatusLabel()->text().contains(
        QStringLiteral("Receiving OTLP on http://127.0.0.1:%1").arg(port)));
    auto *list = m_window->traceListPage();
    QTRY_VERIFY(!list->model()->isLoading());
    QCOMPARE(list->model()->rowCount(), 0);

    const std::string traceHex = "4bf92f3577b34da6a3ce929d0e0e4736";
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch() * 1'000'000 - 5'000'000'000;
    test::HttpClient http("127.0.0.1", port);
    http.setTimeout(std::chrono::seconds(30));
    const auto res = http.post("/v1/traces", otlpJsonTrace(traceHex, start), "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 200);

    // Shows up live, with no refresh.
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);
    const auto &summary = list->model()->trace(0);
    QCOMPARE(summary.name, std::string("invoke_agent http_probe"));
    QCOMPARE(summary.service_name, std::string("http-test-agent"));
    QCOMPARE(summary.span_count, 2);
    QTRY_VERIFY(m_window->traceCountLabel()->text().contains(QStringLiteral("1 trace")));

    // Enter opens it.
    auto *view = list->view();
    view->setFocus();
    view->selectionModel()->setCurrentIndex(
        list->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Trace);
    auto *page = m_window->traceViewPage();
    QTRY_VERIFY(page->trace() != nullptr);
    QCOMPARE(core::toHex(page->trace()->summary.trace_id), traceHex);
    QTreeView *tree = waterfallTree();
    QVERIFY(tree);
    QTRY_VERIFY(tree->model() && tree->model()->rowCount() > 0);
    const QStringList names = treeNames(tree->model());
    QVERIFY2(names.contains(QStringLiteral("invoke_agent http_probe")), qPrintable(names.join(u',')));
    QVERIFY2(names.contains(QStringLiteral("chat gpt-4o")), qPrintable(names.join(u',')));

    // Alt+Left goes back to the list, with the trace still selected.
    QTest::keyClick(page, Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Traces);
    QCOMPARE(list->currentTraceId().value(), page->trace()->summary.trace_id);

    // A second trace arrives while a row is selected: the selection stays on the same trace.
    const auto res2 = http.post(
        "/v1/traces", otlpJsonTrace("5bf92f3577b34da6a3ce929d0e0e4737", start + 1'000'000'000), "application/json");
    QVERIFY(res2);
    QCOMPARE(res2->status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 2, 10000);
    QCOMPARE(core::toHex(list->currentTraceId().value()), traceHex);
    QCOMPARE(view->currentIndex().row(), 1);

    // Moving the receiver to another port at run time.
    int freePort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        freePort = probe.serverPort();
    }
    QSignalSpy started(m_backend.get(), &client::LocalBackend::serverStarted);
    QSignalSpy stopped(m_backend.get(), &client::LocalBackend::serverStopped);
    m_backend->setServerSettings({ true, QStringLiteral("127.0.0.1"), freePort, true, 0 });
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(started.count(), 1);
    QVERIFY(m_backend->isServing());
    QCOMPARE(m_backend->serverPort(), freePort);
    QVERIFY(m_window->serverStatusLabel()->text().contains(QStringLiteral(":%1").arg(freePort)));
    QVERIFY(!http.get("/healthz")); // the old port is closed
    test::HttpClient http2("127.0.0.1", freePort);
    const auto health = http2.get("/healthz");
    QVERIFY(health);
    QCOMPARE(health->status, 200);
    m_backend->setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
    QVERIFY(!m_backend->isServing());
    QVERIFY(m_window->serverStatusLabel()->text().contains(QStringLiteral("Receiving is off")));
}

void TestDesktop::receivesOverGrpcAndSaysWhere()
{
    startApp({ true, QStringLiteral("127.0.0.1"), 0, true, 0 });
    QVERIFY(m_backend->isServing());
    const int port = m_backend->serverPort();
    const int grpcPort = m_backend->grpcPort();
    QVERIFY(grpcPort > 0 && grpcPort != port);
    QCOMPARE(m_backend->grpcUrl(), QStringLiteral("http://127.0.0.1:%1").arg(grpcPort));
    // The status bar and the empty list name both endpoints.
    QVERIFY2(m_window->serverStatusLabel()->text().contains(
                 QStringLiteral("Receiving OTLP on http://127.0.0.1:%1 (HTTP) and http://127.0.0.1:%2 (gRPC)")
                     .arg(port)
                     .arg(grpcPort)),
        qPrintable(m_window->serverStatusLabel()->text()));
    auto *list = m_window->traceListPage();
    QTRY_VERIFY(!list->model()->isLoading());
    QWidget *viewport = list->view()->viewport();
    QTRY_VERIFY(emptyStateText(viewport).contains(QStringLiteral("http://127.0.0.1:%1/v1/traces").arg(port)));
    QVERIFY2(emptyStateText(viewport).contains(QStringLiteral("<b>http://127.0.0.1:%1</b> (OTLP/gRPC)").arg(grpcPort)),
        qPrintable(emptyStateText(viewport)));
    QString dir = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QVERIFY(QDir().mkpath(dir));
    for (const QSize size : { QSize(1280, 720), QSize(1920, 1080) }) {
        m_window->resize(size);
        QTest::qWait(100);
        QVERIFY(m_window->grab().save(dir + QStringLiteral("/empty-both-endpoints-%1.png").arg(size.width())));
    }
    m_window->showPage(MainWindow::Page::Dashboard);
    QTest::qWait(300);
    QVERIFY(m_window->grab().save(dir + QStringLiteral("/empty-dashboard-both-endpoints-1920.png")));
    m_window->showPage(MainWindow::Page::Traces);

    // An OTLP/gRPC export shows up live, with the tokens it reported.
    auto channel = grpc::CreateChannel(
        QStringLiteral("127.0.0.1:%1").arg(grpcPort).toStdString(), grpc::InsecureChannelCredentials());
    auto stub = opentelemetry::proto::collector::trace::v1::TraceService::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse answer;
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch() * 1'000'000 - 5'000'000'000;
    const grpc::Status st = stub->Export(&ctx, otlpGrpcTrace("6bf92f3577b34da6a3ce929d0e0e4738", start), &answer);
    QVERIFY2(st.ok(), st.error_message().c_str());
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);
    const auto &summary = list->model()->trace(0);
    QCOMPARE(summary.name, std::string("invoke_agent grpc_probe"));
    QCOMPARE(summary.service_name, std::string("grpc-test-agent"));
    QCOMPARE(summary.span_count, 2);
    QCOMPARE(summary.input_tokens, std::int64_t(1200));
    QCOMPARE(summary.output_tokens, std::int64_t(300));

    // The gRPC port taken by another program: OTLP/HTTP goes on, the status bar says what is off.
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    m_backend->setServerSettings({ true, QStringLiteral("127.0.0.1"), 0, true, occupant.serverPort() });
    QVERIFY(m_backend->isServing());
    QVERIFY(m_backend->grpcUrl().isEmpty());
    QCOMPARE(m_backend->grpcError(),
        QStringLiteral("OTLP/gRPC port %1 is in use — gRPC receiving disabled").arg(occupant.serverPort()));
    const QString status = m_window->serverStatusLabel()->text();
    QVERIFY2(status.contains(QStringLiteral("Receiving OTLP on http://127.0.0.1:%1;").arg(m_backend->serverPort()))
            && status.contains(QStringLiteral("OTLP/gRPC port %1 is in use").arg(occupant.serverPort()))
            && status.contains(ui::theme::warningText(m_window->palette()).name()),
        qPrintable(status));
    test::HttpClient http("127.0.0.1", m_backend->serverPort());
    const auto health = http.get("/healthz");
    QVERIFY(health && health->status == 200);
    m_window->resize(1280, 720);
    QTest::qWait(100);
    QVERIFY(m_window->grab().save(dir + QStringLiteral("/grpc-port-in-use-1280.png")));

    // gRPC switched off: only OTLP/HTTP is named.
    m_backend->setServerSettings({ true, QStringLiteral("127.0.0.1"), 0, false, 0 });
    QVERIFY(m_backend->grpcUrl().isEmpty() && m_backend->grpcError().isEmpty());
    QVERIFY(!m_window->serverStatusLabel()->text().contains(QStringLiteral("gRPC")));
}

void TestDesktop::settingsConfigureBothReceivers()
{
    QString dir = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QVERIFY(QDir().mkpath(dir));
    client::ServerSettings settings;
    ui::SettingsDialog dialog(settings, QStringLiteral("/tmp/traces.db"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // The receiver's two ports; the third spin box is the storage's retention in days.
    auto spins = dialog.findChildren<QSpinBox *>();
    spins.removeOne(dialog.retentionDaysBox());
    QCOMPARE(spins.size(), 2);
    QSpinBox *httpPort = spins.at(0);
    QSpinBox *grpcPort = spins.at(1);
    QCOMPARE(httpPort->value(), 4318);
    QCOMPARE(grpcPort->value(), 4317);
    QCheckBox *grpcBox = nullptr;
    for (auto *box : dialog.findChildren<QCheckBox *>())
        if (box->text().contains(QStringLiteral("gRPC")))
            grpcBox = box;
    QVERIFY(grpcBox && grpcBox->isChecked());
    QLabel *endpoint = nullptr;
    for (auto *label : dialog.findChildren<QLabel *>())
        if (label->text().contains(QStringLiteral("send to")))
            endpoint = label;
    QVERIFY(endpoint);
    QVERIFY2(endpoint->text().contains(QStringLiteral("http://127.0.0.1:4318/v1/traces"))
            && endpoint->text().contains(QStringLiteral("http://127.0.0.1:4317")),
        qPrintable(endpoint->text()));
    QVERIFY(dialog.grab().save(dir + QStringLiteral("/settings.png")));

    // The user types a gRPC port, keyboard only.
    grpcPort->setFocus();
    grpcPort->selectAll();
    QTest::keyClicks(grpcPort, QStringLiteral("4319"));
    QVERIFY(endpoint->text().contains(QStringLiteral("http://127.0.0.1:4319")));
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    // The same port twice cannot be accepted.
    grpcPort->selectAll();
    QTest::keyClicks(grpcPort, QStringLiteral("4318"));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(endpoint->text().contains(QStringLiteral("ports of their own")), qPrintable(endpoint->text()));
    QVERIFY(dialog.grab().save(dir + QStringLiteral("/settings-clash.png")));
    grpcPort->selectAll();
    QTest::keyClicks(grpcPort, QStringLiteral("4319"));
    QVERIFY(ok->isEnabled());
    auto chosen = dialog.settings();
    QVERIFY(chosen.grpcEnabled);
    QCOMPARE(chosen.grpcPort, 4319);
    QCOMPARE(chosen.port, 4318);
    // Unticked: the port is greyed out, only OTLP/HTTP is named, and a clash does not matter.
    QTest::keyClick(grpcBox, Qt::Key_Space);
    QVERIFY(!grpcBox->isChecked());
    QVERIFY(!grpcPort->isEnabled());
    QVERIFY(!endpoint->text().contains(QStringLiteral("gRPC")));
    QVERIFY(!dialog.settings().grpcEnabled);
    // Receiving off altogether: both greyed out.
    QCheckBox *enabled = nullptr;
    for (auto *box : dialog.findChildren<QCheckBox *>())
        if (box->text().startsWith(QStringLiteral("Receive traces")))
            enabled = box;
    QVERIFY(enabled);
    QTest::keyClick(enabled, Qt::Key_Space);
    QVERIFY(!grpcBox->isEnabled() && !httpPort->isEnabled());
}

void TestDesktop::portInUseKeepsStoredData()
{
    // Traces stored by an earlier run.
    {
        store::SqliteStore store(dbPath().toStdString());
        store.writeBatch(realisticTraces(QDateTime::currentMSecsSinceEpoch() * 1'000'000));
    }
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    const int port = occupant.serverPort();

    m_backend = std::make_unique<client::LocalBackend>(dbPath());
    m_backend->setServerSettings({ true, QStringLiteral("127.0.0.1"), port, true, 0 });
    QSignalSpy failed(m_backend.get(), &client::LocalBackend::serverFailed);
    QString error;
    QVERIFY2(m_backend->start(&error), qPrintable(error));
    QCOMPARE(failed.count(), 1);
    const QString message = failed.at(0).at(0).toString();
    QCOMPARE(message, QStringLiteral("Port %1 is in use — receiving disabled; stored traces are available").arg(port));
    QVERIFY(!m_backend->isServing());

    m_runner = std::make_unique<client::TraceSourceRunner>(m_backend->source());
    m_window = std::make_unique<MainWindow>(m_backend.get(), m_runner.get());
    m_window->show();
    QVERIFY(m_window->serverStatusLabel()->text().contains(QStringLiteral("Port %1 is in use").arg(port)));
    auto *list = m_window->traceListPage();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 30, 10000);

    // Stored traces open as usual.
    m_window->openTrace(list->model()->trace(0).trace_id);
    QTRY_VERIFY(m_window->traceViewPage()->trace() != nullptr);
    QVERIFY(m_window->traceViewPage()->trace()->spans.size() > 2);

    // The user picks another port in the settings: receiving starts.
    m_backend->setServerSettings({ true, QStringLiteral("127.0.0.1"), 0, true, 0 });
    QVERIFY(m_backend->isServing());
    QVERIFY(m_window->serverStatusLabel()->text().contains(QStringLiteral("Receiving OTLP on")));
}

void TestDesktop::importAndExportFiles()
{
    startApp({ false, QStringLiteral("127.0.0.1"), 0 });
    auto *list = m_window->traceListPage();
    QTRY_VERIFY(!list->model()->isLoading());
    QCOMPARE(list->model()->rowCount(), 0);
    QVERIFY(m_window->serverStatusLabel()->text().contains(QStringLiteral("Receiving is off")));

    QSignalSpy imported(m_window.get(), &MainWindow::importFinished);
    QSignalSpy importFailed(m_window.get(), &MainWindow::importFailed);
    m_window->importFiles({ QStringLiteral(AGENTOPS_FIXTURES_DIR "/otlp/genai_agent_trace.json") });
    QTRY_COMPARE_WITH_TIMEOUT(imported.count() + importFailed.count(), 1, 10000);
    QVERIFY2(importFailed.isEmpty(), importFailed.isEmpty() ? "" : qPrintable(importFailed.at(0).at(0).toString()));
    QVERIFY(imported.at(0).at(0).toInt() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);
    QCOMPARE(list->model()->trace(0).service_name, std::string("travel-assistant"));

    // Export the selected trace and read the file back in as a check that it is a trace file.
    QVERIFY(list->selectTrace(list->model()->trace(0).trace_id));
    const auto ids = m_window->tracesToExport();
    QCOMPARE(ids.size(), std::size_t(1));
    const QString out = m_dir->filePath(QStringLiteral("export.jsonl"));
    QSignalSpy exported(m_window.get(), &MainWindow::exportFinished);
    m_window->exportTraces(ids, out);
    QTRY_COMPARE(exported.count(), 1);
    QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("resourceSpans"));
    QVERIFY(text.contains(QByteArray::fromStdString(core::toHex(ids.front()))));

    // A file that is not a trace file is reported, and nothing changes.
    const QString bad = m_dir->filePath(QStringLiteral("bad.json"));
    QFile badFile(bad);
    QVERIFY(badFile.open(QIODevice::WriteOnly));
    badFile.write("{ not json");
    badFile.close();
    m_window->importFiles({ bad });
    QTRY_COMPARE_WITH_TIMEOUT(importFailed.count(), 1, 10000);
    QVERIFY(importFailed.at(0).at(0).toString().contains(QStringLiteral("bad.json")));
    QCOMPARE(list->model()->rowCount(), 1);
}

void TestDesktop::screenshots()
{
    QString dir = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QVERIFY(QDir().mkpath(dir));

    startApp({ true, QStringLiteral("127.0.0.1"), 0, true, 0 });
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    const auto result = m_backend->pipeline()->submit(realisticTraces(now));
    QCOMPARE(int(result.outcome), int(store::IngestPipeline::Outcome::Committed));
    auto *list = m_window->traceListPage();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 30, 10000);
    list->selectTrace(list->model()->trace(2).trace_id);
    QTest::qWait(50);
    QVERIFY(m_window->grab().save(dir + QStringLiteral("/tracelist.png")));

    // The first failing trace, with its first LLM call selected.
    int row = 0;
    while (row < list->model()->rowCount() && list->model()->trace(row).error_count == 0)
        ++row;
    QVERIFY(row < list->model()->rowCount());
    m_window->openTrace(list->model()->trace(row).trace_id);
    auto *page = m_window->traceViewPage();
    QTRY_VERIFY(page->trace() != nullptr);
    QTreeView *tree = waterfallTree();
    QTRY_VERIFY(tree && tree->model()->rowCount() > 0);
    int llm = -1;
    for (std::size_t i = 0; i < page->trace()->spans.size() && llm < 0; ++i)
        if (page->trace()->spans[i].kind == core::SpanKind::Llm)
            llm = static_cast<int>(i);
    QVERIFY(llm >= 0);
    page->setCurrentSpan(llm);
    QTRY_COMPARE(page->currentSpan(), llm);
    QTest::qWait(100);
    QVERIFY(m_window->grab().save(dir + QStringLiteral("/traceview.png")));

    m_window->showPage(MainWindow::Page::Sessions);
    auto *sessions = m_window->sessionsPage();
    QTRY_VERIFY(sessions->sessionModel()->rowCount() > 0);
    QTRY_VERIFY(sessions->traceModel()->rowCount() > 0);
    QTest::qWait(50);
    QVERIFY(m_window->grab().save(dir + QStringLiteral("/sessions.png")));
    qInfo("screenshots in %s", qPrintable(dir));
}

void TestDesktop::dashboardAndTraceListShareTheTimeRange()
{
    client::ServerSettings settings;
    settings.enabled = false;
    startApp(settings);
    auto *dashboard = m_window->findChild<ui::DashboardPage *>();
    auto *bar = m_window->findChild<ui::TraceFilterBar *>();
    QVERIFY(dashboard && bar);
    auto *dashboardRange = dashboard->findChild<QComboBox *>(QStringLiteral("timeRange"));
    auto *listRange = bar->findChild<QComboBox *>(QStringLiteral("timeRange"));
    QVERIFY(dashboardRange && listRange);
    // One object holds the range, and both pages show it.
    QCOMPARE(dashboard->timeRangeModel(), bar->timeRangeModel());
    // As a user does it: pick an entry (activated), not a change made by code.
    auto choose = [](QComboBox *combo, ui::TimeRange::Preset value) {
        combo->setCurrentIndex(combo->findData(static_cast<int>(value)));
        Q_EMIT combo->activated(combo->currentIndex());
    };
    using Preset = ui::TimeRange::Preset;

    choose(dashboardRange, Preset::Last7Days);
    QCOMPARE(bar->timeRange().preset, Preset::Last7Days);
    QCOMPARE(listRange->currentData().toInt(), static_cast<int>(Preset::Last7Days));
    const auto q = bar->filter();
    QVERIFY(q.from_ns.has_value());
    const std::int64_t sevenDays = 7LL * 24 * 3600 * 1'000'000'000;
    QVERIFY(std::llabs(QDateTime::currentMSecsSinceEpoch() * 1'000'000 - sevenDays - *q.from_ns) < 60'000'000'000LL);

    choose(listRange, Preset::LastHour);
    QCOMPARE(dashboard->timeRange().preset, Preset::LastHour);
    QCOMPARE(dashboardRange->currentData().toInt(), static_cast<int>(Preset::LastHour));
    // All time is all time on both: no silent translation into "last 30 days".
    choose(listRange, Preset::All);
    QCOMPARE(dashboard->timeRange().preset, Preset::All);
    QCOMPARE(dashboardRange->currentData().toInt(), static_cast<int>(Preset::All));
    QVERIFY(!bar->filter().from_ns && !bar->filter().to_ns);

    // A drill-down into a dashboard bucket narrows the list only: the shared range stays, and the
    // list says what it shows.
    const QDateTime from = QDateTime::currentDateTime().addDays(-3);
    const QDateTime to = from.addSecs(3600);
    Q_EMIT dashboard->bucketActivated(ui::format::toNs(from), ui::format::toNs(to), QString());
    QCOMPARE(bar->timeRange().preset, Preset::All);
    QCOMPARE(dashboard->timeRange().preset, Preset::All);
    QCOMPARE(bar->filter().from_ns.value_or(0), ui::format::toNs(from));
    QCOMPARE(bar->filter().to_ns.value_or(0), ui::format::toNs(to));
    auto *chip = bar->findChild<QToolButton *>(QStringLiteral("drillDown"));
    QVERIFY(chip && chip->isVisible());
    chip->click(); // back to the whole range
    QVERIFY(!chip->isVisible());
    QVERIFY(!bar->filter().from_ns);

    // A custom range the user edits on either page is the other's too.
    choose(dashboardRange, Preset::Custom);
    QCOMPARE(bar->timeRange().preset, Preset::Custom);
    auto *dashboardFrom = dashboard->findChild<QDateTimeEdit *>(QStringLiteral("timeRangeFrom"));
    QVERIFY(dashboardFrom && !dashboardFrom->isHidden());
    dashboardFrom->setDateTime(from);
    QCOMPARE(bar->timeRange().from.toSecsSinceEpoch(), from.toSecsSinceEpoch());
    QCOMPARE(bar->filter().from_ns.value_or(0) / 1'000'000'000, from.toSecsSinceEpoch());
    auto *listFrom = bar->findChild<QDateTimeEdit *>(QStringLiteral("timeRangeFrom"));
    QVERIFY(listFrom && listFrom->isVisible());
    QCOMPARE(listFrom->dateTime().toSecsSinceEpoch(), from.toSecsSinceEpoch());
}

void TestDesktop::everyRangeOptionChangesBothPages()
{
    client::ServerSettings settings;
    settings.enabled = false;
    startApp(settings);
    m_window->resize(1280, 720);
    QString dir = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    dir += QStringLiteral("/timerange");
    QVERIFY(QDir().mkpath(dir));

    // Six runs, each preset taking in one more than the one before; far enough from every edge that
    // the dashboard's round buckets do not reach the next one.
    const std::int64_t nowNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    const std::int64_t minute = 60'000'000'000;
    const std::int64_t hour = 60 * minute;
    const std::int64_t day = 24 * hour;
    const struct
    {
        const char *age;
        std::int64_t ns;
    } runs[] = { { "5 minutes ago", 5 * minute }, { "40 minutes ago", 40 * minute }, { "5 hours ago", 5 * hour },
        { "3 days ago", 3 * day }, { "20 days ago", 20 * day }, { "60 days ago", 60 * day } };
    std::vector<core::Span> spans;
    spans.reserve(std::size(runs));
    for (int i = 0; i < int(std::size(runs)); ++i)
        spans.push_back(agentRun(i, runs[i].age, nowNs - runs[i].ns));
    QCOMPARE(int(m_backend->pipeline()->submit(spans).outcome), int(store::IngestPipeline::Outcome::Committed));
    auto names = [&runs](std::initializer_list<int> which) {
        QStringList out; // newest first, as the list sorts
        for (int i : which)
            out << QStringLiteral("run ") + QLatin1String(runs[i].age);
        return out;
    };

    auto *dashboard = m_window->dashboardPage();
    auto *list = m_window->traceListPage();
    auto *bar = list->filterBar();
    auto *dashboardRange = dashboard->findChild<QComboBox *>(QStringLiteral("timeRange"));
    auto *listRange = bar->findChild<QComboBox *>(QStringLiteral("timeRange"));
    QVERIFY(dashboardRange && listRange);
    QCOMPARE(dashboardRange->count(), int(std::size(ui::TimeRange::Presets)));
    QCOMPARE(listRange->count(), int(std::size(ui::TimeRange::Presets)));

    // What both pages must show: the list's rows and count, the dashboard's Traces tile.
    QSignalSpy answered(dashboard, &ui::DashboardPage::resultAvailable);
    auto bothShow = [&](ui::TimeRange::Preset preset, const QStringList &expected) {
        QCOMPARE(dashboardRange->currentData().toInt(), static_cast<int>(preset));
        QCOMPARE(listRange->currentData().toInt(), static_cast<int>(preset));
        QTRY_COMPARE_WITH_TIMEOUT(listedNames(list->model()), expected, 10000);
        QTRY_VERIFY(!list->model()->isLoading());
        const int n = int(expected.size());
        QCOMPARE(m_window->traceCountLabel()->text(),
            n == 1 ? QStringLiteral("1 trace") : QStringLiteral("%1 traces").arg(n));
        QTRY_VERIFY_WITH_TIMEOUT(!answered.isEmpty() && !dashboard->isLoading(), 10000);
        QCOMPARE(dashboard->view()->kpi(ui::DashboardView::TracesKpi)->value(), QString::number(n));
    };
    auto shoot = [&](const QString &name) {
        // Laid out and painted as the event loop would before anyone sees the page.
        auto settle = [] {
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
        };
        m_window->showPage(MainWindow::Page::Dashboard);
        QTRY_VERIFY(!dashboard->isLoading());
        settle();
        QVERIFY(m_window->grab().save(dir + QStringLiteral("/%1-dashboard.png").arg(name)));
        m_window->showPage(MainWindow::Page::Traces);
        settle();
        QVERIFY(m_window->grab().save(dir + QStringLiteral("/%1-traces.png").arg(name)));
    };
    auto choose = [&answered](QComboBox *combo, ui::TimeRange::Preset preset) {
        answered.clear();
        combo->setCurrentIndex(combo->findData(static_cast<int>(preset)));
        Q_EMIT combo->activated(combo->currentIndex());
    };

    using Preset = ui::TimeRange::Preset;
    const struct
    {
        Preset preset;
        const char *file;
        QStringList traces;
    } presets[] = {
        { Preset::Last15Minutes, "last15minutes", names({ 0 }) },
        { Preset::LastHour, "lasthour", names({ 0, 1 }) },
        { Preset::Last24Hours, "last24hours", names({ 0, 1, 2 }) },
        { Preset::Last7Days, "last7days", names({ 0, 1, 2, 3 }) },
        { Preset::Last30Days, "last30days", names({ 0, 1, 2, 3, 4 }) },
        { Preset::All, "alltime", names({ 0, 1, 2, 3, 4, 5 }) },
    };
    // Every preset, chosen on the dashboard and then on the trace list: both pages follow.
    for (QComboBox *where : { dashboardRange, listRange }) {
        const bool onDashboard = where == dashboardRange;
        for (const auto &p : presets) {
            choose(where, p.preset);
            bothShow(p.preset, p.traces);
            if (QTest::currentTestFailed()) {
                qWarning("%s, chosen on the %s", p.file, onDashboard ? "dashboard" : "trace list");
                return;
            }
            shoot(QStringLiteral("%1-on-%2")
                      .arg(QLatin1String(p.file), onDashboard ? QStringLiteral("dashboard") : QStringLiteral("list")));
        }
    }

    // Custom: chosen and edited on the dashboard, then edited on the list.
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowNs / 1'000'000);
    choose(dashboardRange, Preset::Custom);
    auto *dashboardFrom = dashboard->findChild<QDateTimeEdit *>(QStringLiteral("timeRangeFrom"));
    auto *dashboardTo = dashboard->findChild<QDateTimeEdit *>(QStringLiteral("timeRangeTo"));
    auto *listFrom = bar->findChild<QDateTimeEdit *>(QStringLiteral("timeRangeFrom"));
    auto *listTo = bar->findChild<QDateTimeEdit *>(QStringLiteral("timeRangeTo"));
    QVERIFY(dashboardFrom && dashboardTo && listFrom && listTo);
    answered.clear();
    dashboardTo->setDateTime(now.addDays(-2));
    dashboardFrom->setDateTime(now.addDays(-25));
    bothShow(Preset::Custom, names({ 3, 4 }));
    QCOMPARE(listFrom->dateTime().toSecsSinceEpoch() / 60, now.addDays(-25).toSecsSinceEpoch() / 60);
    QCOMPARE(listTo->dateTime().toSecsSinceEpoch() / 60, now.addDays(-2).toSecsSinceEpoch() / 60);
    shoot(QStringLiteral("custom-on-dashboard"));
    answered.clear();
    listFrom->setDateTime(now.addDays(-10));
    bothShow(Preset::Custom, names({ 3 }));
    QCOMPARE(dashboardFrom->dateTime().toSecsSinceEpoch() / 60, now.addDays(-10).toSecsSinceEpoch() / 60);
    shoot(QStringLiteral("custom-on-list"));
    qInfo("screenshots in %s", qPrintable(dir));
}

void TestDesktop::importNamesTracesOutsideTheRange()
{
    startApp({ false, QStringLiteral("127.0.0.1"), 0 });
    auto *list = m_window->traceListPage();
    QTRY_VERIFY(!list->model()->isLoading());
    // The user looks at the last 7 days on the dashboard; the list shows the same range.
    m_window->showPage(MainWindow::Page::Dashboard);
    auto *dashboardRange = m_window->dashboardPage()->findChild<QComboBox *>(QStringLiteral("timeRange"));
    QVERIFY(dashboardRange);
    choose(dashboardRange, QStringLiteral("Last 7 days"));

    // A file with a trace of today and two of March 2023.
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    const std::int64_t march2023 = 1'678'788'000'000'000'000;
    const QString path = m_dir->filePath(QStringLiteral("mixed.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(jsonLine(otlpJsonTrace("0a000000000000000000000000000001", now - 60'000'000'000)));
    file.write(jsonLine(otlpJsonTrace("0a000000000000000000000000000002", march2023)));
    file.write(jsonLine(otlpJsonTrace("0a000000000000000000000000000003", march2023 + 3'600'000'000'000)));
    file.close();
    QSignalSpy imported(m_window.get(), &MainWindow::importFinished);
    QSignalSpy failed(m_window.get(), &MainWindow::importFailed);
    m_window->importFiles({ path });
    QTRY_COMPARE_WITH_TIMEOUT(imported.count() + failed.count(), 1, 10000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Traces); // what was opened, not the dashboard
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);

    // The list names what the range hides, and shows it on request.
    auto *notice = list->findChild<QWidget *>(QStringLiteral("importNotice"));
    QVERIFY2(notice && notice->isVisible(), "no notice of the imported traces the range hides");
    const QString text = emptyStateText(notice);
    QVERIFY2(text.contains(QStringLiteral("2 imported traces")) && text.contains(QStringLiteral("Last 7 days")),
        qPrintable(text));
    auto *show = notice->findChild<QPushButton *>(QStringLiteral("showImported"));
    QVERIFY(show && show->isVisible());
    show->click();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 3, 10000);
    QVERIFY(!notice->isVisible());
    QCOMPARE(dashboardRange->currentText(), QStringLiteral("All time"));

    // An import the range shows whole needs no notice.
    choose(dashboardRange, QStringLiteral("Last 24 hours"));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);
    QFile recent(path);
    QVERIFY(recent.open(QIODevice::WriteOnly | QIODevice::Truncate));
    recent.write(jsonLine(otlpJsonTrace("0a000000000000000000000000000004", now - 120'000'000'000)));
    recent.close();
    m_window->importFiles({ path });
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 2, 10000);
    QVERIFY(!notice->isVisible());
}

void TestDesktop::contentSearchOpensTheSpanThatMatched()
{
    startApp({ false, QStringLiteral("127.0.0.1"), 0 });
    auto *list = m_window->traceListPage();
    QWidget *viewport = list->view()->viewport();
    QSignalSpy imported(m_window.get(), &MainWindow::importFinished);
    m_window->importFiles({ QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/vercel-ai.otlp.json") });
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, 10000);
    list->filterBar()->setTimeRange(ui::TimeRange::last(ui::TimeRange::Preset::All)); // the captures are of 2026
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 2, 10000);
    QVERIFY(list->view()->isColumnHidden(TraceTableModel::MatchColumn));

    // What the SDK reported about its failed tool call.
    QFile expectedFile(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/vercel-ai.expected.json"));
    QVERIFY(expectedFile.open(QIODevice::ReadOnly));
    const auto expected = nlohmann::json::parse(expectedFile.readAll().toStdString());
    const auto &run = expected["runs"][1];
    const auto &tool = run["tool_calls"][0];

    // Typed into the search box as a user does: the message of the failure finds its run (the
    // index fills a moment after the import), and the Found column shows where, in bold.
    auto *search = list->filterBar()->searchEdit();
    search->setFocus();
    QTest::keyClicks(search, QStringLiteral("\"unknown city\""));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);
    QCOMPARE(core::toHex(list->model()->trace(0).trace_id), run["trace_id"].get<std::string>());
    QVERIFY(!list->view()->isColumnHidden(TraceTableModel::MatchColumn));
    const QModelIndex found = list->model()->index(0, TraceTableModel::MatchColumn);
    QVERIFY2(found.data().toString().contains(QStringLiteral("unknown city")), qPrintable(found.data().toString()));
    const auto highlights = found.data(TraceTableModel::MatchHighlightsRole).value<QList<QPoint>>();
    QCOMPARE(highlights.size(), 1);
    QCOMPARE(found.data().toString().mid(highlights[0].x(), highlights[0].y() - highlights[0].x()),
        QStringLiteral("unknown city"));
    QCOMPARE(found.data(TraceTableModel::MatchSpanRole).toString().toStdString(), tool["span_id"].get<std::string>());

    // Down from the search box goes to the results; Enter opens the trace at the span that matched:
    // the failed tool call.
    auto *view = list->view();
    search->setFocus();
    QTest::keyClick(search, Qt::Key_Down);
    QVERIFY(view->hasFocus());
    QCOMPARE(view->currentIndex().row(), 0);
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Trace);
    auto *page = m_window->traceViewPage();
    QTRY_VERIFY(page->trace() != nullptr && page->currentSpan() >= 0);
    QCOMPARE(core::toHex(page->trace()->spans[static_cast<std::size_t>(page->currentSpan())].span_id),
        tool["span_id"].get<std::string>());

    // A word too short for the index: trace names only, and the empty list says so.
    QTest::keyClick(page, Qt::Key_Left, Qt::AltModifier);
    search->selectAll();
    search->insert(QStringLiteral("天気")); // as an input method commits it (QTest types Latin-1 only)
    QTRY_VERIFY(list->model()->rowCount() == 0 && !list->model()->isLoading());
    QTRY_VERIFY2(
        emptyStateText(viewport).contains(QStringLiteral("trace names only")), qPrintable(emptyStateText(viewport)));
    search->selectAll();
    QTest::keyClicks(search, QStringLiteral("\"unknown city\""));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);

    // A query the language cannot read: no rows, and the list says why.
    search->selectAll();
    QTest::keyClicks(search, QStringLiteral("weather OR ab"));
    QTRY_VERIFY(list->model()->rowCount() == 0);
    QTRY_VERIFY(emptyStateText(viewport).contains(QStringLiteral("The search cannot be run")));
    QVERIFY2(emptyStateText(viewport).contains(QStringLiteral("too short")), qPrintable(emptyStateText(viewport)));
    QTRY_COMPARE(m_window->traceCountLabel()->text(), QStringLiteral("0 traces")); // not the last search's
    // Fixed, the runs come back.
    search->selectAll();
    QTest::keyClicks(search, QStringLiteral("weather"));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 2, 10000);
}

void TestDesktop::noMatchOffersClearFilters()
{
    startApp({ false, QStringLiteral("127.0.0.1"), 0 });
    auto *list = m_window->traceListPage();
    QWidget *viewport = list->view()->viewport();
    // An empty store, no filter: how to get traces in.
    QTRY_VERIFY(!list->model()->isLoading());
    QTRY_VERIFY(emptyStateText(viewport).contains(QStringLiteral("Open a trace file")));

    // Thirty runs of three days ago.
    const std::int64_t threeDaysAgo = (QDateTime::currentMSecsSinceEpoch() - 3LL * 86'400'000) * 1'000'000;
    const auto result = m_backend->pipeline()->submit(realisticTraces(threeDaysAgo));
    QCOMPARE(int(result.outcome), int(store::IngestPipeline::Outcome::Committed));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 30, 10000);
    QVERIFY(emptyStateText(viewport).isEmpty());

    // A filter nothing matches: it says so, not how to send traces, and offers a way out.
    list->filterBar()->setSearch(QStringLiteral("no such agent"));
    QTRY_VERIFY(list->model()->rowCount() == 0 && !list->model()->isLoading());
    QTRY_VERIFY(!emptyStateText(viewport).isEmpty());
    const QString text = emptyStateText(viewport);
    QVERIFY2(text.contains(QStringLiteral("No traces match")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("matching “no such agent”")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("Open a trace file")), qPrintable(text));
    auto *clear = viewport->findChild<QPushButton *>(QStringLiteral("clearFilters"));
    QVERIFY(clear && clear->isVisible());
    QCOMPARE(clear->text(), QStringLiteral("Clear filters"));
    clear->click();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 30, 10000);
    QVERIFY(list->filterBar()->searchEdit()->text().isEmpty());
    QVERIFY(emptyStateText(viewport).isEmpty());

    // A time range with nothing in it is a filter too.
    auto *range = list->filterBar()->findChild<QComboBox *>(QStringLiteral("timeRange"));
    QVERIFY(range);
    choose(range, QStringLiteral("Last 24 hours"));
    QTRY_VERIFY(list->model()->rowCount() == 0 && !list->model()->isLoading());
    QTRY_VERIFY2(
        emptyStateText(viewport).contains(QStringLiteral("No traces match")), qPrintable(emptyStateText(viewport)));
    QVERIFY(clear->isVisible());
    clear->click();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 30, 10000);
    QCOMPARE(range->currentText(), QStringLiteral("All time"));
}

QTEST_MAIN(TestDesktop)
void TestDesktop::repricingShowsNewCostsWithoutRefresh()
{
    // A model without a price shows "no price"; after Settings → Model prices gives it one and
    // re-prices the stored traces, the list shows the cost at once, on whatever page the user is.
    QFile::remove(client::PriceOverrides::defaultPath());
    startApp({ false, QStringLiteral("127.0.0.1"), 0 });
    // No polling for new commits: re-pricing commits none, and a poll that happens to come after it
    // would hide whether the window reacts to it.
    m_window->setPollInterval(3'600'000);
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch() * 1'000'000 - 60'000'000'000;
    core::Span agent;
    agent.trace_id[0] = 0x42;
    agent.span_id[7] = 1;
    agent.name = "invoke_agent pricing_probe";
    agent.kind = core::SpanKind::Agent;
    agent.service_name = "probe";
    agent.start_ns = start;
    agent.end_ns = start + 2'000'000'000;
    core::Span call = agent;
    call.span_id[7] = 2;
    call.parent_span_id = agent.span_id;
    call.name = "chat acme-sonnet-x";
    call.kind = core::SpanKind::Llm;
    call.request_model = "acme-sonnet-x";
    call.tokens.input = 1'000'000;
    call.tokens.output = 100'000;
    QCOMPARE(m_backend->pipeline()->submit(std::vector<core::Span> { agent, call }).outcome,
        store::IngestPipeline::Outcome::Committed);
    auto *list = m_window->traceListPage();
    list->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);
    QCOMPARE(list->model()->index(0, ui::TraceTableModel::CostColumn).data().toString(), QStringLiteral("no price"));

    // The user looks at the trace when they price its model.
    list->view()->setFocus();
    list->view()->selectionModel()->setCurrentIndex(
        list->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QTest::keyClick(list->view(), Qt::Key_Return);
    QCOMPARE(m_window->currentPage(), MainWindow::Page::Trace);
    bool driven = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<ui::PriceEditorDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        core::PriceRow row;
        row.id = "acme-sonnet-x";
        row.provider = "acme";
        row.models = { "acme-sonnet-x" };
        row.prices.input = 2.0;
        row.prices.output = 10.0;
        row.as_of = "2026-12-01";
        row.source = core::PriceRow::Source::Override;
        QString error;
        QVERIFY2(dialog->setOverrides({ row }, &error), qPrintable(error));
        QVERIFY(dialog->save());
        QSignalSpy repriced(dialog, &ui::PriceEditorDialog::tracesRepriced);
        dialog->repriceStoredTraces();
        QVERIFY(repriced.wait(10'000));
        driven = true;
        dialog->accept();
    });
    m_window->showPrices();
    QVERIFY(driven);
    // 1M input at $2 + 100k output at $10 per million: $3.00, without pressing F5.
    m_window->showPage(MainWindow::Page::Traces);
    QTRY_COMPARE_WITH_TIMEOUT(
        list->model()->index(0, ui::TraceTableModel::CostColumn).data().toString(), QStringLiteral("$3.00"), 10000);
    QFile::remove(client::PriceOverrides::defaultPath());
}

#include "tst_desktop.moc"

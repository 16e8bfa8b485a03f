// SPDX-License-Identifier: MIT
// Settings → Redaction in the desktop app: off by default, a check box per built-in pattern, rules of
// one's own checked as they are typed (a rule the receiver would refuse blocks OK and is named),
// used from the keyboard alone, in both themes (PNGs to look at); and the app's embedded receiver
// redacting what it receives over real HTTP once they are saved, counted in the dialog; and File →
// Open redacting a captured trace file (JSON lines, pretty-printed JSON, protobuf) as the receivers do.
#include "client/localbackend.h"
#include "client/sourcemanager.h"
#include "common/theme.h"
#include "core/spanjson.h"
#include "shell/mainwindow.h"
#include "shell/redactionsettings.h"
#include "shell/settingsdialog.h"
#include "store/tracestore.h"
#include "support/httptestclient.h"
#include "support/plantedtracefile.h"

#include <nlohmann/json.hpp>

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace agentops;
using nlohmann::json;
namespace theme = agentops::ui::theme;

namespace {

QString screenshotDir()
{
    QString dir
        = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR", QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/redaction"));
    QDir().mkpath(dir);
    return dir;
}

QPushButton *okButton(const ui::SettingsDialog &dialog)
{
    return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

QLabel *labelContaining(QWidget *w, const QString &text)
{
    for (QLabel *l : w->findChildren<QLabel *>())
        if (l->isVisible() && l->text().contains(text))
            return l;
    return nullptr;
}

/// One OTLP/JSON span whose prompt carries an e-mail address and a key.
std::string otlpWithSecrets(const std::string &traceId)
{
    json attrs = json::array({ { { "key", "gen_ai.operation.name" }, { "value", { { "stringValue", "chat" } } } },
        { { "key", "gen_ai.request.model" }, { "value", { { "stringValue", "gpt-4o-mini" } } } },
        { { "key", "gen_ai.usage.input_tokens" }, { "value", { { "intValue", "12" } } } },
        { { "key", "gen_ai.usage.output_tokens" }, { "value", { { "intValue", "5" } } } },
        { { "key", "input.value" },
            { "value", { { "stringValue", "mail bob@example.org, key sk-proj-AbCdEf0123456789GhIjKl" } } } } });
    json span = { { "traceId", traceId }, { "spanId", "00f067aa0ba902b7" }, { "name", "chat gpt-4o-mini" },
        { "startTimeUnixNano", "1796563107364000000" }, { "endTimeUnixNano", "1796563107464000000" },
        { "attributes", attrs } };
    json body = { { "resourceSpans",
        json::array({ { { "resource", { { "attributes", json::array() } } },
            { "scopeSpans", json::array({ { { "spans", json::array({ span }) } } }) } } }) } };
    return body.dump();
}

/// Every span of every trace in the store, as the query API writes it.
std::string storedSpansJson(store::TraceStore &store, std::int64_t &tokens)
{
    store::TraceQuery query;
    query.limit = 100;
    std::string out;
    tokens = 0;
    for (const auto &summary : store.listTraces(query).traces) {
        const auto trace = store.trace(summary.trace_id, store::TraceLoad::Full);
        if (!trace)
            continue;
        tokens += summary.input_tokens + summary.output_tokens;
        for (std::size_t i = 0; i < trace->spans.size(); ++i)
            core::appendSpanApiJson(out, trace->spans[i], trace->depth[i], false);
    }
    return out;
}

} // namespace

class TestRedactionSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void offByDefault()
    {
        const client::ServerSettings defaults;
        QVERIFY(!defaults.redact);
        ui::SettingsDialog dialog(defaults, QStringLiteral("/tmp/traces.db"));
        ui::RedactionSettings *page = dialog.redaction();
        QVERIFY(!page->isRedacting());
        const auto boxes = page->findChildren<QCheckBox *>();
        QCOMPARE(boxes.size(), 6); // on/off and the five built-ins
        for (QCheckBox *box : boxes)
            if (box->text().contains(QStringLiteral("before traces are stored")))
                QVERIFY(box->isEnabled());
            else
                QVERIFY2(!box->isEnabled() && box->isChecked(), qPrintable(box->text())); // all, once on
        QVERIFY(!page->rulesTable()->isEnabled());
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(!dialog.settings().redact);
    }

    void defaultSize()
    {
        // The dialog as the app opens it: both pages at its own size, nothing cut.
        ui::SettingsDialog dialog(client::ServerSettings {}, QStringLiteral("/tmp/traces.db"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.grab().save(screenshotDir() + QStringLiteral("/settings-general.png")));
        dialog.tabs()->setCurrentWidget(dialog.redaction());
        QVERIFY(dialog.grab().save(screenshotDir() + QStringLiteral("/settings-redaction-off.png")));
        for (QWidget *w : dialog.redaction()->focusOrder())
            QVERIFY2(w->width() >= w->minimumSizeHint().width(), w->metaObject()->className());
    }

    void keyboardOnly()
    {
        theme::apply(theme::Choice::Light);
        ui::SettingsDialog dialog(client::ServerSettings {}, QStringLiteral("/tmp/traces.db"));
        dialog.resize(640, 600);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTabWidget *tabs = dialog.tabs();
        tabs->setFocus();
        QTest::keyClick(tabs, Qt::Key_Tab, Qt::ControlModifier); // the next page: Redaction
        QCOMPARE(tabs->currentWidget(), dialog.redaction());

        // Tab from the tab bar reaches the switch first; Space turns redaction on.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        auto *enabled = qobject_cast<QCheckBox *>(QApplication::focusWidget());
        QVERIFY2(enabled && enabled->text().contains(QStringLiteral("before traces are stored")),
            QApplication::focusWidget() ? QApplication::focusWidget()->metaObject()->className() : "none");
        QTest::keyClick(enabled, Qt::Key_Space);
        QVERIFY(dialog.redaction()->isRedacting());

        // Card numbers off, from the keyboard: Tab to its box, Space.
        QCheckBox *card = nullptr;
        for (int i = 0; i < 8 && !card; ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            auto *box = qobject_cast<QCheckBox *>(QApplication::focusWidget());
            if (box && box->text().startsWith(QStringLiteral("Card numbers")))
                card = box;
        }
        QVERIFY(card);
        QTest::keyClick(card, Qt::Key_Space);
        QVERIFY(!card->isChecked());

        // On to Add Rule; Enter adds a row and opens its pattern for typing.
        QPushButton *add = nullptr;
        for (int i = 0; i < 8 && !add; ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            auto *button = qobject_cast<QPushButton *>(QApplication::focusWidget());
            if (button && button->text() == QStringLiteral("Add Rule"))
                add = button;
        }
        QVERIFY(add);
        QTest::keyClick(add, Qt::Key_Space);
        QTableWidget *table = dialog.redaction()->rulesTable();
        QCOMPARE(table->rowCount(), 1);
        QTRY_VERIFY(QApplication::focusWidget() && QApplication::focusWidget()->parentWidget() == table->viewport());
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("(a)\\1"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_COMPARE(table->item(0, 1)->text(), QStringLiteral("(a)\\1")); // the delegate commits queued
        // A back-reference: refused by name, and OK with it.
        QVERIFY(!okButton(dialog)->isEnabled());
        QLabel *problem = labelContaining(dialog.redaction(), QStringLiteral("redaction rule 'rule1'"));
        QVERIFY(problem);
        QVERIFY2(problem->text().contains(QStringLiteral("linear time")), qPrintable(problem->text()));
        dialog.setRedactionCounts(
            { { QStringLiteral("email"), 3 }, { QStringLiteral("api_key"), 1 }, { QStringLiteral("jwt"), 0 } });
        QVERIFY(labelContaining(dialog.redaction(), QStringLiteral("email: 3 · api_key: 1")));
        QVERIFY(dialog.grab().save(screenshotDir() + QStringLiteral("/redaction-refused-light.png")));
        theme::apply(theme::Choice::Dark);
        QTRY_VERIFY(theme::isDark(dialog.palette()));
        QVERIFY(dialog.grab().save(screenshotDir() + QStringLiteral("/redaction-refused-dark.png")));

        // F2 edits the cell again: a pattern RE2 takes, limited to one attribute's key.
        table->setFocus();
        table->setCurrentCell(0, 1);
        QTest::keyClick(table, Qt::Key_F2);
        QTRY_VERIFY(QApplication::focusWidget() && QApplication::focusWidget()->parentWidget() == table->viewport());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("CUST-[0-9]{6}"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab); // commits, and on to the keys
        QTRY_COMPARE(table->item(0, 1)->text(), QStringLiteral("CUST-[0-9]{6}"));
        QTRY_COMPARE(table->currentColumn(), 2);
        QTest::keyClick(table, Qt::Key_F2);
        QTRY_VERIFY(QApplication::focusWidget() && QApplication::focusWidget()->parentWidget() == table->viewport());
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("app.customer, input.value"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_COMPARE(table->item(0, 2)->text(), QStringLiteral("app.customer, input.value"));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(!labelContaining(dialog.redaction(), QStringLiteral("redaction rule")));
        QVERIFY(dialog.grab().save(screenshotDir() + QStringLiteral("/redaction-dark.png")));
        theme::apply(theme::Choice::Light);
        QTRY_VERIFY(!theme::isDark(dialog.palette()));
        QVERIFY(dialog.grab().save(screenshotDir() + QStringLiteral("/redaction-light.png")));

        const client::ServerSettings s = dialog.settings();
        QVERIFY(s.redact);
        const json rules = json::parse(s.redactionRules.toStdString());
        QCOMPARE(rules["builtin"].dump(), json({ "email", "api_key", "bearer", "jwt" }).dump());
        QCOMPARE(rules["rules"].dump(),
            json::parse(R"([{"name":"rule1","pattern":"CUST-[0-9]{6}","keys":["app.customer","input.value"]}])")
                .dump());

        // Remove Rule from the keyboard, and Escape leaves without keeping anything.
        QPushButton *remove = nullptr;
        for (QPushButton *b : dialog.redaction()->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("Remove Rule"))
                remove = b;
        QVERIFY(remove && remove->isEnabled());
        remove->setFocus();
        QTest::keyClick(remove, Qt::Key_Space);
        QCOMPARE(table->rowCount(), 0);
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QVERIFY(!dialog.isVisible());
        theme::apply(theme::Choice::System);
    }

    void rulesComeBackAsSaved()
    {
        client::ServerSettings s;
        s.redact = false; // kept while off
        s.redactionRules = QStringLiteral(
            R"({"builtin":["email"],"rules":[{"name":"authorization","keys":["http.request.header.authorization"]}]})");
        ui::SettingsDialog dialog(s, QStringLiteral("/tmp/traces.db"));
        QCOMPARE(dialog.redaction()->rulesTable()->rowCount(), 1);
        QCOMPARE(
            dialog.redaction()->rulesTable()->item(0, 2)->text(), QStringLiteral("http.request.header.authorization"));
        const json back = json::parse(dialog.settings().redactionRules.toStdString());
        QCOMPARE(back["builtin"].dump(), json({ "email" }).dump());
        QVERIFY(!dialog.settings().redact);
    }

    void embeddedReceiverRedacts()
    {
        QTemporaryDir dir;
        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        client::ServerSettings s { true, QStringLiteral("127.0.0.1"), 0, false, 0 };
        backend.setServerSettings(s);
        QVERIFY(backend.start());
        QVERIFY(backend.isServing());
        test::HttpClient http("127.0.0.1", backend.serverPort());
        // Off (the default): stored as sent.
        auto r = http.post("/v1/traces", otlpWithSecrets("4bf92f3577b34da6a3ce929d0e0e4736"), "application/json");
        QVERIFY(r && r->status == 200);
        QVERIFY(backend.redactionCounts().isEmpty());

        // On, with the rules the dialog writes: the receiver restarts with them.
        s.redact = true;
        s.redactionRules = QStringLiteral(R"({"builtin":["email","api_key"],"rules":[]})");
        backend.setServerSettings(s);
        QVERIFY(backend.isServing());
        test::HttpClient again("127.0.0.1", backend.serverPort());
        r = again.post("/v1/traces", otlpWithSecrets("5bf92f3577b34da6a3ce929d0e0e4736"), "application/json");
        QVERIFY(r && r->status == 200);
        const auto counts = backend.redactionCounts();
        QCOMPARE(counts.size(), 2);
        QCOMPARE(counts.at(0), qMakePair(QStringLiteral("api_key"), quint64(1)));
        QCOMPARE(counts.at(1), qMakePair(QStringLiteral("email"), quint64(1)));
        auto input = [&](const char *traceId) {
            const auto answer = again.get(std::string("/api/v1/traces/") + traceId);
            return answer && answer->status == 200 ? json::parse(answer->body)["spans"][0]["input"].get<std::string>()
                                                   : std::string();
        };
        QCOMPARE(input("4bf92f3577b34da6a3ce929d0e0e4736"),
            std::string("mail bob@example.org, key sk-proj-AbCdEf0123456789GhIjKl"));
        QCOMPARE(
            input("5bf92f3577b34da6a3ce929d0e0e4736"), std::string("mail [REDACTED:email], key [REDACTED:api_key]"));

        // Rules that do not load stop receiving rather than store what was to be redacted.
        s.redactionRules = QStringLiteral(R"j({"rules":[{"name":"bad","pattern":"(?=x)"}]})j");
        QSignalSpy failed(&backend, &client::LocalBackend::serverFailed);
        backend.setServerSettings(s);
        QVERIFY(!backend.isServing());
        QCOMPARE(failed.size(), 1);
        QVERIFY2(
            backend.serverError().contains(QStringLiteral("redaction rule 'bad'")), qPrintable(backend.serverError()));
        // The counts of the receivers before are kept for the dialog.
        QCOMPARE(backend.redactionCounts().size(), 2);
        backend.stop();
    }

    void fileOpenRedacts_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("redact");
        for (const char *format : { "jsonl", "json", "pb" }) {
            QTest::addRow("%s off", format) << QString::fromLatin1(format) << false;
            QTest::addRow("%s on", format) << QString::fromLatin1(format) << true;
        }
    }

    /// File → Open, as the menu runs it (MainWindow::importFiles), applies the receivers' redaction
    /// before anything is stored, and counts it with theirs: in the dialog and on /metrics.
    void fileOpenRedacts()
    {
        QFETCH(QString, format);
        QFETCH(bool, redact);
        std::size_t planted = 0;
        const auto requests = test::capturedRequestsWithKey(planted);
        QVERIFY(planted > 0);
        std::size_t emails = 0;
        for (const json &r : requests)
            emails += test::occurrences(r.dump(), test::kFileEmail);
        QVERIFY(emails > 0);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.") + format);
        test::writePlantedTraceFile(path, requests, format);

        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        client::ServerSettings s { true, QStringLiteral("127.0.0.1"), 0, false, 0 };
        s.redact = redact;
        s.redactionRules = QStringLiteral(R"({"builtin":["email","api_key"],"rules":[]})");
        backend.setServerSettings(s);
        QVERIFY(backend.start());
        QVERIFY(backend.isServing());
        {
            client::SourceManager manager(backend.source());
            ui::MainWindow window(&backend, manager.runner());
            window.setSourceManager(&manager);
            QSignalSpy finished(&window, &ui::MainWindow::importFinished);
            QSignalSpy failed(&window, &ui::MainWindow::importFailed);
            window.importFiles({ path });
            QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 60000);
            QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        }

        std::int64_t tokens = 0;
        const std::string stored = storedSpansJson(*backend.store(), tokens);
        QVERIFY(stored.size() > 1000);
        QVERIFY(tokens > 0);
        // Redaction leaves the producer's token counts alone: they equal what it reported.
        QFile expectedFile(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/openai-openinference.expected.json"));
        QVERIFY(expectedFile.open(QIODevice::ReadOnly));
        std::int64_t expectedTokens = 0;
        const json expected = json::parse(expectedFile.readAll().toStdString()); // outlives the loop
        for (const json &run : expected["runs"])
            expectedTokens
                += run["total_usage"]["input"].get<std::int64_t>() + run["total_usage"]["output"].get<std::int64_t>();
        QCOMPARE(tokens, expectedTokens);

        const auto counts = backend.redactionCounts();
        test::HttpClient http("127.0.0.1", backend.serverPort());
        const auto metrics = http.get("/metrics");
        QVERIFY(metrics && metrics->status == 200);
        if (!redact) {
            QVERIFY(stored.find(test::kFileEmail) != std::string::npos);
            QVERIFY(stored.find(test::kFileKey) != std::string::npos);
            QVERIFY(counts.isEmpty());
            QVERIFY(metrics->body.find("agentops_redactions_total") == std::string::npos);
            return;
        }
        QVERIFY2(stored.find(test::kFileEmail) == std::string::npos, stored.c_str());
        QVERIFY2(stored.find(test::kFileKey) == std::string::npos, stored.c_str());
        QVERIFY(stored.find("[REDACTED:email]") != std::string::npos);
        QVERIFY(stored.find("[REDACTED:api_key]") != std::string::npos);
        QCOMPARE(counts.size(), 2);
        QCOMPARE(counts.at(0), qMakePair(QStringLiteral("api_key"), quint64(planted)));
        QCOMPARE(counts.at(1), qMakePair(QStringLiteral("email"), quint64(emails)));
        // The embedded server's counter holds them too (it runs the same rules).
        const std::string line = "agentops_redactions_total{rule=\"email\"} " + std::to_string(emails);
        QVERIFY2(metrics->body.find(line) != std::string::npos, metrics->body.c_str());
        backend.stop();
    }

    /// Rules that cannot be used stop File → Open, as they stop receiving: nothing is stored.
    void fileOpenRefusedByBadRules()
    {
        std::size_t planted = 0;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.jsonl"));
        test::writePlantedTraceFile(path, test::capturedRequestsWithKey(planted), QStringLiteral("jsonl"));
        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        client::ServerSettings s { false, QStringLiteral("127.0.0.1"), 0, false, 0 };
        s.redact = true;
        s.redactionRules = QStringLiteral(R"j({"rules":[{"name":"bad","pattern":"(?=x)"}]})j");
        backend.setServerSettings(s);
        QVERIFY(backend.start());
        client::SourceManager manager(backend.source());
        ui::MainWindow window(&backend, manager.runner());
        window.setSourceManager(&manager);
        QSignalSpy failed(&window, &ui::MainWindow::importFailed);
        window.importFiles({ path });
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("redaction rule 'bad'")),
            qPrintable(failed.first().first().toString()));
        QTest::qWait(200);
        QCOMPARE(backend.store()->spanCount(), 0);
        backend.stop();
    }
};

QTEST_MAIN(TestRedactionSettings)
#include "tst_redactionsettings.moc"

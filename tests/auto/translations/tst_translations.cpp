// SPDX-License-Identifier: MIT
#include "client/localbackend.h"
#include "client/tracesourcerunner.h"
#include "common/translations.h"
#include "pricing/priceeditordialog.h"
#include "shell/aboutdialog.h"
#include "shell/mainwindow.h"
#include "shell/settingsdialog.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/traceviewpage.h"
#include "signin/signindialog.h"
#include "store/ingestpipeline.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <memory>
#include <random>

using namespace agentops;
using ui::MainWindow;

namespace {

const QStringList kLanguages
    = { QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("zh_CN"), QStringLiteral("ja") };

core::TraceId traceId(std::mt19937_64 &rng)
{
    core::TraceId id {};
    for (auto &b : id)
        b = static_cast<std::uint8_t>(rng());
    return id;
}

core::SpanId spanId(std::mt19937_64 &rng)
{
    core::SpanId id {};
    for (auto &b : id)
        b = static_cast<std::uint8_t>(rng());
    return id;
}

/// A dozen agent runs: an agent span, LLM calls and tool calls, some failures, one unpriced model.
std::vector<core::Span> agentRuns(std::int64_t nowNs)
{
    std::mt19937_64 rng(7);
    const char *services[] = { "travel-assistant", "support-bot", "code-reviewer" };
    const char *models[] = { "gpt-4o", "claude-sonnet-4", "llama-3.1-70b-local" };
    const char *tools[] = { "search_flights", "lookup_order", "run_linter" };
    std::vector<core::Span> spans;
    std::int64_t start = nowNs - 3600LL * 1'000'000'000;
    for (int t = 0; t < 12; ++t) {
        const int k = t % 3;
        const auto trace = traceId(rng);
        start += 4 * 60'000'000'000LL;
        core::Span root;
        root.trace_id = trace;
        root.span_id = spanId(rng);
        root.name = std::string("invoke_agent ") + services[k];
        root.kind = core::SpanKind::Agent;
        root.agent_name = services[k];
        root.service_name = services[k];
        root.session_id = "sess-" + std::to_string(t / 4 + 1);
        root.user_id = "dev@example.com";
        root.start_ns = start;
        root.input = "Plan a 3-day trip to Lisbon in May.";
        std::int64_t cursor = start + 10'000'000;
        for (int s = 0; s < 3; ++s) {
            core::Span llm;
            llm.trace_id = trace;
            llm.span_id = spanId(rng);
            llm.parent_span_id = root.span_id;
            llm.name = std::string("chat ") + models[(t + s) % 3];
            llm.kind = core::SpanKind::Llm;
            llm.service_name = services[k];
            llm.session_id = root.session_id;
            llm.request_model = models[(t + s) % 3];
            llm.response_model = llm.request_model;
            llm.provider = "openai";
            llm.start_ns = cursor;
            llm.end_ns = cursor + (500 + static_cast<std::int64_t>(rng() % 2000)) * 1'000'000;
            const std::int64_t in = 1200 + s * 300;
            llm.tokens.input = in;
            llm.tokens.output = 240;
            llm.tokens.total = in + 240;
            if ((t + s) % 3 != 2)
                llm.cost_usd = 0.0042 * (s + 1);
            llm.input = "[{\"role\":\"user\",\"content\":\"Plan a 3-day trip to Lisbon in May.\"}]";
            llm.output = "[{\"role\":\"assistant\",\"content\":\"Here is a plan that fits the budget.\"}]";
            cursor = llm.end_ns + 2'000'000;
            spans.push_back(llm);

            core::Span tool;
            tool.trace_id = trace;
            tool.span_id = spanId(rng);
            tool.parent_span_id = root.span_id;
            tool.name = std::string("execute_tool ") + tools[k];
            tool.kind = core::SpanKind::Tool;
            tool.tool_name = tools[k];
            tool.service_name = services[k];
            tool.session_id = root.session_id;
            tool.start_ns = cursor;
            tool.end_ns = cursor + 200'000'000;
            tool.input = "{\"query\":\"Lisbon\"}";
            tool.output = "{\"results\":[1,2]}";
            if (t % 4 == 1 && s == 1) {
                tool.status = core::StatusCode::Error;
                tool.status_message = "HTTP 503 from upstream API after 3 retries";
            }
            cursor = tool.end_ns + 2'000'000;
            spans.push_back(tool);
        }
        root.end_ns = cursor + 5'000'000;
        if (t % 4 == 1) {
            root.status = core::StatusCode::Error;
            root.status_message = "agent run failed";
        }
        spans.push_back(root);
    }
    return spans;
}

QString withoutMnemonic(QString text)
{
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    // "文件(&F)" shows as "文件(F)" on platforms with mnemonics in parentheses; width is what matters.
    text.replace(QLatin1Char('\x01'), QLatin1Char('&'));
    return text;
}

QString describe(const QWidget *w)
{
    QString name = QString::fromLatin1(w->metaObject()->className());
    if (!w->objectName().isEmpty())
        name += QLatin1Char('#') + w->objectName();
    return name;
}

/// Every visible text of @p root that does not fit the room it has: labels, buttons, tabs, the
/// sections of headers whose width follows their contents.
/// The chain of widgets that makes @p root as wide as its minimum: at each level the widest child.
QString widestChain(QWidget *root)
{
    QStringList chain;
    QWidget *w = root;
    for (int depth = 0; w && depth < 8; ++depth) {
        chain << QStringLiteral("%1 (%2 px)").arg(describe(w)).arg(w->minimumSizeHint().width());
        QWidget *widest = nullptr;
        const QList<QWidget *> children = w->findChildren<QWidget *>(Qt::FindDirectChildrenOnly);
        for (QWidget *c : children) {
            if (!c->isWindow() && (!widest || c->minimumSizeHint().width() > widest->minimumSizeHint().width()))
                widest = c;
        }
        w = widest;
    }
    return chain.join(QStringLiteral(" > "));
}

QStringList clippedTexts(QWidget *root, int requestedWidth)
{
    QStringList problems;
    // A top-level window grows to its minimum size: text that does not fit shows as a wider window.
    if (root->width() > requestedWidth)
        problems << QStringLiteral("wider than %1 px: %2").arg(requestedWidth).arg(widestChain(root));
    const QList<QWidget *> widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (!w->isVisibleTo(root) || w->width() <= 0 || w->height() <= 0)
            continue;
        if (auto *label = qobject_cast<QLabel *>(w)) {
            if (label->text().isEmpty() || !label->pixmap().isNull())
                continue;
            if (label->wordWrap()) {
                const int needed = label->heightForWidth(label->width());
                if (needed > label->height() + 1)
                    problems << QStringLiteral("%1 \"%2\": needs %3 px high, has %4")
                                    .arg(describe(label), label->text().left(60))
                                    .arg(needed)
                                    .arg(label->height());
            } else if (label->minimumSizeHint().width() > label->width()) {
                problems << QStringLiteral("%1 \"%2\": needs %3 px, has %4")
                                .arg(describe(label), label->text().left(60))
                                .arg(label->minimumSizeHint().width())
                                .arg(label->width());
            }
        } else if (auto *button = qobject_cast<QAbstractButton *>(w)) {
            if (button->text().isEmpty())
                continue;
            if (button->sizeHint().width() > button->width())
                problems << QStringLiteral("%1 \"%2\": needs %3 px, has %4")
                                .arg(describe(button), button->text())
                                .arg(button->sizeHint().width())
                                .arg(button->width());
        } else if (auto *list = qobject_cast<QListView *>(w)) {
            if (list->model() && list->sizeHintForColumn(0) > list->viewport()->width())
                problems << QStringLiteral("%1: items need %2 px, have %3")
                                .arg(describe(list))
                                .arg(list->sizeHintForColumn(0))
                                .arg(list->viewport()->width());
        } else if (auto *tabs = qobject_cast<QTabBar *>(w)) {
            if (tabs->elideMode() != Qt::ElideNone)
                continue; // elides on purpose
            for (int i = 0; i < tabs->count(); ++i) {
                const int needed = tabs->fontMetrics().horizontalAdvance(withoutMnemonic(tabs->tabText(i)));
                if (tabs->isTabVisible(i) && tabs->tabRect(i).width() < needed)
                    problems << QStringLiteral("tab \"%1\": needs %2 px, has %3")
                                    .arg(tabs->tabText(i))
                                    .arg(needed)
                                    .arg(tabs->tabRect(i).width());
            }
        } else if (auto *header = qobject_cast<QHeaderView *>(w)) {
            if (header->orientation() != Qt::Horizontal || !header->model())
                continue;
            for (int i = 0; i < header->count(); ++i) {
                // Stretched sections and the last one take what is left; the others are sized for
                // their contents.
                if (header->isSectionHidden(i) || header->sectionResizeMode(i) == QHeaderView::Stretch
                    || header->visualIndex(i) == header->count() - 1)
                    continue;
                const QString text = header->model()->headerData(i, Qt::Horizontal).toString();
                const int needed = header->fontMetrics().horizontalAdvance(text)
                    + 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
                if (header->sectionSize(i) < needed)
                    problems << QStringLiteral("header \"%1\": needs %2 px, has %3")
                                    .arg(text)
                                    .arg(needed)
                                    .arg(header->sectionSize(i));
            }
        }
    }
    return problems;
}

/// Placeholders (%1, %n, %Ln) of a text, sorted.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%L?[0-9n]"));
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    return found;
}

int mnemonics(QString text)
{
    text.remove(QStringLiteral("&&"));
    return int(text.count(QLatin1Char('&')));
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void resolvesLanguage_data();
    void resolvesLanguage();
    void installsAppAndQtTranslations_data();
    void installsAppAndQtTranslations();
    void refusesUnknownLanguage();
    void tsEntriesKeepPlaceholders_data();
    void tsEntriesKeepPlaceholders();
    void settingsStoreTheOverride();
    void screenshots_data();
    void screenshots();

private:
    QTemporaryDir m_home;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOps"));
    QCoreApplication::setApplicationName(QStringLiteral("AgentOps Monitor Test"));
}

void TestTranslations::cleanup()
{
    ui::translations::install(QStringLiteral("en"));
    ui::translations::setConfiguredLanguage({});
}

void TestTranslations::resolvesLanguage_data()
{
    QTest::addColumn<QString>("override");
    QTest::addColumn<QString>("system");
    QTest::addColumn<QString>("expected");
    QTest::newRow("German system") << QString() << "de_DE"
                                   << "de";
    QTest::newRow("Austrian German") << QString() << "de_AT"
                                     << "de";
    QTest::newRow("Japanese system") << QString() << "ja_JP"
                                     << "ja";
    QTest::newRow("Simplified Chinese") << QString() << "zh_CN"
                                        << "zh_CN";
    QTest::newRow("Singapore Chinese") << QString() << "zh_SG"
                                       << "zh_CN";
    QTest::newRow("Traditional Chinese falls back") << QString() << "zh_TW"
                                                    << "en";
    QTest::newRow("French falls back") << QString() << "fr_FR"
                                       << "en";
    QTest::newRow("C locale") << QString() << "C"
                              << "en";
    QTest::newRow("override wins") << "ja"
                                   << "de_DE"
                                   << "ja";
    QTest::newRow("English override on German") << "en"
                                                << "de_DE"
                                                << "en";
    QTest::newRow("unknown override ignored") << "xx"
                                              << "zh_CN"
                                              << "zh_CN";
}

void TestTranslations::resolvesLanguage()
{
    QFETCH(QString, override);
    QFETCH(QString, system);
    QFETCH(QString, expected);
    QCOMPARE(ui::translations::resolve(override, QLocale(system)), expected);
}

void TestTranslations::installsAppAndQtTranslations_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("cancel");
    QTest::newRow("en") << "en"
                        << "&File"
                        << "Cancel";
    QTest::newRow("de") << "de"
                        << "&Datei"
                        << "Abbrechen";
    QTest::newRow("zh_CN") << "zh_CN"
                           << "文件(&F)"
                           << "取消";
    QTest::newRow("ja") << "ja"
                        << "ファイル(&F)"
                        << "キャンセル";
}

void TestTranslations::installsAppAndQtTranslations()
{
    QFETCH(QString, code);
    QFETCH(QString, file);
    QFETCH(QString, cancel);
    QString error;
    QVERIFY2(ui::translations::install(code, &error), qPrintable(error));
    QCOMPARE(QCoreApplication::translate("agentops::ui::MainWindow", "&File"), file);
    // Qt's own strings (standard dialog buttons) come from qtbase_<code>.qm.
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), cancel);
    // Installing again replaces rather than stacks.
    QVERIFY(ui::translations::install(QStringLiteral("en")));
    QCOMPARE(QCoreApplication::translate("agentops::ui::MainWindow", "&File"), QStringLiteral("&File"));
}

void TestTranslations::refusesUnknownLanguage()
{
    QString error;
    QVERIFY(!ui::translations::install(QStringLiteral("fr"), &error));
    QVERIFY2(error.contains(QStringLiteral("\"fr\"")), qPrintable(error));
    QCOMPARE(QCoreApplication::translate("agentops::ui::MainWindow", "&File"), QStringLiteral("&File"));
}

void TestTranslations::tsEntriesKeepPlaceholders_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("pluralForms");
    QTest::newRow("de") << "de" << 2;
    QTest::newRow("zh_CN") << "zh_CN" << 1;
    QTest::newRow("ja") << "ja" << 1;
}

void TestTranslations::tsEntriesKeepPlaceholders()
{
    QFETCH(QString, code);
    QFETCH(int, pluralForms);
    QFile file(QStringLiteral(AGENTOPS_SOURCE_DIR "/translations/agentops_%1.ts").arg(code));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QXmlStreamReader xml(&file);
    QStringList problems;
    int messages = 0;
    QString context;
    QString source;
    QStringList forms;
    bool numerus = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("message")) {
                numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
                forms.clear();
            } else if (xml.name() == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (xml.name() == QLatin1String("source")) {
                source = xml.readElementText();
            } else if ((xml.name() == QLatin1String("translation") && !numerus)
                || xml.name() == QLatin1String("numerusform")) {
                forms << xml.readElementText(); // a message's one form, or each plural form
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            ++messages;
            const QString where = context + QStringLiteral(": \"") + source + QLatin1Char('"');
            if (numerus && forms.size() != pluralForms)
                problems << where + QStringLiteral(": %1 plural forms, expected %2").arg(forms.size()).arg(pluralForms);
            for (const QString &f : std::as_const(forms)) {
                if (f.isEmpty())
                    problems << where + QStringLiteral(": empty");
                else if (placeholders(f) != placeholders(source))
                    problems << where + QStringLiteral(": placeholders differ in \"") + f + QLatin1Char('"');
                else if (mnemonics(f) != mnemonics(source))
                    problems << where + QStringLiteral(": accelerator missing or added in \"") + f + QLatin1Char('"');
            }
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(messages > 100);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::settingsStoreTheOverride()
{
    QSettings().remove(ui::translations::settingsKey());
    client::ServerSettings server;
    ui::SettingsDialog dialog(server, QStringLiteral("/tmp/traces.db"));
    auto *combo = dialog.findChild<QComboBox *>();
    QVERIFY(combo);
    QStringList items;
    for (int i = 0; i < combo->count(); ++i)
        items << combo->itemText(i);
    QCOMPARE(items,
        QStringList({ QStringLiteral("System default"), QStringLiteral("English"), QStringLiteral("Deutsch"),
            QStringLiteral("简体中文"), QStringLiteral("日本語") }));
    QCOMPARE(combo->currentIndex(), 0);

    combo->setCurrentIndex(combo->findText(QStringLiteral("日本語")));
    QCOMPARE(dialog.language(), QStringLiteral("ja"));
    dialog.accept();
    QCOMPARE(ui::translations::configuredLanguage(), QStringLiteral("ja"));
    QCOMPARE(ui::translations::resolve(ui::translations::configuredLanguage(), QLocale(QStringLiteral("de_DE"))),
        QStringLiteral("ja"));
    // What main() does at start-up: the stored choice wins over the system's language.
    QString error;
    QCOMPARE(ui::translations::installConfigured(&error), QStringLiteral("ja"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(QCoreApplication::translate("agentops::ui::MainWindow", "&File"), QStringLiteral("ファイル(&F)"));
    ui::translations::install(QStringLiteral("en"));

    // A new dialog shows the stored choice; choosing the system default removes the override.
    ui::SettingsDialog again(server, QStringLiteral("/tmp/traces.db"));
    auto *combo2 = again.findChild<QComboBox *>();
    QCOMPARE(combo2->currentText(), QStringLiteral("日本語"));
    combo2->setCurrentIndex(0);
    again.accept();
    QVERIFY(!QSettings().contains(ui::translations::settingsKey()));
    QCOMPARE(ui::translations::configuredLanguage(), QString());
}

void TestTranslations::screenshots_data()
{
    QTest::addColumn<QString>("code");
    for (const QString &code : kLanguages)
        QTest::newRow(qPrintable(code)) << code;
}

void TestTranslations::screenshots()
{
    QFETCH(QString, code);
    QString dir = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/translations");
    QVERIFY(QDir().mkpath(dir));
    QString error;
    QVERIFY2(ui::translations::install(code, &error), qPrintable(error));

    QTemporaryDir data;
    QVERIFY(data.isValid());
    client::LocalBackend backend(data.filePath(QStringLiteral("traces.db")));
    backend.setServerSettings({ true, QStringLiteral("127.0.0.1"), 0, true, 0 });
    QVERIFY2(backend.start(&error), qPrintable(error));
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    QCOMPARE(int(backend.pipeline()->submit(agentRuns(now)).outcome), int(store::IngestPipeline::Outcome::Committed));

    QStringList problems;
    auto check = [&](QWidget *w, const QString &name, int requestedWidth) {
        QTest::qWait(150);
        QVERIFY(w->grab().save(dir + QStringLiteral("/%1_%2.png").arg(name, code)));
        const QStringList found = clippedTexts(w, requestedWidth);
        for (const QString &p : found)
            problems << name + QStringLiteral(": ") + p;
    };
    {
        client::TraceSourceRunner runner(backend.source());
        MainWindow window(&backend, &runner);
        window.setPollInterval(100);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // The window speaks the language: the first menu is translated (or English for "en").
        const QList<QAction *> menus = window.menuBar()->actions();
        QVERIFY(!menus.isEmpty());
        const QString expectedFile = QCoreApplication::translate("agentops::ui::MainWindow", "&File");
        QCOMPARE(menus.first()->text(), expectedFile);
        QCOMPARE(code == QLatin1String("en"), expectedFile == QLatin1String("&File"));

        auto *list = window.traceListPage();
        window.showPage(MainWindow::Page::Traces);
        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 12, 10000);
        check(&window, QStringLiteral("tracelist"), 1280);

        window.openTrace(list->model()->trace(1).trace_id);
        QTRY_VERIFY(window.traceViewPage()->trace() != nullptr);
        window.traceViewPage()->setCurrentSpan(1);
        check(&window, QStringLiteral("traceview"), 1280);

        window.showPage(MainWindow::Page::Sessions);
        check(&window, QStringLiteral("sessions"), 1280);

        window.showPage(MainWindow::Page::Dashboard);
        QTest::qWait(800);
        check(&window, QStringLiteral("dashboard"), 1280);

        ui::SettingsDialog settings(backend.serverSettings(), backend.databasePath(), &window);
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        check(&settings, QStringLiteral("settings"), 700);
        settings.close();

        ui::PriceEditorDialog prices(backend, &window);
        prices.resize(1100, 700);
        prices.show();
        QVERIFY(QTest::qWaitForWindowExposed(&prices));
        check(&prices, QStringLiteral("prices"), 1100);
        prices.close();

        ui::AboutDialog about(&window);
        about.show();
        QVERIFY(QTest::qWaitForWindowExposed(&about));
        check(&about, QStringLiteral("about"), 700);
        about.close();

        ui::SignInDialog signIn(&window);
        signIn.show();
        QVERIFY(QTest::qWaitForWindowExposed(&signIn));
        check(&signIn, QStringLiteral("signin"), 700);
        signIn.close();
        window.close();
    }
    backend.stop();
    qInfo("screenshots in %s", qPrintable(dir));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"

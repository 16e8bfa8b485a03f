// SPDX-License-Identifier: MIT
#include "client/localbackend.h"
#include "client/tracesourcerunner.h"
#include "details/spandetailsview.h"
#include "shell/aboutdialog.h"
#include "shell/documentationbrowser.h"
#include "shell/mainwindow.h"
#include "shell/sessionspage.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "shell/traceviewpage.h"
#include "store/ingestpipeline.h"
#include "waterfall/waterfallview.h"

#include "dashboard/dashboardpage.h"
#include "dashboard/dashboardview.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QIcon>
#include <QImage>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTreeView>
#include <QTreeWidget>

#include <csignal>
#include <memory>

using namespace agentops;
using ui::AboutDialog;
using ui::MainWindow;

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2d, 0x2d, 0x30), base(0x1e, 0x1e, 0x1e), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x28));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x38));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x38));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Link, QColor(0x6a, 0xb0, 0xff));
    p.setColor(QPalette::PlaceholderText, QColor(0x96, 0x96, 0x96));
    p.setColor(QPalette::Light, QColor(0x50, 0x50, 0x54));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x40, 0x44));
    p.setColor(QPalette::Mid, QColor(0x3a, 0x3a, 0x3e));
    p.setColor(QPalette::Dark, QColor(0x20, 0x20, 0x22));
    p.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x10));
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, QColor(0x7f, 0x7f, 0x7f));
    return p;
}

/// Mean lightness (0-255) of a widget's rendering.
int meanLightness(QWidget *widget)
{
    const QImage image = widget->grab().toImage().convertToFormat(QImage::Format_RGB32);
    if (image.isNull())
        return -1;
    qint64 sum = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            sum += QColor(image.pixel(x, y)).lightness();
    return static_cast<int>(sum / (qint64(image.width()) * image.height()));
}

/// Visible labels whose text does not fit the space they were given.
QStringList clippedLabels(QWidget *root)
{
    QStringList clipped;
    const auto labels = root->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (!label->isVisibleTo(root) || label->text().isEmpty() || label->width() <= 0)
            continue;
        const QSize need = label->minimumSizeHint();
        bool fits = true;
        if (label->wordWrap())
            fits = label->height() >= label->heightForWidth(label->width()) - 1;
        else
            fits = label->width() >= need.width() && label->height() >= need.height();
        if (!fits)
            clipped << QStringLiteral("%1 '%2' (%3x%4, needs %5x%6)")
                           .arg(label->objectName(), label->text().left(60))
                           .arg(label->width())
                           .arg(label->height())
                           .arg(need.width())
                           .arg(label->wordWrap() ? label->heightForWidth(label->width()) : need.height());
    }
    return clipped;
}

core::SpanId spanId(std::uint8_t a, std::uint8_t b)
{
    return { a, b, 1, 2, 3, 4, 5, 6 };
}

/// Three agent runs: an agent span with model calls (a conversation) and tool calls, one failing.
std::vector<core::Span> sampleTraces(std::int64_t nowNs)
{
    std::vector<core::Span> spans;
    for (std::uint8_t t = 0; t < 3; ++t) {
        core::TraceId traceId {};
        traceId.fill(static_cast<std::uint8_t>(0x40 + t));
        const std::int64_t start = nowNs - (3 - t) * 600'000'000'000LL;
        core::Span root;
        root.trace_id = traceId;
        root.span_id = spanId(t, 0);
        root.name = "invoke_agent travel_planner";
        root.kind = core::SpanKind::Agent;
        root.service_name = "travel-assistant";
        root.session_id = "session-1";
        root.start_ns = start;
        root.end_ns = start + 4'200'000'000LL;
        root.input = "Plan a 3-day trip to Lisbon in May.";
        root.output = "Done.";
        spans.push_back(root);
        for (std::uint8_t s = 1; s <= 3; ++s) {
            core::Span llm;
            llm.trace_id = traceId;
            llm.span_id = spanId(t, s);
            llm.parent_span_id = root.span_id;
            llm.name = "chat gpt-4o";
            llm.kind = core::SpanKind::Llm;
            llm.service_name = root.service_name;
            llm.request_model = llm.response_model = "gpt-4o";
            llm.provider = "openai";
            llm.start_ns = start + s * 1'000'000'000LL;
            llm.end_ns = llm.start_ns + 700'000'000LL;
            llm.tokens.input = 1200 * s;
            llm.tokens.output = 300;
            llm.tokens.total = 1200 * s + 300;
            llm.input = "[{\"role\":\"system\",\"content\":\"You are a travel planner.\"},"
                        "{\"role\":\"user\",\"content\":\"Plan a 3-day trip to Lisbon in May.\"}]";
            llm.output = "[{\"role\":\"assistant\",\"content\":\"Day 1: Alfama and the castle. Day 2: Belem.\"}]";
            spans.push_back(llm);
            core::Span tool;
            tool.trace_id = traceId;
            tool.span_id = spanId(t, static_cast<std::uint8_t>(s + 10));
            tool.parent_span_id = root.span_id;
            tool.name = "execute_tool search_hotels";
            tool.kind = core::SpanKind::Tool;
            tool.tool_name = "search_hotels";
            tool.service_name = root.service_name;
            tool.start_ns = llm.end_ns + 10'000'000;
            tool.end_ns = tool.start_ns + 200'000'000;
            tool.input = "{\"city\":\"Lisbon\"}";
            tool.output = "{\"results\":[{\"id\":1}]}";
            if (t == 1 && s == 2) {
                tool.status = core::StatusCode::Error;
                tool.status_message = "HTTP 503 from upstream API after 3 retries";
            }
            spans.push_back(tool);
        }
    }
    return spans;
}

/// Pixels between the titles of neighbouring columns where a right-aligned title (a figure's)
/// is followed by a left-aligned one: from the last inked pixel of the one to the first of the
/// next, as the header paints them. "Cost" and "User" must not read as one "Cost User".
QStringList crowdedTitles(QHeaderView *header, int minimumGap, int *compared)
{
    QStringList crowded;
    const QImage image = header->grab().toImage().convertToFormat(QImage::Format_RGB32);
    const QColor background = image.pixelColor(image.width() - 2, image.height() / 2);
    const auto inked = [&](int x) {
        // Text, not the section's separator line (which runs the whole height).
        int rows = 0;
        for (int y = 2; y < image.height() - 2; ++y) {
            const QColor c = image.pixelColor(x, y);
            rows += std::abs(c.lightness() - background.lightness()) > 60;
        }
        return rows > 0 && rows < image.height() - 6;
    };
    const QAbstractItemModel *model = header->model();
    for (int visual = 0; visual + 1 < header->count(); ++visual) {
        const int left = header->logicalIndex(visual);
        int right = -1;
        for (int next = visual + 1; next < header->count() && right < 0; ++next)
            if (!header->isSectionHidden(header->logicalIndex(next)))
                right = header->logicalIndex(next);
        if (header->isSectionHidden(left) || right < 0)
            continue;
        const auto alignment = [&](int section) {
            return Qt::Alignment(model->headerData(section, Qt::Horizontal, Qt::TextAlignmentRole).toInt())
                & Qt::AlignHorizontal_Mask;
        };
        if (!(alignment(left) & Qt::AlignRight) || (alignment(right) & Qt::AlignRight))
            continue;
        const int leftStart = header->sectionViewportPosition(left);
        const int rightStart = header->sectionViewportPosition(right);
        int leftInk = -1;
        for (int x = leftStart; x < rightStart; ++x)
            if (inked(x))
                leftInk = x;
        int rightInk = -1;
        for (int x = rightStart; x < std::min(image.width(), rightStart + header->sectionSize(right)) && rightInk < 0;
             ++x)
            if (inked(x))
                rightInk = x;
        if (leftInk < 0 || rightInk < 0)
            continue;
        ++*compared;
        if (rightInk - leftInk - 1 < minimumGap)
            crowded << QStringLiteral("\"%1\" and \"%2\": %3 px apart")
                           .arg(model->headerData(left, Qt::Horizontal).toString(),
                               model->headerData(right, Qt::Horizontal).toString())
                           .arg(rightInk - leftInk - 1);
    }
    return crowded;
}

} // namespace

class TestPolish : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void appIcon();
    void aboutDialog_data();
    void aboutDialog();
    void darkPalette();
    void headerTitlesApart();
    void documentation();
    void layoutRemembered();
    void smokeTest();
    void quitsOnSigterm();

private:
    void startApp();
    void stopApp();
    QString screenshot(const QString &name) const { return m_shots + QLatin1Char('/') + name; }

    QTemporaryDir m_dir;
    QString m_shots;
    QPalette m_lightPalette;
    std::unique_ptr<client::LocalBackend> m_backend;
    std::unique_ptr<client::TraceSourceRunner> m_runner;
    std::unique_ptr<MainWindow> m_window;
};

void TestPolish::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOpsPolishTest"));
    QCoreApplication::setApplicationName(QStringLiteral("polish"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    m_lightPalette = QApplication::style()->standardPalette();
    QApplication::setPalette(m_lightPalette);
    m_shots
        = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR", QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/polish"));
    QVERIFY(QDir().mkpath(m_shots));
}

void TestPolish::cleanupTestCase()
{
    stopApp();
    qInfo("screenshots in %s", qPrintable(m_shots));
}

void TestPolish::startApp()
{
    m_backend = std::make_unique<client::LocalBackend>(m_dir.filePath(QStringLiteral("traces.db")));
    m_backend->setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
    QString error;
    QVERIFY2(m_backend->start(&error), qPrintable(error));
    m_runner = std::make_unique<client::TraceSourceRunner>(m_backend->source());
    m_window = std::make_unique<MainWindow>(m_backend.get(), m_runner.get());
    m_window->setPollInterval(50);
}

void TestPolish::stopApp()
{
    if (m_window)
        m_window->close();
    m_window.reset();
    m_runner.reset();
    if (m_backend)
        m_backend->stop();
    m_backend.reset();
}

void TestPolish::appIcon()
{
    const QIcon icon(QStringLiteral(":/icons/org.agentops.Monitor.svg"));
    QVERIFY(!icon.isNull());
    for (const int size : { 16, 22, 24, 32, 48, 64, 128, 256, 512 }) {
        const QPixmap pixmap = icon.pixmap(QSize(size, size), 1.0);
        QCOMPARE(pixmap.size(), QSize(size, size));
        // The packaged PNG of every size exists and has that size.
        const QImage png(
            QStringLiteral(AGENTOPS_SOURCE_DIR "/resources/icons/hicolor/%1x%1/apps/org.agentops.Monitor.png")
                .arg(size));
        QCOMPARE(png.size(), QSize(size, size));
    }
    // High-DPI: at device pixel ratio 2 a 32 px icon is drawn from 64 device pixels, not scaled up.
    const QPixmap hiDpi = icon.pixmap(QSize(32, 32), 2.0);
    QCOMPARE(hiDpi.size(), QSize(64, 64));
    QCOMPARE(hiDpi.devicePixelRatio(), 2.0);

    // At 16 px the bars land on whole pixels: the first bar (teal) fills rows 3 and 4 from x 3 to 12,
    // the tile between the bars is dark blue.
    const QImage small = icon.pixmap(QSize(16, 16), 1.0).toImage().convertToFormat(QImage::Format_ARGB32);
    for (const QPoint p : { QPoint(6, 3), QPoint(6, 4), QPoint(11, 3) }) {
        const QColor c = small.pixelColor(p);
        QVERIFY2(c.green() > 150 && c.red() < 100 && c.alpha() == 255,
            qPrintable(QStringLiteral("pixel (%1,%2) is %3").arg(p.x()).arg(p.y()).arg(c.name(QColor::HexArgb))));
    }
    const QColor gap = small.pixelColor(6, 5);
    QVERIFY2(gap.lightness() < 80, qPrintable(gap.name()));
    QVERIFY(icon.pixmap(QSize(256, 256)).toImage().save(screenshot(QStringLiteral("icon-256.png"))));
}

void TestPolish::aboutDialog_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestPolish::aboutDialog()
{
    QFETCH(bool, dark);
    QApplication::setPalette(dark ? ::darkPalette() : m_lightPalette);
    AboutDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    auto *title = dialog.findChild<QLabel *>(QStringLiteral("aboutTitle"));
    QVERIFY(title);
    QVERIFY(title->text().contains(QStringLiteral(AGENTOPS_VERSION)));
    auto *icon = dialog.findChild<QLabel *>(QStringLiteral("aboutIcon"));
    QVERIFY(icon);
    QCOMPARE(icon->pixmap().deviceIndependentSize().toSize(), QSize(64, 64));

    auto *components = dialog.findChild<QTreeWidget *>(QStringLiteral("aboutComponents"));
    QVERIFY(components);
    QStringList names;
    for (int i = 0; i < components->topLevelItemCount(); ++i)
        names << components->topLevelItem(i)->text(0);
    QCOMPARE(names,
        QStringList({ QStringLiteral("Qt"), QStringLiteral("QtKeychain"), QStringLiteral("SQLite"),
            QStringLiteral("libcurl"), QStringLiteral("protobuf"), QStringLiteral("Boost.Beast"),
            QStringLiteral("nlohmann/json"), QStringLiteral("libsodium"), QStringLiteral("libpqxx"),
            QStringLiteral("zlib"), QStringLiteral("RE2") }));
    for (int i = 0; i < components->topLevelItemCount(); ++i)
        QVERIFY2(!components->topLevelItem(i)->text(2).isEmpty(), qPrintable(names.at(i)));
    // Versions the build recorded: Qt's is the one compiled against.
    QCOMPARE(components->topLevelItem(0)->text(1), QStringLiteral(QT_VERSION_STR));
    QVERIFY(components->topLevelItem(2)->text(1).startsWith(QLatin1Char('3'))); // SQLite 3.x

    const QString build = dialog.findChild<QPlainTextEdit *>(QStringLiteral("aboutBuild"))->toPlainText();
    QVERIFY2(build.contains(
                 QStringLiteral("Qt: built with " QT_VERSION_STR ", running with ") + QString::fromUtf8(qVersion())),
        qPrintable(build));
    QVERIFY2(build.contains(QStringLiteral("Compiler: GNU ")), qPrintable(build));
    QVERIFY2(build.contains(QStringLiteral("Build type: ")), qPrintable(build));
    QVERIFY(build.contains(QStringLiteral("Version: " AGENTOPS_VERSION)));
    const QString licence = dialog.findChild<QPlainTextEdit *>(QStringLiteral("aboutLicence"))->toPlainText();
    QVERIFY(licence.startsWith(QStringLiteral("MIT License")));
    QVERIFY(licence.contains(QStringLiteral("Permission is hereby granted, free of charge")));
    // The licence shown is the one in the repository's LICENSE, word for word (line breaks aside).
    QFile file(QStringLiteral(AGENTOPS_SOURCE_DIR "/LICENSE"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto words = [](const QString &s) { return s.simplified(); };
    QCOMPARE(words(licence), words(QString::fromUtf8(file.readAll())));

    const QStringList clipped = clippedLabels(&dialog);
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral("; "))));
    // The component table's first three columns show their text whole.
    for (int column = 0; column < 3; ++column)
        for (int i = 0; i < components->topLevelItemCount(); ++i) {
            const int need = components->fontMetrics().horizontalAdvance(components->topLevelItem(i)->text(column));
            QVERIFY2(components->columnWidth(column) >= need, qPrintable(components->topLevelItem(i)->text(column)));
        }

    // Copy Build Details puts exactly the build details on the clipboard.
    QGuiApplication::clipboard()->clear();
    const auto buttons = dialog.findChildren<QPushButton *>();
    for (QPushButton *button : buttons)
        if (button->text() == AboutDialog::tr("Copy Build Details"))
            button->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), AboutDialog::buildDetails());

    const QString suffix = dark ? QStringLiteral("-dark") : QString();
    QVERIFY(dialog.grab().save(screenshot(QStringLiteral("about%1.png").arg(suffix))));
    dialog.tabs()->setCurrentIndex(1);
    QVERIFY(dialog.grab().save(screenshot(QStringLiteral("about-build%1.png").arg(suffix))));
    QApplication::setPalette(m_lightPalette);
}

void TestPolish::darkPalette()
{
    QApplication::setPalette(::darkPalette());
    startApp();
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    const auto result = m_backend->pipeline()->submit(sampleTraces(now));
    QCOMPARE(int(result.outcome), int(store::IngestPipeline::Outcome::Committed));
    auto *list = m_window->traceListPage();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 3, 10000);
    QTest::qWait(50);
    QVERIFY(m_window->grab().save(screenshot(QStringLiteral("tracelist-dark.png"))));
    QVERIFY2(meanLightness(list) < 100, "the trace list is not dark in a dark palette");
    auto *navigation = m_window->findChild<QWidget *>(QStringLiteral("navigation"));
    QVERIFY(navigation);
    QVERIFY2(meanLightness(navigation) < 100, qPrintable(QString::number(meanLightness(navigation))));
    QStringList clipped = clippedLabels(m_window.get());
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral("; "))));

    // The failing trace, its first model call selected: waterfall and span details.
    m_window->openTrace(list->model()->trace(1).trace_id);
    auto *page = m_window->traceViewPage();
    QTRY_VERIFY(page->trace() != nullptr);
    page->setCurrentSpan(1);
    QTRY_COMPARE(page->currentSpan(), 1);
    QTest::qWait(100);
    QVERIFY(m_window->grab().save(screenshot(QStringLiteral("traceview-dark.png"))));
    const int waterfallDark = meanLightness(page->waterfall());
    QVERIFY2(waterfallDark >= 0 && waterfallDark < 100, qPrintable(QString::number(waterfallDark)));
    const int detailsDark = meanLightness(page->details());
    QVERIFY2(detailsDark >= 0 && detailsDark < 100, qPrintable(QString::number(detailsDark)));
    clipped = clippedLabels(m_window.get());
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral("; "))));

    // Switching the system palette while running (the desktop's light/dark switch) repaints them light.
    QApplication::setPalette(m_lightPalette);
    QTest::qWait(100);
    QVERIFY(m_window->grab().save(screenshot(QStringLiteral("traceview-light.png"))));
    const int waterfallLight = meanLightness(page->waterfall());
    QVERIFY2(waterfallLight > 160, qPrintable(QString::number(waterfallLight)));
    const int detailsLight = meanLightness(page->details());
    QVERIFY2(detailsLight > 160, qPrintable(QString::number(detailsLight)));
    QVERIFY2(meanLightness(navigation) > 160, qPrintable(QString::number(meanLightness(navigation))));

    QApplication::setPalette(::darkPalette());
    m_window->showPage(MainWindow::Page::Dashboard);
    QTest::qWait(500);
    QVERIFY(m_window->grab().save(screenshot(QStringLiteral("dashboard-dark.png"))));
    const int dashboardDark = meanLightness(m_window->dashboardPage());
    QVERIFY2(dashboardDark >= 0 && dashboardDark < 100, qPrintable(QString::number(dashboardDark)));
    QApplication::setPalette(m_lightPalette);
    stopApp();
}

void TestPolish::headerTitlesApart()
{
    // Where a right-aligned figure's column is followed by a text column (Cost | Models, Cost |
    // User, Count | Last seen), the titles are as far apart as the cells below them.
    startApp();
    m_window->resize(1280, 720);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    const auto result = m_backend->pipeline()->submit(sampleTraces(now));
    QCOMPARE(int(result.outcome), int(store::IngestPipeline::Outcome::Committed));
    auto *list = m_window->traceListPage();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 3, 10000);
    QTest::qWait(100);
    QList<QHeaderView *> headers { list->view()->horizontalHeader() };
    m_window->showPage(MainWindow::Page::Sessions);
    auto *sessions = m_window->sessionsPage();
    QTRY_VERIFY(sessions->sessionView()->model()->rowCount() > 0);
    sessions->sessionView()->selectRow(0);
    QTRY_VERIFY(sessions->traceView()->model()->rowCount() > 0);
    QTest::qWait(100);
    headers << sessions->sessionView()->horizontalHeader() << sessions->traceView()->horizontalHeader();
    QVERIFY(m_window->grab().save(screenshot(QStringLiteral("sessions-headers.png"))));
    m_window->showPage(MainWindow::Page::Dashboard);
    auto *view = m_window->dashboardPage()->view();
    QTRY_VERIFY_WITH_TIMEOUT(view->errorTable()->model()->rowCount() > 0, 10000);
    QTest::qWait(100);
    headers << view->errorTable()->horizontalHeader() << view->slowestTable()->horizontalHeader()
            << view->costliestTable()->horizontalHeader();
    QStringList crowded;
    int compared = 0;
    for (QHeaderView *header : headers)
        crowded << crowdedTitles(header, 10, &compared);
    QVERIFY(compared >= 4);
    QVERIFY2(crowded.isEmpty(), qPrintable(crowded.join(QStringLiteral("; "))));
    stopApp();
}

void TestPolish::documentation()
{
    using ui::DocumentationBrowser;
    // Installed as the package installs it: the README and the pages it links, side by side under
    // <prefix>/share/doc/agentops-monitor.
    QTemporaryDir prefix;
    QVERIFY(prefix.isValid());
    QProcess install;
    install.start(QStringLiteral("cmake"),
        { QStringLiteral("--install"), QStringLiteral(AGENTOPS_BINARY_DIR), QStringLiteral("--component"),
            QStringLiteral("monitor"), QStringLiteral("--prefix"), prefix.path() });
    QVERIFY(install.waitForFinished(120000));
    QVERIFY2(install.exitCode() == 0, install.readAllStandardError().constData());
    const QDir docs(prefix.filePath(QStringLiteral("share/doc/agentops-monitor")));
    QFile readme(docs.filePath(QStringLiteral("README.md")));
    QVERIFY(readme.open(QIODevice::ReadOnly));
    const QString readmeText = QString::fromUtf8(readme.readAll());
    static const QRegularExpression link(QStringLiteral("\\]\\(([^)#:]+)\\)"));
    int linked = 0;
    for (auto it = link.globalMatch(readmeText); it.hasNext();) {
        const QString target = it.next().captured(1);
        ++linked;
        QVERIFY2(QFile::exists(docs.filePath(target)), qPrintable(target + QStringLiteral(" is not installed")));
    }
    QVERIFY(linked >= 10);
    // The installed program (<prefix>/bin) looks there first.
    QCOMPARE(DocumentationBrowser::searchPaths().value(0),
        QDir::cleanPath(
            QCoreApplication::applicationDirPath() + QStringLiteral("/../share/doc/agentops-monitor/README.md")));
    const QString found = DocumentationBrowser::readmePath();
    QVERIFY(!found.isEmpty());

    // The About dialog links the README, not a placeholder web page.
    {
        AboutDialog about;
        auto *links = about.findChild<QLabel *>(QStringLiteral("aboutLinks"));
        QVERIFY(links);
        QVERIFY2(
            links->text().contains(QUrl::fromLocalFile(found).toString(QUrl::FullyEncoded)), qPrintable(links->text()));
        QVERIFY(!links->text().contains(QStringLiteral("example.org")));
        QSignalSpy requested(&about, &AboutDialog::documentationRequested);
        Q_EMIT links->linkActivated(QUrl::fromLocalFile(found).toString());
        QCOMPARE(requested.count(), 1);
    }

    // Help ▸ Documentation: the README, its links followed in place, Back.
    startApp();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    auto *action = m_window->findChild<QAction *>(QStringLiteral("documentationAction"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::HelpContents));
    action->trigger();
    auto *browser = m_window->findChild<DocumentationBrowser *>();
    QVERIFY(browser);
    QTRY_VERIFY(browser->isVisible());
    QCOMPARE(browser->source(), QUrl::fromLocalFile(found));
    QVERIFY(browser->browser()->toPlainText().contains(QStringLiteral("Set-up on Debian 12")));
    const QStringList clipped = clippedLabels(browser);
    QVERIFY2(clipped.isEmpty(), qPrintable(clipped.join(QStringLiteral("; "))));
    QVERIFY(browser->findChild<QLabel *>(QStringLiteral("documentationLocation"))
                ->text()
                .endsWith(QStringLiteral("README.md")));
    QVERIFY(browser->grab().save(screenshot(QStringLiteral("documentation.png"))));
    // The README's screenshots (1280 px wide) fit the view, keeping their aspect, at any width of
    // it; nothing, not even a long command in a code block, needs a horizontal scroll bar.
    for (const int width : { 0, 560, 1100 }) {
        if (width > 0)
            browser->resize(width, browser->height());
        QTest::qWait(50);
        QTextBrowser *text = browser->browser();
        QTextDocument *document = text->document();
        int images = 0;
        for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
            for (auto it = block.begin(); !it.atEnd(); ++it) {
                const QTextFormat format = it.fragment().charFormat();
                if (!format.isImageFormat())
                    continue;
                const QString name = format.toImageFormat().name();
                const QImage image = document->resource(QTextDocument::ImageResource, QUrl(name)).value<QImage>();
                QVERIFY2(!image.isNull(), qPrintable(name));
                ++images;
                QVERIFY2(image.width() <= text->viewport()->width(),
                    qPrintable(QStringLiteral("%1: %2 px in a view %3 px wide")
                                   .arg(name)
                                   .arg(image.width())
                                   .arg(text->viewport()->width())));
                QVERIFY2(image.width() * 2 > text->viewport()->width(), qPrintable(name));
                QCOMPARE(qRound(image.width() * 720.0 / 1280), image.height());
            }
        QCOMPARE(images, 5); // the README's screenshots
        QCOMPARE(text->horizontalScrollBar()->maximum(), 0);
    }
    QVERIFY(browser->grab().save(screenshot(QStringLiteral("documentation-wide.png"))));
    Q_EMIT browser->browser()->anchorClicked(QUrl(QStringLiteral("docs/troubleshooting.md")));
    QTRY_VERIFY(browser->source().path().endsWith(QStringLiteral("docs/troubleshooting.md")));
    QVERIFY(browser->browser()->toPlainText().startsWith(QStringLiteral("Troubleshooting")));
    QVERIFY(browser->findChild<QLabel *>(QStringLiteral("documentationLocation"))
                ->text()
                .endsWith(QStringLiteral("troubleshooting.md")));
    browser->browser()->backward();
    QCOMPARE(browser->source(), QUrl::fromLocalFile(found));
    QVERIFY(browser->findChild<QLabel *>(QStringLiteral("documentationLocation"))
                ->text()
                .endsWith(QStringLiteral("README.md")));
    // Asked again, the same window comes to the front.
    action->trigger();
    QCOMPARE(m_window->findChildren<DocumentationBrowser *>().size(), 1);
    stopApp();
}

void TestPolish::layoutRemembered()
{
    startApp();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->resize(1180, 780);
    m_window->showPage(MainWindow::Page::Trace);
    auto *splitter = m_window->traceViewPage()->findChild<QSplitter *>();
    QVERIFY(splitter);
    QTest::qWait(20);
    const int total = splitter->sizes().value(0) + splitter->sizes().value(1);
    QVERIFY(total > 400);
    splitter->setSizes({ total / 3, total - total / 3 });
    const QList<int> sizes = splitter->sizes();
    QTest::qWait(20);
    stopApp(); // closing the window saves its layout

    startApp();
    QCOMPARE(m_window->size(), QSize(1180, 780));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->showPage(MainWindow::Page::Trace);
    auto *restored = m_window->traceViewPage()->findChild<QSplitter *>();
    QVERIFY(restored);
    QTRY_COMPARE(restored->sizes(), sizes);
    stopApp();
}

/// The environment of a program run by the tests: offscreen, its settings and data in dir.
static QProcessEnvironment programEnvironment(const QString &dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("HOME"), dir);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir + QStringLiteral("/data"));
    return env;
}

void TestPolish::smokeTest()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcess monitor;
    monitor.setProcessEnvironment(programEnvironment(home.path()));
    monitor.start(QStringLiteral(AGENTOPS_MONITOR_BINARY), { QStringLiteral("--smoke-test") });
    QVERIFY(monitor.waitForFinished(60000));
    const QString out = QString::fromUtf8(monitor.readAllStandardOutput());
    QVERIFY2(monitor.exitStatus() == QProcess::NormalExit && monitor.exitCode() == 0,
        qPrintable(out + QString::fromUtf8(monitor.readAllStandardError())));
    QVERIFY2(out.contains(QStringLiteral("passed: one OTLP span received on http://127.0.0.1:")), qPrintable(out));
    // It used a temporary database and settings: nothing of the user's was written.
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral("data/AgentOps/AgentOps Monitor/traces.db"))));
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral("config/AgentOps/AgentOps Monitor.conf"))));

    // A failure is reported, not passed: the port it is told to use is taken.
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost));
    QProcess busy;
    busy.setProcessEnvironment(programEnvironment(home.path()));
    busy.start(QStringLiteral(AGENTOPS_MONITOR_BINARY),
        { QStringLiteral("--smoke-test"), QStringLiteral("--port"), QString::number(taken.serverPort()) });
    QVERIFY(busy.waitForFinished(60000));
    QCOMPARE(busy.exitCode(), 1);
    const QString err = QString::fromUtf8(busy.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("Port %1 is in use").arg(taken.serverPort())), qPrintable(err));
}

void TestPolish::quitsOnSigterm()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcess monitor;
    monitor.setProcessEnvironment(programEnvironment(home.path()));
    monitor.start(QStringLiteral(AGENTOPS_MONITOR_BINARY), { QStringLiteral("--port"), QStringLiteral("0") });
    QVERIFY(monitor.waitForStarted());
    // Up once the database exists and the event loop has had time to show the window.
    const QString db = home.filePath(QStringLiteral("data/AgentOps/AgentOps Monitor/traces.db"));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(db), 20000);
    QTest::qWait(500);
    QCOMPARE(monitor.state(), QProcess::Running);
    ::kill(static_cast<pid_t>(monitor.processId()), SIGTERM);
    QVERIFY(monitor.waitForFinished(20000));
    QCOMPARE(monitor.exitStatus(), QProcess::NormalExit);
    QVERIFY2(monitor.exitCode() == 0, qPrintable(QString::fromUtf8(monitor.readAllStandardError())));
    // Closing the window on the way out saved its layout.
    const QSettings saved(home.filePath(QStringLiteral("config/AgentOps/AgentOps Monitor.conf")), QSettings::IniFormat);
    QVERIFY(!saved.value(QStringLiteral("window/geometry")).toByteArray().isEmpty());
    QVERIFY(!saved.value(QStringLiteral("traceView/splitter")).toByteArray().isEmpty());
}

QTEST_MAIN(TestPolish)
#include "tst_polish.moc"

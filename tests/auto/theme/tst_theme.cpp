// SPDX-License-Identifier: MIT
#include "client/localbackend.h"
#include "client/sourcemanager.h"
#include "client/tracesourcerunner.h"
#include "common/theme.h"
#include "dashboard/dashboardpage.h"
#include "dashboard/dashboardview.h"
#include "dashboard/kpitile.h"
#include "details/payloadview.h"
#include "details/spandetailsview.h"
#include "shell/mainwindow.h"
#include "shell/sessionlistmodel.h"
#include "shell/sessionspage.h"
#include "shell/settingsdialog.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "shell/traceviewpage.h"
#include "signin/signindialog.h"
#include "signin/sourcecontroller.h"
#include "support/appwindow.h"
#include "waterfall/spancolors.h"
#include "waterfall/waterfallview.h"

#include <QAbstractBarSeries>
#include <QAbstractItemModel>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLegend>
#include <QPointer>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyle>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>
#include <QToolButton>
#include <QTreeView>
#include <QXYSeries>

#include <functional>
#include <memory>

using namespace agentops;
using ui::MainWindow;
namespace theme = ui::theme;

namespace {

/// Text of @p document that reads below @p minimum against what is behind it: the cell it is in
/// (message tints, code blocks), else @p background. Each entry names the text and the ratio.
QStringList lowContrastText(const QTextDocument &document, const QColor &text, const QColor &background, double minimum)
{
    QStringList low;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        QColor behind = background;
        QTextCursor cursor(block);
        if (QTextTable *table = cursor.currentTable()) {
            const QTextTableCell cell = table->cellAt(cursor);
            if (cell.format().background().style() != Qt::NoBrush)
                behind = cell.format().background().color();
            else if (table->format().background().style() != Qt::NoBrush)
                behind = table->format().background().color();
        }
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid() || fragment.text().trimmed().isEmpty())
                continue;
            const QTextCharFormat format = fragment.charFormat();
            const QColor fg = format.foreground().style() != Qt::NoBrush ? format.foreground().color() : text;
            const QColor bg = format.background().style() != Qt::NoBrush ? format.background().color() : behind;
            const double ratio = theme::contrastRatio(theme::over(fg, bg), bg);
            if (ratio < minimum)
                low << QStringLiteral("'%1' %2 on %3: %4")
                           .arg(fragment.text().left(30), fg.name(), bg.name())
                           .arg(ratio, 0, 'f', 2);
        }
    }
    return low;
}

/// The same for a label's rich text: on the label's window colour, in its text colour.
QStringList lowContrastLabel(const QLabel *label, double minimum)
{
    QTextDocument document;
    document.setHtml(label->text());
    const QPalette &pal = label->palette();
    return lowContrastText(document, pal.color(QPalette::WindowText), pal.color(QPalette::Window), minimum);
}

QString ratioNote(const QString &what, const QColor &fg, const QColor &bg)
{
    return QStringLiteral("%1: %2 on %3 is %4:1")
        .arg(what, fg.name(), bg.name())
        .arg(theme::contrastRatio(fg, bg), 0, 'f', 2);
}

#define CHECK_CONTRAST(what, fg, bg, minimum)                                                                          \
    QVERIFY2(theme::contrastRatio((fg), (bg)) >= (minimum), qPrintable(ratioNote((what), (fg), (bg))))

/// Mean lightness (0-255) of a widget's rendering.
int meanLightness(QWidget *widget)
{
    const QImage image = widget->grab().toImage().convertToFormat(QImage::Format_RGB32);
    qint64 sum = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            sum += QColor(image.pixel(x, y)).lightness();
    return image.isNull() ? -1 : static_cast<int>(sum / (qint64(image.width()) * image.height()));
}

/// The colours of every widget under @p root that people read, by the widget's place in the tree
/// (class, object name and index among its siblings, from the root down).
QHash<QString, QList<QColor>> paletteColors(QWidget *root)
{
    QHash<QString, QList<QColor>> colors;
    const std::function<void(QWidget *, const QString &)> walk = [&](QWidget *w, const QString &path) {
        QList<QColor> roles;
        for (auto role : { QPalette::WindowText, QPalette::Window, QPalette::ButtonText, QPalette::Button,
                 QPalette::Text, QPalette::Base, QPalette::PlaceholderText, QPalette::Highlight })
            roles << w->palette().color(role);
        colors.insert(path, roles);
        int index = 0;
        for (QObject *child : w->children())
            if (auto *widget = qobject_cast<QWidget *>(child); widget && !widget->isWindow())
                walk(widget,
                    path
                        + QStringLiteral("/%1#%2[%3]")
                              .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName())
                              .arg(index++));
    };
    walk(root, QString::fromLatin1(root->metaObject()->className()));
    return colors;
}

} // namespace

class TestTheme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void contrastFormula();
    void paletteAppliedPerChoice_data();
    void paletteAppliedPerChoice();
    void systemFollowsTheDesktop();
    void choicePersistsAndAppliesAtOnce();
    void aLiveSwitchLeavesNoOldColours_data();
    void aLiveSwitchLeavesNoOldColours();
    void readableEverywhere_data();
    void readableEverywhere();

private:
    void startApp();
    void setDesktopScheme(const QString &scheme);

    QTemporaryDir m_home;
    QString m_platformStyle;
    QPalette m_platformPalette;
    QString m_shots;
    test::AppWindow m_app; ///< its window is the one under test
};

void TestTheme::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Settings of their own; XDG_CONFIG_HOME stays the session's, where its dconf keeps GNOME's settings.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_home.filePath(QStringLiteral("config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
    qunsetenv("GTK_THEME");
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOps"));
    QCoreApplication::setApplicationName(QStringLiteral("AgentOps Monitor Theme Test"));
    // What the platform gives before the app chooses anything: System returns to it.
    m_platformStyle = QApplication::style()->name();
    m_platformPalette = QApplication::palette();
    m_shots = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/theme");
    QVERIFY(QDir().mkpath(m_shots));
}

void TestTheme::init()
{
    setDesktopScheme(QStringLiteral("default"));
}

void TestTheme::cleanup()
{
    m_app.stop();
    qunsetenv("GTK_THEME");
    QSettings().remove(theme::settingsKey());
}

void TestTheme::setDesktopScheme(const QString &scheme)
{
    // GNOME's own setting, in the test's private D-Bus session and dconf database.
    const int status = QProcess::execute(QStringLiteral("gsettings"),
        { QStringLiteral("set"), QStringLiteral("org.gnome.desktop.interface"), QStringLiteral("color-scheme"),
            scheme });
    QCOMPARE(status, 0);
}

void TestTheme::startApp()
{
    m_app.start({ QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/adk-js.otlp.json"),
                    QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/vercel-ai.otlp.json") },
        false);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY(m_app.window->traceListPage()->model()->rowCount() >= 3);
}

void TestTheme::contrastFormula()
{
    // WCAG 2's published figures.
    QCOMPARE(qRound(theme::contrastRatio(Qt::black, Qt::white) * 100), 2100);
    QCOMPARE(qRound(theme::contrastRatio(QColor(0x76, 0x76, 0x76), Qt::white) * 100), 454);
    QCOMPARE(qRound(theme::contrastRatio(QColor(0x77, 0x77, 0x77), Qt::white) * 100), 448);
    // readable() keeps a colour that reads and moves one that does not just far enough.
    QCOMPARE(theme::readable(QColor(0x25, 0x6f, 0xd9), Qt::white, 4.5), QColor(0x25, 0x6f, 0xd9));
    const QColor amber = theme::readable(QColor(0xff, 0xc1, 0x07), Qt::white, 4.5);
    QVERIFY(theme::contrastRatio(amber, Qt::white) >= 4.5);
    QVERIFY(theme::contrastRatio(amber, Qt::white) < 5.2);
    QVERIFY(amber.hue() >= 30 && amber.hue() <= 50);
}

void TestTheme::paletteAppliedPerChoice_data()
{
    QTest::addColumn<int>("choice");
    QTest::newRow("light") << int(theme::Choice::Light);
    QTest::newRow("dark") << int(theme::Choice::Dark);
    QTest::newRow("system") << int(theme::Choice::System);
}

void TestTheme::paletteAppliedPerChoice()
{
    QFETCH(int, choice);
    const auto c = static_cast<theme::Choice>(choice);
    startApp();
    m_app.window->openTrace(m_app.window->traceListPage()->model()->trace(0).trace_id);
    QTRY_VERIFY(m_app.window->traceViewPage()->trace());

    // From the other extreme, so that every choice changes something.
    theme::apply(c == theme::Choice::Dark ? theme::Choice::Light : theme::Choice::Dark);
    QTest::qWait(50);
    theme::apply(c);
    QCOMPARE(theme::current(), c);
    const QPalette expected = c == theme::Choice::Light ? theme::lightPalette()
        : c == theme::Choice::Dark                      ? theme::darkPalette()
                                                        : m_platformPalette;
    const QString style = c == theme::Choice::System ? m_platformStyle : QStringLiteral("fusion");
    QCOMPARE(QApplication::style()->name().toLower(), style.toLower());
    for (const auto role : { QPalette::Window, QPalette::WindowText, QPalette::Base, QPalette::Text,
             QPalette::Highlight, QPalette::Button, QPalette::PlaceholderText }) {
        QCOMPARE(QApplication::palette().color(role), expected.color(role));
        // Every widget follows as soon as the events are through, the window's pages included.
        QTRY_COMPARE(m_app.window->palette().color(role), expected.color(role));
        QTRY_COMPARE(
            m_app.window->traceListPage()->view()->palette().color(QPalette::Base), expected.color(QPalette::Base));
    }
    // Custom-painted parts repaint in it: the waterfall is dark in Dark and light otherwise.
    QTest::qWait(100);
    const int waterfall = meanLightness(m_app.window->traceViewPage()->waterfall());
    QVERIFY2(c == theme::Choice::Dark ? waterfall < 100 : waterfall > 150, qPrintable(QString::number(waterfall)));
}

void TestTheme::systemFollowsTheDesktop()
{
    // Qt 6.4 has no colour-scheme hint; the desktop's own setting decides System.
    theme::apply(theme::Choice::System);
    QVERIFY(!theme::desktopPrefersDark());
    QVERIFY(!theme::isDark(QApplication::palette()));
    QCOMPARE(QApplication::style()->name(), m_platformStyle);

    // GNOME: Settings ▸ Appearance ▸ Dark.
    setDesktopScheme(QStringLiteral("prefer-dark"));
    QVERIFY(theme::desktopPrefersDark());
    theme::apply(theme::Choice::System);
    QVERIFY(theme::isDark(QApplication::palette()));
    QCOMPARE(QApplication::palette().color(QPalette::Base), theme::darkPalette().color(QPalette::Base));
    // Back to light while the app runs: it follows when it becomes active again.
    setDesktopScheme(QStringLiteral("default"));
    Q_EMIT qApp->applicationStateChanged(Qt::ApplicationActive);
    QVERIFY(!theme::isDark(QApplication::palette()));
    QCOMPARE(QApplication::palette().color(QPalette::Base), m_platformPalette.color(QPalette::Base));
    // And to dark again.
    setDesktopScheme(QStringLiteral("prefer-dark"));
    Q_EMIT qApp->applicationStateChanged(Qt::ApplicationActive);
    QVERIFY(theme::isDark(QApplication::palette()));
    // An explicit choice is not overruled by the desktop.
    theme::apply(theme::Choice::Light);
    Q_EMIT qApp->applicationStateChanged(Qt::ApplicationActive);
    QCOMPARE(QApplication::palette().color(QPalette::Base), theme::lightPalette().color(QPalette::Base));
    setDesktopScheme(QStringLiteral("default"));

    // GTK's own override (GTK_THEME=Adwaita:dark), as other GTK desktops set it.
    qputenv("GTK_THEME", "Adwaita:dark");
    theme::apply(theme::Choice::System);
    QVERIFY(theme::isDark(QApplication::palette()));
    qunsetenv("GTK_THEME");
    theme::apply(theme::Choice::System);
    QVERIFY(!theme::isDark(QApplication::palette()));
}

void TestTheme::choicePersistsAndAppliesAtOnce()
{
    theme::apply(theme::Choice::System);
    QCOMPARE(theme::configured(), theme::Choice::System);
    client::ServerSettings settings;
    {
        // Choosing Dark shows it at once; Cancel goes back.
        ui::SettingsDialog dialog(settings, QStringLiteral("/tmp/traces.db"));
        dialog.show();
        auto *box = dialog.findChild<QComboBox *>(QStringLiteral("themeBox"));
        QVERIFY(box);
        QCOMPARE(box->count(), 3);
        QCOMPARE(box->currentData().toInt(), int(theme::Choice::System));
        box->setCurrentIndex(box->findData(int(theme::Choice::Dark)));
        QVERIFY(theme::isDark(QApplication::palette()));
        QTRY_VERIFY(theme::isDark(dialog.palette()));
        QVERIFY(dialog.grab().save(m_shots + QStringLiteral("/settings-dark.png")));
        dialog.reject();
        QVERIFY(!theme::isDark(QApplication::palette()));
        QCOMPARE(theme::current(), theme::Choice::System);
        QVERIFY(!QSettings().contains(theme::settingsKey()));
    }
    {
        // OK keeps it, in the settings, for the next start.
        ui::SettingsDialog dialog(settings, QStringLiteral("/tmp/traces.db"));
        auto *box = dialog.findChild<QComboBox *>(QStringLiteral("themeBox"));
        QVERIFY(box);
        box->setCurrentIndex(box->findData(int(theme::Choice::Dark)));
        dialog.accept();
        QCOMPARE(QSettings().value(theme::settingsKey()).toString(), QStringLiteral("dark"));
        QCOMPARE(theme::configured(), theme::Choice::Dark);
        QVERIFY(theme::isDark(QApplication::palette()));
    }
    // The next start (main() applies the configured choice before any window).
    theme::apply(theme::Choice::System);
    theme::applyConfigured();
    QVERIFY(theme::isDark(QApplication::palette()));
    {
        ui::SettingsDialog dialog(settings, QStringLiteral("/tmp/traces.db"));
        auto *box = dialog.findChild<QComboBox *>(QStringLiteral("themeBox"));
        QVERIFY(box);
        QCOMPARE(box->currentData().toInt(), int(theme::Choice::Dark));
        box->setCurrentIndex(box->findData(int(theme::Choice::Light)));
        QVERIFY(dialog.grab().save(m_shots + QStringLiteral("/settings-light.png")));
        box->setCurrentIndex(box->findData(int(theme::Choice::System)));
        dialog.accept();
        QVERIFY(!QSettings().contains(theme::settingsKey()));
        QCOMPARE(theme::configured(), theme::Choice::System);
        QVERIFY(!theme::isDark(QApplication::palette()));
    }
}

void TestTheme::aLiveSwitchLeavesNoOldColours_data()
{
    QTest::addColumn<int>("choice");
    QTest::newRow("dark to light") << int(theme::Choice::Light);
    QTest::newRow("light to dark") << int(theme::Choice::Dark);
}

void TestTheme::aLiveSwitchLeavesNoOldColours()
{
    // Switched in Settings while the app runs, a theme looks as it does after a restart: every
    // widget of the window (every page, a trace open, the source switcher) has the colours it has
    // when the app starts in that theme, none kept from the theme it was created in.
    QFETCH(int, choice);
    const auto c = static_cast<theme::Choice>(choice);
    const auto other = c == theme::Choice::Light ? theme::Choice::Dark : theme::Choice::Light;
    const auto openTrace = [this] {
        m_app.window->openTrace(m_app.window->traceListPage()->model()->trace(0).trace_id);
        QTRY_VERIFY(m_app.window->traceViewPage()->trace());
        QTest::qWait(100);
    };
    // After a restart in the theme.
    theme::apply(c);
    startApp();
    openTrace();
    const QHash<QString, QList<QColor>> restarted = paletteColors(m_app.window.get());
    cleanup();
    // Started in the other theme, then switched.
    theme::apply(other);
    startApp();
    openTrace();
    theme::apply(c);
    QTest::qWait(100);
    const QHash<QString, QList<QColor>> switched = paletteColors(m_app.window.get());
    QStringList stale;
    int compared = 0;
    for (auto it = switched.constBegin(); it != switched.constEnd(); ++it) {
        const auto fresh = restarted.constFind(it.key());
        if (fresh == restarted.constEnd())
            continue; // built for the other theme's colours, then rebuilt: compared by what it shows
        ++compared;
        for (int r = 0; r < it.value().size(); ++r)
            if (it.value()[r] != fresh.value()[r])
                stale << QStringLiteral("%1, role %2: %3, after a restart %4")
                             .arg(it.key())
                             .arg(r)
                             .arg(it.value()[r].name(), fresh.value()[r].name());
    }
    QVERIFY(compared > 100);
    QVERIFY2(stale.isEmpty(), qPrintable(stale.join(QLatin1Char('\n'))));
    // What the user saw: the switcher's text reads on the tool bar.
    auto *switcher = m_app.window->sourceController()->switcher();
    QVERIFY(switcher->isVisible());
    CHECK_CONTRAST(QStringLiteral("source switcher"), switcher->palette().color(QPalette::ButtonText),
        QApplication::palette().color(QPalette::Window), 4.5);
    QVERIFY(m_app.window->grab().save(m_shots
        + QStringLiteral("/live-switch-%1.png")
              .arg(c == theme::Choice::Light ? QStringLiteral("light") : QStringLiteral("dark"))));
    theme::apply(theme::Choice::System);
}

void TestTheme::readableEverywhere_data()
{
    QTest::addColumn<int>("choice");
    QTest::newRow("light") << int(theme::Choice::Light);
    QTest::newRow("dark") << int(theme::Choice::Dark);
}

void TestTheme::readableEverywhere()
{
    // What is shown of real framework traces reads in both themes: text at 4.5:1 and bars, marks and
    // chart series at 3:1 against what is behind them (WCAG 2.1, 1.4.3 and 1.4.11).
    QFETCH(int, choice);
    const auto c = static_cast<theme::Choice>(choice);
    const QString suffix = c == theme::Choice::Dark ? QStringLiteral("-dark") : QStringLiteral("-light");
    theme::apply(c);
    startApp();
    const QPalette pal = QApplication::palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor window = pal.color(QPalette::Window);
    const bool dark = theme::isDark(pal);
    QCOMPARE(dark, c == theme::Choice::Dark);

    // The palettes themselves.
    CHECK_CONTRAST(QStringLiteral("text"), pal.color(QPalette::Text), base, 7.0);
    CHECK_CONTRAST(QStringLiteral("window text"), pal.color(QPalette::WindowText), window, 7.0);
    CHECK_CONTRAST(QStringLiteral("secondary text"), pal.color(QPalette::PlaceholderText), base, 4.5);
    CHECK_CONTRAST(
        QStringLiteral("selected text"), pal.color(QPalette::HighlightedText), pal.color(QPalette::Highlight), 4.5);
    CHECK_CONTRAST(QStringLiteral("link"), pal.color(QPalette::Link), base, 4.5);

    // The trace list: the failed run's error count on its tinted row, and the status dots.
    auto *list = m_app.window->traceListPage();
    const auto *model = list->model();
    int failedRow = -1;
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->trace(row).error_count > 0)
            failedRow = row;
    QVERIFY(failedRow >= 0);
    const QModelIndex errors = model->index(failedRow, ui::TraceTableModel::ErrorsColumn);
    // A translucent row tint is seen over the list's base.
    const QColor rowTint = theme::over(errors.data(Qt::BackgroundRole).value<QColor>(), base);
    CHECK_CONTRAST(QStringLiteral("error count"), errors.data(Qt::ForegroundRole).value<QColor>(), rowTint, 4.5);
    for (int row = 0; row < model->rowCount(); ++row)
        for (int column = 0; column < model->columnCount(); ++column) {
            const QModelIndex index = model->index(row, column);
            const QVariant fg = index.data(Qt::ForegroundRole);
            if (!fg.isValid())
                continue;
            const QVariant bg = index.data(Qt::BackgroundRole);
            CHECK_CONTRAST(QStringLiteral("list cell %1,%2").arg(row).arg(column), fg.value<QColor>(),
                bg.isValid() ? theme::over(bg.value<QColor>(), base) : base, 4.5);
        }
    for (int row = 0; row < model->rowCount(); ++row) {
        const QImage dot = model->index(row, ui::TraceTableModel::NameColumn)
                               .data(Qt::DecorationRole)
                               .value<QIcon>()
                               .pixmap(QSize(10, 10), 2.0)
                               .toImage();
        const QColor centre = dot.pixelColor(dot.width() / 2, dot.height() / 2);
        CHECK_CONTRAST(QStringLiteral("status dot"), centre, row == failedRow ? rowTint : base, 3.0);
    }
    QVERIFY(m_app.window->grab().save(m_shots + QStringLiteral("/tracelist%1.png").arg(suffix)));

    // The status line and the empty list's hint.
    QStringList low = lowContrastLabel(m_app.window->serverStatusLabel(), 3.0);
    QVERIFY2(low.isEmpty(), qPrintable(low.join(QLatin1Char('\n'))));

    // The failed ADK run: the trace header, the waterfall, the conversation.
    m_app.window->openTrace(model->trace(failedRow).trace_id);
    auto *page = m_app.window->traceViewPage();
    QTRY_VERIFY(page->trace() && !page->isLoading());
    const QList<QLabel *> facts = page->findChildren<QLabel *>();
    int headers = 0;
    for (QLabel *label : facts)
        if (label->textFormat() == Qt::RichText && label->text().contains(QStringLiteral("Errors"))) {
            ++headers;
            low = lowContrastLabel(label, 4.5);
            QVERIFY2(low.isEmpty(), qPrintable(low.join(QLatin1Char('\n'))));
            QVERIFY(label->text().contains(theme::errorText(pal).name())); // the error count in red
        }
    QCOMPARE(headers, 1);

    // Waterfall: every kind's bar, its duration label inside the bar, errors, secondary text.
    const QColor treeBase = page->waterfall()->findChild<QTreeView *>()->palette().color(QPalette::Base);
    for (int k = 0; k <= int(core::SpanKind::Other); ++k) {
        const QColor bar = ui::SpanColors::kindColor(core::SpanKind(k), dark);
        CHECK_CONTRAST(QStringLiteral("bar of kind %1").arg(k), bar, treeBase, 3.0);
        CHECK_CONTRAST(QStringLiteral("label on bar of kind %1").arg(k), ui::SpanColors::textOn(bar), bar, 4.5);
    }
    const QColor red = ui::SpanColors::errorColor(dark);
    CHECK_CONTRAST(QStringLiteral("failed span's duration"), red, treeBase, 4.5);
    CHECK_CONTRAST(QStringLiteral("'!' on the error badge"), ui::SpanColors::textOn(red), red, 4.5);
    CHECK_CONTRAST(QStringLiteral("model name beside a span"), pal.color(QPalette::PlaceholderText), treeBase, 4.5);
    // What is painted is those colours: the failed tool's bar is there in the error red.
    const QImage tree = page->waterfall()->findChild<QTreeView *>()->viewport()->grab().toImage();
    bool redBar = false;
    for (int y = 0; y < tree.height() && !redBar; ++y)
        for (int x = 0; x < tree.width() && !redBar; ++x)
            redBar = tree.pixelColor(x, y) == red;
    QVERIFY(redBar);

    // The conversation of each model call.
    int conversations = 0;
    for (std::size_t i = 0; i < page->trace()->spans.size(); ++i) {
        if (page->trace()->spans[i].kind != core::SpanKind::Llm)
            continue;
        page->setCurrentSpan(int(i));
        page->details()->tabs()->setCurrentIndex(ui::SpanDetailsView::PayloadTab);
        auto *payload = page->details()->payloadView();
        QTRY_VERIFY(payload->mode() == ui::PayloadView::Mode::Chat);
        ++conversations;
        QTextBrowser *chat = payload->chatView();
        low = lowContrastText(
            *chat->document(), chat->palette().color(QPalette::Text), chat->palette().color(QPalette::Base), 4.5);
        QVERIFY2(low.isEmpty(), qPrintable(low.join(QLatin1Char('\n'))));
        QVERIFY(m_app.window->grab().save(m_shots + QStringLiteral("/conversation%1.png").arg(suffix)));
    }
    QVERIFY(conversations >= 2);
    // The failed tool: its overview, where the error shows first.
    for (std::size_t i = 0; i < page->trace()->spans.size(); ++i)
        if (page->trace()->spans[i].kind == core::SpanKind::Tool)
            page->setCurrentSpan(int(i));
    page->details()->tabs()->setCurrentIndex(ui::SpanDetailsView::OverviewTab);
    QTest::qWait(50);
    QVERIFY(m_app.window->grab().save(m_shots + QStringLiteral("/failed-tool%1.png").arg(suffix)));
    low = lowContrastText(*page->details()->eventsView()->document(),
        page->details()->eventsView()->palette().color(QPalette::Text),
        page->details()->eventsView()->palette().color(QPalette::Base), 4.5);
    QVERIFY2(low.isEmpty(), qPrintable(low.join(QLatin1Char('\n'))));

    // Dashboard: KPI tiles and every chart's series, axes and legend.
    m_app.window->showPage(MainWindow::Page::Dashboard);
    auto *dashboard = m_app.window->dashboardPage();
    QSignalSpy shown(dashboard, &ui::DashboardPage::resultAvailable);
    QVERIFY(shown.wait(10000));
    auto *view = dashboard->view();
    for (int k = 0; k < ui::DashboardView::NUM_KPIS; ++k) {
        auto *tile = view->kpi(static_cast<ui::DashboardView::Kpi>(k));
        const QColor tileBase = tile->palette().color(QPalette::Base);
        for (QLabel *label : tile->findChildren<QLabel *>())
            if (!label->text().isEmpty())
                CHECK_CONTRAST(QStringLiteral("KPI '%1'").arg(label->text()),
                    label->palette().color(QPalette::WindowText), tileBase, 4.5);
    }
    int series = 0;
    for (int k = 0; k < ui::DashboardView::NUM_CHARTS; ++k) {
        QChart *chart = view->chart(static_cast<ui::DashboardView::Chart>(k));
        const QColor background = chart->backgroundBrush().color();
        QCOMPARE(background, base);
        if (chart->legend()->isVisible())
            CHECK_CONTRAST(QStringLiteral("legend of chart %1").arg(k), chart->legend()->labelColor(), background, 4.5);
        for (QAbstractAxis *axis : chart->axes())
            if (axis->isVisible() && axis->labelsVisible())
                CHECK_CONTRAST(
                    QStringLiteral("axis labels of chart %1").arg(k), axis->labelsBrush().color(), background, 4.5);
        for (QAbstractSeries *s : chart->series()) {
            if (auto *xy = qobject_cast<QXYSeries *>(s)) {
                ++series;
                CHECK_CONTRAST(
                    QStringLiteral("line '%1' of chart %2").arg(xy->name()).arg(k), xy->color(), background, 3.0);
            } else if (auto *bars = qobject_cast<QAbstractBarSeries *>(s)) {
                for (QBarSet *set : bars->barSets()) {
                    ++series;
                    CHECK_CONTRAST(QStringLiteral("bars '%1' of chart %2").arg(set->label()).arg(k), set->color(),
                        background, 3.0);
                }
            }
        }
    }
    QVERIFY(series >= 8);
    QVERIFY(m_app.window->grab().save(m_shots + QStringLiteral("/dashboard%1.png").arg(suffix)));

    // Sessions: the failed session's error count.
    m_app.window->showPage(MainWindow::Page::Sessions);
    auto *sessions = m_app.window->sessionsPage();
    QTRY_VERIFY(sessions->sessionView()->model()->rowCount() > 0);
    const auto *sessionModel = sessions->sessionView()->model();
    for (int row = 0; row < sessionModel->rowCount(); ++row)
        for (int column = 0; column < sessionModel->columnCount(); ++column) {
            const QVariant fg = sessionModel->index(row, column).data(Qt::ForegroundRole);
            if (fg.isValid())
                CHECK_CONTRAST(
                    QStringLiteral("session cell %1,%2").arg(row).arg(column), fg.value<QColor>(), base, 4.5);
        }
    QVERIFY(m_app.window->grab().save(m_shots + QStringLiteral("/sessions%1.png").arg(suffix)));

    // The sign-in dialog's error and warning lines.
    ui::SignInDialog signIn;
    CHECK_CONTRAST(QStringLiteral("sign-in error"), signIn.errorLabel()->palette().color(QPalette::WindowText),
        signIn.palette().color(QPalette::Window), 4.5);
    CHECK_CONTRAST(QStringLiteral("sign-in warning"), signIn.urlWarningLabel()->palette().color(QPalette::WindowText),
        signIn.palette().color(QPalette::Window), 4.5);
    theme::apply(theme::Choice::System);
}

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"

// SPDX-License-Identifier: MIT
#include "client/localbackend.h"
#include "client/sourcemanager.h"
#include "client/tracesourcerunner.h"
#include "common/timerangeselector.h"
#include "dashboard/dashboardpage.h"
#include "dashboard/dashboardview.h"
#include "details/spandetailsview.h"
#include "shell/mainwindow.h"
#include "shell/sessionspage.h"
#include "shell/shortcutsdialog.h"
#include "shell/tracefilterbar.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "shell/traceviewpage.h"
#include "signin/sourcecontroller.h"
#include "support/appwindow.h"
#include "waterfall/waterfallview.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QShortcut>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

using namespace agentops;
using ui::MainWindow;

namespace {

QString describe(const QWidget *w)
{
    if (!w)
        return QStringLiteral("(none)");
    QString name = w->objectName();
    if (const auto *b = qobject_cast<const QAbstractButton *>(w); b && name.isEmpty())
        name = b->text().isEmpty() ? b->toolTip().left(20) : b->text();
    if (const auto *e = qobject_cast<const QLineEdit *>(w); e && name.isEmpty())
        name = e->placeholderText();
    return QStringLiteral("%1[%2]").arg(QString::fromLatin1(w->metaObject()->className()), name);
}

QStringList describeAll(const QList<QWidget *> &widgets)
{
    QStringList names;
    for (const QWidget *w : widgets)
        names << describe(w);
    return names;
}

/// Widgets of @p root that Tab may stop at now: taking Tab focus, visible and enabled.
QList<QWidget *> tabStopsIn(QWidget *root)
{
    QList<QWidget *> stops;
    const auto all = root->findChildren<QWidget *>();
    for (QWidget *w : all)
        if ((w->focusPolicy() & Qt::TabFocus) && w->isVisibleTo(root->window()) && w->isEnabled() && !w->focusProxy())
            stops << w;
    return stops;
}

/// The key text of a shortcut, as the dialog shows it.
QString keysText(const QList<QKeySequence> &keys)
{
    QStringList texts;
    for (const QKeySequence &key : keys)
        texts << key.toString(QKeySequence::NativeText);
    return texts.join(QStringLiteral(", "));
}

} // namespace

class TestKeyboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void openingATraceFocusesTheSpanTree_data();
    void openingATraceFocusesTheSpanTree();
    void escapeGoesBack_data();
    void escapeGoesBack();
    void escapeClearsSearchAndZoomFirst();
    void escapeClosesDialogs();
    void tabOrder_data();
    void tabOrder();
    void shortcutsDialogListsEveryShortcut();

private:
    QList<QWidget *> tabChain(QWidget *start, bool forward = true, int max = 80);
    void openFrom(MainWindow::Page page);
    QTreeView *tree() const;
    int failedTraceRow() const;

    QTemporaryDir m_home;
    test::AppWindow m_app; ///< its window is the one under test
};

void TestKeyboard::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOps"));
    QCoreApplication::setApplicationName(QStringLiteral("AgentOps Monitor Keyboard Test"));
}

void TestKeyboard::init()
{
    // The window as the app builds it: the source switcher in a tool bar, then a real store holding
    // the Google ADK run whose tool call failed (tests/fixtures/frameworks, captured from @google/adk).
    m_app.start({ QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/adk-js.otlp.json") }, true);
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE(m_app.window->traceListPage()->model()->rowCount(), 2);
    QVERIFY(failedTraceRow() >= 0);
}

void TestKeyboard::cleanup()
{
    m_app.stop();
}

int TestKeyboard::failedTraceRow() const
{
    const auto *model = m_app.window->traceListPage()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->trace(row).error_count > 0)
            return row;
    return -1;
}

QTreeView *TestKeyboard::tree() const
{
    return m_app.window->traceViewPage()->waterfall()->findChild<QTreeView *>(QStringLiteral("waterfallTree"));
}

QList<QWidget *> TestKeyboard::tabChain(QWidget *start, bool forward, int max)
{
    start->setFocus(forward ? Qt::TabFocusReason : Qt::BacktabFocusReason);
    QList<QWidget *> chain { QApplication::focusWidget() };
    for (int i = 0; i < max; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab, forward ? Qt::NoModifier : Qt::ShiftModifier);
        QWidget *now = QApplication::focusWidget();
        if (now == chain.first())
            break;
        chain << now;
    }
    return chain;
}

/// Opens the failed trace as a keyboard user does from @p page: Enter on its row (Traces, Sessions),
/// or from the dashboard's list of slowest traces.
void TestKeyboard::openFrom(MainWindow::Page page)
{
    const core::TraceId id = m_app.window->traceListPage()->model()->trace(failedTraceRow()).trace_id;
    m_app.window->showPage(page);
    ui::TraceTableView *view = nullptr;
    int row = -1;
    switch (page) {
    case MainWindow::Page::Traces:
        view = m_app.window->traceListPage()->view();
        row = failedTraceRow();
        break;
    case MainWindow::Page::Sessions: {
        auto *sessions = m_app.window->sessionsPage();
        QTRY_VERIFY(sessions->traceView()->model()->rowCount() == 2);
        view = sessions->traceView();
        auto *model = static_cast<ui::TraceTableModel *>(view->model());
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->trace(r).trace_id == id)
                row = r;
        break;
    }
    case MainWindow::Page::Dashboard: {
        // The Slowest traces list, once the dashboard has its answer.
        QTableView *table = nullptr;
        QTRY_VERIFY([&] {
            const auto tables = m_app.window->dashboardPage()->view()->findChildren<QTableView *>();
            for (QTableView *t : tables)
                if (t->model() && t->model()->rowCount() == 2)
                    table = t;
            return table != nullptr;
        }());
        table->setFocus(Qt::TabFocusReason);
        for (int r = 0; r < 2; ++r)
            if (table->model()->index(r, 0).data(Qt::UserRole).toString() == QString::fromStdString(core::toHex(id)))
                table->setCurrentIndex(table->model()->index(r, 0));
        QTest::keyClick(table, Qt::Key_Return);
        QTRY_COMPARE(m_app.window->currentPage(), MainWindow::Page::Trace);
        return;
    }
    case MainWindow::Page::Trace:
    case MainWindow::Page::Compare: QFAIL("not a page a trace is opened from"); return;
    }
    QVERIFY(row >= 0);
    view->setFocus(Qt::TabFocusReason);
    view->setCurrentIndex(view->model()->index(row, 0));
    QTest::keyClick(view, Qt::Key_Return);
    QTRY_COMPARE(m_app.window->currentPage(), MainWindow::Page::Trace);
}

void TestKeyboard::openingATraceFocusesTheSpanTree_data()
{
    QTest::addColumn<int>("page");
    QTest::newRow("from the trace list") << int(MainWindow::Page::Traces);
    QTest::newRow("from a session") << int(MainWindow::Page::Sessions);
    QTest::newRow("from the dashboard") << int(MainWindow::Page::Dashboard);
}

void TestKeyboard::openingATraceFocusesTheSpanTree()
{
    QFETCH(int, page);
    openFrom(static_cast<MainWindow::Page>(page));
    auto *tracePage = m_app.window->traceViewPage();
    QTRY_VERIFY(tracePage->trace() && !tracePage->isLoading());
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(tree()));
    // The arrow keys move from span to span at once: a current row is there.
    QTRY_VERIFY(tree()->currentIndex().isValid());
    const int before = tracePage->currentSpan();
    QTest::keyClick(tree(), Qt::Key_Down);
    QVERIFY(tracePage->currentSpan() != before);

    // A ring in the highlight colour marks the tree as the place the keyboard is in.
    auto *ring = m_app.window->findChild<QWidget *>(QStringLiteral("focusRing"));
    QVERIFY(ring);
    QTRY_VERIFY(ring->isVisible());
    QCOMPARE(ring->parentWidget(), static_cast<QWidget *>(tree()));
    QCOMPARE(ring->size(), tree()->size());
    const QImage shot = m_app.window->grab().toImage();
    const QPoint topLeft = tree()->mapTo(m_app.window.get(), QPoint(0, 0));
    const QColor highlight = m_app.window->palette().color(QPalette::Active, QPalette::Highlight);
    for (const QPoint p : { QPoint(tree()->width() / 2, 0), QPoint(0, tree()->height() / 2),
             QPoint(tree()->width() - 1, tree()->height() / 3), QPoint(tree()->width() / 3, tree()->height() - 1) }) {
        const QColor c = shot.pixelColor((topLeft + p) * shot.devicePixelRatio());
        QVERIFY2(std::abs(c.hue() - highlight.hue()) < 12 && c.saturation() > 90,
            qPrintable(QStringLiteral("ring pixel at %1,%2 is %3").arg(p.x()).arg(p.y()).arg(c.name())));
    }
    // Elsewhere the ring goes with the focus.
    auto *search
        = m_app.window->traceViewPage()->waterfall()->findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    search->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(!ring || !ring->isVisible() || ring->parentWidget() != tree());
}

void TestKeyboard::escapeGoesBack_data()
{
    openingATraceFocusesTheSpanTree_data();
}

void TestKeyboard::escapeGoesBack()
{
    QFETCH(int, page);
    const auto from = static_cast<MainWindow::Page>(page);
    openFrom(from);
    QTRY_VERIFY(m_app.window->traceViewPage()->trace());
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(tree()));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QCOMPARE(m_app.window->currentPage(), from);
    if (from == MainWindow::Page::Traces) {
        // Back in the list, on the row that was opened.
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_app.window->traceListPage()->view()));
        QCOMPARE(m_app.window->traceListPage()->view()->currentIndex().row(), failedTraceRow());
    }
    // Escape on a page that has nothing to go back to changes nothing.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QCOMPARE(m_app.window->currentPage(), from);
}

void TestKeyboard::escapeClearsSearchAndZoomFirst()
{
    openFrom(MainWindow::Page::Traces);
    auto *page = m_app.window->traceViewPage();
    QTRY_VERIFY(page->trace());
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(tree()));
    auto *search = page->waterfall()->findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    QTest::keyClick(tree(), Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(search));
    QTest::keyClicks(search, QStringLiteral("weather"));
    // A search with text: Escape clears it.
    QTest::keyClick(search, Qt::Key_Escape);
    QCOMPARE(search->text(), QString());
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Trace);
    // An empty search: Escape returns to the tree.
    QTest::keyClick(search, Qt::Key_Escape);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(tree()));
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Trace);
    // A zoomed time line: Escape shows the whole trace again.
    auto *reset = page->waterfall()->findChild<QToolButton *>(QStringLiteral("waterfallResetZoom"));
    QTest::keyClick(tree(), Qt::Key_Plus, Qt::ControlModifier);
    QTRY_VERIFY(reset->isEnabled());
    QTest::keyClick(tree(), Qt::Key_Escape);
    QTRY_VERIFY(!reset->isEnabled());
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Trace);
    // Nothing left to undo: back.
    QTest::keyClick(tree(), Qt::Key_Escape);
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
}

void TestKeyboard::escapeClosesDialogs()
{
    // Each dialog of the Help and Settings menus closes with Escape.
    const QStringList actions = { QStringLiteral("shortcutsAction"), QStringLiteral("documentationAction"),
        QStringLiteral("settingsAction") };
    for (const QString &name : actions) {
        auto *action = m_app.window->findChild<QAction *>(name);
        QVERIFY2(action, qPrintable(name));
        bool pressed = false;
        bool closed = false;
        int waited = 0;
        QString seen;
        // Looks for the dialog until it is up (a modal one runs its own event loop, so the look
        // comes from a timer) and the focus has moved into it, then presses Escape once where the
        // focus is. If Escape leaves the dialog open, the dialog is closed here so that its event
        // loop ends and the check below fails, rather than the test hanging in it.
        QTimer look;
        look.setInterval(50);
        connect(&look, &QTimer::timeout, this, [&] {
            QWidget *dialog = QApplication::activeModalWidget();
            if (!dialog)
                dialog = QApplication::activeWindow() != m_app.window.get() ? QApplication::activeWindow() : nullptr;
            seen = describe(dialog);
            if (!dialog)
                return;
            QWidget *focus = QApplication::focusWidget();
            const bool focusInDialog = focus && (focus == dialog || dialog->isAncestorOf(focus));
            if (!focusInDialog && ++waited < 40)
                return; // activated a moment after it is shown
            look.stop();
            QTest::keyClick(focusInDialog ? focus : dialog, Qt::Key_Escape);
            closed = !dialog->isVisible();
            if (!closed)
                dialog->close();
            pressed = true;
        });
        look.start();
        action->trigger();
        QTRY_VERIFY2_WITH_TIMEOUT(pressed, qPrintable(name + QStringLiteral(": ") + seen), 20000);
        QVERIFY2(closed, qPrintable(name + QStringLiteral(": Escape left it open: ") + seen));
        look.stop();
        m_app.window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_app.window.get()));
    }
}

void TestKeyboard::tabOrder_data()
{
    QTest::addColumn<int>("page");
    QTest::newRow("traces") << int(MainWindow::Page::Traces);
    QTest::newRow("sessions") << int(MainWindow::Page::Sessions);
    QTest::newRow("dashboard") << int(MainWindow::Page::Dashboard);
    QTest::newRow("trace") << int(MainWindow::Page::Trace);
}

void TestKeyboard::tabOrder()
{
    // Tab goes through a page as it reads: the source switcher and the sidebar, the page's tool bar or
    // filters left to right, then the list, then the details; Shift+Tab the same way back. Every
    // control that takes Tab is in the round exactly once.
    QFETCH(int, page);
    const auto which = static_cast<MainWindow::Page>(page);
    QWidget *switcher = m_app.window->sourceController()->switcher();
    auto *nav = m_app.window->findChild<QWidget *>(QStringLiteral("navigation"));
    QList<QWidget *> expected { switcher, nav };
    QWidget *pageWidget = nullptr;
    switch (which) {
    case MainWindow::Page::Traces: {
        m_app.window->showPage(which);
        auto *list = m_app.window->traceListPage();
        auto *bar = list->filterBar();
        pageWidget = list;
        expected << bar->findChild<QLineEdit *>() << bar->findChild<ui::TimeRangeSelector *>()->comboBox();
        const auto combos = bar->findChildren<QComboBox *>(Qt::FindDirectChildrenOnly);
        QCOMPARE(combos.size(), 2); // services, models
        expected << combos[0] << combos[1] << bar->findChild<QWidget *>(QStringLiteral("minDuration"))
                 << bar->findChild<QCheckBox *>() << list->view();
        break;
    }
    case MainWindow::Page::Sessions:
        m_app.window->showPage(which);
        pageWidget = m_app.window->sessionsPage();
        QTRY_VERIFY(m_app.window->sessionsPage()->sessionView()->model()->rowCount() > 0);
        expected << m_app.window->sessionsPage()->sessionView() << m_app.window->sessionsPage()->traceView();
        break;
    case MainWindow::Page::Dashboard: {
        m_app.window->showPage(which);
        auto *dashboard = m_app.window->dashboardPage();
        pageWidget = dashboard;
        QSignalSpy shown(dashboard, &ui::DashboardPage::resultAvailable);
        QVERIFY(shown.wait(10000));
        expected << dashboard->rangeSelector()->comboBox();
        for (QComboBox *combo : dashboard->findChildren<QComboBox *>(Qt::FindDirectChildrenOnly))
            expected << combo; // split by
        for (QToolButton *button : dashboard->findChildren<QToolButton *>(Qt::FindDirectChildrenOnly))
            expected << button; // refresh
        // The dashboard itself: the page (its arrow keys scroll), then, row by row, the latency
        // choice and the three lists.
        auto *view = dashboard->view();
        expected << view->findChild<QScrollArea *>() << view->findChild<QComboBox *>();
        QList<QTableView *> tables = view->findChildren<QTableView *>();
        std::sort(tables.begin(), tables.end(), [view](QTableView *a, QTableView *b) {
            const QPoint pa = a->mapTo(view, QPoint()), pb = b->mapTo(view, QPoint());
            return pa.y() != pb.y() ? pa.y() < pb.y() : pa.x() < pb.x();
        });
        for (QTableView *table : tables)
            expected << table;
        break;
    }
    case MainWindow::Page::Trace: {
        openFrom(MainWindow::Page::Traces);
        auto *tracePage = m_app.window->traceViewPage();
        QTRY_VERIFY(tracePage->trace());
        pageWidget = tracePage;
        auto *waterfall = tracePage->waterfall();
        expected << tracePage->findChild<QToolButton *>(QString(), Qt::FindDirectChildrenOnly)
                 << waterfall->findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
        // The waterfall's tool buttons that show at this width, left to right.
        QList<QToolButton *> tools;
        for (QToolButton *b : waterfall->findChildren<QToolButton *>())
            if (b->isVisibleTo(m_app.window.get()) && b->isEnabled() && (b->focusPolicy() & Qt::TabFocus))
                tools << b;
        std::sort(tools.begin(), tools.end(), [waterfall](QToolButton *a, QToolButton *b) {
            return a->mapTo(waterfall, QPoint()).x() < b->mapTo(waterfall, QPoint()).x();
        });
        QVERIFY(tools.size() >= 2);
        for (QToolButton *b : tools)
            expected << b;
        expected << tree();
        // Then the span details: its tabs first, then what the open tab shows.
        expected << tracePage->details()->findChild<QTabBar *>();
        break;
    }
    case MainWindow::Page::Compare: QFAIL("the compare page's keys are tested in tests/auto/compare"); return;
    }
    QTest::qWait(200);
    const QList<QWidget *> chain = tabChain(switcher);
    const QStringList got = describeAll(chain);
    const QStringList want = describeAll(expected);
    QVERIFY2(got.mid(0, want.size()) == want,
        qPrintable(QStringLiteral("\ngot:  %1\nwant: %2")
                       .arg(got.join(QStringLiteral(" → ")), want.join(QStringLiteral(" → ")))));
    // Past what is listed (the trace's details), only widgets of the details follow.
    for (int i = int(want.size()); i < chain.size(); ++i)
        QVERIFY2(which == MainWindow::Page::Trace && m_app.window->traceViewPage()->details()->isAncestorOf(chain[i]),
            qPrintable(got.join(QStringLiteral(" → "))));
    // Nothing that takes Tab is left out.
    QList<QWidget *> stops = tabStopsIn(pageWidget);
    stops << switcher << nav;
    for (QWidget *w : stops)
        QVERIFY2(chain.count(w) == 1,
            qPrintable(describe(w) + QStringLiteral(" is visited %1 times in ").arg(chain.count(w))
                + got.join(QStringLiteral(" → "))));
    // Shift+Tab: the same round backwards.
    QList<QWidget *> back = tabChain(switcher, false);
    std::reverse(back.begin() + 1, back.end());
    QCOMPARE(describeAll(back), got);
}

void TestKeyboard::shortcutsDialogListsEveryShortcut()
{
    // Every action and shortcut object of the window with a key, wherever it lives.
    struct Expected
    {
        QString description;
        QString keys;
    };
    QList<Expected> expected;
    for (QAction *action : m_app.window->findChildren<QAction *>())
        if (!action->shortcuts().isEmpty())
            expected.append({ action->text().remove(QLatin1Char('&')).remove(QChar(0x2026)).trimmed(),
                keysText(action->shortcuts()) });
    for (QShortcut *shortcut : m_app.window->findChildren<QShortcut *>()) {
        QVERIFY2(!shortcut->whatsThis().isEmpty(),
            qPrintable(QStringLiteral("a shortcut without a description: %1")
                           .arg(shortcut->key().toString(QKeySequence::NativeText))));
        expected.append({ shortcut->whatsThis(), keysText(shortcut->keys()) });
    }
    QVERIFY(expected.size() >= 15);

    // Help ▸ Keyboard Shortcuts opens the list.
    QAction *open = nullptr;
    for (QAction *menu : m_app.window->menuBar()->actions())
        if (menu->menu())
            for (QAction *action : menu->menu()->actions())
                if (action->text().remove(QLatin1Char('&')) == QStringLiteral("Keyboard Shortcuts"))
                    open = action;
    QVERIFY(open);
    QStringList rows;
    QTimer::singleShot(300, this, [&] {
        auto *dialog = qobject_cast<ui::ShortcutsDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        QTreeWidget *view = dialog->view();
        for (int s = 0; s < view->topLevelItemCount(); ++s)
            for (int i = 0; i < view->topLevelItem(s)->childCount(); ++i) {
                const auto *item = view->topLevelItem(s)->child(i);
                rows << view->topLevelItem(s)->text(0) + QLatin1Char('|') + item->text(0) + QLatin1Char('|')
                        + item->text(1);
            }
        QVERIFY(dialog->grab().save(QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/keyboard-shortcuts.png")));
        dialog->reject();
    });
    QDir().mkpath(QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots"));
    open->trigger();
    QVERIFY(!rows.isEmpty());
    for (const Expected &e : expected) {
        bool found = false;
        for (const QString &row : rows)
            found = found
                || (row.section(QLatin1Char('|'), 1, 1) == e.description && row.section(QLatin1Char('|'), 2) == e.keys);
        QVERIFY2(found,
            qPrintable(QStringLiteral("'%1' (%2) is not in the list:\n%3")
                           .arg(e.description, e.keys, rows.join(QLatin1Char('\n')))));
    }
    QCOMPARE(rows.size(), expected.size());
    // The keys that matter most are where a user looks for them.
    QVERIFY(rows.contains(QStringLiteral("Trace|Back|Esc, Alt+Left, Backspace")));
    QVERIFY(rows.contains(QStringLiteral("Trace|Search spans|Ctrl+F")));
    QVERIFY(rows.contains(QStringLiteral("File|Open Trace File|Ctrl+O")));
}

QTEST_MAIN(TestKeyboard)
#include "tst_keyboard.moc"

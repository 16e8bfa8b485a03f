// SPDX-License-Identifier: MIT
#include "common/format.h"
#include "compare/comparepage.h"
#include "compare/comparependingbar.h"
#include "shell/mainwindow.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "shell/traceviewpage.h"
#include "support/appwindow.h"

#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace agentops;
using ui::MainWindow;

namespace {

core::TraceId idOf(const char *hex)
{
    core::TraceId id {};
    core::fromHex(hex, id);
    return id;
}

// The runs of tests/fixtures/frameworks (captured from @google/adk): a run whose tool call
// succeeded, and the same agent with the tool failing once and retried (two steps more).
const core::TraceId kOk = idOf("5d5a24a0cfdc241f47a0a7aa83731816");
const core::TraceId kRetry = idOf("738d948137ea013ee388cf4f87d4dca7");

} // namespace

class TestCompareWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void twoRowsAndCtrlD();
    void viewMenu();
    void oneRowSaysWhatIsMissing();
    void contextMenu();
    void contextMenuNeedsTwoRows();
    void compareWith();
    void compareWithCancelled_data();
    void compareWithCancelled();

private:
    ui::TraceTableView *list() const { return m_app.window->traceListPage()->view(); }
    QModelIndex indexOf(const core::TraceId &id) const;
    /// Clicks the row of the first trace, then Ctrl+clicks the others, as a user selects them.
    void select(std::initializer_list<core::TraceId> ids);
    /// Waits for the compare page to show a comparison; false when none came.
    bool waitCompared(QSignalSpy &compared);
    /// The trace ids of the comparison shown, run A first.
    std::pair<core::TraceId, core::TraceId> shownRuns() const;
    /// Opens the trace (Enter on its row) and waits until the trace view shows it.
    void open(const core::TraceId &id);
    QMenu *openContextMenu();
    void save(const QString &name);

    QTemporaryDir m_home;
    test::AppWindow m_app;
};

void TestCompareWindow::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOps"));
    QCoreApplication::setApplicationName(QStringLiteral("AgentOps Monitor Compare Window Test"));
}

void TestCompareWindow::init()
{
    m_app.start({ QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/adk-js.otlp.json"),
                    QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/adk-js-retry.otlp.json") },
        true);
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE(m_app.window->traceListPage()->model()->rowCount(), 3);
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
}

void TestCompareWindow::cleanup()
{
    m_app.stop();
}

QModelIndex TestCompareWindow::indexOf(const core::TraceId &id) const
{
    auto *model = m_app.window->traceListPage()->model();
    const int row = model->rowOf(id);
    return row < 0 ? QModelIndex() : model->index(row, ui::TraceTableModel::NameColumn);
}

void TestCompareWindow::select(std::initializer_list<core::TraceId> ids)
{
    list()->setFocus();
    Qt::KeyboardModifiers modifiers = Qt::NoModifier;
    for (const auto &id : ids) {
        const QModelIndex index = indexOf(id);
        QVERIFY(index.isValid());
        QTest::mouseClick(list()->viewport(), Qt::LeftButton, modifiers, list()->visualRect(index).center());
        modifiers = Qt::ControlModifier;
    }
    QCOMPARE(m_app.window->tracesToExport().size(), ids.size());
}

bool TestCompareWindow::waitCompared(QSignalSpy &compared)
{
    return (!compared.isEmpty() || compared.wait(20000)) && m_app.window->currentPage() == MainWindow::Page::Compare;
}

std::pair<core::TraceId, core::TraceId> TestCompareWindow::shownRuns() const
{
    const auto *r = m_app.window->comparePage()->model()->result();
    if (!r)
        return {};
    return { r->a->summary.trace_id, r->b->summary.trace_id };
}

void TestCompareWindow::open(const core::TraceId &id)
{
    select({ id });
    QTest::keyClick(list(), Qt::Key_Return);
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Trace);
    auto *view = m_app.window->traceViewPage();
    QTRY_VERIFY_WITH_TIMEOUT(view->trace() && view->trace()->summary.trace_id == id, 20000);
}

QMenu *TestCompareWindow::openContextMenu()
{
    const QRect row = list()->visualRect(list()->currentIndex());
    QContextMenuEvent event(QContextMenuEvent::Mouse, row.center(), list()->viewport()->mapToGlobal(row.center()));
    QApplication::sendEvent(list()->viewport(), &event);
    auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
    return menu && menu->objectName() == QLatin1String("traceMenu") ? menu : nullptr;
}

void TestCompareWindow::save(const QString &name)
{
    const QString path = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/%1.png").arg(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(m_app.window->grab().save(path));
}

void TestCompareWindow::twoRowsAndCtrlD()
{
    select({ kOk, kRetry });
    QSignalSpy compared(m_app.window->comparePage(), &ui::ComparePage::compared);
    QTest::keyClick(list(), Qt::Key_D, Qt::ControlModifier);
    QVERIFY(waitCompared(compared));
    const auto [a, b] = shownRuns();
    QCOMPARE((std::set { a, b }), (std::set { kOk, kRetry }));
    // The two steps ADK added for the failed attempt, as the page shows them.
    QVERIFY2(m_app.window->comparePage()->summaryLabel()->text().contains(QStringLiteral("2 added, 0 removed")),
        qPrintable(m_app.window->comparePage()->summaryLabel()->text()));
    QVERIFY(m_app.window->comparePage()->stepView()->hasFocus());
    save(QStringLiteral("compare-from-list"));
    // Escape goes back to the list, the selection still there.
    QTest::keyClick(m_app.window->comparePage()->stepView(), Qt::Key_Escape);
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
    QCOMPARE(m_app.window->tracesToExport().size(), std::size_t(2));
}

void TestCompareWindow::viewMenu()
{
    select({ kRetry, kOk });
    QAction *action = nullptr;
    for (QAction *menu : m_app.window->menuBar()->actions())
        if (menu->menu())
            for (QAction *a : menu->menu()->actions())
                if (a->objectName() == QLatin1String("compareAction"))
                    action = a;
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_D));
    QSignalSpy compared(m_app.window->comparePage(), &ui::ComparePage::compared);
    action->trigger();
    QVERIFY(waitCompared(compared));
    const auto [a, b] = shownRuns();
    QCOMPARE((std::set { a, b }), (std::set { kOk, kRetry }));
}

void TestCompareWindow::oneRowSaysWhatIsMissing()
{
    select({ kOk });
    QSignalSpy compared(m_app.window->comparePage(), &ui::ComparePage::compared);
    QTest::keyClick(list(), Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
    QVERIFY2(m_app.window->statusBar()->currentMessage().contains(QStringLiteral("Select two traces")),
        qPrintable(m_app.window->statusBar()->currentMessage()));
    QTest::qWait(100);
    QVERIFY(compared.isEmpty());
}

void TestCompareWindow::contextMenu()
{
    select({ kOk, kRetry });
    QMenu *menu = openContextMenu();
    QVERIFY(menu);
    QVERIFY(QTest::qWaitForWindowExposed(menu));
    auto *compare = menu->findChild<QAction *>(QStringLiteral("compareAction"));
    QVERIFY(compare);
    QVERIFY(compare->isEnabled());
    QVERIFY(compare->text().startsWith(QStringLiteral("&Compare Selected Runs")));
    QVERIFY2(!menu->actionGeometry(compare).isEmpty(), "the entry is shown");
    const QPixmap shot = menu->grab();
    QVERIFY(shot.save(QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/compare-context-menu.png")));
    QSignalSpy compared(m_app.window->comparePage(), &ui::ComparePage::compared);
    // Chosen with the keyboard, as from any menu.
    menu->setActiveAction(compare);
    QTest::keyClick(menu, Qt::Key_Return);
    QVERIFY(waitCompared(compared));
    const auto [a, b] = shownRuns();
    QCOMPARE((std::set { a, b }), (std::set { kOk, kRetry }));
}

void TestCompareWindow::contextMenuNeedsTwoRows()
{
    select({ kOk });
    QMenu *menu = openContextMenu();
    QVERIFY(menu);
    auto *compare = menu->findChild<QAction *>(QStringLiteral("compareAction"));
    QVERIFY(compare);
    QVERIFY(!compare->isEnabled());
    QVERIFY(compare->toolTip().contains(QStringLiteral("Select two traces")));
    QVERIFY(menu->toolTipsVisible());
    // With one row, Compare With… is what can be done.
    auto *with = menu->findChild<QAction *>(QStringLiteral("compareWithAction"));
    QVERIFY(with && with->isEnabled());
    menu->close();
}

void TestCompareWindow::compareWith()
{
    auto *bar = m_app.window->comparePendingBar();
    QVERIFY(bar->isHidden());
    const auto &okRow = m_app.window->traceListPage()->model()->trace(indexOf(kOk).row());
    const QString okName = QString::fromStdString(okRow.name);
    // The start tells runs of one agent apart: here all three are called "invocation".
    const QString okStart = ui::format::startTime(okRow.start_ns);
    open(kOk);
    QTest::keyClick(m_app.window->traceViewPage(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    // Back on the list, run A named above it; another status message does not hide it.
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
    QVERIFY(m_app.window->isComparePending());
    QVERIFY(bar->isVisible());
    QVERIFY2(bar->text().contains(QStringLiteral("“") + okName + QStringLiteral("” (") + okStart + QLatin1Char(')')),
        qPrintable(bar->text()));
    QVERIFY2(bar->text().contains(QStringLiteral("from Local")), qPrintable(bar->text()));
    QVERIFY2(bar->text().contains(QStringLiteral("Ctrl+D")), qPrintable(bar->text()));
    m_app.window->statusBar()->showMessage(QStringLiteral("something else"));
    QVERIFY(bar->isVisible());
    // Nothing clipped at 1280×720: the bar is as tall as its wrapped text needs.
    auto *label = bar->findChild<QLabel *>();
    QVERIFY(label->heightForWidth(label->width()) <= label->height());
    QVERIFY(bar->compareButton()->width() >= bar->compareButton()->sizeHint().width());
    QVERIFY(bar->cancelButton()->width() >= bar->cancelButton()->sizeHint().width());
    save(QStringLiteral("compare-with-pending"));

    // Ctrl+D while run A itself is still the selected row: not a comparison of a run with itself.
    select({ kOk });
    QTest::keyClick(list(), Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
    QVERIFY(m_app.window->isComparePending());
    QVERIFY2(m_app.window->statusBar()->currentMessage().contains(QStringLiteral("another trace than run A")),
        qPrintable(m_app.window->statusBar()->currentMessage()));

    // Run B picked in the list; the right-click menu offers the comparison with run A.
    select({ kRetry });
    QMenu *menu = openContextMenu();
    QVERIFY(menu);
    auto *compare = menu->findChild<QAction *>(QStringLiteral("compareAction"));
    QVERIFY(compare && compare->isEnabled());
    QVERIFY2(compare->text().contains(okStart), qPrintable(compare->text()));
    menu->close();
    QSignalSpy compared(m_app.window->comparePage(), &ui::ComparePage::compared);
    QTest::keyClick(list(), Qt::Key_D, Qt::ControlModifier);
    QVERIFY(waitCompared(compared));
    QCOMPARE(shownRuns(), std::make_pair(kOk, kRetry));
    QVERIFY(!m_app.window->isComparePending());
    QVERIFY(bar->isHidden());
}

void TestCompareWindow::compareWithCancelled_data()
{
    QTest::addColumn<bool>("escape");
    QTest::newRow("Escape") << true;
    QTest::newRow("Cancel button") << false;
}

void TestCompareWindow::compareWithCancelled()
{
    QFETCH(bool, escape);
    auto *bar = m_app.window->comparePendingBar();
    open(kOk);
    QTest::keyClick(m_app.window->traceViewPage(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(bar->isVisible());
    if (escape)
        QTest::keyClick(list(), Qt::Key_Escape);
    else
        QTest::mouseClick(bar->cancelButton(), Qt::LeftButton);
    QVERIFY(bar->isHidden());
    QVERIFY(!m_app.window->isComparePending());
    // Started from the open trace: back on the trace the user was reading.
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Trace);
    QCOMPARE(m_app.window->traceViewPage()->traceId(), std::optional(kOk));
    // And Escape is the trace view's again: Back.
    QTest::keyClick(m_app.window->traceViewPage(), Qt::Key_Escape);
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
    // Run A is forgotten: one row and Ctrl+D asks for two again.
    select({ kRetry });
    QTest::keyClick(list(), Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
    QVERIFY(m_app.window->statusBar()->currentMessage().contains(QStringLiteral("Select two traces")));
    // Kept from the list (no trace open): cancelling stays on the list.
    QTest::keyClick(list(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(bar->isVisible());
    QTest::keyClick(list(), Qt::Key_Escape);
    QVERIFY(bar->isHidden());
    QCOMPARE(m_app.window->currentPage(), MainWindow::Page::Traces);
}

QTEST_MAIN(TestCompareWindow)
#include "tst_comparewindow.moc"

// SPDX-License-Identifier: MIT
// Erase Trace… and Erase Session… in the desktop window over a real store with captured framework
// traces: the context menus, the confirmation naming what goes (Cancel erases nothing), the lists
// and the store afterwards; screenshots of the menu and the dialog in both windows sizes.
#include "common/theme.h"
#include "shell/mainwindow.h"
#include "shell/sessionlistmodel.h"
#include "shell/sessionspage.h"
#include "shell/traceeraser.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "support/appwindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>
#include <QtTest>

#include <functional>

using namespace agentops;

namespace {

QString screenshot(const QString &name)
{
    const QString dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + name;
}

QString fixture(const char *scenario)
{
    return QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/") + QLatin1String(scenario)
        + QStringLiteral(".otlp.json");
}

/// The popup menu of that name once it is shown.
QMenu *shownMenu(const QString &name)
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *menu = qobject_cast<QMenu *>(w); menu && menu->objectName() == name && menu->isVisible())
            return menu;
    return nullptr;
}

QAction *actionNamed(QMenu *menu, const QString &name)
{
    for (QAction *a : menu->actions())
        if (a->objectName() == name)
            return a;
    return nullptr;
}

} // namespace

class TestTraceEraser : public QObject
{
    Q_OBJECT

    test::AppWindow m_app;

    /// Right-clicks the row of a list and returns the menu that opened.
    QMenu *rightClick(QAbstractItemView *view, int row, const QString &menuName)
    {
        const QRect rect = view->visualRect(view->model()->index(row, 0));
        view->selectionModel()->select(
            view->model()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        view->setCurrentIndex(view->model()->index(row, 0));
        Q_EMIT view->customContextMenuRequested(rect.center());
        QMenu *menu = nullptr;
        [&] { QTRY_VERIFY((menu = shownMenu(menuName)) != nullptr); }();
        return menu;
    }

    /// Triggers action; when the confirmation appears, look(box) checks it and its answer is
    /// clicked: Erase when erase, else Cancel.
    void answerConfirmation(
        QAction *action, bool erase, const std::function<void(QMessageBox *)> &look, QString &question)
    {
        bool seen = false;
        QTimer::singleShot(0, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            QCOMPARE(box->objectName(), QStringLiteral("eraseConfirmation"));
            seen = true;
            question = box->text();
            look(box);
            (erase ? box->findChild<QAbstractButton *>(QStringLiteral("eraseButton"))
                   : box->button(QMessageBox::Cancel))
                ->click();
        });
        action->trigger();
        QVERIFY(seen);
    }

private Q_SLOTS:
    void init() { m_app.start({ fixture("adk-js"), fixture("openai-openinference") }, true); }
    void cleanup() { m_app.stop(); }

    void eraseTraceFromTheList()
    {
        auto *window = m_app.window.get();
        auto *list = window->traceListPage();
        auto *model = qobject_cast<ui::TraceTableModel *>(list->view()->model());
        QVERIFY(model);
        QTRY_COMPARE(model->rowCount(), 4);
        const core::TraceSummary victim = model->trace(0);
        QMenu *menu = rightClick(list->view(), 0, QStringLiteral("traceMenu"));
        QVERIFY(menu);
        QAction *erase = actionNamed(menu, QStringLiteral("eraseTraceAction"));
        QVERIFY(erase);
        QVERIFY(erase->isEnabled());
        QCOMPARE(erase->text(), QStringLiteral("E&rase Trace…"));
        QVERIFY(menu->grab().save(screenshot(QStringLiteral("erase-trace-menu.png"))));
        menu->hide();

        // Cancel erases nothing.
        QString question;
        answerConfirmation(
            erase, false, [](QMessageBox *) {}, question);
        QVERIFY2(question.contains(QString::fromStdString(victim.name)), qPrintable(question));
        QVERIFY(!window->traceEraser()->isRunning());
        QVERIFY(m_app.backend->store()->trace(victim.trace_id));

        QSignalSpy finished(window->traceEraser(), &ui::TraceEraser::finished);
        // 1280×720 in the light theme, then 1920×1080 in the dark one, where it is erased.
        for (const QSize size : { QSize(1280, 720), QSize(1920, 1080) }) {
            const bool dark = size.width() == 1920;
            ui::theme::apply(dark ? ui::theme::Choice::Dark : ui::theme::Choice::Light);
            window->resize(size);
            menu = rightClick(list->view(), 0, QStringLiteral("traceMenu"));
            QVERIFY(menu);
            erase = actionNamed(menu, QStringLiteral("eraseTraceAction"));
            menu->hide();
            const bool last = size.width() == 1920;
            answerConfirmation(
                erase, last,
                [&](QMessageBox *box) {
                    QVERIFY(box->informativeText().contains(QStringLiteral("cannot be undone")));
                    QVERIFY(window->grab().save(
                        screenshot(QStringLiteral("erase-trace-window-%1x%2-%3.png")
                                       .arg(size.width())
                                       .arg(size.height())
                                       .arg(dark ? QStringLiteral("dark") : QStringLiteral("light")))));
                    QVERIFY(box->grab().save(
                        screenshot(QStringLiteral("erase-trace-confirmation-%1.png")
                                       .arg(dark ? QStringLiteral("dark") : QStringLiteral("light")))));
                },
                question);
        }
        ui::theme::apply(ui::theme::Choice::Light);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(finished.front().at(0).toString(), QStringLiteral("Erased 1 trace (%1 spans)").arg(victim.span_count));
        QVERIFY(!m_app.backend->store()->trace(victim.trace_id));
        QTRY_COMPARE(model->rowCount(), 3);
        for (int row = 0; row < model->rowCount(); ++row)
            QVERIFY(model->trace(row).trace_id != victim.trace_id);
        QCOMPARE(window->statusBar()->currentMessage(), finished.front().at(0).toString());
    }

    void eraseSessionFromTheSessionsPage()
    {
        auto *window = m_app.window.get();
        window->showPage(ui::MainWindow::Page::Sessions);
        auto *sessions = window->sessionsPage();
        auto *model = sessions->sessionModel();
        QTRY_COMPARE(model->rowCount(), 2);
        int row = 0;
        while (row < model->rowCount() && model->session(row).session_id != "adk-js-session-1")
            ++row;
        QVERIFY(row < model->rowCount());
        QCOMPARE(model->session(row).trace_count, std::int64_t(2));
        QMenu *menu = rightClick(sessions->sessionView(), row, QStringLiteral("sessionMenu"));
        QVERIFY(menu);
        QAction *erase = actionNamed(menu, QStringLiteral("eraseSessionAction"));
        QVERIFY(erase && erase->isEnabled());
        QVERIFY(menu->grab().save(screenshot(QStringLiteral("erase-session-menu.png"))));
        QVERIFY(window->grab().save(screenshot(QStringLiteral("erase-session-page.png"))));
        menu->hide();
        QSignalSpy finished(window->traceEraser(), &ui::TraceEraser::finished);
        QString question;
        answerConfirmation(
            erase, true,
            [&](QMessageBox *box) {
                QVERIFY(box->grab().save(screenshot(QStringLiteral("erase-session-confirmation.png"))));
            },
            question);
        QCOMPARE(question, QStringLiteral("Erase session “adk-js-session-1” and its 2 traces for good?"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(m_app.backend->store()->sessionTraces("adk-js-session-1").size(), std::size_t(0));
        QTRY_COMPARE(model->rowCount(), 1);
        QCOMPARE(model->session(0).session_id, std::string("openai-openinference-session-1"));
    }
};

QTEST_MAIN(TestTraceEraser)
#include "tst_traceeraser.moc"

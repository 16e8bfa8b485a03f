// SPDX-License-Identifier: MIT
// Alerts in the desktop app: Settings → Alerts and the rule dialog (mouse and keyboard only), the
// monitor on a real store of captured framework traces (the ADK run whose tool failed: 1 error span
// in 10, as ADK reported) and its notification, the status-bar indicator, View → Alerts, and
// screenshots at 1280×720 in the light and dark themes.
#include "alerts/alertmonitor.h"
#include "alerts/alertruledialog.h"
#include "alerts/alertrulespage.h"
#include "alerts/alertsdialog.h"
#include "common/theme.h"
#include "shell/settingsdialog.h"
#include "support/appwindow.h"
#include "support/fixturestore.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>

#include <functional>

using namespace agentops;

namespace {

/// The end of the ADK runs as the producer reported them (ns).
std::int64_t adkEnd()
{
    std::int64_t end = 0;
    const auto expected = test::FixtureStore::expected("adk-js");
    for (const auto &run : expected["runs"])
        end = std::max(end, static_cast<std::int64_t>(std::stoll(run["end_time_unix_nano"].get<std::string>())));
    return end;
}

/// Runs f on the modal dialog that exec() opens next (a QTimer while the caller blocks in exec()).
void onNextModal(const std::function<void(QWidget *)> &f)
{
    QTimer::singleShot(0, qApp, [f] {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal) {
            onNextModal(f);
            return;
        }
        f(modal);
    });
}

template<typename T>
T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

} // namespace

class TestAlertsUi : public QObject
{
    Q_OBJECT

private:
    QString m_shots;

    void shoot(QWidget *w, const QString &name)
    {
        for (const auto choice : { ui::theme::Choice::Light, ui::theme::Choice::Dark }) {
            ui::theme::apply(choice);
            QCoreApplication::processEvents();
            const QString file = m_shots + u'/' + name + (choice == ui::theme::Choice::Dark ? u"-dark" : u"-light")
                + QStringLiteral(".png");
            QVERIFY(w->grab().save(file));
        }
        ui::theme::apply(ui::theme::Choice::Light);
    }

private Q_SLOTS:
    void initTestCase();
    void settingsTabAddsEditsAndRemovesRules();
    void ruleDialogRefusesWhatIsNotValid();
    void ruleDialogByKeyboardOnly();
    void monitorNotifiesWhatTheCapturedRunsRaise();
    void statusBarAndAlertsList();
};

void TestAlertsUi::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("agentops-test-alertsui"));
    m_shots = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/alerts");
    QVERIFY(QDir().mkpath(m_shots));
    ui::theme::apply(ui::theme::Choice::Light);
}

void TestAlertsUi::settingsTabAddsEditsAndRemovesRules()
{
    test::FixtureStore f;
    ui::SettingsDialog dialog({}, QStringLiteral("/tmp/traces.db"), nullptr, &f.store());
    dialog.showAlertsTab();
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *page = dialog.findChild<ui::AlertRulesPage *>();
    QVERIFY(page);
    QCOMPARE(dialog.tabs()->currentWidget(), page);
    auto *empty = child<QLabel>(page, "alertRulesEmpty");
    QVERIFY(empty->isVisible());
    QVERIFY(empty->text().startsWith(QStringLiteral("No alert rules yet")));
    QVERIFY(!child<QPushButton>(page, "editAlertRule")->isEnabled());
    QVERIFY(!child<QPushButton>(page, "removeAlertRule")->isEnabled());
    dialog.resize(760, 520);
    shoot(&dialog, QStringLiteral("settings-alerts-empty"));

    // Add: the rule dialog opens with defaults; a name, an agent scope, OK.
    onNextModal([](QWidget *w) {
        auto *d = qobject_cast<ui::AlertRuleDialog *>(w);
        QVERIFY(d);
        QTest::keyClicks(child<QLineEdit>(d, "alertName"), QStringLiteral("weather agent errors"));
        auto *scope = child<QComboBox>(d, "alertScope");
        scope->setCurrentIndex(scope->findData(static_cast<int>(core::AlertScope::Agent)));
        QVERIFY(!d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
        QTest::keyClicks(child<QLineEdit>(d, "alertScopeValue"), QStringLiteral("weather_agent"));
        QVERIFY(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
        QTest::mouseClick(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    });
    QTest::mouseClick(child<QPushButton>(page, "addAlertRule"), Qt::LeftButton);
    auto rules = f.store().alertRules();
    QCOMPARE(rules.size(), 1u);
    QCOMPARE(rules[0].name, std::string("weather agent errors"));
    QCOMPARE(rules[0].kind, core::AlertKind::ErrorRate);
    QCOMPARE(rules[0].threshold, 5.0);
    QCOMPARE(rules[0].window_s, 15 * 60);
    QCOMPARE(rules[0].for_s, 120);
    QCOMPARE(rules[0].scope, core::AlertScope::Agent);
    QCOMPARE(rules[0].scope_value, std::string("weather_agent"));
    QCOMPARE(page->list()->topLevelItemCount(), 1);
    QCOMPARE(page->list()->topLevelItem(0)->text(ui::AlertRulesPage::ConditionColumn),
        QStringLiteral("Error rate above %1% over 15 min").arg(QLocale().toString(5.0, 'f', 1)));
    QCOMPARE(
        page->list()->topLevelItem(0)->text(ui::AlertRulesPage::ScopeColumn), QStringLiteral("Agent weather_agent"));
    QCOMPARE(page->list()->topLevelItem(0)->text(ui::AlertRulesPage::StateColumn), QStringLiteral("Not evaluated yet"));
    QVERIFY(!empty->isVisible());

    // A second rule of the same name is refused with a message, and the dialog asked again.
    onNextModal([](QWidget *w) {
        auto *d = qobject_cast<ui::AlertRuleDialog *>(w);
        QVERIFY(d);
        QTest::keyClicks(child<QLineEdit>(d, "alertName"), QStringLiteral("weather agent errors"));
        d->accept();
        onNextModal([](QWidget *box) {
            auto *message = qobject_cast<QMessageBox *>(box);
            QVERIFY(message);
            QVERIFY2(message->text().contains(QStringLiteral("exists already")), qPrintable(message->text()));
            message->accept();
            onNextModal([](QWidget *again) {
                QVERIFY(qobject_cast<ui::AlertRuleDialog *>(again));
                static_cast<QDialog *>(again)->reject();
            });
        });
    });
    QTest::mouseClick(child<QPushButton>(page, "addAlertRule"), Qt::LeftButton);
    QCOMPARE(f.store().alertRules().size(), 1u);

    // Edit by Enter on the row: another kind and threshold.
    onNextModal([](QWidget *w) {
        auto *d = qobject_cast<ui::AlertRuleDialog *>(w);
        QVERIFY(d);
        QCOMPARE(child<QLineEdit>(d, "alertName")->text(), QStringLiteral("weather agent errors"));
        auto *kind = child<QComboBox>(d, "alertKind");
        kind->setCurrentIndex(kind->findData(static_cast<int>(core::AlertKind::P95Latency)));
        QCOMPARE(child<QDoubleSpinBox>(d, "alertThreshold")->suffix(), QStringLiteral(" ms"));
        child<QDoubleSpinBox>(d, "alertThreshold")->setValue(2500);
        d->accept();
    });
    page->list()->setFocus();
    QTest::keyClick(page->list(), Qt::Key_Return);
    rules = f.store().alertRules();
    QCOMPARE(rules[0].kind, core::AlertKind::P95Latency);
    QCOMPARE(rules[0].threshold, 2500.0);
    QCOMPARE(page->list()->topLevelItem(0)->text(ui::AlertRulesPage::ConditionColumn),
        QStringLiteral("p95 latency above %1 ms over 15 min").arg(QLocale().toString(2500.0, 'f', 0)));
    shoot(&dialog, QStringLiteral("settings-alerts"));

    // Remove, after a confirmation.
    onNextModal([](QWidget *w) {
        auto *box = qobject_cast<QMessageBox *>(w);
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
    });
    QTest::mouseClick(child<QPushButton>(page, "removeAlertRule"), Qt::LeftButton);
    QVERIFY(f.store().alertRules().empty());
    QCOMPARE(page->list()->topLevelItemCount(), 0);
    QVERIFY(empty->isVisible());
}

void TestAlertsUi::ruleDialogRefusesWhatIsNotValid()
{
    core::AlertRule r;
    ui::AlertRuleDialog d(r);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    auto *ok = d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *problem = child<QLabel>(&d, "alertProblem");
    QVERIFY(!ok->isEnabled());
    QCOMPARE(problem->text(), QStringLiteral("Give the rule a name."));
    QTest::keyClicks(child<QLineEdit>(&d, "alertName"), QStringLiteral("x"));
    QVERIFY(ok->isEnabled());
    QVERIFY(!problem->isVisible());
    child<QLineEdit>(&d, "alertName")->clear();
    shoot(&d, QStringLiteral("rule-dialog-problem"));
    QTest::keyClicks(child<QLineEdit>(&d, "alertName"), QStringLiteral("x"));
    // Every kind offers its unit; every scope but "all" asks for a name.
    auto *kind = child<QComboBox>(&d, "alertKind");
    const QStringList suffixes = { QStringLiteral(" %"), QStringLiteral(" per hour"), QStringLiteral(" per day"),
        QStringLiteral(" ms"), QStringLiteral(" spans") };
    QCOMPARE(kind->count(), suffixes.size());
    for (int i = 0; i < kind->count(); ++i) {
        kind->setCurrentIndex(i);
        QCOMPARE(child<QDoubleSpinBox>(&d, "alertThreshold")->suffix(), suffixes[i]);
        QVERIFY(ok->isEnabled());
    }
    auto *scope = child<QComboBox>(&d, "alertScope");
    QCOMPARE(scope->count(), 4);
    for (int i = 1; i < scope->count(); ++i) {
        scope->setCurrentIndex(i);
        QVERIFY(child<QLineEdit>(&d, "alertScopeValue")->isEnabled());
        QVERIFY(!ok->isEnabled());
        QCOMPARE(problem->text(), QStringLiteral("Name the service, agent or model the rule watches."));
    }
    scope->setCurrentIndex(0);
    QVERIFY(!child<QLineEdit>(&d, "alertScopeValue")->isEnabled());
    QVERIFY(ok->isEnabled());
    // An error rate is at most 100 %: the field does not go beyond it.
    kind->setCurrentIndex(kind->findData(static_cast<int>(core::AlertKind::ErrorRate)));
    QCOMPARE(child<QDoubleSpinBox>(&d, "alertThreshold")->maximum(), 100.0);
    QCOMPARE(child<QSpinBox>(&d, "alertWindow")->minimum(), 1);
    QCOMPARE(child<QSpinBox>(&d, "alertWindow")->maximum(), 1440);
    QCOMPARE(child<QSpinBox>(&d, "alertFor")->minimum(), 0);
}

void TestAlertsUi::ruleDialogByKeyboardOnly()
{
    core::AlertRule r;
    r.threshold = 5;
    r.window_s = std::int64_t { 15 } * 60;
    ui::AlertRuleDialog d(r);
    d.show();
    QVERIFY(QTest::qWaitForWindowActive(&d));
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(&d, "alertName"));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("agent quiet"));
    // Tab through the form in reading order: kind, threshold, window, for, scope, name in scope.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QComboBox>(&d, "alertKind"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_End); // the last kind: no traffic
    QCOMPARE(child<QComboBox>(&d, "alertKind")->currentData().toInt(), static_cast<int>(core::AlertKind::NoTraffic));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QDoubleSpinBox>(&d, "alertThreshold"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("0"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QSpinBox>(&d, "alertWindow"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("30"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QSpinBox>(&d, "alertFor"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QComboBox>(&d, "alertScope"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down); // one agent
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(&d, "alertScopeValue"));
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("weather_agent"));
    // The mnemonics reach the fields too.
    QTest::keyClick(&d, Qt::Key_N, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(&d, "alertName"));
    QSignalSpy accepted(&d, &QDialog::accepted);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QCOMPARE(accepted.size(), 1);
    const auto rule = d.rule();
    QCOMPARE(rule.name, std::string("agent quiet"));
    QCOMPARE(rule.kind, core::AlertKind::NoTraffic);
    QCOMPARE(rule.threshold, 0.0);
    QCOMPARE(rule.window_s, 30 * 60);
    QCOMPARE(rule.scope, core::AlertScope::Agent);
    QCOMPARE(rule.scope_value, std::string("weather_agent"));
    QVERIFY(core::validateAlertRule(rule).empty());

    // Escape cancels.
    ui::AlertRuleDialog again(r);
    again.show();
    QVERIFY(QTest::qWaitForWindowActive(&again));
    QSignalSpy rejected(&again, &QDialog::rejected);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QCOMPARE(rejected.size(), 1);
}

void TestAlertsUi::monitorNotifiesWhatTheCapturedRunsRaise()
{
    test::FixtureStore f;
    f.ingest("adk-js");
    core::AlertRule r;
    r.name = "adk errors";
    r.kind = core::AlertKind::ErrorRate;
    r.threshold = 5;
    r.window_s = std::int64_t { 60 } * 60;
    f.store().addAlertRule(r);
    ui::AlertMonitor monitor(&f.store());
    QSignalSpy evaluated(&monitor, &ui::AlertMonitor::evaluated);
    QSignalSpy raised(&monitor, &ui::AlertMonitor::alertsRaised);
    monitor.evaluateNow(adkEnd());
    QTRY_COMPARE(evaluated.size(), 1);
    QCOMPARE(raised.size(), 1);
    QCOMPARE(monitor.firingCount(), 1);
    // 1 error span in 10, as ADK reported its runs.
    QCOMPARE(monitor.lastTitle(), QStringLiteral("Alert: adk errors"));
    QCOMPARE(monitor.lastText(),
        QStringLiteral("All traffic: Error rate %1% over 1 h (threshold %2%)")
            .arg(QLocale().toString(10.0, 'f', 1), QLocale().toString(5.0, 'f', 1)));
    // Headless there is no system tray: nothing shown there, and nothing else missing.
    QCOMPARE(monitor.lastShownInTray(), QSystemTrayIcon::isSystemTrayAvailable());
    QCOMPARE(monitor.trayIcon() != nullptr, QSystemTrayIcon::isSystemTrayAvailable());
    // Still firing a minute later: no second notification.
    monitor.evaluateNow(adkEnd() + 60'000'000'000LL);
    QTRY_COMPARE(evaluated.size(), 2);
    QCOMPARE(raised.size(), 1);
    // Two hours later the window is empty: resolved.
    monitor.evaluateNow(adkEnd() + 2 * 3600'000'000'000LL);
    QTRY_COMPARE(evaluated.size(), 3);
    QCOMPARE(raised.size(), 2);
    QCOMPARE(monitor.lastTitle(), QStringLiteral("Resolved: adk errors"));
    QCOMPARE(monitor.lastText(),
        QStringLiteral("All traffic: Error rate no data over 1 h (threshold %1%)")
            .arg(QLocale().toString(5.0, 'f', 1)));
    QCOMPARE(monitor.firingCount(), 0);
}

void TestAlertsUi::statusBarAndAlertsList()
{
    test::AppWindow app;
    app.start({ QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/adk-js.otlp.json") }, true);
    if (QTest::currentTestFailed())
        return;
    auto *window = app.window.get();
    auto *monitor = window->alertMonitor();
    QVERIFY(monitor);
    auto *status = window->alertStatusButton();
    QVERIFY(status);
    QTRY_VERIFY(!monitor->isEvaluating());
    QVERIFY(!status->isVisible()); // no rules: nothing firing
    core::AlertRule r;
    r.name = "adk errors";
    r.kind = core::AlertKind::ErrorRate;
    r.threshold = 5;
    r.window_s = std::int64_t { 60 } * 60;
    app.backend->store()->addAlertRule(r);
    r.name = "weather agent quiet";
    r.kind = core::AlertKind::NoTraffic;
    r.threshold = 0;
    r.window_s = std::int64_t { 5 } * 60;
    r.scope = core::AlertScope::Agent;
    r.scope_value = "weather_agent";
    app.backend->store()->addAlertRule(r);
    QSignalSpy evaluated(monitor, &ui::AlertMonitor::evaluated);
    monitor->evaluateNow(adkEnd());
    QTRY_COMPARE(evaluated.size(), 1);
    QVERIFY(status->isVisible());
    QCOMPARE(status->text(), QStringLiteral("⚠ 1 alert firing"));
    QVERIFY2(window->statusBar()->currentMessage().startsWith(QStringLiteral("Alert: adk errors")),
        qPrintable(window->statusBar()->currentMessage()));
    // The message covers the receiver's status; the indicator's appearance did not bring it back.
    QVERIFY(!window->serverStatusLabel()->isVisible());
    // Ten minutes later the agent has been quiet for five: two firing.
    monitor->evaluateNow(adkEnd() + 10 * 60'000'000'000LL);
    QTRY_COMPARE(evaluated.size(), 2);
    QCOMPARE(status->text(), QStringLiteral("⚠ 2 alerts firing"));
    QCOMPARE(status->text(), status->text().trimmed());
    QVERIFY(status->width() >= status->sizeHint().width()); // not clipped

    // View ▸ Alerts from the keyboard.
    QTest::keyClick(window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(window->alertsDialog() && window->alertsDialog()->isVisible());
    auto *dialog = window->alertsDialog();
    QCOMPARE(dialog->firingList()->topLevelItemCount(), 2);
    QCOMPARE(dialog->eventList()->topLevelItemCount(), 2);
    QCOMPARE(dialog->eventList()->topLevelItem(0)->text(ui::AlertsDialog::EventRuleColumn),
        QStringLiteral("weather agent quiet"));
    QCOMPARE(dialog->eventList()->topLevelItem(0)->text(ui::AlertsDialog::EventDetailColumn),
        QStringLiteral("Agent weather_agent: 0 spans in the last 5 min (at most 0 spans)"));
    QCOMPARE(dialog->eventList()->topLevelItem(1)->text(ui::AlertsDialog::EventDetailColumn),
        QStringLiteral("All traffic: Error rate %1% over 1 h (threshold %2%)")
            .arg(QLocale().toString(10.0, 'f', 1), QLocale().toString(5.0, 'f', 1)));
    QCOMPARE(child<QLabel>(dialog, "alertsSummary")->text(), QStringLiteral("2 alerts firing."));
    shoot(dialog, QStringLiteral("alerts-dialog"));
    shoot(window, QStringLiteral("main-window-alerts-firing"));
    // Escape closes it; a click on the status bar indicator opens it again.
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(!window->alertsDialog());
    QTest::mouseClick(status, Qt::LeftButton);
    QTRY_VERIFY(window->alertsDialog() && window->alertsDialog()->isVisible());
    window->alertsDialog()->close();
    QTRY_VERIFY(!window->alertsDialog());
    app.stop();
}

QTEST_MAIN(TestAlertsUi)
#include "tst_alertsui.moc"

// SPDX-License-Identifier: MIT
#include "client/credentialstore.h"
#include "client/localbackend.h"
#include "client/remotesource.h"
#include "client/savedservers.h"
#include "client/sourcemanager.h"
#include "client/tracesourcerunner.h"
#include "shell/mainwindow.h"
#include "shell/tracefilterbar.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "signin/connectionbanner.h"
#include "signin/signindialog.h"
#include "signin/sourcecontroller.h"
#include "support/httptestclient.h"
#include "support/serverprocess.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

using namespace agentops;

class tst_SignIn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void urlChecks();
    void wrongPassword();
    void rightPassword();
    void severalProjects();
    void apiKey();
    void unreachable();
    void cancel();
    void workOffline();
    void switchAndSignInAgain();
    void startupWithSavedSignIn();
    void offlineBannerRecovers();
    void statusBarShowsSourceAndProject();
    void removeSavedServer();

private:
    bool startServer(int port = 0);
    void stopServer();
    int cli(QStringList args, QByteArray &out, const QByteArray &input = {});
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    bool signIn(ui::SignInDialog &dialog);
    void ingest(const QString &traceId, const QString &service);
    void save(QWidget *widget, const QString &name);

    QTemporaryDir m_dir;
    QString m_dataDir;
    QProcess m_server;
    int m_port = 0;
    QString m_key;
    std::unique_ptr<client::LocalBackend> m_backend;
};

int tst_SignIn::cli(QStringList args, QByteArray &out, const QByteArray &input)
{
    return test::runServerCommand(m_dataDir, std::move(args), out, input);
}

bool tst_SignIn::startServer(int port)
{
    const int listening = test::startServerProcess(m_server,
        { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--data-dir"),
            m_dataDir },
        10000, "http");
    if (listening <= 0)
        return false;
    m_port = listening;
    return true;
}

void tst_SignIn::stopServer()
{
    if (m_server.state() == QProcess::NotRunning)
        return;
    m_server.terminate();
    if (!m_server.waitForFinished(15000))
        m_server.kill();
    m_server.waitForFinished(5000);
}

void tst_SignIn::ingest(const QString &traceId, const QString &service)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch() * 1000000;
    const QString body = QStringLiteral("{\"trace\":{\"trace_id\":\"%1\",\"service_name\":\"%2\"},\"spans\":[{"
                                        "\"span_id\":\"%3\",\"name\":\"answer %2\",\"kind\":\"agent\","
                                        "\"start_time_unix_nano\":%4,\"end_time_unix_nano\":%5,\"status\":\"ok\"}]}")
                             .arg(traceId, service, traceId.left(16))
                             .arg(now - 2000000000)
                             .arg(now - 1000000000);
    test::HttpClient http("127.0.0.1", m_port);
    const test::HttpClient::Headers headers { { "Authorization", "Bearer " + m_key.toStdString() } };
    const auto res = http.post("/api/v1/ingest", headers, body.toStdString(), "application/json");
    QVERIFY(res);
    QVERIFY2(res->status == 200, res->body.c_str());
}

void tst_SignIn::save(QWidget *widget, const QString &name)
{
    const QString path = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/%1.png").arg(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(widget->grab().save(path));
}

bool tst_SignIn::signIn(ui::SignInDialog &dialog)
{
    QSignalSpy busy(&dialog, &ui::SignInDialog::busyChanged);
    QTest::mouseClick(dialog.signInButton(), Qt::LeftButton);
    if (!dialog.isBusy())
        return false;
    if (!QTest::qWaitFor([&] { return !dialog.isBusy(); }, 30000))
        return false;
    return busy.count() == 2;
}

void tst_SignIn::initTestCase()
{
    QVERIFY2(qEnvironmentVariable("HOME").contains(QLatin1String("agentops-keyring.")),
        "run through tests/support/with-keyring.sh (private D-Bus session and keyring)");
    QVERIFY(m_dir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOpsTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_signin"));
    m_dataDir = m_dir.filePath(QStringLiteral("server"));

    QByteArray out;
    QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("checkout") }, out), 0);
    QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("billing") }, out), 0);
    QCOMPARE(cli({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("ada@example.com"),
                     QStringLiteral("--project"), QStringLiteral("checkout"), QStringLiteral("--password-stdin") },
                 out, "ada-password\n"),
        0);
    QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("add-member"), QStringLiteral("billing"),
                     QStringLiteral("ada@example.com") },
                 out),
        0);
    QCOMPARE(cli({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bob@example.com"),
                     QStringLiteral("--project"), QStringLiteral("checkout"), QStringLiteral("--password-stdin") },
                 out, "bob-password\n"),
        0);
    QCOMPARE(cli({ QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("checkout") }, out), 0);
    m_key = test::apiKeyIn(out);
    QVERIFY2(!m_key.isEmpty(), out.constData());

    QVERIFY(startServer());
    ingest(QStringLiteral("0af7651916cd43dd8448eb211c80319c"), QStringLiteral("svc-a"));
    ingest(QStringLiteral("1bf7651916cd43dd8448eb211c80319c"), QStringLiteral("svc-a"));
    ingest(QStringLiteral("2cf7651916cd43dd8448eb211c80319c"), QStringLiteral("svc-b"));

    // The local database: empty, no receiver.
    m_backend = std::make_unique<client::LocalBackend>(m_dir.filePath(QStringLiteral("local.db")));
    m_backend->setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
    QString error;
    QVERIFY2(m_backend->start(&error), qPrintable(error));
}

void tst_SignIn::cleanupTestCase()
{
    stopServer();
    if (m_backend)
        m_backend->stop();
}

void tst_SignIn::urlChecks()
{
    QVERIFY(ui::SignInDialog::urlProblem(QStringLiteral("https://agentops.example.com")).isEmpty());
    QVERIFY(ui::SignInDialog::urlProblem(QStringLiteral("http://127.0.0.1:4318")).isEmpty());
    QVERIFY(ui::SignInDialog::urlProblem(QString()).contains(QLatin1String("Enter the server")));
    QVERIFY(ui::SignInDialog::urlProblem(QStringLiteral("ftp://example.com")).contains(QLatin1String("https://")));
    QVERIFY(ui::SignInDialog::urlProblem(QStringLiteral("agentops.example.com")).contains(QLatin1String("https://")));
    QVERIFY(ui::SignInDialog::isInsecure(QStringLiteral("http://agentops.example.com")));
    QVERIFY(ui::SignInDialog::isInsecure(QStringLiteral("http://10.0.0.5:4318")));
    QVERIFY(!ui::SignInDialog::isInsecure(QStringLiteral("https://agentops.example.com")));
    QVERIFY(!ui::SignInDialog::isInsecure(QStringLiteral("http://127.0.0.1:4318")));
    QVERIFY(!ui::SignInDialog::isInsecure(QStringLiteral("http://localhost:4318")));
    QVERIFY(!ui::SignInDialog::isInsecure(QStringLiteral("http://[::1]:4318")));

    ui::SignInDialog dialog;
    dialog.show();
    dialog.urlEdit()->setText(QStringLiteral("http://agentops.example.com"));
    QVERIFY(dialog.urlWarningLabel()->isVisible());
    QVERIFY(dialog.urlWarningLabel()->text().contains(QLatin1String("unencrypted")));
    dialog.urlEdit()->setText(QStringLiteral("http://127.0.0.1:4318"));
    QVERIFY(!dialog.urlWarningLabel()->isVisible());

    // A bad address is refused before any request.
    dialog.urlEdit()->setText(QStringLiteral("agentops.example.com"));
    dialog.emailEdit()->setText(QStringLiteral("ada@example.com"));
    dialog.passwordEdit()->setText(QStringLiteral("x"));
    QSignalSpy failed(&dialog, &ui::SignInDialog::signInFailed);
    QTest::mouseClick(dialog.signInButton(), Qt::LeftButton);
    QVERIFY(!dialog.isBusy());
    QCOMPARE(failed.count(), 1);
    QVERIFY(dialog.errorLabel()->isVisible());
    QVERIFY(dialog.isVisible());

    // So is a missing password.
    dialog.urlEdit()->setText(url());
    dialog.passwordEdit()->clear();
    QTest::mouseClick(dialog.signInButton(), Qt::LeftButton);
    QVERIFY(!dialog.isBusy());
    QCOMPARE(dialog.errorLabel()->text(), QStringLiteral("Enter your password."));
}

void tst_SignIn::wrongPassword()
{
    ui::SignInDialog dialog;
    dialog.show();
    dialog.urlEdit()->setText(url() + QLatin1Char('/'));
    dialog.emailEdit()->setText(QStringLiteral("ada@example.com"));
    dialog.passwordEdit()->setText(QStringLiteral("not-her-password"));
    dialog.caFileEdit()->clear();
    QVERIFY(signIn(dialog));
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(dialog.errorLabel()->text(), QStringLiteral("Wrong email or password."));
    QVERIFY(dialog.errorLabel()->isVisible());
    // Everything typed stays.
    QCOMPARE(dialog.urlEdit()->text(), url() + QLatin1Char('/'));
    QCOMPARE(dialog.emailEdit()->text(), QStringLiteral("ada@example.com"));
    QCOMPARE(dialog.passwordEdit()->text(), QStringLiteral("not-her-password"));
    QVERIFY(dialog.signInButton()->isEnabled());
    QVERIFY(dialog.token().isEmpty());
    dialog.resize(dialog.sizeHint());
    save(&dialog, QStringLiteral("signin-wrong-password"));
}

void tst_SignIn::rightPassword()
{
    ui::SignInDialog dialog;
    dialog.show();
    dialog.urlEdit()->setText(url());
    dialog.emailEdit()->setText(QStringLiteral("bob@example.com"));
    dialog.passwordEdit()->setText(QStringLiteral("bob-password"));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QVERIFY(signIn(dialog));
    QCOMPARE(accepted.count(), 1);
    QVERIFY(!dialog.token().isEmpty());
    QCOMPARE(dialog.server().url, url());
    QCOMPARE(dialog.server().account, QStringLiteral("bob@example.com"));
    QCOMPARE(dialog.server().project, QStringLiteral("checkout"));
    QCOMPARE(QString::fromStdString(dialog.identity().email), QStringLiteral("bob@example.com"));

    // The token is a working session: the server says whose it is.
    client::RemoteConfig config;
    config.base_url = url().toStdString();
    config.token = dialog.token().toStdString();
    const auto identity = QtConcurrent::run([config] { return client::RemoteAuth::me(config); }).result();
    QCOMPARE(QString::fromStdString(identity.email), QStringLiteral("bob@example.com"));
}

void tst_SignIn::severalProjects()
{
    ui::SignInDialog dialog;
    dialog.show();
    client::SavedServer saved;
    saved.url = url();
    saved.account = QStringLiteral("ada@example.com");
    saved.project = QStringLiteral("billing");
    dialog.setServer(saved);
    QCOMPARE(dialog.emailEdit()->text(), QStringLiteral("ada@example.com"));
    dialog.passwordEdit()->setText(QStringLiteral("ada-password"));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QVERIFY(signIn(dialog));
    // Signed in, but two projects: the dialog asks which one, preselecting the saved one.
    QCOMPARE(accepted.count(), 0);
    QVERIFY(dialog.projectBox()->isVisible());
    QCOMPARE(dialog.projectBox()->count(), 2);
    QCOMPARE(dialog.projectBox()->currentText(), QStringLiteral("billing"));
    dialog.resize(dialog.sizeHint());
    save(&dialog, QStringLiteral("signin-choose-project"));
    dialog.projectBox()->setCurrentIndex(dialog.projectBox()->findText(QStringLiteral("checkout")));
    QTest::mouseClick(dialog.signInButton(), Qt::LeftButton);
    QCOMPARE(accepted.count(), 1);
    QCOMPARE(dialog.server().project, QStringLiteral("checkout"));
    QVERIFY(!dialog.token().isEmpty());
}

void tst_SignIn::apiKey()
{
    ui::SignInDialog dialog;
    dialog.show();
    dialog.urlEdit()->setText(url());
    dialog.apiKeyChoice()->setChecked(true);
    QVERIFY(dialog.apiKeyEdit()->isVisible());
    QVERIFY(!dialog.emailEdit()->isVisible());

    dialog.apiKeyEdit()->setText(QStringLiteral("aok_not-a-key"));
    QVERIFY(signIn(dialog));
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.errorLabel()->text().contains(QLatin1String("did not accept this API key")),
        qPrintable(dialog.errorLabel()->text()));
    QCOMPARE(dialog.apiKeyEdit()->text(), QStringLiteral("aok_not-a-key"));

    dialog.apiKeyEdit()->setText(m_key);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QVERIFY(signIn(dialog));
    QCOMPARE(accepted.count(), 1);
    QCOMPARE(dialog.token(), m_key);
    QVERIFY(dialog.server().usesApiKey());
    QVERIFY(dialog.identity().api_key);
}

void tst_SignIn::unreachable()
{
    // A port that nothing listens on.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const int closed = probe.serverPort();
    probe.close();

    ui::SignInDialog dialog;
    dialog.show();
    dialog.urlEdit()->setText(QStringLiteral("http://127.0.0.1:%1").arg(closed));
    dialog.emailEdit()->setText(QStringLiteral("ada@example.com"));
    dialog.passwordEdit()->setText(QStringLiteral("ada-password"));
    QVERIFY(signIn(dialog));
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.errorLabel()->text().startsWith(QStringLiteral("Cannot reach http://127.0.0.1:%1").arg(closed)),
        qPrintable(dialog.errorLabel()->text()));
    QCOMPARE(dialog.passwordEdit()->text(), QStringLiteral("ada-password"));
    dialog.resize(dialog.sizeHint());
    save(&dialog, QStringLiteral("signin-unreachable"));

    // A CA file that does not exist is named before any request.
    dialog.urlEdit()->setText(url());
    dialog.caFileEdit()->setText(QStringLiteral("/nonexistent/team-ca.pem"));
    QTest::mouseClick(dialog.signInButton(), Qt::LeftButton);
    QVERIFY(!dialog.isBusy());
    QVERIFY(dialog.errorLabel()->text().contains(QLatin1String("/nonexistent/team-ca.pem")));
}

void tst_SignIn::cancel()
{
    // A server that accepts the connection and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    ui::SignInDialog dialog;
    dialog.show();
    dialog.urlEdit()->setText(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()));
    dialog.emailEdit()->setText(QStringLiteral("ada@example.com"));
    dialog.passwordEdit()->setText(QStringLiteral("ada-password"));
    QTest::mouseClick(dialog.signInButton(), Qt::LeftButton);
    QVERIFY(dialog.isBusy());
    QVERIFY(!dialog.signInButton()->isEnabled());
    QVERIFY(!dialog.urlEdit()->isEnabled());
    QVERIFY(dialog.cancelButton()->isEnabled());
    dialog.resize(dialog.sizeHint());
    save(&dialog, QStringLiteral("signin-busy"));
    // Cancel stops waiting at once and keeps the dialog and the typed values.
    QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
    QVERIFY(!dialog.isBusy());
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.errorLabel()->text(), QStringLiteral("Sign-in cancelled."));
    QCOMPARE(dialog.passwordEdit()->text(), QStringLiteral("ada-password"));
    QVERIFY(dialog.signInButton()->isEnabled());
    // A second Cancel closes it.
    QSignalSpy rejected(&dialog, &QDialog::rejected);
    QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
    QCOMPARE(rejected.count(), 1);
    QVERIFY(!dialog.workOffline());
}

void tst_SignIn::workOffline()
{
    ui::SignInDialog dialog;
    dialog.show();
    QSignalSpy rejected(&dialog, &QDialog::rejected);
    QTest::mouseClick(dialog.offlineButton(), Qt::LeftButton);
    QCOMPARE(rejected.count(), 1);
    QVERIFY(dialog.workOffline());
    QVERIFY(!dialog.isVisible());
}

void tst_SignIn::switchAndSignInAgain()
{
    client::SourceManager manager(m_backend->source());
    ui::MainWindow window(m_backend.get(), manager.runner());
    window.setSourceManager(&manager);
    window.resize(1200, 700);
    window.show();
    auto *controller = window.sourceController();
    QVERIFY(controller);
    QCOMPARE(window.sourceLabel()->text(), QStringLiteral("Local database"));
    auto *model = window.traceListPage()->model();
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(model->rowCount(), 0);

    // Add a server from the switcher.
    QAction *add = controller->menu()->findChild<QAction *>(QStringLiteral("addServer"));
    QVERIFY(add);
    add->trigger();
    QTRY_VERIFY(controller->signInDialog());
    auto *dialog = controller->signInDialog();
    dialog->urlEdit()->setText(url());
    dialog->emailEdit()->setText(QStringLiteral("bob@example.com"));
    dialog->passwordEdit()->setText(QStringLiteral("bob-password"));
    QSignalSpy changed(&manager, &client::SourceManager::sourceChanged);
    QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
    const QString id = url() + QStringLiteral("|bob@example.com");
    QCOMPARE(manager.currentId(), id);
    QCOMPARE(client::SavedServers().lastUsed(), id);
    QCOMPARE(controller->switcher()->text(), QStringLiteral("127.0.0.1:%1 ▾").arg(m_port));
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("127.0.0.1:%1").arg(m_port)));
    QVERIFY(window.sourceLabel()->text().startsWith(QStringLiteral("Server:")));
    // The pages read the server now.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 20000);

    // The token is in the keychain, not in the settings.
    client::CredentialStore keychain;
    std::optional<client::CredentialStore::Result> stored;
    keychain.read(id, [&](const auto &r) { stored = r; });
    QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 20000);
    QCOMPARE(stored->status, client::CredentialStore::Status::Ok);
    const QString token = stored->secret;
    QVERIFY(!token.isEmpty());
    {
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(content.contains("bob@example.com"));
        QVERIFY(!content.contains(token.toUtf8()));
    }

    // Narrow the list and select a trace: both survive signing in again.
    window.traceListPage()->filterBar()->setService(QStringLiteral("svc-a"));
    QTRY_VERIFY(!model->isLoading());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 20000);
    QVERIFY(window.traceListPage()->selectTrace(model->trace(1).trace_id));
    const auto selected = model->trace(1).trace_id;

    // The session ends on the server (as when it expires): the next requests are refused.
    client::RemoteConfig config;
    config.base_url = url().toStdString();
    config.token = token.toStdString();
    QtConcurrent::run([config] { client::RemoteAuth::logout(config); }).waitForFinished();
    QSignalSpy unauthorized(&manager, &client::SourceManager::unauthorized);
    window.refresh();
    window.showPage(ui::MainWindow::Page::Sessions); // a second page whose request fails too
    QTRY_VERIFY_WITH_TIMEOUT(controller->signInDialog(), 20000);
    QTRY_COMPARE(manager.state(), client::SourceManager::State::Unauthorized);
    QCOMPARE(controller->banner()->kind(), ui::ConnectionBanner::Kind::Unauthorized);
    QTest::qWait(300);
    QCOMPARE(unauthorized.count(), 1); // asked once, not once per failed request
    dialog = controller->signInDialog();
    QCOMPARE(dialog->urlEdit()->text(), url());
    QCOMPARE(dialog->emailEdit()->text(), QStringLiteral("bob@example.com"));
    QVERIFY(dialog->passwordEdit()->text().isEmpty());
    window.showPage(ui::MainWindow::Page::Traces);
    save(&window, QStringLiteral("mainwindow-signed-out"));

    dialog->passwordEdit()->setText(QStringLiteral("bob-password"));
    changed.clear();
    QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
    QCOMPARE(changed.at(0).at(0).toBool(), true); // same server: reload in place
    QTRY_COMPARE(manager.state(), client::SourceManager::State::Ok);
    QTRY_VERIFY(!controller->banner()->isVisible());
    QTRY_VERIFY(!model->isLoading());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 20000);
    QCOMPARE(window.traceListPage()->filterBar()->filter().service, std::string("svc-a"));
    QTRY_VERIFY(window.traceListPage()->currentTraceId() == selected);
    // The new token replaced the old one in the keychain.
    stored.reset();
    keychain.read(id, [&](const auto &r) { stored = r; });
    QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 20000);
    QCOMPARE(stored->status, client::CredentialStore::Status::Ok);
    QVERIFY(stored->secret != token);
    save(&window, QStringLiteral("mainwindow-server"));

    // Back to Local from the switcher, then to the server again without signing in.
    auto sourceAction = [controller](const QString &sourceId) -> QAction * {
        const auto actions = controller->menu()->actions();
        for (QAction *action : actions)
            if (action->isCheckable() && action->data().toString() == sourceId)
                return action;
        return nullptr;
    };
    QTRY_VERIFY(sourceAction(id) && sourceAction(id)->isChecked());
    QVERIFY(sourceAction(QString()));
    QVERIFY(!sourceAction(QString())->isChecked());
    sourceAction(QString())->trigger();
    QVERIFY(manager.isLocal());
    QCOMPARE(window.sourceLabel()->text(), QStringLiteral("Local database"));
    QTRY_VERIFY(sourceAction(QString()) && sourceAction(QString())->isChecked());
    window.traceListPage()->filterBar()->setService(QString());
    QTRY_VERIFY(!model->isLoading());
    QTRY_COMPARE(model->rowCount(), 0);
    changed.clear();
    sourceAction(id)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
    QVERIFY(!controller->signInDialog());
    QCOMPARE(manager.currentId(), id);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 20000);

    // Sign out: the session ends, the keychain entry goes, the window shows Local.
    const QString lastToken = stored->secret;
    QTRY_VERIFY(controller->menu()->findChild<QAction *>(QStringLiteral("signOut"))
        && controller->menu()->findChild<QAction *>(QStringLiteral("signOut"))->isEnabled());
    controller->menu()->findChild<QAction *>(QStringLiteral("signOut"))->trigger();
    QVERIFY(manager.isLocal());
    QVERIFY(client::SavedServers().lastUsed().isEmpty());
    stored.reset();
    keychain.read(id, [&](const auto &r) { stored = r; });
    QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 20000);
    QCOMPARE(stored->status, client::CredentialStore::Status::NotFound);
    config.token = lastToken.toStdString();
    QTRY_VERIFY_WITH_TIMEOUT(QtConcurrent::run([config] {
        try {
            client::RemoteAuth::me(config);
            return false;
        } catch (const client::SourceError &e) {
            return e.kind() == client::SourceError::Kind::Unauthorized;
        }
    }).result(),
        10000);
    // The server stays in the list to sign in again.
    QVERIFY(client::SavedServers().find(id).has_value());
}

void tst_SignIn::startupWithSavedSignIn()
{
    // A valid saved sign-in: the app opens on the server without asking.
    const QString id = url() + QStringLiteral("|") + client::SavedServer::apiKeyAccount();
    client::SavedServer saved;
    saved.url = url();
    saved.account = client::SavedServer::apiKeyAccount();
    client::SavedServers().save(saved);
    client::SavedServers().setLastUsed(id);
    client::CredentialStore keychain;
    std::optional<client::CredentialStore::Result> written;
    keychain.write(id, m_key, [&](const auto &r) { written = r; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 20000);
    QVERIFY(written->succeeded());

    {
        client::SourceManager manager(m_backend->source());
        ui::MainWindow window(m_backend.get(), manager.runner());
        window.setSourceManager(&manager);
        QSignalSpy finished(window.sourceController(), &ui::SourceController::startupFinished);
        window.startSources();
        QVERIFY(manager.isLocal()); // nothing blocks: the check runs in the background
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(manager.currentId(), id);
        QVERIFY(!window.sourceController()->signInDialog());
        QTRY_COMPARE_WITH_TIMEOUT(window.traceListPage()->model()->rowCount(), 3, 20000);
    }

    // A sign-in the server no longer accepts: the dialog opens, prefilled.
    written.reset();
    keychain.write(id, QStringLiteral("aok_revoked"), [&](const auto &r) { written = r; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 20000);
    {
        client::SourceManager manager(m_backend->source());
        ui::MainWindow window(m_backend.get(), manager.runner());
        window.setSourceManager(&manager);
        QSignalSpy finished(window.sourceController(), &ui::SourceController::startupFinished);
        window.startSources();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QVERIFY(manager.isLocal());
        auto *dialog = window.sourceController()->signInDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->urlEdit()->text(), url());
        QVERIFY(dialog->apiKeyChoice()->isChecked());
        // Work offline: stay on Local, and start there next time.
        QTest::mouseClick(dialog->offlineButton(), Qt::LeftButton);
        QVERIFY(manager.isLocal());
        QVERIFY(client::SavedServers().lastUsed().isEmpty());
    }
}

void tst_SignIn::offlineBannerRecovers()
{
    client::SourceManager manager(m_backend->source());
    manager.setRetryBackoff(300, 1000);
    ui::MainWindow window(m_backend.get(), manager.runner());
    window.setSourceManager(&manager);
    window.resize(1200, 700);
    window.show();

    client::RemoteConfig config;
    config.base_url = url().toStdString();
    config.token = m_key.toStdString();
    config.max_retries = 0;
    config.connect_timeout = std::chrono::milliseconds(1000);
    auto remote = std::make_shared<client::RemoteSource>(config);
    manager.setSource(remote, url() + QStringLiteral("|API key"), QStringLiteral("team server"));
    QTRY_COMPARE_WITH_TIMEOUT(window.traceListPage()->model()->rowCount(), 3, 20000);

    // The server goes away: a banner says so and retries on its own.
    const int port = m_port;
    stopServer();
    QSignalSpy retries(&manager, &client::SourceManager::retryRequested);
    window.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(manager.state(), client::SourceManager::State::Offline, 20000);
    auto *banner = window.sourceController()->banner();
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->kind(), ui::ConnectionBanner::Kind::Offline);
    QVERIFY2(banner->text().startsWith(QLatin1String("Cannot reach team server")), qPrintable(banner->text()));
    QVERIFY(banner->retryButton()->isVisible());
    save(&window, QStringLiteral("mainwindow-offline"));
    QTRY_VERIFY_WITH_TIMEOUT(retries.count() >= 2, 20000);
    // The rows already shown stay.
    QCOMPARE(window.traceListPage()->model()->rowCount(), 3);

    // Starting on a saved server that cannot be reached: the app stays on it, offline, and retries.
    {
        const QString id = url() + QStringLiteral("|") + client::SavedServer::apiKeyAccount();
        client::SavedServers().setLastUsed(id);
        client::CredentialStore keychain;
        std::optional<client::CredentialStore::Result> written;
        keychain.write(id, m_key, [&](const auto &r) { written = r; });
        QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 20000);
        client::SourceManager startManager(m_backend->source());
        startManager.setRetryBackoff(300, 1000);
        ui::MainWindow startWindow(m_backend.get(), startManager.runner());
        startWindow.setSourceManager(&startManager);
        QSignalSpy finished(startWindow.sourceController(), &ui::SourceController::startupFinished);
        startWindow.startSources();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(startManager.currentId(), id);
        QVERIFY(!startWindow.sourceController()->signInDialog());
        QTRY_COMPARE_WITH_TIMEOUT(startManager.state(), client::SourceManager::State::Offline, 20000);
        QCOMPARE(startWindow.sourceController()->banner()->kind(), ui::ConnectionBanner::Kind::Offline);
    }

    // It comes back on the same port: the next retry succeeds and the banner goes.
    QVERIFY(startServer(port));
    QCOMPARE(m_port, port);
    QTRY_COMPARE_WITH_TIMEOUT(manager.state(), client::SourceManager::State::Ok, 20000);
    QVERIFY(!banner->isVisible());

    // "Retry now" asks for a reload at once.
    retries.clear();
    manager.retryNow();
    QCOMPARE(retries.count(), 1);
}

void tst_SignIn::statusBarShowsSourceAndProject()
{
    // The embedded receiver runs, as in the app; the status line says so only while it is what the
    // pages show.
    QTemporaryDir localDir;
    client::LocalBackend local(localDir.filePath(QStringLiteral("receiving.db")));
    local.setServerSettings({ true, QStringLiteral("127.0.0.1"), 0 });
    QString error;
    QVERIFY2(local.start(&error), qPrintable(error));
    client::SourceManager manager(local.source());
    ui::MainWindow window(&local, manager.runner());
    window.setSourceManager(&manager);
    window.resize(1280, 720);
    window.show();
    QLabel *status = window.serverStatusLabel();
    QLabel *rate = nullptr;
    for (QLabel *label : window.statusBar()->findChildren<QLabel *>())
        if (label->text().endsWith(QLatin1String("spans/s")))
            rate = label;
    QVERIFY(rate);
    const QString receiving = QStringLiteral("Receiving OTLP on http://127.0.0.1:%1").arg(local.serverPort());
    QVERIFY2(status->text().contains(receiving), qPrintable(status->text()));
    QVERIFY(rate->isVisible());

    // Signed in to a team server: its name and project, not the receiver.
    auto *controller = window.sourceController();
    controller->addServer();
    QTRY_VERIFY(controller->signInDialog());
    auto *dialog = controller->signInDialog();
    dialog->urlEdit()->setText(url());
    dialog->emailEdit()->setText(QStringLiteral("bob@example.com"));
    dialog->passwordEdit()->setText(QStringLiteral("bob-password"));
    QSignalSpy changed(&manager, &client::SourceManager::sourceChanged);
    QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
    const QString server = QStringLiteral("127.0.0.1:%1").arg(m_port);
    QTRY_VERIFY2(status->text().contains(QStringLiteral("Team server %1, project checkout").arg(server)),
        qPrintable(status->text()));
    QVERIFY2(!status->text().contains(QLatin1String("Receiving")), qPrintable(status->text()));
    QVERIFY(status->toolTip().contains(QLatin1String("bob@example.com")));
    QVERIFY(!rate->isVisible());
    QVERIFY(window.sourceLabel()->text().contains(server));
    save(&window, QStringLiteral("statusbar-team-server"));

    // Another account with two projects: the one chosen is named.
    changed.clear();
    controller->addServer();
    QTRY_VERIFY(controller->signInDialog());
    dialog = controller->signInDialog();
    dialog->urlEdit()->setText(url());
    dialog->emailEdit()->setText(QStringLiteral("ada@example.com"));
    dialog->passwordEdit()->setText(QStringLiteral("ada-password"));
    QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->projectBox()->isVisible(), 30000);
    dialog->projectBox()->setCurrentIndex(dialog->projectBox()->findText(QStringLiteral("billing")));
    QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
    QTRY_VERIFY2(status->text().contains(QStringLiteral("Team server %1, project billing").arg(server)),
        qPrintable(status->text()));

    // Back to Local: the receiver again.
    controller->switchTo({});
    QTRY_VERIFY2(status->text().contains(receiving), qPrintable(status->text()));
    QVERIFY(rate->isVisible());
    local.stop();
}

void tst_SignIn::removeSavedServer()
{
    client::SourceManager manager(m_backend->source());
    ui::MainWindow window(m_backend.get(), manager.runner());
    window.setSourceManager(&manager);
    window.resize(1200, 700);
    window.show();
    auto *controller = window.sourceController();

    // Signed in with a password: the server, its keychain entry and the session on the server.
    controller->addServer();
    QTRY_VERIFY(controller->signInDialog());
    auto *dialog = controller->signInDialog();
    dialog->urlEdit()->setText(url());
    dialog->emailEdit()->setText(QStringLiteral("bob@example.com"));
    dialog->passwordEdit()->setText(QStringLiteral("bob-password"));
    QSignalSpy changed(&manager, &client::SourceManager::sourceChanged);
    QTest::mouseClick(dialog->signInButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
    const QString id = url() + QStringLiteral("|bob@example.com");
    QCOMPARE(manager.currentId(), id);
    client::CredentialStore keychain;
    const auto readKey = [&keychain](const QString &key) {
        std::optional<client::CredentialStore::Result> result;
        keychain.read(key, [&](const auto &r) { result = r; });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
            return client::CredentialStore::Result { client::CredentialStore::Status::Failed, {}, {} };
        return *result;
    };
    const auto stored = readKey(id);
    QCOMPARE(stored.status, client::CredentialStore::Status::Ok);
    const QString token = stored.secret;

    // Source ▸ Remove Server ▸ the server, and the question answered with Cancel: nothing changes.
    const auto removeAction = [controller](const QString &serverId) -> QAction * {
        auto *menu = controller->menu()->findChild<QMenu *>(QStringLiteral("removeServerMenu"));
        if (!menu)
            return nullptr;
        const auto actions = menu->actions();
        for (QAction *action : actions)
            if (action->data().toString() == serverId)
                return action;
        return nullptr;
    };
    const auto answer = [&window](bool remove) {
        QMessageBox *box = nullptr;
        if (!QTest::qWaitFor(
                [&] {
                    return (box = window.findChild<QMessageBox *>(QStringLiteral("removeServerQuestion")))
                        && box->isVisible();
                },
                10000))
            return false;
        const auto buttons = box->buttons();
        for (QAbstractButton *button : buttons)
            if ((box->buttonRole(button) == QMessageBox::DestructiveRole) == remove) {
                button->click();
                return true;
            }
        return false;
    };
    QTRY_VERIFY(removeAction(id));
    removeAction(id)->trigger();
    QVERIFY(answer(false));
    QTest::qWait(100);
    QCOMPARE(manager.currentId(), id);
    QVERIFY(client::SavedServers().find(id));

    // Answered with Remove: back on Local, the server gone from the list and the menu, its token
    // gone from the keychain and its session ended on the server.
    QSignalSpy removed(controller, &ui::SourceController::serverRemoved);
    removeAction(id)->trigger();
    QVERIFY(answer(true));
    QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, 20000);
    QCOMPARE(removed.at(0).at(1).toBool(), true);
    QVERIFY(manager.isLocal());
    QCOMPARE(window.sourceLabel()->text(), QStringLiteral("Local database"));
    QVERIFY(!client::SavedServers().find(id));
    QVERIFY(client::SavedServers().lastUsed().isEmpty());
    QTRY_VERIFY(!removeAction(id));
    for (QAction *action : controller->menu()->actions())
        QVERIFY(action->data().toString() != id);
    QCOMPARE(readKey(id).status, client::CredentialStore::Status::NotFound);
    client::RemoteConfig config;
    config.base_url = url().toStdString();
    config.token = token.toStdString();
    config.max_retries = 0;
    bool refused = false;
    QVERIFY(QTest::qWaitFor(
        [&] {
            refused = QtConcurrent::run([config] {
                try {
                    client::RemoteAuth::me(config);
                    return false;
                } catch (const client::SourceError &e) {
                    return e.kind() == client::SourceError::Kind::Unauthorized;
                }
            }).result();
            return refused;
        },
        20000));

    // From the sign-in dialog: a saved server whose sign-in is asked for offers Remove Server.
    client::SavedServer saved;
    saved.url = url();
    saved.account = client::SavedServer::apiKeyAccount();
    client::SavedServers().save(saved);
    std::optional<client::CredentialStore::Result> written;
    keychain.write(saved.id(), QStringLiteral("aok_revoked"), [&](const auto &r) { written = r; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 20000);
    controller->switchTo(saved.id());
    QTRY_VERIFY_WITH_TIMEOUT(controller->signInDialog(), 20000);
    dialog = controller->signInDialog();
    QVERIFY(dialog->removeButton()->isVisible());
    save(dialog, QStringLiteral("signin-remove-server"));
    removed.clear();
    QTest::mouseClick(dialog->removeButton(), Qt::LeftButton);
    QVERIFY(answer(true));
    QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, 20000);
    QTRY_VERIFY(!controller->signInDialog());
    QVERIFY(!client::SavedServers().find(saved.id()));
    QCOMPARE(readKey(saved.id()).status, client::CredentialStore::Status::NotFound);
    QVERIFY(manager.isLocal());

    // A new server's dialog has nothing to remove.
    controller->addServer();
    QTRY_VERIFY(controller->signInDialog());
    QVERIFY(!controller->signInDialog()->removeButton()->isVisible());
    controller->signInDialog()->reject();
}

QTEST_MAIN(tst_SignIn)
#include "tst_signin.moc"

// SPDX-License-Identifier: MIT
#include "client/credentialstore.h"
#include "client/savedservers.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

#include <optional>

using namespace agentops::client;

class tst_CredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTrip();
    void serversDoNotCollide();
    void removeMissingIsNotAnError();
    void secretIsInTheSecretService();
    void noSecretInAnyFile();
    void noKeychainIsReported();
    void normalizeUrl_data();
    void normalizeUrl();
    void savedServers();

private:
    CredentialStore::Result read(const QString &key);
    CredentialStore::Result write(const QString &key, const QString &secret);
    CredentialStore::Result remove(const QString &key);
    template<typename Start>
    CredentialStore::Result wait(Start start);

    CredentialStore m_store;
};

template<typename Start>
CredentialStore::Result tst_CredentialStore::wait(Start start)
{
    std::optional<CredentialStore::Result> result;
    bool returned = false;
    start([&](const CredentialStore::Result &r) {
        // The answer must come from the event loop, never from inside the call.
        result = returned ? r
                          : CredentialStore::Result { CredentialStore::Status::Failed, {},
                                QStringLiteral("answered inside the call") };
    });
    returned = true;
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000); }();
    return result.value_or(CredentialStore::Result { CredentialStore::Status::Failed, {}, QStringLiteral("timeout") });
}

CredentialStore::Result tst_CredentialStore::read(const QString &key)
{
    return wait([&](auto done) { m_store.read(key, done); });
}

CredentialStore::Result tst_CredentialStore::write(const QString &key, const QString &secret)
{
    return wait([&](auto done) { m_store.write(key, secret, done); });
}

CredentialStore::Result tst_CredentialStore::remove(const QString &key)
{
    return wait([&](auto done) { m_store.remove(key, done); });
}

void tst_CredentialStore::initTestCase()
{
    // The keyring of this test is throwaway: refuse to run against a real user's session.
    QVERIFY2(qEnvironmentVariable("HOME").contains(QLatin1String("agentops-keyring.")),
        "run through tests/support/with-keyring.sh (private D-Bus session and keyring)");
    QVERIFY(!qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").isEmpty());
    QCOMPARE(m_store.service(), QStringLiteral("AgentOps Monitor"));
    QCoreApplication::setOrganizationName(QStringLiteral("AgentOpsTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_credentialstore"));
}

void tst_CredentialStore::roundTrip()
{
    const QString key
        = CredentialStore::keyFor(QStringLiteral("https://agentops.example.com"), QStringLiteral("ada@example.com"));
    QCOMPARE(key, QStringLiteral("https://agentops.example.com|ada@example.com"));

    auto result = read(key);
    QCOMPARE(result.status, CredentialStore::Status::NotFound);
    QVERIFY(result.succeeded());
    QVERIFY(result.secret.isEmpty());
    QVERIFY(result.message.isEmpty());

    result = write(key, QStringLiteral("session-token-1"));
    QCOMPARE(result.status, CredentialStore::Status::Ok);
    result = read(key);
    QCOMPARE(result.status, CredentialStore::Status::Ok);
    QCOMPARE(result.secret, QStringLiteral("session-token-1"));

    // Overwrite.
    QCOMPARE(write(key, QStringLiteral("session-token-2 ünïcødé")).status, CredentialStore::Status::Ok);
    result = read(key);
    QCOMPARE(result.status, CredentialStore::Status::Ok);
    QCOMPARE(result.secret, QStringLiteral("session-token-2 ünïcødé"));

    // Delete, then reading is "not found", which is not an error.
    QSignalSpy failed(&m_store, &CredentialStore::failed);
    QCOMPARE(remove(key).status, CredentialStore::Status::Ok);
    result = read(key);
    QCOMPARE(result.status, CredentialStore::Status::NotFound);
    QVERIFY(result.succeeded());
    QVERIFY(result.secret.isEmpty());
    QCOMPARE(failed.count(), 0);
    QCOMPARE(m_store.pending(), 0);
}

void tst_CredentialStore::serversDoNotCollide()
{
    const QString a
        = CredentialStore::keyFor(QStringLiteral("https://a.example.com"), QStringLiteral("ada@example.com"));
    const QString b
        = CredentialStore::keyFor(QStringLiteral("https://b.example.com"), QStringLiteral("ada@example.com"));
    const QString c = CredentialStore::keyFor(QStringLiteral("https://a.example.com"), SavedServer::apiKeyAccount());
    QCOMPARE(write(a, QStringLiteral("token-a")).status, CredentialStore::Status::Ok);
    QCOMPARE(write(b, QStringLiteral("token-b")).status, CredentialStore::Status::Ok);
    QCOMPARE(write(c, QStringLiteral("key-c")).status, CredentialStore::Status::Ok);
    QCOMPARE(read(a).secret, QStringLiteral("token-a"));
    QCOMPARE(read(b).secret, QStringLiteral("token-b"));
    QCOMPARE(read(c).secret, QStringLiteral("key-c"));

    // Another service name is another set of entries.
    CredentialStore other(QStringLiteral("AgentOps Monitor Test"), nullptr);
    std::optional<CredentialStore::Result> otherRead;
    other.read(a, [&](const CredentialStore::Result &r) { otherRead = r; });
    QTRY_VERIFY_WITH_TIMEOUT(otherRead.has_value(), 20000);
    QCOMPARE(otherRead->status, CredentialStore::Status::NotFound);

    QCOMPARE(remove(a).status, CredentialStore::Status::Ok);
    QCOMPARE(read(a).status, CredentialStore::Status::NotFound);
    QCOMPARE(read(b).secret, QStringLiteral("token-b"));
    QCOMPARE(read(c).secret, QStringLiteral("key-c"));
    QVERIFY(remove(b).succeeded());
    QVERIFY(remove(c).succeeded());
}

void tst_CredentialStore::removeMissingIsNotAnError()
{
    QSignalSpy failed(&m_store, &CredentialStore::failed);
    const auto result = remove(QStringLiteral("https://never.example.com|nobody"));
    QVERIFY2(result.succeeded(), qPrintable(result.message));
    QVERIFY(result.message.isEmpty());
    QCOMPARE(failed.count(), 0);
}

void tst_CredentialStore::secretIsInTheSecretService()
{
    // Read the entry back with another Secret Service client: it is really in the keyring.
    const QString key
        = CredentialStore::keyFor(QStringLiteral("https://agentops.example.com"), QStringLiteral("bob@example.com"));
    QCOMPARE(write(key, QStringLiteral("seen-by-secret-tool")).status, CredentialStore::Status::Ok);
    QProcess lookup;
    lookup.start(QStringLiteral("secret-tool"),
        { QStringLiteral("lookup"), QStringLiteral("server"), QStringLiteral("AgentOps Monitor"),
            QStringLiteral("user"), key });
    QVERIFY(lookup.waitForFinished(20000));
    QCOMPARE(lookup.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(lookup.readAllStandardOutput()).trimmed(), QStringLiteral("seen-by-secret-tool"));
    QVERIFY(remove(key).succeeded());
    lookup.start(QStringLiteral("secret-tool"),
        { QStringLiteral("lookup"), QStringLiteral("server"), QStringLiteral("AgentOps Monitor"),
            QStringLiteral("user"), key });
    QVERIFY(lookup.waitForFinished(20000));
    QVERIFY(lookup.readAllStandardOutput().trimmed().isEmpty());
}

void tst_CredentialStore::noSecretInAnyFile()
{
    const QString secret = QStringLiteral("aos_secret_%1").arg(QDateTime::currentMSecsSinceEpoch());
    SavedServer server;
    server.url = QStringLiteral("https://agentops.example.com");
    server.account = QStringLiteral("carol@example.com");
    server.project = QStringLiteral("checkout");
    QSettings settings;
    SavedServers(&settings).save(server);
    SavedServers(&settings).setLastUsed(server.id());
    QCOMPARE(write(server.credentialKey(), secret).status, CredentialStore::Status::Ok);
    QCOMPARE(read(server.credentialKey()).secret, secret);
    settings.sync();

    // The settings file exists and holds the server, so the scan below reads real files.
    const QString settingsFile = settings.fileName();
    QVERIFY2(QFile::exists(settingsFile), qPrintable(settingsFile));
    QVERIFY(settingsFile.startsWith(qEnvironmentVariable("XDG_CONFIG_HOME")));
    bool sawServer = false;
    int files = 0;
    // Everything under the throwaway HOME: settings (XDG_CONFIG_HOME), data, cache and the keyring.
    QDirIterator it(
        qEnvironmentVariable("HOME"), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        ++files;
        const QByteArray content = file.readAll();
        QVERIFY2(!content.contains(secret.toUtf8()), qPrintable(QStringLiteral("secret found in %1").arg(path)));
        QVERIFY2(!content.contains(secret.toUtf8().toBase64()), qPrintable(path));
        if (content.contains("carol@example.com"))
            sawServer = true;
    }
    QVERIFY(files >= 1);
    QVERIFY(sawServer);
    QVERIFY(remove(server.credentialKey()).succeeded());
}

void tst_CredentialStore::noKeychainIsReported()
{
    // This program again, with no D-Bus session to find a Secret Service on: writing must fail with a
    // message naming the keychain, and must not fall back to a file.
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/bus"));
    env.remove(QStringLiteral("DISPLAY"));
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), { QStringLiteral("--write-without-keychain") });
    QVERIFY(child.waitForFinished(60000));
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    QCOMPARE(child.exitCode(), 0);
    const QStringList lines = out.split(QLatin1Char('\n'));
    QVERIFY2(lines.size() >= 2, qPrintable(out));
    QCOMPARE(lines.at(0), QStringLiteral("Unavailable"));
    QVERIFY2(lines.at(1).startsWith(QLatin1String("No keychain is available")), qPrintable(out));
    QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains("secret-without-keychain"), qPrintable(file.fileName()));
    }
}

void tst_CredentialStore::normalizeUrl_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("https") << "https://agentops.example.com"
                           << "https://agentops.example.com";
    QTest::newRow("trailing slash") << "https://agentops.example.com/"
                                    << "https://agentops.example.com";
    QTest::newRow("case") << "HTTPS://AgentOps.Example.COM"
                          << "https://agentops.example.com";
    QTest::newRow("port and path") << " http://127.0.0.1:4318/team/ "
                                   << "http://127.0.0.1:4318/team";
    QTest::newRow("query dropped") << "https://a.example.com/?x=1#y"
                                   << "https://a.example.com";
    QTest::newRow("no scheme") << "agentops.example.com"
                               << "";
    QTest::newRow("ftp") << "ftp://agentops.example.com"
                         << "";
    QTest::newRow("no host") << "https://"
                             << "";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("garbage") << "http://exa mple.com"
                             << "";
}

void tst_CredentialStore::normalizeUrl()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(SavedServers::normalizeUrl(input), expected);
}

void tst_CredentialStore::savedServers()
{
    QSettings settings(
        QDir(qEnvironmentVariable("HOME")).filePath(QStringLiteral("servers.ini")), QSettings::IniFormat);
    SavedServers servers(&settings);
    QVERIFY(servers.servers().isEmpty());
    QVERIFY(servers.lastUsed().isEmpty());

    SavedServer a;
    a.url = QStringLiteral("https://a.example.com");
    a.account = QStringLiteral("ada@example.com");
    SavedServer b;
    b.url = QStringLiteral("http://127.0.0.1:4318");
    b.name = QStringLiteral("Staging");
    b.account = SavedServer::apiKeyAccount();
    b.caFile = QStringLiteral("/etc/ssl/team.pem");
    servers.save(a);
    servers.save(b);
    QCOMPARE(servers.servers().size(), 2);
    QCOMPARE(a.displayName(), QStringLiteral("a.example.com"));
    QCOMPARE(b.displayName(), QStringLiteral("Staging"));
    QVERIFY(b.usesApiKey());
    QVERIFY(!a.usesApiKey());

    // Saving again replaces in place.
    a.project = QStringLiteral("checkout");
    servers.save(a);
    const auto list = SavedServers(&settings).servers();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0), a);
    QCOMPARE(list.at(1), b);
    QCOMPARE(SavedServers(&settings).find(b.id()), std::optional<SavedServer>(b));
    QVERIFY(!servers.find(QStringLiteral("https://c.example.com|x")));

    servers.setLastUsed(b.id());
    QCOMPARE(SavedServers(&settings).lastUsed(), b.id());
    servers.remove(b.id());
    QCOMPARE(servers.servers().size(), 1);
    QVERIFY2(servers.lastUsed().isEmpty(), "removing the last used server falls back to Local");
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 2 && qstrcmp(argv[1], "--write-without-keychain") == 0) {
        // The child of noKeychainIsReported(): prints the status and the message.
        CredentialStore store;
        std::optional<CredentialStore::Result> result;
        store.write(QStringLiteral("https://agentops.example.com|ada@example.com"),
            QStringLiteral("secret-without-keychain"), [&](const CredentialStore::Result &r) { result = r; });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 50000))
            return 1;
        static const char *const names[] = { "Ok", "NotFound", "Unavailable", "Denied", "Failed" };
        std::printf("%s\n%s\n", names[int(result->status)], qPrintable(result->message));
        return 0;
    }
    tst_CredentialStore test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_credentialstore.moc"

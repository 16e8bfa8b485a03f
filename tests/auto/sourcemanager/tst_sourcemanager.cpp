// SPDX-License-Identifier: MIT
#include "client/localbackend.h"
#include "client/remotesource.h"
#include "client/sourcemanager.h"
#include "client/tracesourcerunner.h"
#include "support/httptestclient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace agentops;
using State = client::SourceManager::State;

/// A loopback HTTP server whose answer to every query the test chooses: 401, 500 or an empty page.
class ScriptedServer
{
public:
    enum class Answer { Unauthorized, ServerError, EmptyPage };

    ScriptedServer()
    {
        const test::TestHttpServer::Handler answer = [this](
                                                         const server::http::Request &, server::http::Response &res) {
            ++m_requests;
            switch (m_answer.load()) {
            case Answer::Unauthorized:
                res.status = 401;
                res.setContent(
                    "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"session expired\"}}", "application/json");
                break;
            case Answer::ServerError:
                res.status = 500;
                res.setContent("{\"error\":{\"code\":\"internal\",\"message\":\"disk full\"}}", "application/json");
                break;
            case Answer::EmptyPage:
                res.status = 200;
                res.setContent("{\"traces\":[],\"next_cursor\":null}", "application/json");
                break;
            }
        };
        // Every query a RemoteSource makes gets the scripted answer.
        std::vector<test::TestHttpServer::Route> routes;
        for (const char *path : { "/api/v1/traces", "/api/v1/changes", "/api/v1/sessions", "/api/v1/metrics",
                 "/api/v1/me", "/api/v1/traces/{trace_id}", "/api/v1/sessions/{session_id}" })
            routes.push_back({ "GET", path, answer });
        m_server = std::make_unique<test::TestHttpServer>(std::move(routes));
        m_port = m_server->port();
    }
    int port() const { return m_port; }
    void setAnswer(Answer answer) { m_answer = answer; }
    int requests() const { return m_requests; }

private:
    int m_port = 0;
    std::atomic<Answer> m_answer { Answer::Unauthorized };
    std::atomic<int> m_requests { 0 };
    std::unique_ptr<test::TestHttpServer> m_server; ///< last: its handlers use the members above
};

class tst_SourceManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void startsOnLocal();
    void switching();
    void offlineRetriesWithBackoff();
    void unauthorizedOnceAndRecovery();
    void answersOfAReplacedSourceAreIgnored();

private:
    std::shared_ptr<client::RemoteSource> remote(int port, int totalTimeoutMs = 5000);
    /// Runs listTraces through the manager's runner and waits for the answer.
    bool list(client::SourceManager &manager);

    QTemporaryDir m_dir;
    std::unique_ptr<client::LocalBackend> m_backend;
};

void tst_SourceManager::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_backend = std::make_unique<client::LocalBackend>(m_dir.filePath(QStringLiteral("local.db")));
    m_backend->setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
    QString error;
    QVERIFY2(m_backend->start(&error), qPrintable(error));
}

void tst_SourceManager::cleanupTestCase()
{
    m_backend->stop();
}

std::shared_ptr<client::RemoteSource> tst_SourceManager::remote(int port, int totalTimeoutMs)
{
    client::RemoteConfig config;
    config.base_url = "http://127.0.0.1:" + std::to_string(port);
    config.token = "aos_test";
    config.max_retries = 0;
    config.connect_timeout = std::chrono::milliseconds(1000);
    config.total_timeout = std::chrono::milliseconds(totalTimeoutMs);
    return std::make_shared<client::RemoteSource>(config);
}

bool tst_SourceManager::list(client::SourceManager &manager)
{
    bool answered = false;
    bool ok = false;
    manager.runner()->run(
        this, [](client::TraceSource &source) { return source.listTraces({}).traces.size(); },
        [&](std::size_t) {
            answered = true;
            ok = true;
        },
        [&](const QString &) { answered = true; });
    if (!QTest::qWaitFor([&] { return answered; }, 20000))
        return false;
    // The state follows from a queued report: let it arrive.
    QCoreApplication::processEvents();
    QTest::qWait(20);
    return ok;
}

void tst_SourceManager::startsOnLocal()
{
    client::SourceManager manager(m_backend->source());
    QVERIFY(manager.isLocal());
    QCOMPARE(manager.displayName(), QStringLiteral("Local"));
    QCOMPARE(manager.current(), m_backend->source());
    QCOMPARE(manager.state(), State::Ok);
    QCOMPARE(manager.source().displayName(), m_backend->source()->displayName());
    QVERIFY(list(manager));
    QCOMPARE(manager.state(), State::Ok);
}

void tst_SourceManager::switching()
{
    ScriptedServer server;
    server.setAnswer(ScriptedServer::Answer::EmptyPage);
    client::SourceManager manager(m_backend->source());
    QSignalSpy changed(&manager, &client::SourceManager::sourceChanged);
    auto first = remote(server.port());
    int retired = 0;
    manager.setSource(first, QStringLiteral("srv|ada"), QStringLiteral("team"), [&retired] { ++retired; });
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toBool(), false);
    QCOMPARE(manager.currentId(), QStringLiteral("srv|ada"));
    QCOMPARE(manager.displayName(), QStringLiteral("team"));
    QCOMPARE(manager.current(), first);
    QVERIFY(!manager.isLocal());
    // Calls go to the server now.
    QVERIFY(list(manager));
    const int asked = server.requests();
    QVERIFY(asked >= 1);

    // Same id again (new credentials): sameSource, and the old source is retired.
    manager.setSource(remote(server.port()), QStringLiteral("srv|ada"), QStringLiteral("team"));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).toBool(), true);
    QCOMPARE(retired, 1);
    QVERIFY(manager.current() != first);

    manager.useLocal();
    QVERIFY(manager.isLocal());
    QCOMPARE(changed.count(), 3);
    QCOMPARE(changed.at(2).at(0).toBool(), false);
    // Local answers without asking the server.
    QVERIFY(list(manager));
    QCOMPARE(server.requests(), asked);
}

void tst_SourceManager::offlineRetriesWithBackoff()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const int closed = probe.serverPort();
    probe.close();

    client::SourceManager manager(m_backend->source());
    manager.setRetryBackoff(300, 1200);
    manager.setSource(remote(closed), QStringLiteral("srv"), QStringLiteral("team"));
    QSignalSpy states(&manager, &client::SourceManager::stateChanged);
    QSignalSpy retries(&manager, &client::SourceManager::retryRequested);
    QVERIFY(!list(manager));
    QCOMPARE(manager.state(), State::Offline);
    QVERIFY(!manager.stateMessage().isEmpty());
    QCOMPARE(states.count(), 1);
    QVERIFY(manager.retryInSeconds() >= 1);

    // Each failed retry waits twice as long: 300 ms, then 600 ms (the planned waits, read from the
    // manager: a wall clock started after the timer would make the test depend on the machine's load).
    QCOMPARE(manager.retryDelayMs(), 300);
    QTRY_COMPARE_WITH_TIMEOUT(retries.count(), 1, 5000);
    QCOMPARE(manager.retryDelayMs(), 0); // fired: nothing planned until the reload fails again
    QVERIFY(!list(manager));
    QCOMPARE(manager.retryDelayMs(), 600);
    QTRY_COMPARE_WITH_TIMEOUT(retries.count(), 2, 5000);
    QVERIFY(!list(manager));
    QCOMPARE(manager.retryDelayMs(), 1200);
    QVERIFY(!list(manager));
    QCOMPARE(manager.retryDelayMs(), 1200); // a failure while a retry is planned leaves it planned
    QCOMPARE(states.count(), 1); // still offline, reported once

    // Retry now: at once, and the backoff starts over.
    retries.clear();
    manager.retryNow();
    QCOMPARE(retries.count(), 1);
    QVERIFY(!list(manager));
    QCOMPARE(manager.retryDelayMs(), 300);

    // Leaving the server ends the offline state and its retries.
    QVERIFY(manager.retryInSeconds() >= 1);
    manager.useLocal();
    QCOMPARE(manager.state(), State::Ok);
    QCOMPARE(manager.retryInSeconds(), 0);
    QCOMPARE(manager.retryDelayMs(), 0); // nothing planned, so nothing can fire
}

void tst_SourceManager::unauthorizedOnceAndRecovery()
{
    ScriptedServer server;
    client::SourceManager manager(m_backend->source());
    manager.setSource(remote(server.port()), QStringLiteral("srv"), QStringLiteral("team"));
    QSignalSpy unauthorized(&manager, &client::SourceManager::unauthorized);
    for (int i = 0; i < 3; ++i)
        QVERIFY(!list(manager));
    QCOMPARE(manager.state(), State::Unauthorized);
    QCOMPARE(unauthorized.count(), 1);

    server.setAnswer(ScriptedServer::Answer::ServerError);
    QVERIFY(!list(manager));
    QCOMPARE(manager.state(), State::ServerError);
    QVERIFY2(manager.stateMessage().contains(QLatin1String("disk full")), qPrintable(manager.stateMessage()));

    // The first success clears the state; a later 401 is reported again.
    server.setAnswer(ScriptedServer::Answer::EmptyPage);
    QVERIFY(list(manager));
    QCOMPARE(manager.state(), State::Ok);
    QVERIFY(manager.stateMessage().isEmpty());
    server.setAnswer(ScriptedServer::Answer::Unauthorized);
    QVERIFY(!list(manager));
    QCOMPARE(unauthorized.count(), 2);
}

void tst_SourceManager::answersOfAReplacedSourceAreIgnored()
{
    // Accepts connections and never answers: the call is still running when the source is replaced.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    client::SourceManager manager(m_backend->source());
    auto slow = remote(silent.serverPort(), 1500);
    manager.setSource(
        slow, QStringLiteral("srv"), QStringLiteral("team"), [weak = std::weak_ptr<client::RemoteSource>(slow)] {
            if (auto s = weak.lock())
                s->cancelAll();
        });
    QSignalSpy states(&manager, &client::SourceManager::stateChanged);
    bool answered = false;
    manager.runner()->run(
        this, [](client::TraceSource &source) { return source.listTraces({}).traces.size(); },
        [&](std::size_t) { answered = true; }, [&](const QString &) { answered = true; });
    QTest::qWait(200);
    QVERIFY(!answered);
    manager.useLocal();
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QTest::qWait(50);
    QCOMPARE(manager.state(), State::Ok);
    QCOMPARE(states.count(), 0);
}

QTEST_GUILESS_MAIN(tst_SourceManager)
#include "tst_sourcemanager.moc"

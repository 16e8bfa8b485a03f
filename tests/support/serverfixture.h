// SPDX-License-Identifier: MIT
#pragma once
// An ApiServer for HTTP tests: open mode over a SQLite store in a temporary directory, served on a
// thread of its own on a free loopback port. Header-only; links agentops_server, agentops_store and
// agentops_testhttp.

#include "server/apiserver.h"
#include "server/log.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "support/httptestclient.h"
#include "support/serverrequests.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

namespace agentops::test {

/// A test class derives from it (beside QObject) and calls setUp() from its init() and tearDown()
/// from its cleanup(); start() and stop() restart the server with other options within a test.
class ServerFixture
{
protected:
    /// A fresh directory and a server with the default options.
    void setUp()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_aliveCounter = 0;
        start();
    }

    void tearDown()
    {
        stop();
        if (m_logFile)
            std::fclose(m_logFile);
        m_logFile = nullptr;
        m_dir.reset();
    }

    void start(server::ServerConfig config = {}, store::IngestPipeline::Options pipeline = {},
        store::SqliteStore::Options storeOptions = {})
    {
        m_dbPath = m_dir->filePath(QStringLiteral("traces.db")).toStdString();
        if (!m_logFile)
            m_logFile = std::fopen(m_dir->filePath(QStringLiteral("server.log")).toLocal8Bit().constData(), "a");
        QVERIFY(m_logFile);
        m_log = std::make_unique<server::Log>(server::Log::Format::Text, m_logFile);
        m_store = std::make_unique<store::SqliteStore>(m_dbPath, storeOptions);
        m_pipeline = std::make_unique<store::IngestPipeline>(*m_store, pipeline);
        config.host = "127.0.0.1";
        config.port = 0;
        m_server = std::make_unique<server::ApiServer>(*m_store, *m_pipeline, config, *m_log);
        std::string error;
        QVERIFY2(m_server->bind(error), error.c_str());
        m_port = m_server->port();
        QVERIFY(m_port > 0);
        m_thread = std::thread([s = m_server.get()] { s->run(); });
        // Wait for the accept loop: stop() before it runs would be lost and join() would hang.
        auto res = get("/healthz");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
    }

    void stop()
    {
        if (m_server)
            m_server->stop();
        if (m_thread.joinable())
            m_thread.join();
        if (m_pipeline)
            m_pipeline->stop();
        m_server.reset();
        m_pipeline.reset();
        m_store.reset();
    }

    std::unique_ptr<HttpClient> client()
    {
        auto c = std::make_unique<HttpClient>("127.0.0.1", m_port);
        c->setTimeout(std::chrono::seconds(30));
        return c;
    }

    HttpResult post(const std::string &path, const std::string &body, const std::string &type,
        const HttpClient::Headers &headers = {})
    {
        return client()->post(path, headers, body, type);
    }

    HttpResult get(const std::string &path) { return client()->get(path); }

    /// The JSON answer of a GET; null (with a warning saying why) unless it has this status and is JSON.
    json getJson(const std::string &path, int expectStatus = 200)
    {
        auto res = get(path);
        if (!res) {
            qWarning("GET %s: no response", path.c_str());
            return json();
        }
        if (res->status != expectStatus) {
            qWarning("GET %s: status %d, body %s", path.c_str(), res->status, res->body.c_str());
            return json();
        }
        if (res->header("Content-Type").rfind("application/json", 0) != 0) {
            qWarning("GET %s: Content-Type %s", path.c_str(), res->header("Content-Type").c_str());
            return json();
        }
        return parse(res->body);
    }

    /// Posts a fresh one-span trace and checks it and the traces stored before are all there.
    void checkStillServing(const QString &context)
    {
        auto before = getJson("/api/v1/traces?limit=1000");
        QVERIFY2(before.is_object(), qPrintable(context));
        const int n = 1000 + m_aliveCounter++;
        const auto id = traceHex(n);
        auto res = post("/v1/traces", otlpBody({ { id, spanHex(n, 0), {}, "alive", kBase, kBase + kSecond } }),
            "application/x-protobuf");
        QVERIFY2(res, qPrintable(context));
        QVERIFY2(res->status == 200, qPrintable(context + QStringLiteral(": ") + q(res->body)));
        auto after = getJson("/api/v1/traces?limit=1000");
        QVERIFY2(after.is_object(), qPrintable(context));
        auto ids = traceIds(after);
        QVERIFY2(std::find(ids.begin(), ids.end(), id) != ids.end(), qPrintable(context));
        QCOMPARE(after["traces"].size(), before["traces"].size() + 1);
        for (const auto &old : traceIds(before))
            QVERIFY2(std::find(ids.begin(), ids.end(), old) != ids.end(), qPrintable(context));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::string m_dbPath;
    std::FILE *m_logFile = nullptr;
    std::unique_ptr<server::Log> m_log;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<store::IngestPipeline> m_pipeline;
    std::unique_ptr<server::ApiServer> m_server;
    std::thread m_thread;
    int m_port = 0;
    int m_aliveCounter = 0;
};

} // namespace agentops::test

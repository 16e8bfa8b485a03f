// SPDX-License-Identifier: MIT
#pragma once

#include "client/tracesource.h"
#include "store/searchindex.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QTimer>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

namespace agentops::ingest {
class Redactor;
}

namespace agentops::server {
class ApiServer;
class GrpcReceiver;
class Log;
} // namespace agentops::server

namespace agentops::store {
class IngestPipeline;
class SqliteStore;
class DataDirLock;
class RetentionJob;
class TraceStore;
} // namespace agentops::store

namespace agentops::client {

/// How the embedded OTLP receiver listens: OTLP/HTTP, and OTLP/gRPC beside it on the same address.
struct ServerSettings
{
    bool enabled = true; ///< both receivers
    QString host = QStringLiteral("127.0.0.1");
    int port = 4318; ///< OTLP/HTTP; 0 picks a free port (tests)
    bool grpcEnabled = true;
    int grpcPort = 4317; ///< OTLP/gRPC; 0 picks a free port (tests)
    /// Redaction at ingest (off by default): the rules (ingest/redaction.h's JSON format) apply
    /// while redact is on, and are kept while it is off.
    bool redact = false;
    QString redactionRules {};
    bool operator==(const ServerSettings &other) const = default;
};

/// How long and how much the embedded store keeps: traces older than days, and beyond maxBytes the
/// oldest ones, are deleted (store/retentionjob.h). 0: no limit.
struct RetentionSettings
{
    int days = 0;
    std::uint64_t maxBytes = 0;
    bool operator==(const RetentionSettings &other) const = default;
};

/// The desktop app's own backend, in-process: the SQLite store under the user's data directory,
/// the single-writer ingest pipeline, and the same HTTP server and OTLP/gRPC receiver
/// agentops-server runs, bound to loopback so agents on this machine can send OTLP with no team
/// server. A port that cannot be bound is reported (serverFailed; for gRPC alone grpcError(), while
/// OTLP/HTTP goes on) and the stored traces stay readable.
class LocalBackend : public QObject
{
    Q_OBJECT

public:
    /// databasePath empty: defaultDatabasePath().
    explicit LocalBackend(QString databasePath = {}, QObject *parent = nullptr);
    ~LocalBackend() override;

    /// <AppDataLocation>/traces.db, e.g. ~/.local/share/AgentOps/AgentOps Monitor/traces.db.
    static QString defaultDatabasePath();
    QString databasePath() const { return m_databasePath; }

    /// Request logs of the embedded server go here (default: nowhere).
    void setServerLog(std::FILE *file) { m_logFile = file; }

    /// Takes effect at once (a retention run starts) and in later runs.
    void setRetention(const RetentionSettings &retention);
    RetentionSettings retention() const;
    /// Deletes by the retention settings; nullptr before start().
    store::RetentionJob *retentionJob() const { return m_retentionJob.get(); }

    void setServerSettings(const ServerSettings &settings);
    ServerSettings serverSettings() const { return m_settings; }

    /// Opens the database and the pipeline and, when enabled, starts the server. False only when
    /// the database cannot be opened (error says why); a server that cannot listen is reported by
    /// serverFailed and start() still succeeds.
    bool start(QString *error = nullptr);
    /// Stops the server, commits what the pipeline accepted, and closes the database.
    void stop();
    bool isStarted() const { return m_store != nullptr; }

    bool isServing() const { return m_serving; }
    /// The bound port while serving (differs from the settings when they ask for port 0).
    int serverPort() const { return m_boundPort; }
    /// "http://127.0.0.1:4318" while serving, else empty.
    QString serverUrl() const;
    /// The last failure to listen, as shown to the user; empty while serving or disabled.
    QString serverError() const { return m_serverError; }
    /// The OTLP/gRPC receiver: its bound port, "http://127.0.0.1:4317" (what an exporter's endpoint
    /// names) while it serves, and why it does not when it could not listen.
    int grpcPort() const { return m_grpcPort; }
    QString grpcUrl() const;
    QString grpcError() const { return m_grpcError; }

    /// Reads the embedded store; valid between start() and stop().
    std::shared_ptr<TraceSource> source() const { return m_source; }
    store::TraceStore *store() const;
    /// How far the content search index is (nullopt: none, or not started).
    std::optional<store::SearchIndex::Progress> searchProgress() const;
    store::IngestPipeline *pipeline() const { return m_pipeline.get(); }

    /// Replacements per redaction rule since the app started (rule name, count), in the rules' order;
    /// empty while redaction is off.
    QList<QPair<QString, quint64>> redactionCounts() const;
    /// What File → Open redacts with: the receivers' rules while redaction is on, null while it is off.
    /// Rules that cannot be used give null with error set: nothing may be imported then, as nothing
    /// is received.
    std::shared_ptr<const ingest::Redactor> importRedactor(QString *error) const;
    /// Counts replacements made outside the receivers (an import) with theirs: in redactionCounts(),
    /// and in the embedded server's agentops_redactions_total while it runs the same rules.
    void countRedactions(const QList<QPair<QString, quint64>> &counts);

    /// Spans committed per second over the last sampling interval.
    double spansPerSecond() const { return m_spansPerSecond; }

Q_SIGNALS:
    void serverStarted(const QString &url);
    void serverStopped();
    void serverFailed(const QString &message);
    void spansPerSecondChanged(double rate);

private:
    void startRetention();
    void startServer();
    void startGrpc();
    void stopServer();
    void sample();

    QString m_databasePath;
    ServerSettings m_settings;
    std::FILE *m_logFile = nullptr;
    std::FILE *m_nullLog = nullptr;

    /// Held while the database is open, so `agentops-server restore` refuses to replace it.
    std::unique_ptr<store::DataDirLock> m_dataDirLock;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<store::IngestPipeline> m_pipeline;
    std::shared_ptr<TraceSource> m_source;
    std::unique_ptr<store::RetentionJob> m_retentionJob;
    mutable std::mutex m_retentionMutex; ///< m_retention is read by the job's thread
    RetentionSettings m_retention;
    std::unique_ptr<server::Log> m_log;
    std::unique_ptr<server::ApiServer> m_server;
    std::unique_ptr<server::GrpcReceiver> m_grpc;
    std::thread m_serverThread;
    bool m_serving = false;
    int m_boundPort = 0;
    QString m_serverError;
    int m_grpcPort = 0;
    QString m_grpcError;

    /// Redaction counts of the servers stopped before (a change of settings starts a new one).
    QList<QPair<QString, quint64>> m_redactionsBefore;

    QTimer m_sampler;
    QElapsedTimer m_sampleClock;
    std::uint64_t m_lastCommitted = 0;
    double m_spansPerSecond = 0;
};

} // namespace agentops::client

// SPDX-License-Identifier: MIT
#include "client/localbackend.h"

#include "client/localsource.h"
#include "client/priceoverrides.h"
#include "core/pricing.h"
#include "ingest/decode.h"
#include "ingest/redaction.h"
#include "server/apiserver.h"
#include "server/grpc/grpcreceiver.h"
#include "server/log.h"
#include "store/backup.h"
#include "store/ingestpipeline.h"
#include "store/privatefiles.h"
#include "store/retentionjob.h"
#include "store/sqlitestore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <chrono>

namespace agentops::client {

namespace {
constexpr int kSampleIntervalMs = 1000;

/// The Redactor the settings ask for (null: off, or no rules). Throws std::invalid_argument naming
/// the rule that cannot be used.
std::shared_ptr<const ingest::Redactor> makeRedactor(const ServerSettings &settings)
{
    if (!settings.redact)
        return nullptr;
    const auto rules = ingest::parseRedactionRules(settings.redactionRules.toStdString());
    return rules.empty() ? nullptr : std::make_shared<const ingest::Redactor>(rules);
}

void addCount(QList<QPair<QString, quint64>> &to, const QString &rule, quint64 count)
{
    auto it = std::find_if(to.begin(), to.end(), [&](const auto &p) { return p.first == rule; });
    if (it == to.end())
        to.append({ rule, count });
    else
        it->second += count;
}
} // namespace

LocalBackend::LocalBackend(QString databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(databasePath.isEmpty() ? defaultDatabasePath() : std::move(databasePath))
{
    m_sampler.setInterval(kSampleIntervalMs);
    connect(&m_sampler, &QTimer::timeout, this, &LocalBackend::sample);
}

LocalBackend::~LocalBackend()
{
    stop();
    if (m_nullLog)
        std::fclose(m_nullLog);
}

QString LocalBackend::defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/traces.db");
}

store::TraceStore *LocalBackend::store() const
{
    return m_store.get();
}

std::optional<store::SearchIndex::Progress> LocalBackend::searchProgress() const
{
    return m_store ? m_store->searchProgress() : std::nullopt;
}

QString LocalBackend::serverUrl() const
{
    if (!m_serving)
        return {};
    return QStringLiteral("http://%1:%2").arg(m_settings.host).arg(m_boundPort);
}

QString LocalBackend::grpcUrl() const
{
    if (!m_grpc)
        return {};
    const bool v6 = m_settings.host.contains(QLatin1Char(':'));
    return QStringLiteral("http://%1:%2").arg(v6 ? u'[' + m_settings.host + u']' : m_settings.host).arg(m_grpcPort);
}

bool LocalBackend::start(QString *error)
{
    if (m_store)
        return true;
    // Malformed request bodies would otherwise print a libprotobuf ERROR line each.
    static const bool silenced = [] {
        ingest::silenceProtobufLogging();
        return true;
    }();
    Q_UNUSED(silenced);

    const QFileInfo dbFile(m_databasePath);
    try {
        store::createPrivateDirectories(QFile::encodeName(dbFile.absolutePath()).toStdString());
    } catch (const store::StoreError &) {
        if (error)
            *error = tr("Cannot create the data directory %1").arg(dbFile.absolutePath());
        return false;
    }
    try {
        m_dataDirLock = std::make_unique<store::DataDirLock>(
            QFile::encodeName(dbFile.absolutePath()).toStdString(), store::DataDirLock::Mode::Shared);
    } catch (const store::BackupError &e) {
        if (error)
            *error = tr("Cannot open the trace database %1: %2").arg(m_databasePath, QString::fromUtf8(e.what()));
        return false;
    }
    try {
        m_store = std::make_unique<store::SqliteStore>(QFile::encodeName(m_databasePath).toStdString());
        m_pipeline = std::make_unique<store::IngestPipeline>(*m_store);
        // Spans are priced as they arrive, from the shipped table with the user's overrides over it.
        // Broken overrides (the file edited by hand) leave the shipped prices in force; the price
        // editor shows why.
        PriceOverrides overrides;
        QString overridesError;
        if (!overrides.load(&overridesError))
            qWarning("%s", qUtf8Printable(overridesError));
        m_pipeline->setPriceTable(overrides.effectiveTable());
    } catch (const std::exception &e) {
        m_pipeline.reset();
        m_store.reset();
        m_dataDirLock.reset();
        if (error)
            *error = tr("Cannot open the trace database %1: %2").arg(m_databasePath, QString::fromUtf8(e.what()));
        return false;
    }
    m_source = std::make_shared<LocalSource>(*m_store, m_pipeline.get());
    m_lastCommitted = 0;
    m_spansPerSecond = 0;
    m_sampleClock.start();
    m_sampler.start();
    startRetention();
    startServer();
    return true;
}

void LocalBackend::stop()
{
    if (!m_store)
        return;
    m_sampler.stop();
    stopServer();
    m_retentionJob.reset(); // stops it: it must not outlive the store
    m_pipeline->stop();
    // Readers (TraceSourceRunner) must be done by now: the source refers to the store.
    m_source.reset();
    m_pipeline.reset();
    m_store.reset();
    m_dataDirLock.reset();
}

void LocalBackend::setRetention(const RetentionSettings &retention)
{
    {
        std::lock_guard lock(m_retentionMutex);
        if (retention == m_retention)
            return;
        m_retention = retention;
    }
    if (m_retentionJob)
        m_retentionJob->trigger();
}

RetentionSettings LocalBackend::retention() const
{
    std::lock_guard lock(m_retentionMutex);
    return m_retention;
}

void LocalBackend::startRetention()
{
    store::RetentionJob::Options options;
    // Hourly by age, every minute by size (RetentionJob's defaults); a desktop's store is small.
    m_retentionJob = std::make_unique<store::RetentionJob>(
        [this] {
            const RetentionSettings r = retention();
            std::vector<store::RetentionTarget> targets;
            if (r.days > 0 || r.maxBytes > 0)
                targets.push_back({ "database", m_store.get(), r.days, r.maxBytes });
            return targets;
        },
        options);
    m_retentionJob->start();
}

void LocalBackend::setServerSettings(const ServerSettings &settings)
{
    if (settings == m_settings && (m_serving || !m_settings.enabled || !m_store))
        return;
    m_settings = settings;
    if (!m_store)
        return;
    stopServer();
    startServer();
}

void LocalBackend::startServer()
{
    m_serverError.clear();
    m_grpcError.clear();
    if (!m_settings.enabled)
        return;
    if (!m_logFile && !m_nullLog)
        m_nullLog = std::fopen("/dev/null", "w");
    m_log = std::make_unique<server::Log>(server::Log::Format::Text, m_logFile ? m_logFile : m_nullLog);

    server::ServerConfig config;
    config.host = m_settings.host.toStdString();
    config.port = m_settings.port;
    // One desktop's agents: a few workers for requests that wait (commits, queries), one I/O thread.
    config.worker_threads = 8;
    config.io_threads = 1;
    // Rules that do not load stop receiving rather than store what the user asked to redact.
    try {
        config.redactor = makeRedactor(m_settings);
    } catch (const std::invalid_argument &e) {
        m_serverError = tr("Redaction rules cannot be used (%1) — receiving disabled; stored traces are available")
                            .arg(QString::fromStdString(e.what()));
        Q_EMIT serverFailed(m_serverError);
        return;
    }
    m_server = std::make_unique<server::ApiServer>(*m_store, *m_pipeline, config, *m_log);
    std::string bindError;
    if (!m_server->bind(bindError)) {
        m_server.reset();
        if (bindError.find("in use") != std::string::npos)
            m_serverError
                = tr("Port %1 is in use — receiving disabled; stored traces are available").arg(m_settings.port);
        else
            m_serverError = tr("Cannot receive on %1:%2 (%3) — receiving disabled; stored traces are available")
                                .arg(m_settings.host)
                                .arg(m_settings.port)
                                .arg(QString::fromStdString(bindError));
        Q_EMIT serverFailed(m_serverError);
        return;
    }
    m_boundPort = m_server->port();
    startGrpc();
    m_serverThread = std::thread([server = m_server.get()] { server->run(); });
    m_serving = true;
    Q_EMIT serverStarted(serverUrl());
}

void LocalBackend::startGrpc()
{
    if (!m_settings.grpcEnabled)
        return;
    server::GrpcConfig config;
    config.host = m_settings.host.toStdString();
    config.port = m_settings.grpcPort;
    m_grpc = std::make_unique<server::GrpcReceiver>(*m_server, config);
    std::string error;
    if (m_grpc->start(error)) {
        m_grpcPort = m_grpc->port();
        return;
    }
    // OTLP/HTTP goes on: most exporters speak it, and the user is told which port to change.
    m_grpc.reset();
    m_grpcError = error.find("in use") != std::string::npos
        ? tr("OTLP/gRPC port %1 is in use — gRPC receiving disabled").arg(m_settings.grpcPort)
        : tr("Cannot receive OTLP/gRPC on %1:%2 (%3)")
              .arg(m_settings.host)
              .arg(m_settings.grpcPort)
              .arg(QString::fromStdString(error));
}

void LocalBackend::stopServer()
{
    if (!m_server)
        return;
    // Both stop accepting and drain what is in flight side by side (the HTTP server's stop() only
    // starts its drain); run() then returns.
    m_server->stop();
    if (m_grpc)
        m_grpc->stop();
    if (m_serverThread.joinable())
        m_serverThread.join();
    m_grpc.reset();
    m_grpcPort = 0;
    m_redactionsBefore = redactionCounts();
    m_server.reset();
    m_log.reset();
    const bool wasServing = m_serving;
    m_serving = false;
    m_boundPort = 0;
    if (wasServing)
        Q_EMIT serverStopped();
}

QList<QPair<QString, quint64>> LocalBackend::redactionCounts() const
{
    QList<QPair<QString, quint64>> out = m_redactionsBefore;
    if (!m_server)
        return out;
    for (const auto &[rule, count] : m_server->ingest().redactionCounts())
        addCount(out, QString::fromStdString(rule), count);
    return out;
}

std::shared_ptr<const ingest::Redactor> LocalBackend::importRedactor(QString *error) const
{
    try {
        return makeRedactor(m_settings);
    } catch (const std::invalid_argument &e) {
        if (error)
            *error = tr("Redaction rules cannot be used (%1)").arg(QString::fromStdString(e.what()));
        return nullptr;
    }
}

void LocalBackend::countRedactions(const QList<QPair<QString, quint64>> &counts)
{
    for (const auto &[rule, count] : counts)
        if (!m_server || !m_server->ingest().countRedactions(rule.toStdString(), count))
            addCount(m_redactionsBefore, rule, count);
}

void LocalBackend::sample()
{
    if (!m_pipeline)
        return;
    const auto committed = m_pipeline->counters().committed_spans;
    const qint64 elapsedMs = m_sampleClock.restart();
    const double rate = elapsedMs > 0
        ? static_cast<double>(committed - m_lastCommitted) * 1000.0 / static_cast<double>(elapsedMs)
        : 0;
    m_lastCommitted = committed;
    if (rate != m_spansPerSecond) {
        m_spansPerSecond = rate;
        Q_EMIT spansPerSecondChanged(rate);
    }
}

} // namespace agentops::client

// SPDX-License-Identifier: MIT
#include "server/options.h"
#include "support/common.h"

#include <QTest>

#include <chrono>

#include <cstdlib>

using namespace agentops::server;

namespace {

using agentops::test::q;

std::string u8(const QString &s)
{
    return s.toStdString();
}

std::vector<std::string> argv(const QStringList &args)
{
    std::vector<std::string> out;
    for (const auto &a : args)
        out.push_back(u8(a));
    return out;
}

/// Restores an environment variable when the test is done, so tests do not leak into each other.
class EnvGuard
{
public:
    explicit EnvGuard(const char *name)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_value(qgetenv(name))
    { }
    ~EnvGuard()
    {
        if (m_had)
            qputenv(m_name, m_value);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_value;
};

} // namespace

class TestServerOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseByteSize_data();
    void parseByteSize();
    void defaults();
    void retentionSizeAndDiskLow();
    void defaultDataDir();
    void listen_data();
    void listen();
    void flagValueSpellings();
    void sizes();
    void decompressedSmallerThanBody();
    void enumerations_data();
    void enumerations();
    void counts_data();
    void counts();
    void alertOptions();
    void errors_data();
    void errors();
    void helpAndVersion();
    void dataDirAndDatabase();
    void usageMentionsEveryFlag();
    void teamModeFlags();
    void httpLimits();
    void httpLimitErrors_data();
    void httpLimitErrors();
    void grpcReceiver();
};

void TestServerOptions::parseByteSize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qulonglong>("bytes");

    QTest::newRow("plain") << QStringLiteral("1048576") << true << 1048576ull;
    QTest::newRow("B") << QStringLiteral("10B") << true << 10ull;
    QTest::newRow("K") << QStringLiteral("512K") << true << 512ull * 1024;
    QTest::newRow("k") << QStringLiteral("512k") << true << 512ull * 1024;
    QTest::newRow("KiB") << QStringLiteral("512KiB") << true << 512ull * 1024;
    QTest::newRow("M") << QStringLiteral("64M") << true << (64ull << 20);
    QTest::newRow("MiB") << QStringLiteral("16MiB") << true << (16ull << 20);
    QTest::newRow("G") << QStringLiteral("1G") << true << (1ull << 30);
    QTest::newRow("GiB") << QStringLiteral("2GiB") << true << (2ull << 30);
    QTest::newRow("1 TiB is the most") << QStringLiteral("1024G") << true << (1ull << 40);
    QTest::newRow("over 1 TiB") << QStringLiteral("1025G") << false << 0ull;
    QTest::newRow("over 1 TiB in bytes") << QStringLiteral("1099511627777") << false << 0ull;
    QTest::newRow("overflow") << QStringLiteral("99999999999999999999999") << false << 0ull;
    QTest::newRow("zero") << QStringLiteral("0") << false << 0ull;
    QTest::newRow("zero with unit") << QStringLiteral("0MiB") << false << 0ull;
    QTest::newRow("empty") << QString() << false << 0ull;
    QTest::newRow("unit only") << QStringLiteral("MiB") << false << 0ull;
    QTest::newRow("space") << QStringLiteral("16 MiB") << false << 0ull;
    QTest::newRow("decimal units") << QStringLiteral("16MB") << false << 0ull;
    QTest::newRow("lower-case mib") << QStringLiteral("16mib") << false << 0ull;
    QTest::newRow("negative") << QStringLiteral("-1") << false << 0ull;
    QTest::newRow("fraction") << QStringLiteral("1.5M") << false << 0ull;
    QTest::newRow("leading plus") << QStringLiteral("+5") << false << 0ull;
}

void TestServerOptions::parseByteSize()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qulonglong, bytes);
    std::size_t out = 12345;
    QCOMPARE(agentops::server::parseByteSize(u8(text), out), ok);
    if (ok)
        QCOMPARE(qulonglong(out), bytes);
    else
        QCOMPARE(out, std::size_t(12345)); // untouched on failure
}

void TestServerOptions::defaults()
{
    EnvGuard xdg("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", "/srv/xdg");
    ServerOptions o;
    std::string error;
    QVERIFY(parseServerOptions({}, o, error));
    QVERIFY(error.empty());
    QCOMPARE(q(o.http.host), QStringLiteral("127.0.0.1"));
    QCOMPARE(o.http.port, 4318);
    QCOMPARE(o.http.max_body_bytes, std::size_t(16) << 20);
    QCOMPARE(o.http.max_decompressed_bytes, std::size_t(64) << 20);
    QCOMPARE(o.http.worker_threads, ServerConfig {}.worker_threads);
    QCOMPARE(o.http.fault_unavailable, 0);
    QCOMPARE(o.queue_max_spans, std::size_t(200'000));
    QCOMPARE(o.sync_full, false);
    QVERIFY(o.log_format == Log::Format::Text);
    QCOMPARE(q(o.data_dir), QStringLiteral("/srv/xdg/agentops-monitor"));
    // Team mode by default: the account database; project stores go next to it.
    QCOMPARE(q(o.database), QStringLiteral("/srv/xdg/agentops-monitor/agentops.db"));
    QVERIFY(o.auth_required);
    QVERIFY(!o.allow_insecure_http);
    QCOMPARE(o.http.key_rate, 100.0);
    QCOMPARE(o.http.key_burst, 200.0);
    QCOMPARE(o.http.client_rate, 200.0);
    QCOMPARE(o.http.login_rate, 0.2);
    QVERIFY(o.http.cors_origins.empty());
    QVERIFY(o.http.tls_cert_file.empty());
    QCOMPARE(o.sessions.idle_timeout, std::chrono::seconds(24 * 3600));
    QCOMPARE(o.sessions.lifetime, std::chrono::seconds(30 * 24 * 3600));
    QCOMPARE(o.retention_interval, std::chrono::seconds(3600));
    QVERIFY(!o.help);
    QVERIFY(!o.version);
}

void TestServerOptions::defaultDataDir()
{
    EnvGuard xdg("XDG_DATA_HOME");
    EnvGuard home("HOME");
    qputenv("XDG_DATA_HOME", "/srv/xdg");
    qputenv("HOME", "/home/someone");
    QCOMPARE(q(agentops::server::defaultDataDir()), QStringLiteral("/srv/xdg/agentops-monitor"));
    // The XDG spec says relative paths in XDG_DATA_HOME are invalid and must be ignored.
    qputenv("XDG_DATA_HOME", "relative/dir");
    QCOMPARE(q(agentops::server::defaultDataDir()), QStringLiteral("/home/someone/.local/share/agentops-monitor"));
    qunsetenv("XDG_DATA_HOME");
    QCOMPARE(q(agentops::server::defaultDataDir()), QStringLiteral("/home/someone/.local/share/agentops-monitor"));
    qunsetenv("HOME");
    QCOMPARE(q(agentops::server::defaultDataDir()), QStringLiteral("./agentops-data"));
}

void TestServerOptions::listen_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    QTest::newRow("ipv4") << QStringLiteral("0.0.0.0:8080") << true << QStringLiteral("0.0.0.0") << 8080;
    QTest::newRow("name") << QStringLiteral("localhost:4318") << true << QStringLiteral("localhost") << 4318;
    QTest::newRow("port 0") << QStringLiteral("127.0.0.1:0") << true << QStringLiteral("127.0.0.1") << 0;
    QTest::newRow("highest port") << QStringLiteral("127.0.0.1:65535") << true << QStringLiteral("127.0.0.1") << 65535;
    QTest::newRow("bracketed ipv6") << QStringLiteral("[::1]:4318") << true << QStringLiteral("::1") << 4318;
    QTest::newRow("no port") << QStringLiteral("127.0.0.1") << false << QString() << 0;
    QTest::newRow("port only") << QStringLiteral(":4318") << false << QString() << 0;
    QTest::newRow("empty port") << QStringLiteral("127.0.0.1:") << false << QString() << 0;
    QTest::newRow("port too big") << QStringLiteral("127.0.0.1:65536") << false << QString() << 0;
    QTest::newRow("negative port") << QStringLiteral("127.0.0.1:-1") << false << QString() << 0;
    QTest::newRow("port with junk") << QStringLiteral("127.0.0.1:43a") << false << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
}

void TestServerOptions::listen()
{
    QFETCH(QString, value);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    ServerOptions o;
    std::string error;
    // (Plain HTTP beyond loopback must be asked for; teamModeFlags() tests that refusal.)
    QCOMPARE(parseServerOptions(
                 argv({ QStringLiteral("--listen"), value, QStringLiteral("--allow-insecure-http") }), o, error),
        ok);
    if (ok) {
        QCOMPARE(q(o.http.host), host);
        QCOMPARE(o.http.port, port);
    } else {
        QVERIFY2(q(error).startsWith(QStringLiteral("--listen:")), error.c_str());
        QVERIFY2(q(error).contains(value), error.c_str());
    }
}

void TestServerOptions::flagValueSpellings()
{
    // "--flag value" and "--flag=value" mean the same; a value may itself contain '='.
    ServerOptions a, b;
    std::string error;
    QVERIFY(parseServerOptions(
        argv({ QStringLiteral("--listen"), QStringLiteral("0.0.0.0:9000"), QStringLiteral("--data-dir"),
            QStringLiteral("/d=x"), QStringLiteral("--allow-insecure-http") }),
        a, error));
    QVERIFY(parseServerOptions(argv({ QStringLiteral("--listen=0.0.0.0:9000"), QStringLiteral("--data-dir=/d=x"),
                                   QStringLiteral("--allow-insecure-http") }),
        b, error));
    QCOMPARE(q(a.http.host), q(b.http.host));
    QCOMPARE(a.http.port, b.http.port);
    QCOMPARE(q(a.data_dir), QStringLiteral("/d=x"));
    QCOMPARE(q(b.data_dir), QStringLiteral("/d=x"));
}

void TestServerOptions::sizes()
{
    ServerOptions o;
    std::string error;
    QVERIFY(parseServerOptions(argv({ QStringLiteral("--max-body-bytes"), QStringLiteral("1MiB"),
                                   QStringLiteral("--max-decompressed-bytes=4M") }),
        o, error));
    QCOMPARE(o.http.max_body_bytes, std::size_t(1) << 20);
    QCOMPARE(o.http.max_decompressed_bytes, std::size_t(4) << 20);

    ServerOptions bad;
    QVERIFY(!parseServerOptions(argv({ QStringLiteral("--max-body-bytes=lots") }), bad, error));
    QVERIFY2(q(error).contains(QStringLiteral("--max-body-bytes")), error.c_str());
    QVERIFY2(q(error).contains(QStringLiteral("'lots'")), error.c_str());
    QVERIFY(!parseServerOptions(argv({ QStringLiteral("--max-decompressed-bytes"), QStringLiteral("0") }), bad, error));
    QVERIFY2(q(error).contains(QStringLiteral("--max-decompressed-bytes")), error.c_str());

    // The value limit: 1 MiB unless set; 0 turns it off; a size that is not one is refused.
    QCOMPARE(o.http.max_value_bytes, std::size_t(1) << 20);
    ServerOptions value;
    QVERIFY(parseServerOptions(argv({ QStringLiteral("--max-value-bytes"), QStringLiteral("64KiB") }), value, error));
    QCOMPARE(value.http.max_value_bytes, std::size_t(64) << 10);
    QVERIFY(parseServerOptions(argv({ QStringLiteral("--max-value-bytes=0") }), value, error));
    QCOMPARE(value.http.max_value_bytes, std::size_t(0));
    QVERIFY(!parseServerOptions(argv({ QStringLiteral("--max-value-bytes=big") }), bad, error));
    QVERIFY2(q(error).contains(QStringLiteral("--max-value-bytes")), error.c_str());
}

void TestServerOptions::decompressedSmallerThanBody()
{
    // A limit after decompression below the wire limit would refuse bodies that are not even compressed.
    ServerOptions o;
    std::string error;
    QVERIFY(!parseServerOptions(
        argv({ QStringLiteral("--max-body-bytes=8MiB"), QStringLiteral("--max-decompressed-bytes=4MiB") }), o, error));
    QVERIFY2(q(error).contains(QStringLiteral("--max-decompressed-bytes")), error.c_str());
    ServerOptions equal;
    QVERIFY(parseServerOptions(
        argv({ QStringLiteral("--max-body-bytes=8MiB"), QStringLiteral("--max-decompressed-bytes=8MiB") }), equal,
        error));
    // The default decompressed limit (64 MiB) is too small for a raised wire limit.
    ServerOptions raised;
    QVERIFY(!parseServerOptions(argv({ QStringLiteral("--max-body-bytes=128MiB") }), raised, error));
}

void TestServerOptions::enumerations_data()
{
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");

    QTest::newRow("log json") << QStringLiteral("--log-format") << QStringLiteral("json") << true;
    QTest::newRow("log text") << QStringLiteral("--log-format") << QStringLiteral("text") << true;
    QTest::newRow("log bad") << QStringLiteral("--log-format") << QStringLiteral("xml") << false;
    QTest::newRow("log case") << QStringLiteral("--log-format") << QStringLiteral("JSON") << false;
    QTest::newRow("sync normal") << QStringLiteral("--sync") << QStringLiteral("normal") << true;
    QTest::newRow("sync full") << QStringLiteral("--sync") << QStringLiteral("full") << true;
    QTest::newRow("sync bad") << QStringLiteral("--sync") << QStringLiteral("off") << false;
    QTest::newRow("search index on") << QStringLiteral("--search-index") << QStringLiteral("on") << true;
    QTest::newRow("search index off") << QStringLiteral("--search-index") << QStringLiteral("off") << true;
    QTest::newRow("search index bad") << QStringLiteral("--search-index") << QStringLiteral("no") << false;
}

void TestServerOptions::enumerations()
{
    QFETCH(QString, flag);
    QFETCH(QString, value);
    QFETCH(bool, ok);
    ServerOptions o;
    std::string error;
    QCOMPARE(parseServerOptions(argv({ flag, value }), o, error), ok);
    if (!ok) {
        QVERIFY2(q(error).startsWith(flag + QLatin1Char(':')), error.c_str());
        QVERIFY2(q(error).contains(value), error.c_str());
        return;
    }
    if (flag == QLatin1String("--log-format"))
        QVERIFY(o.log_format == (value == QLatin1String("json") ? Log::Format::Json : Log::Format::Text));
    else
        QCOMPARE(o.sync_full, value == QLatin1String("full"));
}

void TestServerOptions::counts_data()
{
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qulonglong>("expected");

    QTest::newRow("queue") << QStringLiteral("--queue-max-spans") << QStringLiteral("5") << true << 5ull;
    QTest::newRow("queue 0") << QStringLiteral("--queue-max-spans") << QStringLiteral("0") << false << 0ull;
    QTest::newRow("queue text") << QStringLiteral("--queue-max-spans") << QStringLiteral("many") << false << 0ull;
    QTest::newRow("workers") << QStringLiteral("--workers") << QStringLiteral("3") << true << 3ull;
    QTest::newRow("workers capped") << QStringLiteral("--workers") << QStringLiteral("100000") << true << 256ull;
    QTest::newRow("workers 0") << QStringLiteral("--workers") << QStringLiteral("0") << false << 0ull;
    QTest::newRow("workers negative") << QStringLiteral("--workers") << QStringLiteral("-2") << false << 0ull;
    QTest::newRow("workers junk") << QStringLiteral("--workers") << QStringLiteral("4x") << false << 0ull;
    QTest::newRow("faults 0") << QStringLiteral("--fault-unavailable") << QStringLiteral("0") << true << 0ull;
    QTest::newRow("faults") << QStringLiteral("--fault-unavailable") << QStringLiteral("3") << true << 3ull;
    QTest::newRow("faults capped") << QStringLiteral("--fault-unavailable") << QStringLiteral("99999999") << true
                                   << 1'000'000ull;
}

void TestServerOptions::counts()
{
    QFETCH(QString, flag);
    QFETCH(QString, value);
    QFETCH(bool, ok);
    QFETCH(qulonglong, expected);
    ServerOptions o;
    std::string error;
    QCOMPARE(parseServerOptions(argv({ flag, value }), o, error), ok);
    if (!ok) {
        QVERIFY2(q(error).startsWith(flag + QLatin1Char(':')), error.c_str());
        QVERIFY2(q(error).contains(QStringLiteral("'") + value + QStringLiteral("'")), error.c_str());
        return;
    }
    if (flag == QLatin1String("--queue-max-spans"))
        QCOMPARE(qulonglong(o.queue_max_spans), expected);
    else if (flag == QLatin1String("--workers"))
        QCOMPARE(qulonglong(o.http.worker_threads), expected);
    else
        QCOMPARE(qulonglong(o.http.fault_unavailable), expected);
}

void TestServerOptions::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("unknown") << QStringList { QStringLiteral("--port"), QStringLiteral("1") }
                             << QStringLiteral("'--port'");
    QTest::newRow("positional") << QStringList { QStringLiteral("serve") } << QStringLiteral("'serve'");
    QTest::newRow("single dash") << QStringList { QStringLiteral("-v") } << QStringLiteral("'-v'");
    QTest::newRow("missing value at end")
        << QStringList { QStringLiteral("--listen") } << QStringLiteral("--listen: needs a value");
    QTest::newRow("missing value of data-dir") << QStringList { QStringLiteral("--workers=2"),
        QStringLiteral("--data-dir") } << QStringLiteral("--data-dir: needs a value");
    QTest::newRow("empty listen") << QStringList { QStringLiteral("--listen=") } << QStringLiteral("--listen:");
    QTest::newRow("alert interval 0") << QStringList { QStringLiteral("--alert-interval"), QStringLiteral("0s") }
                                      << QStringLiteral("--alert-interval: expected a duration from 1s to 1h");
    QTest::newRow("alert interval too long")
        << QStringList { QStringLiteral("--alert-interval=2h") }
        << QStringLiteral("--alert-interval: expected a duration from 1s to 1h such as 30s or 2m, got '2h'");
    QTest::newRow("webhook attempts 0") << QStringList { QStringLiteral("--webhook-attempts=0") }
                                        << QStringLiteral("--webhook-attempts: must be a whole number >= 1, got '0'");
    QTest::newRow("webhook attempts 101")
        << QStringList { QStringLiteral("--webhook-attempts=101") }
        << QStringLiteral("--webhook-attempts: must be a whole number from 1 to 100, got '101'");
    QTest::newRow("webhook backoff unit") << QStringList { QStringLiteral("--webhook-backoff=500ms") }
                                          << QStringLiteral("--webhook-backoff: expected a duration from 1s to 5m");
    QTest::newRow("webhook backoff too long") << QStringList { QStringLiteral("--webhook-backoff=6m") }
                                              << QStringLiteral("--webhook-backoff: expected a duration from 1s to 5m");
    // Retention by size and the low-disk threshold: sizes with units, refused with the flag's name.
    for (const char *bad : { "0", "-1G", "10XB", "512KiB", "1e9", "ten", "5G ", "2000TiB", "" })
        QTest::addRow("retention-size %s", bad) << QStringList { QStringLiteral("--retention-size"),
            QLatin1String(bad) } << QStringLiteral("--retention-size: expected a size of at least 1MiB");
    for (const char *bad : { "0%", "100%", "5 %", "-1G", "low", "" })
        QTest::addRow("disk-low %s", bad) << QStringList { QStringLiteral("--disk-low"), QLatin1String(bad) }
                                          << QStringLiteral("--disk-low: expected a size such as 1GiB or a share");
    QTest::newRow("retention-size on postgresql") << QStringList { QStringLiteral("--retention-size"),
        QStringLiteral("10GB"), QStringLiteral("--database"), QStringLiteral("postgresql://u@localhost/agentops") }
                                                  << QStringLiteral("--retention-size: SQLite only");
    QTest::newRow("first error wins") << QStringList { QStringLiteral("--sync=off"), QStringLiteral("--bogus") }
                                      << QStringLiteral("--sync:");
}

void TestServerOptions::alertOptions()
{
    ServerOptions o;
    std::string error;
    QVERIFY2(parseServerOptions(argv({ QStringLiteral("--alert-interval=30s"), QStringLiteral("--webhook-attempts=3"),
                                    QStringLiteral("--webhook-backoff=2m") }),
                 o, error),
        error.c_str());
    QCOMPARE(o.alert_interval.count(), 30);
    QCOMPARE(o.webhook_attempts, 3u);
    QCOMPARE(o.webhook_backoff.count(), 120);
    ServerOptions d;
    QVERIFY(parseServerOptions(argv({}), d, error));
    QCOMPARE(d.alert_interval.count(), 60);
    QCOMPARE(d.webhook_attempts, 8u);
    QCOMPARE(d.webhook_backoff.count(), 1);
    // The alert command's options go to the command.
    ServerOptions c;
    QVERIFY2(parseServerOptions(argv({ QStringLiteral("alert"), QStringLiteral("add"), QStringLiteral("x"),
                                    QStringLiteral("--kind"), QStringLiteral("no_traffic"), QStringLiteral("--window"),
                                    QStringLiteral("5"), QStringLiteral("--project"), QStringLiteral("p") }),
                 c, error),
        error.c_str());
    QCOMPARE(c.command, std::string("alert"));
    QCOMPARE(c.command_args.size(), 8u);
}

void TestServerOptions::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    ServerOptions o;
    std::string error;
    QVERIFY(!parseServerOptions(argv(args), o, error));
    QVERIFY2(q(error).contains(mentions), error.c_str());
}

void TestServerOptions::retentionSizeAndDiskLow()
{
    ServerOptions d;
    std::string error;
    QVERIFY(parseServerOptions({}, d, error));
    QCOMPARE(d.retention_size, std::uint64_t(0));
    QCOMPARE(d.disk_low.bytes, std::uint64_t(1) << 30);
    QCOMPARE(d.disk_low.percent, 0.0);
    ServerOptions o;
    QVERIFY2(parseServerOptions(
                 argv({ QStringLiteral("--retention-size"), QStringLiteral("10GB"), QStringLiteral("--disk-low=5%") }),
                 o, error),
        error.c_str());
    QCOMPARE(o.retention_size, std::uint64_t(10) << 30);
    QCOMPARE(o.disk_low.percent, 5.0);
    QVERIFY(parseServerOptions(
        argv({ QStringLiteral("--retention-size=1.5TiB"), QStringLiteral("--disk-low"), QStringLiteral("2GiB") }), o,
        error));
    QCOMPARE(o.retention_size, std::uint64_t(3) << 39);
    QCOMPARE(o.disk_low.bytes, std::uint64_t(2) << 30);
    QCOMPARE(o.disk_low.percent, 0.0);
    QVERIFY(q(serverUsage()).contains(QStringLiteral("--retention-size SIZE")));
    QVERIFY(q(serverUsage()).contains(QStringLiteral("--disk-low SIZE|PERCENT")));
}

void TestServerOptions::helpAndVersion()
{
    ServerOptions o;
    std::string error;
    QVERIFY(parseServerOptions(argv({ QStringLiteral("--help") }), o, error));
    QVERIFY(o.help);
    QVERIFY(!o.version);
    ServerOptions h;
    QVERIFY(parseServerOptions(argv({ QStringLiteral("-h") }), h, error));
    QVERIFY(h.help);
    ServerOptions v;
    QVERIFY(parseServerOptions(argv({ QStringLiteral("--version") }), v, error));
    QVERIFY(v.version);
    QVERIFY(!v.help);
}

void TestServerOptions::dataDirAndDatabase()
{
    ServerOptions o;
    std::string error;
    QVERIFY(parseServerOptions(argv({ QStringLiteral("--data-dir"), QStringLiteral("/var/lib/agentops") }), o, error));
    QCOMPARE(q(o.data_dir), QStringLiteral("/var/lib/agentops"));
    QCOMPARE(q(o.database), QStringLiteral("/var/lib/agentops/agentops.db"));
    ServerOptions open;
    QVERIFY(parseServerOptions(argv({ QStringLiteral("--data-dir"), QStringLiteral("/var/lib/agentops"),
                                   QStringLiteral("--auth"), QStringLiteral("none") }),
        open, error));
    QCOMPARE(q(open.database), QStringLiteral("/var/lib/agentops/traces.db"));

    ServerOptions both;
    QVERIFY(parseServerOptions(
        argv({ QStringLiteral("--database=/tmp/x.db"), QStringLiteral("--data-dir=/d") }), both, error));
    QCOMPARE(q(both.database), QStringLiteral("/tmp/x.db"));
    QCOMPARE(q(both.data_dir), QStringLiteral("/d"));
}

void TestServerOptions::usageMentionsEveryFlag()
{
    const QString usage = q(serverUsage());
    const QStringList flags { QStringLiteral("--listen"), QStringLiteral("--data-dir"), QStringLiteral("--database"),
        QStringLiteral("--log-format"), QStringLiteral("--max-body-bytes"), QStringLiteral("--max-decompressed-bytes"),
        QStringLiteral("--queue-max-spans"), QStringLiteral("--workers"), QStringLiteral("--sync"),
        QStringLiteral("--fault-unavailable"), QStringLiteral("--version"), QStringLiteral("--help"),
        QStringLiteral("--auth"), QStringLiteral("--tls-cert"), QStringLiteral("--tls-key"),
        QStringLiteral("--allow-insecure-http"), QStringLiteral("--session-idle"), QStringLiteral("--session-lifetime"),
        QStringLiteral("--rate-limit-key"), QStringLiteral("--rate-limit-client"), QStringLiteral("--rate-limit-login"),
        QStringLiteral("--cors-origin"), QStringLiteral("--cors-credentials"), QStringLiteral("--retention-interval"),
        QStringLiteral("--io-threads"), QStringLiteral("--max-header-bytes"), QStringLiteral("--max-header-count"),
        QStringLiteral("--max-request-line"), QStringLiteral("--header-timeout"), QStringLiteral("--body-timeout"),
        QStringLiteral("--body-min-rate"), QStringLiteral("--keep-alive-timeout"), QStringLiteral("--max-connections"),
        QStringLiteral("--max-connections-per-client"), QStringLiteral("--tls-handshake-timeout"),
        QStringLiteral("--shutdown-timeout"), QStringLiteral("--allow-host"), QStringLiteral("--search-index") };
    for (const auto &flag : flags) {
        QVERIFY2(usage.contains(flag), qPrintable(flag));
        // Every flag the usage text lists must also be accepted.
        ServerOptions o;
        std::string error;
        std::vector<std::string> args { u8(flag) };
        if (flag == QLatin1String("--listen"))
            args.emplace_back("127.0.0.1:1");
        else if (flag == QLatin1String("--log-format"))
            args.emplace_back("json");
        else if (flag == QLatin1String("--sync"))
            args.emplace_back("full");
        else if (flag == QLatin1String("--search-index"))
            args.emplace_back("off");
        else if (flag.endsWith(QLatin1String("-bytes")))
            args.emplace_back("64MiB");
        else if (flag == QLatin1String("--auth"))
            args.emplace_back("none");
        else if (flag == QLatin1String("--tls-cert") || flag == QLatin1String("--tls-key"))
            args = { "--tls-cert", "/c.pem", "--tls-key", "/k.pem" }; // they go together
        else if (flag == QLatin1String("--session-lifetime"))
            args.emplace_back("60d");
        else if (flag.startsWith(QLatin1String("--session-")) || flag == QLatin1String("--retention-interval"))
            args.emplace_back("12h");
        else if (flag.endsWith(QLatin1String("-timeout")))
            args.emplace_back("30s");
        else if (flag.startsWith(QLatin1String("--rate-limit-")))
            args.emplace_back("5/10");
        else if (flag == QLatin1String("--cors-origin"))
            args.emplace_back("https://dash.example.com");
        else if (flag == QLatin1String("--allow-insecure-http") || flag == QLatin1String("--cors-credentials")) {
        } else if (flag != QLatin1String("--version") && flag != QLatin1String("--help"))
            args.emplace_back(flag.startsWith(QLatin1String("--data")) ? "/x" : "2");
        QVERIFY2(parseServerOptions(args, o, error), error.c_str());
    }
}

void TestServerOptions::teamModeFlags()
{
    auto parse = [](QStringList args, ServerOptions &o, std::string &error) {
        o = ServerOptions {};
        return parseServerOptions(argv(args), o, error);
    };
    ServerOptions o;
    std::string error;

    // Plain HTTP beyond loopback only when asked; TLS or loopback need no asking.
    QVERIFY(!parse({ QStringLiteral("--listen"), QStringLiteral("0.0.0.0:4318") }, o, error));
    QVERIFY2(q(error).contains(QStringLiteral("refusing plain HTTP beyond loopback")), error.c_str());
    QVERIFY(!parse({ QStringLiteral("--listen"), QStringLiteral("[2001:db8::1]:4318") }, o, error));
    for (const auto &host : { QStringLiteral("127.0.0.1:1"), QStringLiteral("127.9.9.9:1"), QStringLiteral("[::1]:1"),
             QStringLiteral("localhost:1") }) {
        ServerOptions ok;
        QVERIFY2(parse({ QStringLiteral("--listen"), host }, ok, error), error.c_str());
    }
    QVERIFY(!parse({ QStringLiteral("--listen"), QStringLiteral("127.evil.example:4318") }, o, error));
    QCOMPARE(agentops::server::redactDatabaseUrl("postgresql://ops:s3cret@db.example/agentops?sslmode=require"),
        std::string("postgresql://ops:***@db.example/agentops?sslmode=require"));
    QCOMPARE(agentops::server::redactDatabaseUrl("postgresql:///agentops?host=/run/pg&password=s3cret&user=ops"),
        std::string("postgresql:///agentops?host=/run/pg&password=***&user=ops"));
    QCOMPARE(agentops::server::redactDatabaseUrl("/var/lib/agentops/agentops.db"),
        std::string("/var/lib/agentops/agentops.db"));
    ServerOptions tls;
    QVERIFY2(parse({ QStringLiteral("--listen"), QStringLiteral("0.0.0.0:443"), QStringLiteral("--tls-cert"),
                       QStringLiteral("/c.pem"), QStringLiteral("--tls-key"), QStringLiteral("/k.pem") },
                 tls, error),
        error.c_str());
    QCOMPARE(q(tls.http.tls_cert_file), QStringLiteral("/c.pem"));
    QVERIFY(!parse({ QStringLiteral("--tls-cert"), QStringLiteral("/c.pem") }, o, error));
    QVERIFY2(q(error).contains(QStringLiteral("go together")), error.c_str());
    // An open store is never served beyond loopback by accident, TLS or not.
    QVERIFY(!parse(
        { QStringLiteral("--listen"), QStringLiteral("0.0.0.0:443"), QStringLiteral("--auth"), QStringLiteral("none"),
            QStringLiteral("--tls-cert"), QStringLiteral("/c"), QStringLiteral("--tls-key"), QStringLiteral("/k") },
        o, error));
    QVERIFY2(q(error).startsWith(QStringLiteral("--auth none")), error.c_str());
    // Admin commands do not listen, so the listen checks do not apply to them.
    ServerOptions admin;
    QVERIFY2(parse({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("a@example.com"),
                       QStringLiteral("--name"), QStringLiteral("Ann Lee"), QStringLiteral("--password-stdin"),
                       QStringLiteral("--database"), QStringLiteral("/x.db") },
                 admin, error),
        error.c_str());
    QCOMPARE(q(admin.command), QStringLiteral("user"));
    QCOMPARE(admin.command_args,
        (std::vector<std::string> { "add", "a@example.com", "--name", "Ann Lee", "--password-stdin" }));
    QCOMPARE(q(admin.database), QStringLiteral("/x.db"));

    ServerOptions r;
    QVERIFY(parse({ QStringLiteral("--rate-limit-key"), QStringLiteral("5"), QStringLiteral("--rate-limit-client=0"),
                      QStringLiteral("--rate-limit-login"), QStringLiteral("0.5/3") },
        r, error));
    QCOMPARE(r.http.key_rate, 5.0);
    QCOMPARE(r.http.key_burst, 10.0); // twice the rate when not given
    QCOMPARE(r.http.client_rate, 0.0); // off
    QCOMPARE(r.http.login_rate, 0.5);
    QCOMPARE(r.http.login_burst, 3.0);
    for (const auto &bad :
        { QStringLiteral("x"), QStringLiteral("-1"), QStringLiteral("5/0"), QStringLiteral("5/x") }) {
        QVERIFY(!parse({ QStringLiteral("--rate-limit-key"), bad }, o, error));
        QVERIFY2(q(error).startsWith(QStringLiteral("--rate-limit-key:")) && q(error).contains(bad), error.c_str());
    }

    ServerOptions d;
    QVERIFY(parse({ QStringLiteral("--session-idle"), QStringLiteral("90s"), QStringLiteral("--session-lifetime"),
                      QStringLiteral("7d"), QStringLiteral("--retention-interval"), QStringLiteral("15m") },
        d, error));
    QCOMPARE(d.sessions.idle_timeout, std::chrono::seconds(90));
    QCOMPARE(d.sessions.lifetime, std::chrono::seconds(7 * 86400));
    QCOMPARE(d.retention_interval, std::chrono::seconds(900));
    for (const auto &bad : { QStringLiteral("0s"), QStringLiteral("12"), QStringLiteral("1w"), QStringLiteral("h") }) {
        QVERIFY(!parse({ QStringLiteral("--session-idle"), bad }, o, error));
        QVERIFY2(q(error).startsWith(QStringLiteral("--session-idle:")), error.c_str());
    }
    QVERIFY(!parse({ QStringLiteral("--session-idle"), QStringLiteral("31d") }, o, error));
    QVERIFY2(q(error).contains(QStringLiteral("--session-lifetime")), error.c_str());

    ServerOptions c;
    QVERIFY(parse({ QStringLiteral("--cors-origin"), QStringLiteral("https://a.example"),
                      QStringLiteral("--cors-origin"), QStringLiteral("http://localhost:5173") },
        c, error));
    QCOMPARE(c.http.cors_origins.size(), std::size_t(2));
    QVERIFY(!parse(
        { QStringLiteral("--cors-origin"), QStringLiteral("*"), QStringLiteral("--cors-credentials") }, o, error));
    QVERIFY2(q(error).startsWith(QStringLiteral("--cors-origin:")), error.c_str());
    QVERIFY(!parse({ QStringLiteral("--cors-origin"), QStringLiteral("not an origin") }, o, error));
    QVERIFY2(q(error).contains(QStringLiteral("not an origin")), error.c_str());
    QVERIFY(!parse({ QStringLiteral("--auth"), QStringLiteral("maybe") }, o, error));
    QVERIFY2(q(error).contains(QStringLiteral("maybe")), error.c_str());
}

void TestServerOptions::httpLimits()
{
    ServerOptions d;
    std::string error;
    QVERIFY(parseServerOptions({}, d, error));
    // The defaults, as docs/deployment.md lists them.
    const auto &l = d.http.limits;
    QCOMPARE(l.max_header_bytes, std::size_t(32 * 1024));
    QCOMPARE(l.max_header_count, std::size_t(100));
    QCOMPARE(l.max_request_line, std::size_t(8 * 1024));
    QCOMPARE(l.header_timeout_seconds, 10);
    QCOMPARE(l.body_timeout_seconds, 10);
    QCOMPARE(l.body_min_rate, std::size_t(16 * 1024));
    QCOMPARE(l.keep_alive_seconds, 10);
    QCOMPARE(l.max_connections, std::size_t(1024));
    QCOMPARE(l.max_connections_per_client, std::size_t(128));
    QCOMPARE(l.tls_handshake_timeout_seconds, 10);
    QCOMPARE(l.shutdown_timeout_seconds, 10);
    QCOMPARE(d.http.io_threads, 2);
    QVERIFY(d.http.allowed_hosts.empty());

    ServerOptions o;
    QVERIFY2(parseServerOptions(
                 argv({ QStringLiteral("--max-header-bytes=64KiB"), QStringLiteral("--max-header-count"),
                     QStringLiteral("50"), QStringLiteral("--max-request-line"), QStringLiteral("4K"),
                     QStringLiteral("--header-timeout"), QStringLiteral("5s"), QStringLiteral("--body-timeout=1m"),
                     QStringLiteral("--body-min-rate"), QStringLiteral("1MiB"), QStringLiteral("--keep-alive-timeout"),
                     QStringLiteral("2m"), QStringLiteral("--max-connections"), QStringLiteral("5000"),
                     QStringLiteral("--max-connections-per-client"), QStringLiteral("4096"),
                     QStringLiteral("--tls-handshake-timeout"), QStringLiteral("3s"),
                     QStringLiteral("--shutdown-timeout"), QStringLiteral("30s"), QStringLiteral("--io-threads"),
                     QStringLiteral("4"), QStringLiteral("--allow-host"), QStringLiteral("monitor.internal"),
                     QStringLiteral("--allow-host=box") }),
                 o, error),
        error.c_str());
    QCOMPARE(o.http.limits.max_header_bytes, std::size_t(64 * 1024));
    QCOMPARE(o.http.limits.max_header_count, std::size_t(50));
    QCOMPARE(o.http.limits.max_request_line, std::size_t(4 * 1024));
    QCOMPARE(o.http.limits.header_timeout_seconds, 5);
    QCOMPARE(o.http.limits.body_timeout_seconds, 60);
    QCOMPARE(o.http.limits.body_min_rate, std::size_t(1) << 20);
    QCOMPARE(o.http.limits.keep_alive_seconds, 120);
    QCOMPARE(o.http.limits.max_connections, std::size_t(5000));
    QCOMPARE(o.http.limits.max_connections_per_client, std::size_t(4096));
    QCOMPARE(o.http.limits.tls_handshake_timeout_seconds, 3);
    QCOMPARE(o.http.limits.shutdown_timeout_seconds, 30);
    QCOMPARE(o.http.io_threads, 4);
    QCOMPARE(o.http.allowed_hosts, (std::vector<std::string> { "monitor.internal", "box" }));
}

void TestServerOptions::httpLimitErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("timeout without unit") << QStringList { QStringLiteral("--header-timeout"), QStringLiteral("10") }
                                          << QStringLiteral("--header-timeout: expected a duration");
    QTest::newRow("timeout over a day") << QStringList { QStringLiteral("--shutdown-timeout"), QStringLiteral("2d") }
                                        << QStringLiteral("at most 1d");
    QTest::newRow("zero connections") << QStringList { QStringLiteral("--max-connections"), QStringLiteral("0") }
                                      << QStringLiteral("--max-connections: must be a whole number >= 1");
    QTest::newRow("size junk") << QStringList { QStringLiteral("--max-header-bytes"), QStringLiteral("lots") }
                               << QStringLiteral("--max-header-bytes: expected a size");
    QTest::newRow("line longer than the header") << QStringList { QStringLiteral("--max-header-bytes"),
        QStringLiteral("4KiB"), QStringLiteral("--max-request-line"),
        QStringLiteral("8KiB") } << QStringLiteral("--max-request-line must not be larger than --max-header-bytes");
    QTest::newRow("allow-host without a name")
        << QStringList { QStringLiteral("--allow-host") } << QStringLiteral("--allow-host: needs a value");
    QTest::newRow("io-threads 0") << QStringList { QStringLiteral("--io-threads"), QStringLiteral("0") }
                                  << QStringLiteral("--io-threads: must be a whole number >= 1");
}

void TestServerOptions::httpLimitErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    ServerOptions o;
    std::string error;
    QVERIFY(!parseServerOptions(argv(args), o, error));
    QVERIFY2(q(error).contains(message), error.c_str());
}

void TestServerOptions::grpcReceiver()
{
    auto parse = [](QStringList args, ServerOptions &o, std::string &error) {
        o = ServerOptions {};
        return parseServerOptions(argv(args), o, error);
    };
    ServerOptions o;
    std::string error;
    // On by default, on loopback port 4317, with its own limits' defaults.
    QVERIFY2(parse({}, o, error), error.c_str());
    QVERIFY(o.grpc_enabled);
    QCOMPARE(q(o.grpc.host), QStringLiteral("127.0.0.1"));
    QCOMPARE(o.grpc.port, 4317);
    QCOMPARE(o.grpc.max_concurrent_streams, 32);
    QCOMPARE(o.grpc.idle_timeout_seconds, 300);
    QCOMPARE(o.grpc.max_connection_age_seconds, 600);

    QVERIFY2(parse({ QStringLiteral("--grpc-listen"), QStringLiteral("off") }, o, error), error.c_str());
    QVERIFY(!o.grpc_enabled);
    QVERIFY2(parse({ QStringLiteral("--grpc-listen=[::1]:0") }, o, error), error.c_str());
    QVERIFY(o.grpc_enabled);
    QCOMPARE(q(o.grpc.host), QStringLiteral("::1"));
    QCOMPARE(o.grpc.port, 0);
    QVERIFY2(parse({ QStringLiteral("--grpc-max-streams"), QStringLiteral("8"), QStringLiteral("--grpc-idle-timeout"),
                       QStringLiteral("90s"), QStringLiteral("--grpc-max-connection-age"), QStringLiteral("1h") },
                 o, error),
        error.c_str());
    QCOMPARE(o.grpc.max_concurrent_streams, 8);
    QCOMPARE(o.grpc.idle_timeout_seconds, 90);
    QCOMPARE(o.grpc.max_connection_age_seconds, 3600);
    QCOMPARE(o.grpc.memory_bytes, std::size_t(0)); // 16 times --max-body-bytes
    QVERIFY(!o.grpc.unbounded_memory);
    QVERIFY2(parse({ QStringLiteral("--grpc-max-memory"), QStringLiteral("64MiB") }, o, error), error.c_str());
    QCOMPARE(o.grpc.memory_bytes, std::size_t(64) << 20);
    QVERIFY(!o.grpc.unbounded_memory);
    QVERIFY2(parse({ QStringLiteral("--grpc-max-memory"), QStringLiteral("none") }, o, error), error.c_str());
    QVERIFY(o.grpc.unbounded_memory);

    // Bad values name the flag.
    for (const auto &[flag, value] : { std::pair { "--grpc-listen", "4317" }, { "--grpc-listen", "on" },
             { "--grpc-listen", "127.0.0.1:70000" }, { "--grpc-max-streams", "0" }, { "--grpc-idle-timeout", "soon" },
             { "--grpc-max-connection-age", "2d" }, { "--grpc-max-memory", "0" }, { "--grpc-max-memory", "lots" } }) {
        QVERIFY2(!parse({ QLatin1String(flag), QLatin1String(value) }, o, error), value);
        QVERIFY2(q(error).contains(QLatin1String(flag)), error.c_str());
    }
    // Beyond loopback: the rules of --listen (TLS, or said explicitly), and not in open mode.
    QVERIFY(!parse({ QStringLiteral("--grpc-listen"), QStringLiteral("0.0.0.0:4317") }, o, error));
    QVERIFY2(q(error).contains(QStringLiteral("refusing plain gRPC beyond loopback")), error.c_str());
    QVERIFY2(parse({ QStringLiteral("--grpc-listen"), QStringLiteral("0.0.0.0:4317"), QStringLiteral("--tls-cert"),
                       QStringLiteral("/c.pem"), QStringLiteral("--tls-key"), QStringLiteral("/k.pem") },
                 o, error),
        error.c_str());
    QVERIFY2(parse({ QStringLiteral("--grpc-listen"), QStringLiteral("0.0.0.0:4317"),
                       QStringLiteral("--allow-insecure-http") },
                 o, error),
        error.c_str());
    QVERIFY(!parse({ QStringLiteral("--grpc-listen"), QStringLiteral("0.0.0.0:4317"), QStringLiteral("--auth"),
                       QStringLiteral("none"), QStringLiteral("--tls-cert"), QStringLiteral("/c.pem"),
                       QStringLiteral("--tls-key"), QStringLiteral("/k.pem") },
        o, error));
    QVERIFY2(q(error).contains(QStringLiteral("open store beyond loopback over gRPC")), error.c_str());
    // Not the HTTP server's own address.
    QVERIFY(!parse({ QStringLiteral("--listen"), QStringLiteral("127.0.0.1:4317") }, o, error));
    QVERIFY2(q(error).contains(QStringLiteral("--grpc-listen and --listen")), error.c_str());
    QVERIFY2(parse({ QStringLiteral("--listen"), QStringLiteral("127.0.0.1:4317"), QStringLiteral("--grpc-listen"),
                       QStringLiteral("off") },
                 o, error),
        error.c_str());
    // The same port under another name of the same address, or a wildcard that includes it.
    for (const auto &[http, grpc] : { std::pair { "localhost:4400", "127.0.0.1:4400" },
             std::pair { "0.0.0.0:4400", "127.0.0.1:4400" }, std::pair { "127.0.0.1:4400", "localhost:4400" } }) {
        QVERIFY2(!parse({ QStringLiteral("--listen"), QString::fromLatin1(http), QStringLiteral("--grpc-listen"),
                            QString::fromLatin1(grpc), QStringLiteral("--allow-insecure-http") },
                     o, error),
            http);
        QVERIFY2(q(error).contains(QStringLiteral("--grpc-listen and --listen")), error.c_str());
    }
    // The admin commands do not listen.
    QVERIFY2(parse({ QStringLiteral("project"), QStringLiteral("list"), QStringLiteral("--grpc-listen"),
                       QStringLiteral("0.0.0.0:4317") },
                 o, error),
        error.c_str());
    // --help documents them.
    const QString usage = q(serverUsage());
    for (const char *flag : { "--grpc-listen", "--grpc-max-streams", "--grpc-idle-timeout", "--grpc-max-connection-age",
             "--grpc-max-memory" })
        QVERIFY2(usage.contains(QLatin1String(flag)), flag);
    QVERIFY(usage.contains(QStringLiteral("default 127.0.0.1:4317")));
}

QTEST_GUILESS_MAIN(TestServerOptions)
#include "tst_serveroptions.moc"

// SPDX-License-Identifier: MIT
#include "server/cors.h"
#include "server/prometheus.h"
#include "server/ratelimiter.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace agentops::server;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::string header(const CorsPolicy::Headers &h, const std::string &name)
{
    for (const auto &[k, v] : h)
        if (k == name)
            return v;
    return "<absent>";
}

bool hasCorsHeader(const CorsPolicy::Headers &h)
{
    for (const auto &[k, v] : h)
        if (k.rfind("Access-Control-", 0) == 0)
            return true;
    return false;
}

} // namespace

class TestServerHardening : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // rate limiter
    void burstThenRefuse();
    void refillOverTime();
    void retryAfter_data();
    void retryAfter();
    void independentKeys();
    void unlimitedAndInvalid();
    void concurrentSameKey();
    void evictionBoundsMemory();
    // Prometheus
    void exactText();
    void concurrentIncrements();
    void registryRefusesBadInput();
    void formatValues();
    // CORS
    void corsOff();
    void corsOrigins_data();
    void corsOrigins();
    void corsRequestHeaders();
    void corsWildcard();
    void corsPreflight();
    void corsBadConfig_data();
    void corsBadConfig();
};

void TestServerHardening::burstThenRefuse()
{
    RateLimiter rl(2, 5);
    const auto t0 = Clock::time_point(1000s);
    for (int i = 0; i < 5; ++i)
        QVERIFY(rl.take("key", t0).allowed);
    const auto d = rl.take("key", t0);
    QVERIFY(!d.allowed);
    QCOMPARE(d.retry_after, std::int64_t(1)); // 1 token at 2/s: 0.5 s, rounded up
    QVERIFY(!rl.take("key", t0 + 100ms).allowed);
}

void TestServerHardening::refillOverTime()
{
    RateLimiter rl(10, 10);
    const auto t0 = Clock::time_point(50s);
    for (int i = 0; i < 10; ++i)
        QVERIFY(rl.take("k", t0));
    QVERIFY(!rl.take("k", t0));
    // 0.5 s later: 5 tokens back, not 6.
    const auto t1 = t0 + 500ms;
    for (int i = 0; i < 5; ++i)
        QVERIFY2(rl.take("k", t1), qPrintable(QString::number(i)));
    QVERIFY(!rl.take("k", t1));
    // Never more than the burst, however long it rested.
    const auto t2 = t1 + 1h;
    int allowed = 0;
    while (rl.take("k", t2))
        ++allowed;
    QCOMPARE(allowed, 10);
    // Time going backwards (another thread's older time point) gives nothing back.
    QVERIFY(!rl.take("k", t1));
    // Costs: 3 at a time out of a refilled bucket.
    const auto t3 = t2 + 1s;
    QVERIFY(rl.take("k", t3, 3));
    QVERIFY(rl.take("k", t3, 3));
    QVERIFY(rl.take("k", t3, 3));
    QVERIFY(!rl.take("k", t3, 3));
    QVERIFY(rl.take("k", t3, 1));
}

void TestServerHardening::retryAfter_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("burst");
    QTest::addColumn<double>("cost");
    QTest::addColumn<int>("waitMs"); // after draining
    QTest::addColumn<qint64>("expected");
    QTest::newRow("0.1/s, just drained") << 0.1 << 1.0 << 1.0 << 0 << qint64(10);
    QTest::newRow("0.1/s, 4 s later") << 0.1 << 1.0 << 1.0 << 4000 << qint64(6);
    QTest::newRow("0.1/s, 9.5 s later") << 0.1 << 1.0 << 1.0 << 9500 << qint64(1);
    QTest::newRow("1/s, cost 3") << 1.0 << 5.0 << 3.0 << 0 << qint64(3);
    QTest::newRow("1/s, cost 3, 1.5 s later") << 1.0 << 5.0 << 3.0 << 1500 << qint64(2);
    QTest::newRow("100/s: at least 1 s") << 100.0 << 10.0 << 1.0 << 0 << qint64(1);
    QTest::newRow("cost above burst: a full refill") << 0.5 << 2.0 << 5.0 << 0 << qint64(4);
}

void TestServerHardening::retryAfter()
{
    QFETCH(double, rate);
    QFETCH(double, burst);
    QFETCH(double, cost);
    QFETCH(int, waitMs);
    QFETCH(qint64, expected);
    RateLimiter rl(rate, burst);
    const auto t0 = Clock::time_point(10s);
    while (rl.take("k", t0)) { }
    const auto d = rl.take("k", t0 + std::chrono::milliseconds(waitMs), cost);
    QVERIFY(!d.allowed);
    QCOMPARE(d.retry_after, expected);
    if (cost <= burst) {
        // Waiting exactly as long as told is enough.
        QVERIFY(rl.take("k", t0 + std::chrono::milliseconds(waitMs) + std::chrono::seconds(d.retry_after), cost));
    }
}

void TestServerHardening::independentKeys()
{
    RateLimiter rl(1, 2);
    const auto t0 = Clock::time_point(5s);
    QVERIFY(rl.take("alice", t0));
    QVERIFY(rl.take("alice", t0));
    QVERIFY(!rl.take("alice", t0));
    QVERIFY(rl.take("bob", t0));
    QVERIFY(rl.take("bob", t0));
    QVERIFY(!rl.take("bob", t0));
    QVERIFY(rl.take("10.0.0.7", t0));
    QCOMPARE(rl.size(), std::size_t(3));
}

void TestServerHardening::unlimitedAndInvalid()
{
    RateLimiter off(0, 0);
    QVERIFY(off.unlimited());
    for (int i = 0; i < 10000; ++i)
        QVERIFY(off.take("k", Clock::time_point(1s)));
    QCOMPARE(off.size(), std::size_t(0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RateLimiter(-1, 5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RateLimiter(1, -5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RateLimiter(std::nan(""), 5));
    // A burst below one request still lets one through.
    RateLimiter tiny(1, 0.2);
    QVERIFY(tiny.take("k", Clock::time_point(1s)));
    QVERIFY(!tiny.take("k", Clock::time_point(1s)));
}

void TestServerHardening::concurrentSameKey()
{
    constexpr double rate = 2000, burst = 100;
    RateLimiter rl(rate, burst);
    std::atomic<long> allowed { 0 };
    std::atomic<long> refused { 0 };
    const auto start = Clock::now();
    const auto until = start + 400ms;
    std::vector<std::thread> threads;
    threads.reserve(8);
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            long a = 0, r = 0;
            while (Clock::now() < until) {
                if (rl.take("shared", Clock::now()))
                    ++a;
                else
                    ++r;
                (void)rl.take("own-" + std::to_string(a % 3), Clock::now()); // other keys meanwhile
            }
            allowed += a;
            refused += r;
        });
    for (auto &t : threads)
        t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const double bound = burst + rate * elapsed;
    qInfo("8 threads, %.3f s: %ld allowed (bound %.0f), %ld refused", elapsed, allowed.load(), bound, refused.load());
    QVERIFY2(static_cast<double>(allowed.load()) <= bound + 1e-6, qPrintable(QString::number(allowed.load())));
    QVERIFY(refused.load() > 0);
    // The limiter did not starve either: most of what the rate allows got through.
    QVERIFY(static_cast<double>(allowed.load()) >= 0.5 * rate * 0.4);
}

void TestServerHardening::evictionBoundsMemory()
{
    constexpr std::size_t maxKeys = 1024;
    RateLimiter rl(1, 10, maxKeys);
    const auto t0 = Clock::time_point(100s);
    // 100,000 distinct clients at the same instant: every bucket is still refilling.
    for (int i = 0; i < 100000; ++i) {
        rl.take("client-" + std::to_string(i), t0);
        QVERIFY(rl.size() <= maxKeys);
    }
    QVERIFY(rl.size() >= maxKeys / 2);
    // Buckets that have refilled completely (10 s at 1/s) are dropped as new keys arrive.
    const auto t1 = t0 + 11s;
    for (int i = 0; i < 16 * 4; ++i)
        rl.take("later-" + std::to_string(i), t1);
    QVERIFY2(rl.size() <= 16 * 4 + 16, qPrintable(QString::number(rl.size())));
    // A bucket in use is not evicted by sweeping: it keeps its debt.
    RateLimiter busy(1, 2, maxKeys);
    QVERIFY(busy.take("hot", t0));
    QVERIFY(busy.take("hot", t0));
    for (int i = 0; i < 50; ++i)
        busy.take("x" + std::to_string(i), t0 + 1500ms);
    QVERIFY(!busy.take("hot", t0 + 1500ms, 2)); // only 1.5 tokens back
}

void TestServerHardening::exactText()
{
    prom::Registry r;
    // Registered out of order: families come out sorted by name.
    r.histogram("agentops_http_request_duration_seconds", "Time to answer a request.", { 0.5, 1, 2 },
         { { "route", "/v1/traces" } })
        .observe(0.25);
    auto &h = r.histogram("agentops_http_request_duration_seconds", "Time to answer a request.", { 0.5, 1, 2 },
        { { "route", "/v1/traces" } });
    h.observe(0.5); // on the bound: counts in le="0.5"
    h.observe(0.75);
    h.observe(4);
    r.counter("agentops_spans_rejected_total", "Spans refused, by reason.", { { "reason", "bad \"id\" \\ x\nline" } })
        .inc(2);
    r.counter("agentops_spans_rejected_total", "Spans refused, by reason.", { { "reason", "empty_name" } }).inc();
    r.counter("agentops_spans_ingested_total", "Spans stored.\nSecond line with a \\ backslash.").inc(41);
    r.counter("agentops_spans_ingested_total", "Spans stored.\nSecond line with a \\ backslash.").inc();
    int depth = 7;
    r.gaugeCallback("agentops_ingest_queue_spans", "Spans waiting for the writer.", [&] { return double(depth); });
    r.gaugeCallback("agentops_database_bytes", "Size of each project's database file.", [] {
        return std::vector<prom::Registry::Sample> { { { { "project", "b" } }, 2048 },
            { { { "project", "a" } }, 1024 } };
    });
    r.gauge("agentops_build_info", "Version of the server.", { { "version", "1.2.0" }, { "commit", "abc" } }).set(1);

    const std::string expected
        = "# HELP agentops_build_info Version of the server.\n"
          "# TYPE agentops_build_info gauge\n"
          "agentops_build_info{commit=\"abc\",version=\"1.2.0\"} 1\n"
          "# HELP agentops_database_bytes Size of each project's database file.\n"
          "# TYPE agentops_database_bytes gauge\n"
          "agentops_database_bytes{project=\"a\"} 1024\n"
          "agentops_database_bytes{project=\"b\"} 2048\n"
          "# HELP agentops_http_request_duration_seconds Time to answer a request.\n"
          "# TYPE agentops_http_request_duration_seconds histogram\n"
          "agentops_http_request_duration_seconds_bucket{route=\"/v1/traces\",le=\"0.5\"} 2\n"
          "agentops_http_request_duration_seconds_bucket{route=\"/v1/traces\",le=\"1\"} 3\n"
          "agentops_http_request_duration_seconds_bucket{route=\"/v1/traces\",le=\"2\"} 3\n"
          "agentops_http_request_duration_seconds_bucket{route=\"/v1/traces\",le=\"+Inf\"} 4\n"
          "agentops_http_request_duration_seconds_sum{route=\"/v1/traces\"} 5.5\n"
          "agentops_http_request_duration_seconds_count{route=\"/v1/traces\"} 4\n"
          "# HELP agentops_ingest_queue_spans Spans waiting for the writer.\n"
          "# TYPE agentops_ingest_queue_spans gauge\n"
          "agentops_ingest_queue_spans 7\n"
          "# HELP agentops_spans_ingested_total Spans stored.\\nSecond line with a \\\\ backslash.\n"
          "# TYPE agentops_spans_ingested_total counter\n"
          "agentops_spans_ingested_total 42\n"
          "# HELP agentops_spans_rejected_total Spans refused, by reason.\n"
          "# TYPE agentops_spans_rejected_total counter\n"
          "agentops_spans_rejected_total{reason=\"bad \\\"id\\\" \\\\ x\\nline\"} 2\n"
          "agentops_spans_rejected_total{reason=\"empty_name\"} 1\n";
    const std::string text = r.render();
    QCOMPARE(QString::fromStdString(text), QString::fromStdString(expected));
    // The callback is read at scrape time.
    depth = 12;
    QVERIFY(r.render().find("agentops_ingest_queue_spans 12\n") != std::string::npos);
    // A callback that fails leaves its family without samples; the rest is still written.
    r.gaugeCallback("agentops_failing", "Fails.", []() -> double { throw std::runtime_error("no"); });
    const std::string withFailing = r.render();
    QVERIFY(withFailing.find("# TYPE agentops_failing gauge\n# HELP agentops_http") != std::string::npos);
    QVERIFY(withFailing.find("agentops_spans_ingested_total 42\n") != std::string::npos);
}

void TestServerHardening::concurrentIncrements()
{
    prom::Registry r;
    auto &c = r.counter("hits_total", "Hits.");
    auto &h = r.histogram("latency_seconds", "Latency.", { 0.01, 0.1 });
    auto &g = r.gauge("inflight", "In flight.");
    constexpr int threads = 8, perThread = 100000;
    std::atomic<bool> scraping { true };
    std::thread scraper([&] {
        while (scraping.load())
            (void)r.render(); // scrapes race the increments
    });
    std::vector<std::thread> ts;
    ts.reserve(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t)
        ts.emplace_back([&, t] {
            for (int i = 0; i < perThread; ++i) {
                c.inc();
                h.observe(i % 2 ? 0.0625 : 0.5); // exact in binary, so the sum is exact
                g.add(1);
                g.add(-1);
                if (i % 1000 == 0) // looked up again by name: the same series
                    r.counter("by_thread_total", "Per thread.", { { "thread", std::to_string(t % 2) } }).inc(1000);
            }
        });
    for (auto &t : ts)
        t.join();
    scraping = false;
    scraper.join();
    QCOMPARE(c.value(), double(threads) * perThread);
    const auto counts = h.cumulativeCounts();
    QCOMPARE(counts.size(), std::size_t(3));
    QCOMPARE(counts[0], std::uint64_t(0));
    QCOMPARE(counts[1], std::uint64_t(threads * perThread / 2));
    QCOMPARE(counts[2], std::uint64_t(threads * perThread));
    const double half = double(threads) * perThread / 2; // observations of each value
    QCOMPARE(h.sum(), half * 0.0625 + half * 0.5);
    QCOMPARE(g.value(), 0.0);
    const std::string text = r.render();
    QVERIFY(text.find("hits_total 800000\n") != std::string::npos);
    QVERIFY(text.find("by_thread_total{thread=\"0\"} 400000\n") != std::string::npos);
    QVERIFY(text.find("by_thread_total{thread=\"1\"} 400000\n") != std::string::npos);
}

void TestServerHardening::registryRefusesBadInput()
{
    prom::Registry r;
    r.counter("ok_total", "Fine.");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter("1bad", "Starts with a digit."));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter("bad-name", "Dash."));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter("", "Empty."));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.gauge("ok_total", "Fine."));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter("ok_total", "Other help."));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter("x_total", "Bad label.", { { "bad-label", "v" } }));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter("x_total", "Reserved.", { { "__name", "v" } }));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter("x_total", "Twice.", { { "a", "1" }, { "a", "2" } }));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.histogram("h", "Le label.", { 1 }, { { "le", "1" } }));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.histogram("h2", "Unsorted.", { 1, 0.5 }));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.histogram("h3", "Inf.", { 1, INFINITY }));
    r.histogram("h4", "Fine.", { 1, 2 });
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.histogram("h4", "Fine.", { 1, 3 }));
    r.gaugeCallback("cb", "Callback.", [] { return 1.0; });
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.gauge("cb", "Callback."));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.gaugeCallback("cb", "Callback.", [] { return 2.0; }));
    // Label order does not make another series.
    r.counter("pair_total", "Pairs.", { { "a", "1" }, { "b", "2" } }).inc();
    r.counter("pair_total", "Pairs.", { { "b", "2" }, { "a", "1" } }).inc();
    QVERIFY(r.render().find("pair_total{a=\"1\",b=\"2\"} 2\n") != std::string::npos);
    // Counters never go down.
    auto &c = r.counter("frac_total", "Fractions.");
    c.add(0.25);
    c.add(-5);
    c.inc(2);
    QCOMPARE(c.value(), 2.25);
}

void TestServerHardening::formatValues()
{
    QCOMPARE(prom::formatValue(0), std::string("0"));
    QCOMPARE(prom::formatValue(42), std::string("42"));
    QCOMPARE(prom::formatValue(800000), std::string("800000"));
    QCOMPARE(prom::formatValue(-3), std::string("-3"));
    QCOMPARE(prom::formatValue(1e300), std::string("1e+300"));
    QCOMPARE(prom::formatValue(0.1), std::string("0.1"));
    QCOMPARE(prom::formatValue(-2.5), std::string("-2.5"));
    QCOMPARE(prom::formatValue(INFINITY), std::string("+Inf"));
    QCOMPARE(prom::formatValue(-INFINITY), std::string("-Inf"));
    QCOMPARE(prom::formatValue(std::nan("")), std::string("NaN"));
    QCOMPARE(std::stod(prom::formatValue(1.0 / 3)), 1.0 / 3); // round-trips
    QCOMPARE(prom::escapeLabelValue("a\\b\"c\nd"), std::string("a\\\\b\\\"c\\nd"));
}

void TestServerHardening::corsOff()
{
    CorsPolicy off;
    QVERIFY(!off.enabled());
    QVERIFY(off.forRequest("https://app.example.com").empty());
    const auto p = off.preflight("https://app.example.com", "POST", "content-type");
    QVERIFY(!p.allowed);
    QVERIFY(p.headers.empty());
    QVERIFY(!p.reason.empty());
    CorsPolicy empty(CorsPolicy::Options {});
    QVERIFY(!empty.enabled());
    QVERIFY(empty.forRequest("https://app.example.com").empty());
    QVERIFY(empty.preflight("https://app.example.com", "GET", "").headers.empty());
}

void TestServerHardening::corsOrigins_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("exact") << QStringLiteral("https://app.example.com") << true;
    QTest::newRow("host case") << QStringLiteral("https://App.Example.COM") << true;
    QTest::newRow("scheme case") << QStringLiteral("HTTPS://app.example.com") << true;
    QTest::newRow("default port written") << QStringLiteral("https://app.example.com:443") << true;
    QTest::newRow("other port") << QStringLiteral("https://app.example.com:8443") << false;
    QTest::newRow("other scheme") << QStringLiteral("http://app.example.com") << false;
    QTest::newRow("suffix attack") << QStringLiteral("https://app.example.com.evil.io") << false;
    QTest::newRow("prefix attack") << QStringLiteral("https://evilapp.example.com") << false;
    QTest::newRow("subdomain") << QStringLiteral("https://x.app.example.com") << false;
    QTest::newRow("with path") << QStringLiteral("https://app.example.com/") << false;
    QTest::newRow("dev port") << QStringLiteral("http://localhost:5173") << true;
    QTest::newRow("dev other port") << QStringLiteral("http://localhost:5174") << false;
    QTest::newRow("dev no port") << QStringLiteral("http://localhost") << false;
    QTest::newRow("configured with default port") << QStringLiteral("http://intranet") << true;
    QTest::newRow("ipv6") << QStringLiteral("http://[::1]:8080") << true;
    QTest::newRow("null") << QStringLiteral("null") << false;
    QTest::newRow("garbage") << QStringLiteral("https://") << false;
    QTest::newRow("user info") << QStringLiteral("https://me@app.example.com") << false;
}

void TestServerHardening::corsOrigins()
{
    QFETCH(QString, origin);
    QFETCH(bool, allowed);
    CorsPolicy::Options o;
    o.origins = { "https://APP.example.com", "http://localhost:5173", "http://intranet:80/", "http://[::1]:8080" };
    o.allow_credentials = true;
    CorsPolicy cors(o);
    const std::string org = origin.toStdString();
    QCOMPARE(cors.allows(org), allowed);
    const auto h = cors.forRequest(org);
    QCOMPARE(header(h, "Vary"), std::string("Origin"));
    if (allowed) {
        QCOMPARE(header(h, "Access-Control-Allow-Origin"), org); // echoed as sent
        QCOMPARE(header(h, "Access-Control-Allow-Credentials"), std::string("true"));
        QCOMPARE(header(h, "Access-Control-Expose-Headers"), std::string("X-Request-Id, Retry-After"));
    } else {
        QVERIFY(!hasCorsHeader(h));
    }
    const auto p = cors.preflight(org, "POST", "Content-Type");
    QCOMPARE(p.allowed, allowed);
    if (!allowed) {
        QVERIFY(!hasCorsHeader(p.headers));
        QVERIFY2(p.reason.find(org) != std::string::npos, p.reason.c_str());
    }
}

void TestServerHardening::corsRequestHeaders()
{
    CorsPolicy::Options o;
    o.origins = { "https://app.example.com" };
    CorsPolicy cors(o);
    const auto h = cors.forRequest("https://app.example.com");
    QCOMPARE(header(h, "Access-Control-Allow-Origin"), std::string("https://app.example.com"));
    QCOMPARE(header(h, "Access-Control-Allow-Credentials"), std::string("<absent>")); // not configured
    QVERIFY(cors.forRequest("").empty()); // same-origin or non-browser request: nothing to add
}

void TestServerHardening::corsWildcard()
{
    CorsPolicy::Options o;
    o.origins = { "*" };
    o.allow_credentials = true;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CorsPolicy { o });
    o.origins = { "https://app.example.com", "*" };
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CorsPolicy { o });
    o.allow_credentials = false;
    CorsPolicy any(o);
    QVERIFY(any.allows("https://anything.example"));
    const auto h = any.forRequest("https://anything.example");
    QCOMPARE(header(h, "Access-Control-Allow-Origin"), std::string("*")); // never the echoed origin
    QCOMPARE(header(h, "Access-Control-Allow-Credentials"), std::string("<absent>"));
    const auto p = any.preflight("https://anything.example", "GET", "authorization");
    QVERIFY(p.allowed);
    QCOMPARE(header(p.headers, "Access-Control-Allow-Origin"), std::string("*"));
    QCOMPARE(header(p.headers, "Access-Control-Allow-Credentials"), std::string("<absent>"));
}

void TestServerHardening::corsPreflight()
{
    QVERIFY(CorsPolicy::isPreflight("OPTIONS", "https://a.example", "POST"));
    QVERIFY(!CorsPolicy::isPreflight("OPTIONS", "https://a.example", ""));
    QVERIFY(!CorsPolicy::isPreflight("OPTIONS", "", "POST"));
    QVERIFY(!CorsPolicy::isPreflight("POST", "https://a.example", "POST"));

    CorsPolicy::Options o;
    o.origins = { "https://app.example.com" };
    o.allow_credentials = true;
    o.max_age_seconds = 3600;
    o.extra_headers = { "X-Trace-Tag" };
    CorsPolicy cors(o);
    auto p = cors.preflight("https://app.example.com", "POST", "content-type, X-API-Key,Content-Encoding");
    QVERIFY2(p.allowed, p.reason.c_str());
    QCOMPARE(header(p.headers, "Access-Control-Allow-Origin"), std::string("https://app.example.com"));
    QCOMPARE(header(p.headers, "Access-Control-Allow-Credentials"), std::string("true"));
    QCOMPARE(header(p.headers, "Access-Control-Allow-Methods"), std::string("GET, POST, PUT, PATCH, DELETE"));
    QCOMPARE(header(p.headers, "Access-Control-Allow-Headers"),
        std::string("Authorization, Content-Type, Content-Encoding, x-api-key"));
    QCOMPARE(header(p.headers, "Access-Control-Max-Age"), std::string("3600"));
    QCOMPARE(header(p.headers, "Vary"),
        std::string("Origin, Access-Control-Request-Method, Access-Control-Request-Headers"));
    // What was asked and is allowed is named too.
    p = cors.preflight("https://app.example.com", "delete", "X-Trace-Tag, accept");
    QVERIFY2(p.allowed, p.reason.c_str());
    QCOMPARE(header(p.headers, "Access-Control-Allow-Headers"),
        std::string("Authorization, Content-Type, Content-Encoding, x-api-key, x-trace-tag, accept"));
    // Refusals name what is wrong and carry no CORS grant.
    p = cors.preflight("https://app.example.com", "TRACE", "");
    QVERIFY(!p.allowed);
    QVERIFY2(p.reason.find("method TRACE") != std::string::npos, p.reason.c_str());
    QVERIFY(!hasCorsHeader(p.headers));
    p = cors.preflight("https://app.example.com", "POST", "content-type, X-Evil");
    QVERIFY(!p.allowed);
    QVERIFY2(p.reason.find("X-Evil") != std::string::npos, p.reason.c_str());
    QVERIFY(!hasCorsHeader(p.headers));
    p = cors.preflight("https://other.example.com", "GET", "");
    QVERIFY(!p.allowed);
    QVERIFY(!hasCorsHeader(p.headers));
}

void TestServerHardening::corsBadConfig_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addColumn<QString>("message");
    QTest::newRow("no scheme") << QStringLiteral("app.example.com") << QStringLiteral("scheme://host");
    QTest::newRow("ftp") << QStringLiteral("ftp://app.example.com") << QStringLiteral("http or https");
    QTest::newRow("path") << QStringLiteral("https://app.example.com/app") << QStringLiteral("path");
    QTest::newRow("port range") << QStringLiteral("https://app.example.com:99999") << QStringLiteral("port");
    QTest::newRow("empty port") << QStringLiteral("https://app.example.com:") << QStringLiteral("port");
    QTest::newRow("no host") << QStringLiteral("https://:443") << QStringLiteral("no host");
}

void TestServerHardening::corsBadConfig()
{
    QFETCH(QString, origin);
    QFETCH(QString, message);
    CorsPolicy::Options o;
    o.origins = { "https://fine.example.com", origin.toStdString() };
    try {
        CorsPolicy cors(o);
        QFAIL("accepted a bad origin");
    } catch (const std::invalid_argument &e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(what.contains(origin), e.what());
        QVERIFY2(what.contains(message), e.what());
    }
}

QTEST_GUILESS_MAIN(TestServerHardening)
#include "tst_serverhardening.moc"

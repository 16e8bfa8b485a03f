// SPDX-License-Identifier: MIT
// Alert rules evaluated on the rollups of real captured framework traces (tests/fixtures/frameworks),
// compared with what the producers reported; the "for" hysteresis; rules and events in a real
// SQLite file; the rule JSON's refusals; the webhook signature against a published HMAC vector.
#include "alerts/alertjson.h"
#include "alerts/evaluator.h"
#include "support/common.h"
#include "support/fixturestore.h"

#include <sqlite3.h>

#include <QtTest>

#include <algorithm>

using namespace agentops;

namespace {

using agentops::test::kSecond;
constexpr std::int64_t kMinute = 60 * kSecond;

std::int64_t nanosOf(const nlohmann::json &v)
{
    return std::stoll(v.get<std::string>());
}

core::AlertRule rule(const std::string &name, core::AlertKind kind, double threshold, std::int64_t windowMinutes,
    core::AlertScope scope = core::AlertScope::All, std::string scopeValue = {})
{
    core::AlertRule r;
    r.name = name;
    r.kind = kind;
    r.threshold = threshold;
    r.window_s = windowMinutes * 60;
    r.scope = scope;
    r.scope_value = std::move(scopeValue);
    return r;
}

/// The last end time of a scenario's runs, as the producer reported them.
std::int64_t lastEnd(const nlohmann::json &expected)
{
    std::int64_t end = 0;
    for (const auto &run : expected["runs"])
        end = std::max(end, nanosOf(run["end_time_unix_nano"]));
    return end;
}

/// Every stored span of a scenario's runs, read trace by trace (not from the rollups).
std::vector<core::Span> storedSpans(test::FixtureStore &f, const nlohmann::json &expected)
{
    std::vector<core::Span> spans;
    for (const auto &run : expected["runs"]) {
        core::TraceId id {};
        if (!core::fromHex(run["trace_id"].get<std::string>(), id))
            throw std::runtime_error("bad trace id in the fixture");
        const auto detail = f.store().trace(id);
        if (!detail)
            throw std::runtime_error("a run's trace is not stored");
        spans.insert(spans.end(), detail->spans.begin(), detail->spans.end());
    }
    return spans;
}

std::string modelOf(const core::Span &s)
{
    return s.response_model.empty() ? s.request_model : s.response_model;
}

} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorRateFiresAndResolvesOnCapturedAdkRuns();
    void errorRateOfEveryScenario_data();
    void errorRateOfEveryScenario();
    void scopes();
    void agentScopeCountsTheAgentsSpans();
    void costPerHourAndPerDay();
    void p95LatencyOfTheRuns();
    void noTrafficForAQuietAgent();
    void forDurationStopsFlapping();
    void rulesAndEventsPersist();
    void migratesAnOldDatabase();
    void refusesBadRules_data();
    void refusesBadRules();
    void webhookSignatureIsHmacSha256();
};

void TestAlerts::errorRateFiresAndResolvesOnCapturedAdkRuns()
{
    test::FixtureStore f;
    f.ingest("adk-js");
    const auto expected = test::FixtureStore::expected("adk-js");
    std::int64_t spans = 0, errors = 0;
    for (const auto &run : expected["runs"]) {
        spans += run["span_count"].get<std::int64_t>();
        errors += static_cast<std::int64_t>(run["error_spans"].size());
    }
    QCOMPARE(spans, 10);
    QCOMPARE(errors, 1); // the failed get_weather call
    const double rate = 100.0 * static_cast<double>(errors) / static_cast<double>(spans);

    auto stored = f.store().addAlertRule(rule("adk errors", core::AlertKind::ErrorRate, 5, 60));
    const std::int64_t now = lastEnd(expected) + 10 * kSecond;
    const auto fired = alerts::evaluateStore(f.store(), now);
    QCOMPARE(fired.size(), 1u);
    QVERIFY(fired[0].firing);
    QCOMPARE(fired[0].rule_name, std::string("adk errors"));
    QVERIFY(fired[0].value);
    QCOMPARE(*fired[0].value, rate);
    QVERIFY(fired[0].id > 0);
    auto rules = f.store().alertRules();
    QCOMPARE(rules.size(), 1u);
    QCOMPARE(rules[0].state.status, core::AlertStatus::Firing);
    QCOMPARE(rules[0].state.since_ns, now);
    QCOMPARE(rules[0].state.fired_value, rate);

    // Still above: no new event.
    QVERIFY(alerts::evaluateStore(f.store(), now + kMinute).empty());
    // An hour and more later the window holds no spans: no error rate, the alert resolves.
    const std::int64_t later = now + 61 * kMinute;
    const auto resolved = alerts::evaluateStore(f.store(), later);
    QCOMPARE(resolved.size(), 1u);
    QVERIFY(!resolved[0].firing);
    QVERIFY(!resolved[0].value);
    QCOMPARE(resolved[0].since_ns, now);
    rules = f.store().alertRules();
    QCOMPARE(rules[0].state.status, core::AlertStatus::Ok);
    QVERIFY(!rules[0].state.value);

    const auto events = f.store().alertEvents(10);
    QCOMPARE(events.size(), 2u);
    QVERIFY(!events[0].firing); // newest first
    QVERIFY(events[1].firing);
    QCOMPARE(*events[1].value, rate);
    Q_UNUSED(stored);
}

void TestAlerts::errorRateOfEveryScenario_data()
{
    QTest::addColumn<QString>("scenario");
    for (const char *s : { "adk-js", "vercel-ai", "vercel-ai-openinference", "openai-openinference" })
        QTest::newRow(s) << QString::fromLatin1(s);
}

void TestAlerts::errorRateOfEveryScenario()
{
    QFETCH(QString, scenario);
    test::FixtureStore f;
    f.ingest(scenario.toStdString());
    const auto expected = test::FixtureStore::expected(scenario.toStdString());
    std::int64_t spans = 0, errors = 0;
    for (const auto &run : expected["runs"]) {
        spans += run["span_count"].get<std::int64_t>();
        errors += static_cast<std::int64_t>(run["error_spans"].size());
    }
    const auto r = rule("errors", core::AlertKind::ErrorRate, 0, 60);
    const auto m = alerts::measure(f.store(), r, lastEnd(expected));
    QVERIFY(m.value);
    QCOMPARE(*m.value, 100.0 * static_cast<double>(errors) / static_cast<double>(spans));
    QCOMPARE(m.breached, errors > 0);
}

void TestAlerts::scopes()
{
    test::FixtureStore f;
    f.ingest("adk-js");
    f.ingest("vercel-ai");
    const auto adk = test::FixtureStore::expected("adk-js");
    const auto vercel = test::FixtureStore::expected("vercel-ai");
    const std::int64_t now = std::max(lastEnd(adk), lastEnd(vercel));
    auto rateOf = [](const nlohmann::json &e) {
        std::int64_t spans = 0, errors = 0;
        for (const auto &run : e["runs"]) {
            spans += run["span_count"].get<std::int64_t>();
            errors += static_cast<std::int64_t>(run["error_spans"].size());
        }
        return 100.0 * static_cast<double>(errors) / static_cast<double>(spans);
    };
    // Both services together: 2 errors in 18 spans.
    auto all = alerts::measure(f.store(), rule("a", core::AlertKind::ErrorRate, 50, 60), now);
    QCOMPARE(*all.value, 100.0 * 2 / 18);
    QVERIFY(!all.breached);
    // Per service: each producer's own rate.
    auto adkOnly = alerts::measure(
        f.store(), rule("s", core::AlertKind::ErrorRate, 5, 60, core::AlertScope::Service, adk["service_name"]), now);
    QCOMPARE(*adkOnly.value, rateOf(adk));
    QVERIFY(adkOnly.breached);
    auto vercelOnly = alerts::measure(f.store(),
        rule("s", core::AlertKind::ErrorRate, 5, 60, core::AlertScope::Service, vercel["service_name"]), now);
    QCOMPARE(*vercelOnly.value, rateOf(vercel));
    // A service that sent nothing has no error rate, and does not fire.
    auto none = alerts::measure(
        f.store(), rule("s", core::AlertKind::ErrorRate, 0, 60, core::AlertScope::Service, "no-such-service"), now);
    QVERIFY(!none.value);
    QVERIFY(!none.breached);
    // Per model: the spans that name the producer's model (its model calls among them), none of
    // which failed.
    for (const auto *e : { &adk, &vercel }) {
        const std::string model = (*e)["runs"][0]["models"][0];
        std::int64_t calls = 0;
        for (const auto &run : (*e)["runs"])
            calls += static_cast<std::int64_t>(run["llm_calls"].size());
        const auto spans = storedSpans(f, *e);
        const auto named
            = std::count_if(spans.begin(), spans.end(), [&](const core::Span &s) { return modelOf(s) == model; });
        QVERIFY(named >= calls);
        auto m = alerts::measure(
            f.store(), rule("m", core::AlertKind::NoTraffic, 1000, 60, core::AlertScope::Model, model), now);
        QCOMPARE(*m.value, static_cast<double>(named));
        auto rate = alerts::measure(
            f.store(), rule("m", core::AlertKind::ErrorRate, 0, 60, core::AlertScope::Model, model), now);
        QCOMPARE(*rate.value, 0.0);
    }
}

void TestAlerts::agentScopeCountsTheAgentsSpans()
{
    test::FixtureStore f;
    f.ingest("adk-js");
    const auto expected = test::FixtureStore::expected("adk-js");
    // What the stored spans say, read span by span: the spans that name the agent, and their errors.
    std::int64_t spans = 0, errors = 0, allErrors = 0;
    for (const auto &s : storedSpans(f, expected)) {
        allErrors += s.status == core::StatusCode::Error;
        if (s.agent_name == "weather_agent") {
            ++spans;
            errors += s.status == core::StatusCode::Error;
        }
    }
    QVERIFY(spans > 0);
    QCOMPARE(allErrors, 1); // the failed get_weather call, as the producer reported
    const std::int64_t now = lastEnd(expected);
    auto traffic = alerts::measure(
        f.store(), rule("a", core::AlertKind::NoTraffic, 0, 60, core::AlertScope::Agent, "weather_agent"), now);
    QCOMPARE(*traffic.value, static_cast<double>(spans));
    QVERIFY(!traffic.breached);
    auto rate = alerts::measure(
        f.store(), rule("a", core::AlertKind::ErrorRate, 1, 60, core::AlertScope::Agent, "weather_agent"), now);
    QCOMPARE(*rate.value, 100.0 * static_cast<double>(errors) / static_cast<double>(spans));
    // Both runs contain the agent: its trace latency is the runs' latency.
    auto latency = alerts::measure(
        f.store(), rule("a", core::AlertKind::P95Latency, 1e6, 60, core::AlertScope::Agent, "weather_agent"), now);
    auto allLatency = alerts::measure(f.store(), rule("a", core::AlertKind::P95Latency, 1e6, 60), now);
    QCOMPARE(*latency.value, *allLatency.value);
}

void TestAlerts::costPerHourAndPerDay()
{
    test::FixtureStore f;
    f.ingest("vercel-ai");
    const auto expected = test::FixtureStore::expected("vercel-ai");
    // The cost of the runs as their summaries hold it (priced span by span at ingest).
    store::TraceQuery q;
    const auto page = f.store().listTraces(q);
    QCOMPARE(page.traces.size(), expected["runs"].size());
    double cost = 0;
    for (const auto &t : page.traces)
        cost += t.cost_usd;
    QVERIFY(cost > 0);
    const std::int64_t now = lastEnd(expected);
    // 30 minutes: the spend as a rate per hour is twice the spend.
    auto perHour = alerts::measure(f.store(), rule("c", core::AlertKind::CostPerHour, cost, 30), now);
    QCOMPARE(*perHour.value, cost * 2);
    QVERIFY(perHour.breached);
    auto perDay = alerts::measure(f.store(), rule("c", core::AlertKind::CostPerDay, cost * 48, 30), now);
    QCOMPARE(*perDay.value, cost * 48);
    QVERIFY(!perDay.breached); // at the threshold is not above it
    // Scoped to the model that was priced: the same; to another: nothing spent.
    const std::string model = expected["runs"][0]["models"][0];
    auto byModel = alerts::measure(
        f.store(), rule("c", core::AlertKind::CostPerHour, 0, 60, core::AlertScope::Model, model), now);
    QCOMPARE(*byModel.value, cost);
    auto other = alerts::measure(
        f.store(), rule("c", core::AlertKind::CostPerHour, 0, 60, core::AlertScope::Model, "gpt-none"), now);
    QCOMPARE(*other.value, 0.0);
    QVERIFY(!other.breached);
}

void TestAlerts::p95LatencyOfTheRuns()
{
    test::FixtureStore f;
    f.ingest("openai-openinference");
    const auto expected = test::FixtureStore::expected("openai-openinference");
    std::vector<std::int64_t> durations;
    for (const auto &run : expected["runs"])
        durations.push_back(nanosOf(run["end_time_unix_nano"]) - nanosOf(run["start_time_unix_nano"]));
    QCOMPARE(durations.size(), 2u);
    // Nearest rank of two: the slower run.
    const double p95ms = static_cast<double>(*std::max_element(durations.begin(), durations.end())) / 1e6;
    const std::int64_t now = lastEnd(expected);
    auto m = alerts::measure(f.store(), rule("p", core::AlertKind::P95Latency, 10, 5), now);
    QCOMPARE(*m.value, p95ms);
    QCOMPARE(m.breached, p95ms > 10);
    auto high = alerts::measure(f.store(), rule("p", core::AlertKind::P95Latency, 1000, 5), now);
    QVERIFY(!high.breached);
    // A window without traces: no latency, no alert.
    auto empty = alerts::measure(f.store(), rule("p", core::AlertKind::P95Latency, 0, 5), now + 10 * kMinute);
    QVERIFY(!empty.value);
    QVERIFY(!empty.breached);
}

void TestAlerts::noTrafficForAQuietAgent()
{
    test::FixtureStore f;
    f.ingest("adk-js");
    const auto expected = test::FixtureStore::expected("adk-js");
    const std::int64_t end = lastEnd(expected);
    auto quiet = f.store().addAlertRule(
        rule("weather agent quiet", core::AlertKind::NoTraffic, 0, 5, core::AlertScope::Agent, "weather_agent"));
    // While it runs: traffic, nothing fires.
    QVERIFY(alerts::evaluateStore(f.store(), end).empty());
    // Four minutes later the runs are still in the 5-minute window (whole minutes).
    QVERIFY(alerts::evaluateStore(f.store(), end + 4 * kMinute).empty());
    // Six minutes later: gone quiet.
    const auto fired = alerts::evaluateStore(f.store(), end + 6 * kMinute);
    QCOMPARE(fired.size(), 1u);
    QVERIFY(fired[0].firing);
    QCOMPARE(*fired[0].value, 0.0);
    QCOMPARE(fired[0].rule_id, quiet.id);
    // Traffic again (the same runs, sent once more as new traces by a later clock): resolves.
    std::vector<core::Span> again;
    for (const auto &run : expected["runs"]) {
        core::TraceId id {};
        QVERIFY(core::fromHex(run["trace_id"].get<std::string>(), id));
        const auto detail = f.store().trace(id);
        QVERIFY(detail);
        for (auto s : detail->spans) {
            s.trace_id[0] ^= 0xff;
            s.start_ns += 7 * kMinute;
            s.end_ns += 7 * kMinute;
            again.push_back(s);
        }
    }
    f.store().writeBatch(again);
    const auto resolved = alerts::evaluateStore(f.store(), end + 7 * kMinute);
    QCOMPARE(resolved.size(), 1u);
    QVERIFY(!resolved[0].firing);
    QVERIFY(*resolved[0].value > 0);
}

void TestAlerts::forDurationStopsFlapping()
{
    auto r = rule("flap", core::AlertKind::ErrorRate, 10, 5);
    r.for_s = 120;
    core::AlertState st;
    std::int64_t t = 1'000 * kMinute;
    int events = 0;
    auto at = [&](bool breached) {
        const alerts::Measurement m { breached ? 20.0 : 5.0, breached };
        auto next = alerts::step(r, st, m, t);
        st = next.state;
        events += next.event.has_value();
        t += kMinute;
        return next;
    };
    // A value that crosses the threshold at every evaluation never holds for two minutes.
    for (int i = 0; i < 10; ++i)
        at(i % 2 == 0);
    QCOMPARE(events, 0);
    QVERIFY(st.status != core::AlertStatus::Firing);
    // Held: pending, pending, then firing once after two minutes.
    at(false);
    QCOMPARE(at(true).state.status, core::AlertStatus::Pending);
    QCOMPARE(at(true).state.status, core::AlertStatus::Pending);
    const auto fire = at(true);
    QCOMPARE(fire.state.status, core::AlertStatus::Firing);
    QVERIFY(fire.event && fire.event->firing);
    QCOMPARE(*fire.event->value, 20.0);
    QCOMPARE(events, 1);
    // Flapping while firing does not resolve it.
    for (int i = 0; i < 10; ++i)
        QCOMPARE(at(i % 2 == 0 ? false : true).state.status, core::AlertStatus::Firing);
    QCOMPARE(events, 1);
    // Gone for two minutes: resolved once.
    at(false);
    at(false);
    const auto resolve = at(false);
    QCOMPARE(resolve.state.status, core::AlertStatus::Ok);
    QVERIFY(resolve.event && !resolve.event->firing);
    QCOMPARE(events, 2);
    // Without a "for" duration every change notifies.
    r.for_s = 0;
    st = {};
    events = 0;
    for (int i = 0; i < 4; ++i)
        at(i % 2 == 0);
    QCOMPARE(events, 4);
}

void TestAlerts::rulesAndEventsPersist()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("a.db")).toStdString();
    std::int64_t id = 0;
    {
        store::SqliteStore s(path);
        auto r = rule("cost", core::AlertKind::CostPerDay, 12.5, 60, core::AlertScope::Service, "checkout");
        r.for_s = 300;
        r.webhook_url = "https://hooks.example.com/agentops";
        r.webhook_secret = "0123456789abcdef0123";
        r.created_ns = 42;
        id = s.addAlertRule(r).id;
        QVERIFY(id > 0);
        // Names are unique.
        try {
            s.addAlertRule(r);
            QFAIL("a second rule of the same name was stored");
        } catch (const store::QueryError &e) {
            QVERIFY2(std::string(e.what()).find("name") == 0, e.what());
        }
        core::AlertState st;
        st.status = core::AlertStatus::Firing;
        st.since_ns = 1000;
        st.fired_value = 30;
        st.value = 31;
        st.evaluated_ns = 2000;
        std::vector<core::AlertEvent> events(1);
        events[0].rule_id = id;
        events[0].rule_name = "cost";
        events[0].kind = core::AlertKind::CostPerDay;
        events[0].at_ns = 1000;
        events[0].value = 30;
        s.recordAlertEvaluation({ { id, st } }, events);
        QVERIFY(events[0].id > 0);
    }
    store::SqliteStore s(path);
    auto rules = s.alertRules();
    QCOMPARE(rules.size(), 1u);
    const auto &r = rules[0];
    QCOMPARE(r.id, id);
    QCOMPARE(r.name, std::string("cost"));
    QCOMPARE(r.kind, core::AlertKind::CostPerDay);
    QCOMPARE(r.threshold, 12.5);
    QCOMPARE(r.window_s, 3600);
    QCOMPARE(r.for_s, 300);
    QCOMPARE(r.scope, core::AlertScope::Service);
    QCOMPARE(r.scope_value, std::string("checkout"));
    QCOMPARE(r.webhook_secret, std::string("0123456789abcdef0123"));
    QCOMPARE(r.created_ns, 42);
    QCOMPARE(r.state.status, core::AlertStatus::Firing);
    QCOMPARE(r.state.fired_value, 30.0);
    QCOMPARE(*r.state.value, 31.0);
    QCOMPARE(s.alertEvents(5).size(), 1u);

    // An edit keeps the secret when the URL stays, and starts the state over.
    auto edited = r;
    edited.threshold = 20;
    edited.webhook_secret.clear();
    QVERIFY(s.updateAlertRule(edited));
    rules = s.alertRules();
    QCOMPARE(rules[0].threshold, 20.0);
    QCOMPARE(rules[0].webhook_secret, std::string("0123456789abcdef0123"));
    QCOMPARE(rules[0].state.status, core::AlertStatus::Ok);
    edited.id = 999;
    QVERIFY(!s.updateAlertRule(edited));
    // A bad rule is refused by the store too.
    edited.id = id;
    edited.window_s = 0;
    QVERIFY_THROWS_EXCEPTION(store::QueryError, s.updateAlertRule(edited));

    // Events are bounded.
    std::vector<core::AlertEvent> many(store::TraceStore::kMaxAlertEvents + 10);
    for (auto &e : many) {
        e.rule_id = id;
        e.rule_name = "cost";
    }
    s.recordAlertEvaluation({}, many);
    QCOMPARE(s.alertEvents(100000).size(), store::TraceStore::kMaxAlertEvents);
    QCOMPARE(s.alertEvents(100000).front().id, many.back().id);

    QVERIFY(s.removeAlertRule(id));
    QVERIFY(!s.removeAlertRule(id));
    QVERIFY(s.alertRules().empty());
}

void TestAlerts::migratesAnOldDatabase()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("old.db")).toStdString();
    const int latest = store::SqliteStore::latestSchemaVersion();
    {
        store::SqliteStore::Options o;
        o.target_version = latest - 1;
        store::SqliteStore old(path, o);
        QCOMPARE(old.schemaVersion(), latest - 1);
    }
    store::SqliteStore s(path);
    QCOMPARE(s.schemaVersion(), latest);
    QVERIFY(s.alertRules().empty());
    QVERIFY(s.addAlertRule(rule("r", core::AlertKind::NoTraffic, 0, 10)).id > 0);
}

void TestAlerts::refusesBadRules_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown kind") << R"({"name":"x","kind":"latency","threshold":1})"
                                  << "kind: unknown kind 'latency' (kinds: error_rate, cost_per_hour, cost_per_day, "
                                     "p95_latency, no_traffic)";
    QTest::newRow("negative threshold") << R"({"name":"x","kind":"cost_per_hour","threshold":-1})"
                                        << "threshold: must be a number >= 0";
    QTest::newRow("rate above 100") << R"({"name":"x","kind":"error_rate","threshold":150})"
                                    << "threshold: an error rate is a percentage, from 0 to 100";
    QTest::newRow("window 0") << R"({"name":"x","kind":"error_rate","threshold":1,"window_minutes":0})"
                              << "window_minutes: must be from 1 to 1440";
    QTest::newRow("window fraction") << R"({"name":"x","kind":"error_rate","threshold":1,"window_minutes":1.5})"
                                     << "window_minutes: must be a whole number";
    QTest::newRow("bad url") << R"({"name":"x","kind":"error_rate","threshold":1,"webhook_url":"ftp://h/x"})"
                             << "webhook: must be an http:// or https:// URL, got 'ftp://h/x'";
    QTest::newRow("url without host") << R"({"name":"x","kind":"error_rate","threshold":1,"webhook_url":"http:///x"})"
                                      << "webhook: must name a host";
    QTest::newRow("url with password")
        << R"({"name":"x","kind":"error_rate","threshold":1,"webhook_url":"https://u:p@h/x"})"
        << "webhook: must not carry a user name or password (the signature authenticates the server)";
    QTest::newRow("url bad port") << R"({"name":"x","kind":"error_rate","threshold":1,"webhook_url":"http://h:0/"})"
                                  << "webhook: port must be between 1 and 65535";
    QTest::newRow("short secret")
        << R"({"name":"x","kind":"error_rate","threshold":1,"webhook_url":"http://h/","webhook_secret":"abc"})"
        << "secret: must be 16 to 200 characters";
    QTest::newRow("unknown scope") << R"({"name":"x","kind":"error_rate","threshold":1,"scope":"team"})"
                                   << "scope: unknown scope 'team' (scopes: all, service, agent, model)";
    QTest::newRow("scope without name") << R"({"name":"x","kind":"error_rate","threshold":1,"scope":"agent"})"
                                        << "scope: the agent scope needs a name";
    QTest::newRow("no name") << R"({"kind":"error_rate","threshold":1})"
                             << "name: required";
    QTest::newRow("empty name") << R"({"name":"","kind":"error_rate","threshold":1})"
                                << "name: required";
    QTest::newRow("no threshold") << R"({"name":"x","kind":"error_rate"})"
                                  << "threshold: required";
    QTest::newRow("threshold string") << R"({"name":"x","kind":"error_rate","threshold":"5"})"
                                      << "threshold: must be a number";
    QTest::newRow("fractional span count") << R"({"name":"x","kind":"no_traffic","threshold":0.5})"
                                           << "threshold: a span count must be a whole number";
    QTest::newRow("negative for") << R"({"name":"x","kind":"error_rate","threshold":1,"for_seconds":-5})"
                                  << "for_seconds: must be from 0 to 86400";
    QTest::newRow("unknown field") << R"({"name":"x","kind":"error_rate","threshold":1,"treshold":2})"
                                   << "treshold: unknown field (fields: name, kind, threshold, window_minutes, "
                                      "for_seconds, scope, scope_value, webhook_url, webhook_secret, enabled)";
    QTest::newRow("not an object") << R"([1])"
                                   << "body: must be a JSON object";
}

void TestAlerts::refusesBadRules()
{
    QFETCH(QString, body);
    QFETCH(QString, message);
    core::AlertRule r;
    std::string error;
    QVERIFY(!alerts::ruleFromJson(nlohmann::json::parse(body.toStdString()), r, error));
    QCOMPARE(QString::fromStdString(error), message);
}

void TestAlerts::webhookSignatureIsHmacSha256()
{
    // The signed text is "<timestamp>.<body>". HMAC-SHA256 of "1.x" keyed with "Jefe", computed by
    // another implementation: `printf '1.x' | openssl dgst -sha256 -hmac Jefe`.
    const std::string key = "Jefe";
    QCOMPARE(alerts::webhookSignature(key, 1, "x"),
        std::string("sha256=") + "2f7ccbd0f043456ad29514b2d24a8aa345ec6673a5db1b44e91c8ac99d1841e3");
    // A different timestamp or body changes it.
    QVERIFY(alerts::webhookSignature(key, 2, "x") != alerts::webhookSignature(key, 1, "x"));
    QVERIFY(alerts::webhookSignature(key, 1, "y") != alerts::webhookSignature(key, 1, "x"));
    const auto secret = alerts::newWebhookSecret();
    QCOMPARE(secret.size(), 64u);
    QVERIFY(secret != alerts::newWebhookSecret());
}

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"

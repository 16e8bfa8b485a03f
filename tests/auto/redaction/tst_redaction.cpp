// SPDX-License-Identifier: MIT
// Redaction at ingest: the patterns and rules (ingest/redaction.h) on their own, then agentops-server
// as a process taking real captured framework traces, with secrets planted in prompts, tool arguments
// and results, attributes, events, status messages and the resource, over real HTTP (OTLP/JSON and
// OTLP/protobuf). What is stored is read back through the API and scanned byte by byte on disk.
#include "api/apiwire.h"
#include "core/span.h"
#include "ingest/redaction.h"
#include "support/httptestclient.h"
#include "support/serverprocess.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <stdexcept>

using namespace agentops;
using nlohmann::json;

namespace {

// Secrets a careless prompt or tool call carries, one of each kind the built-ins know.
const std::string kEmail = "alice.smith@example.com";
const std::string kOpenAiKey = "sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUv";
const std::string kAnthropicKey = "sk-ant-api03-ZyXwVu9876543210TsRqPoNmLkJiHg";
const std::string kAwsKey = "AKIAIOSFODNN7EXAMPLE";
const std::string kGithubToken = "ghp_R2d2C3poBb8AxWing0123456789abcdefGHIJ";
const std::string kSlackToken = "xoxb-123456789012-abcdefghijkl";
const std::string kBearerToken = "tok_live_9f8e7d6c5b4a3f2e1d0c";
const std::string kJwt
    = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
const std::string kCard = "4111 1111 1111 1111";
const std::string kSsn = "078-05-1120";
const std::string kCustomer = "CUST-123456";
// Long numbers that are no card: no network's prefix, a Visa prefix failing Luhn, a timestamp.
const std::string kNotCards = "order 1234567890123456, ref 4111111111111112, at 1796563107364000000";

const std::vector<std::string> &secrets()
{
    static const std::vector<std::string> all = { kEmail, kOpenAiKey, kAnthropicKey, kAwsKey, kGithubToken, kSlackToken,
        kBearerToken, kJwt, kCard, kSsn, kCustomer };
    return all;
}

/// The text planted wherever a fixture says "Lisbon", and in the values added to every span.
std::string planted()
{
    return " (mail " + kEmail + ", keys " + kOpenAiKey + " " + kAnthropicKey + " " + kAwsKey + " " + kGithubToken + " "
        + kSlackToken + ", Authorization: Bearer " + kBearerToken + ", jwt " + kJwt + ", card " + kCard + ", "
        + kNotCards + ")";
}

/// Built-in replacements per planted text.
const std::map<std::string, std::uint64_t> kPerPlant
    = { { "email", 1 }, { "api_key", 5 }, { "bearer", 1 }, { "jwt", 1 }, { "card", 1 } };

constexpr const char *kRulesFile = R"({
  "builtin": ["email", "api_key", "bearer", "jwt", "card"],
  "rules": [
    {"name": "ssn", "keys": ["app.customer.ssn"]},
    {"name": "customer_id", "pattern": "CUST-[0-9]{6}"},
    {"name": "ticket", "pattern": "TICKET-[0-9]+", "keys": ["app.ticket"]}
  ]
})";

json readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return json::parse(f.readAll().toStdString());
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::size_t countOf(const std::string &text, const std::string &what)
{
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size()))
        ++n;
    return n;
}

json stringAttr(const std::string &key, const std::string &value)
{
    return { { "key", key }, { "value", { { "stringValue", value } } } };
}

/// One fixture line with the secrets planted; spans: how many spans it has.
std::string plant(const std::string &line, std::size_t &lisbons, std::size_t &spans)
{
    const std::string &text = line;
    lisbons = countOf(text, "Lisbon");
    std::string replaced;
    for (std::size_t pos = 0;;) {
        const auto at = text.find("Lisbon", pos);
        replaced.append(text, pos, at == std::string::npos ? std::string::npos : at - pos);
        if (at == std::string::npos)
            break;
        replaced += "Lisbon" + planted();
        pos = at + 6;
    }
    json j = json::parse(replaced);
    spans = 0;
    for (auto &rs : j["resourceSpans"]) {
        rs["resource"]["attributes"].push_back(stringAttr("host.owner", planted()));
        for (auto &ss : rs["scopeSpans"])
            for (auto &sp : ss["spans"]) {
                ++spans;
                sp["attributes"].push_back(stringAttr("app.note", planted()));
                sp["attributes"].push_back(stringAttr("app.customer.ssn", kSsn));
                sp["attributes"].push_back(stringAttr("app.ticket", "TICKET-42"));
                sp["attributes"].push_back(stringAttr("app.other", "TICKET-43 " + kCustomer));
                sp["events"].push_back({ { "timeUnixNano", sp["startTimeUnixNano"] }, { "name", "note" },
                    { "attributes", json::array({ stringAttr("detail", planted()) }) } });
                sp["status"]["message"] = "failed for" + planted();
            }
    }
    return j.dump();
}

std::string bytesOfHex(const std::string &hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

std::string base64(const std::string &in)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const std::uint32_t v = std::uint32_t(std::uint8_t(in[i])) << 16 | std::uint32_t(std::uint8_t(in[i + 1])) << 8
            | std::uint8_t(in[i + 2]);
        for (int s = 18; s >= 0; s -= 6)
            out += kAlphabet[(v >> s) & 63];
    }
    if (i < in.size()) {
        const bool two = i + 1 < in.size();
        const std::uint32_t v
            = std::uint32_t(std::uint8_t(in[i])) << 16 | (two ? std::uint32_t(std::uint8_t(in[i + 1])) << 8 : 0);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += two ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

void hexIdsToBase64(json &j)
{
    if (j.is_object()) {
        for (auto &[key, value] : j.items()) {
            if ((key == "traceId" || key == "spanId" || key == "parentSpanId") && value.is_string())
                value = base64(bytesOfHex(value.get<std::string>()));
            else
                hexIdsToBase64(value);
        }
    } else if (j.is_array()) {
        for (auto &v : j)
            hexIdsToBase64(v);
    }
}

/// The OTLP/JSON request as the protobuf body the same exporter sends with http/protobuf.
std::string toProtobuf(const std::string &otlpJson)
{
    json j = json::parse(otlpJson);
    hexIdsToBase64(j);
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(j.dump(), &req, options).ok())
        return {};
    return req.SerializeAsString();
}

/// The cost of one call by docs/pricing.md from the shipped table; nothing when it has no row.
std::optional<double> expectedCost(const json &prices, const std::string &model, const json &usage)
{
    auto n = [](const json &v) { return v.is_number() ? v.get<std::int64_t>() : std::int64_t(0); };
    for (const auto &row : prices["rows"]) {
        bool match = row["id"] == model;
        for (const auto &m : row.value("models", json::array()))
            match = match || m == model;
        if (!match)
            continue;
        const auto &p = row["prices"];
        const double in = p["input"], out = p["output"];
        const double cr = p.value("cache_read", in), cw = p.value("cache_write", in), re = p.value("reasoning", out);
        const std::int64_t input = n(usage["input"]), output = n(usage["output"]);
        const std::int64_t cacheRead = n(usage["cache_read"]), cacheWrite = n(usage["cache_write"]);
        const std::int64_t reasoning = n(usage["reasoning"]);
        return (static_cast<double>(input - cacheRead - cacheWrite) * in + static_cast<double>(cacheRead) * cr
                   + static_cast<double>(cacheWrite) * cw + static_cast<double>(output - reasoning) * out
                   + static_cast<double>(reasoning) * re)
            / 1e6;
    }
    return std::nullopt;
}

/// The metric's value for one label set in a /metrics text, or -1.
double metricValue(const std::string &text, const std::string &series)
{
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos)
        return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

std::uint64_t count(const std::vector<std::uint64_t> &counts, const ingest::Redactor &r, const std::string &rule)
{
    const auto &names = r.ruleNames();
    const auto it = std::find(names.begin(), names.end(), rule);
    return it == names.end() || std::size_t(it - names.begin()) >= counts.size() ? 0 : counts[it - names.begin()];
}

ingest::Redactor allBuiltins()
{
    ingest::RedactionConfig c;
    for (auto name : ingest::kBuiltinPatterns)
        c.builtins.emplace_back(name);
    return ingest::Redactor(c);
}

} // namespace

class TestRedaction : public QObject
{
    Q_OBJECT

private:
    json m_prices;

private Q_SLOTS:
    void initTestCase();
    void builtinPatterns_data();
    void builtinPatterns();
    void cardNumbersAreLuhnChecked();
    void spanFieldsAndCounts();
    void aPatternThatCutsJsonLeavesText();
    void badRulesAreRefusedByName_data();
    void badRulesAreRefusedByName();
    void rulesRoundTrip();
    void pathologicalPatternsRunInLinearTime();
    // --- agentops-server over real HTTP ---
    void serverRedactsFrameworkTraces_data();
    void serverRedactsFrameworkTraces();
    void serverWithoutRedactionStoresTextAsSent();
    void serverRefusesBadRedactionOptions();

private:
    void runScenario(const QString &scenario, bool protobuf, bool redact);
    void checkStoredRun(test::HttpClient &client, const json &run, bool redact);
};

void TestRedaction::initTestCase()
{
    m_prices = readJson(QStringLiteral(AGENTOPS_SOURCE_DIR "/resources/prices.json"));
    QVERIFY(m_prices.contains("rows"));
}

void TestRedaction::builtinPatterns_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const std::string &in, const std::string &out) {
        QTest::newRow(name) << QString::fromStdString(in) << QString::fromStdString(out);
    };
    row("email", "write to " + kEmail + ".", "write to [REDACTED:email].");
    row("email in JSON after \\n", R"({"text":"hi\n)" + kEmail + R"("})", R"({"text":"hi\n[REDACTED:email]"})");
    row("openai key", "key=" + kOpenAiKey, "key=[REDACTED:api_key]");
    row("openai key after \\n", "\\n" + kOpenAiKey, "\\n[REDACTED:api_key]");
    row("anthropic key", kAnthropicKey + " is mine", "[REDACTED:api_key] is mine");
    row("aws key", "aws " + kAwsKey, "aws [REDACTED:api_key]");
    row("github token", "gh:" + kGithubToken, "gh:[REDACTED:api_key]");
    row("slack token", "(" + kSlackToken + ")", "([REDACTED:api_key])");
    row("google key", "AIzaSyA1234567890abcdefghijklmnopqrstuv", "[REDACTED:api_key]");
    row("bearer", "Authorization: Bearer " + kBearerToken, "Authorization: Bearer [REDACTED:bearer]");
    row("jwt", "token " + kJwt, "token [REDACTED:jwt]");
    row("bearer jwt", "Bearer " + kJwt, "Bearer [REDACTED:jwt]");
    row("card spaced", "card " + kCard + " exp", "card [REDACTED:card] exp");
    row("card dashed", "5555-5555-5555-4444", "[REDACTED:card]");
    row("amex", "amex 378282246310005.", "amex [REDACTED:card].");
    row("two cards", "4111111111111111 4012888888881881", "[REDACTED:card] [REDACTED:card]");
    row("words that look like keys", "task-scheduler-queue-for-everything-else, a bearer instrument",
        "task-scheduler-queue-for-everything-else, a bearer instrument");
    row("no card: no network prefix", "order 1234567890123456", "order 1234567890123456");
    row("no card: Luhn fails", "ref 4111111111111112", "ref 4111111111111112");
    row("no card: timestamp", "at 1796563107364000000 ns", "at 1796563107364000000 ns");
    row("no card: longer digit run", "id 41111111111111110000000", "id 41111111111111110000000");
    row("no card: too short", "4111 1111 1111", "4111 1111 1111");
    row("not an e-mail", "a @ b, x@y, user@localhost", "a @ b, x@y, user@localhost");
}

void TestRedaction::builtinPatterns()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto redactor = allBuiltins();
    std::string s = text.toStdString();
    std::vector<std::uint64_t> counts;
    redactor.redactText(s, {}, counts);
    QCOMPARE(QString::fromStdString(s), expected);
}

void TestRedaction::cardNumbersAreLuhnChecked()
{
    for (const char *card : { "4111111111111111", "5555555555554444", "2223003122003222", "378282246310005",
             "6011111111111117", "3530111333300000", "36227206271667", "4222222222222" })
        QVERIFY2(ingest::looksLikeCardNumber(card), card);
    for (const char *other : { "4111111111111112", "1234567890123456", "0000000000000000", "5555555555554445",
             "378282246310006", "411111111111", "41111111111111111111", "1796563107364000000" })
        QVERIFY2(!ingest::looksLikeCardNumber(other), other);
}

void TestRedaction::spanFieldsAndCounts()
{
    ingest::RedactionConfig config;
    config.builtins = { "email", "card" };
    config.rules = { { "authorization", "", { "http.request.header.authorization" } },
        { "ticket", "TICKET-[0-9]+", { "app.ticket" } }, { "customer_id", "CUST-[0-9]{6}", {} },
        { "order", "order (?P<secret>[0-9]+)", {} } };
    const ingest::Redactor redactor(config);
    // Whole values first, then the built-ins, then the other rules.
    QCOMPARE(redactor.ruleNames(),
        (std::vector<std::string> { "authorization", "email", "card", "ticket", "customer_id", "order" }));
    core::Span span;
    span.name = "mail " + kEmail;
    span.input = "card " + kCard;
    span.output = kCustomer + " order 77";
    span.status_message = "no reply from " + kEmail;
    span.user_id = kEmail;
    span.attributes = { { "http.request.header.authorization", core::AttrValue::ofString("Basic dXNlcjpwYXNz") },
        { "http.request.header.x-count", core::AttrValue::ofInt(3) },
        { "app.ticket", core::AttrValue::ofString("TICKET-42 and " + kEmail) },
        { "app.other", core::AttrValue::ofString("TICKET-43") },
        { "app.json", core::AttrValue::ofJson(R"({"to":")" + kEmail + R"(","n":1})") } };
    span.resource = { { "host.owner", core::AttrValue::ofString(kEmail) } };
    span.events.push_back({ 1, "sent to " + kEmail, { { "detail", core::AttrValue::ofString(kCard) } } });
    std::vector<std::uint64_t> counts;
    QCOMPARE(redactor.redact(span, counts), std::size_t(13));
    QCOMPARE(span.name, std::string("mail [REDACTED:email]"));
    QCOMPARE(span.input, std::string("card [REDACTED:card]"));
    QCOMPARE(span.output, std::string("[REDACTED:customer_id] order [REDACTED:order]"));
    QCOMPARE(span.status_message, std::string("no reply from [REDACTED:email]"));
    QCOMPARE(span.user_id, std::string("[REDACTED:email]"));
    QCOMPARE(span.attributes[0].value, core::AttrValue::ofString("[REDACTED:authorization]"));
    QCOMPARE(span.attributes[1].value, core::AttrValue::ofInt(3)); // a number: no pattern applies
    QCOMPARE(span.attributes[2].value.s, std::string("[REDACTED:ticket] and [REDACTED:email]"));
    QCOMPARE(span.attributes[3].value.s, std::string("TICKET-43")); // not one of the rule's keys
    QCOMPARE(span.attributes[4].value, core::AttrValue::ofJson(R"({"to":"[REDACTED:email]","n":1})"));
    QCOMPARE(span.resource[0].value.s, std::string("[REDACTED:email]"));
    QCOMPARE(span.events[0].name, std::string("sent to [REDACTED:email]"));
    QCOMPARE(span.events[0].attributes[0].value.s, std::string("[REDACTED:card]"));
    QCOMPARE(count(counts, redactor, "email"), std::uint64_t(7));
    QCOMPARE(count(counts, redactor, "card"), std::uint64_t(2));
    QCOMPARE(count(counts, redactor, "authorization"), std::uint64_t(1));
    QCOMPARE(count(counts, redactor, "ticket"), std::uint64_t(1));
    QCOMPARE(count(counts, redactor, "customer_id"), std::uint64_t(1));
    QCOMPARE(count(counts, redactor, "order"), std::uint64_t(1));
}

void TestRedaction::aPatternThatCutsJsonLeavesText()
{
    ingest::RedactionConfig config;
    config.rules = { { "quoted", "\"to\":\"[^\"]*\"", {} } }; // "to":"[^"]*"
    const ingest::Redactor redactor(config);
    core::Span span;
    span.attributes = { { "a", core::AttrValue::ofJson(R"({"to":"x","n":1})") } };
    std::vector<std::uint64_t> counts;
    QCOMPARE(redactor.redact(span, counts), std::size_t(1));
    // {[REDACTED:quoted],"n":1} is no JSON: stored as text, not spliced into the attributes' JSON.
    QCOMPARE(span.attributes[0].value, core::AttrValue::ofString(R"({[REDACTED:quoted],"n":1})"));
}

void TestRedaction::badRulesAreRefusedByName_data()
{
    QTest::addColumn<QString>("rules");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, const char *rules, const char *message) {
        QTest::newRow(name) << QString::fromUtf8(rules) << QString::fromUtf8(message);
    };
    row("back-reference", R"j({"rules":[{"name":"repeat","pattern":"(a+)\\1"}]})j",
        "redaction rule 'repeat': the pattern is not one");
    row("look-ahead", R"j({"rules":[{"name":"ahead","pattern":"foo(?=bar)"}]})j",
        "redaction rule 'ahead': the pattern is not one");
    row("syntax", R"j({"rules":[{"name":"broken","pattern":"(unclosed"}]})j",
        "redaction rule 'broken': the pattern is not one");
    row("empty match", R"j({"rules":[{"name":"stars","pattern":"x*"}]})j",
        "redaction rule 'stars': the pattern matches the empty text");
    row("too large", R"j({"rules":[{"name":"huge","pattern":"((a{100}){100}){100}"}]})j", "redaction rule 'huge':");
    row("bad name", R"j({"rules":[{"name":"no spaces","pattern":"x"}]})j", "redaction rule 'no spaces': a name is");
    row("twice", R"j({"rules":[{"name":"a","pattern":"x"},{"name":"a","pattern":"y"}]})j",
        "redaction rule 'a': the name is used twice");
    row("built-in name", R"j({"rules":[{"name":"email","pattern":"x"}]})j",
        "redaction rule 'email': the name is a built-in pattern's");
    row("nothing to do", R"j({"rules":[{"name":"idle"}]})j", "redaction rule 'idle': has neither a pattern nor keys");
    row("unknown built-in", R"j({"builtin":["emails"]})j", "unknown built-in pattern \"emails\"");
    row("unknown field", R"j({"rules":[{"name":"k","regex":"x"}]})j",
        "redaction rule 1 ('k'): \"regex\" is not a field");
    row("not JSON", "{rules", "redaction rules are not valid JSON");
}

void TestRedaction::badRulesAreRefusedByName()
{
    QFETCH(QString, rules);
    QFETCH(QString, message);
    try {
        ingest::parseRedactionRules(rules.toStdString());
        QFAIL("accepted");
    } catch (const std::invalid_argument &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
    }
}

void TestRedaction::rulesRoundTrip()
{
    const auto config = ingest::parseRedactionRules(kRulesFile);
    QCOMPARE(config.builtins.size(), std::size_t(5));
    QCOMPARE(config.rules.size(), std::size_t(3));
    QVERIFY(ingest::parseRedactionRules(ingest::redactionRulesToJson(config)) == config);
}

void TestRedaction::pathologicalPatternsRunInLinearTime()
{
    // Each of these takes a backtracking engine (std::regex, PCRE, Boost.Regex) exponential time
    // or its stack on this text; RE2 scans it once. The bound is generous: figures are in
    // docs/benchmarks.md (bench_redaction).
    ingest::RedactionConfig config;
    config.rules = { { "nested", "(a+)+$", {} }, { "alternation", "(a|aa)+b", {} }, { "overlap", "(x+x+)+y", {} } };
    const ingest::Redactor redactor(config);
    std::string text(1 << 20, 'a');
    text += 'c';
    std::vector<std::uint64_t> counts;
    QElapsedTimer timer;
    timer.start();
    redactor.redactText(text, {}, counts);
    QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(counts[0], std::uint64_t(0)); // "(a+)+$" needs the a's at the end: 'c' is
    QCOMPARE(counts[1], std::uint64_t(0));
    QCOMPARE(text.size(), std::size_t((1 << 20) + 1));
}

void TestRedaction::serverRedactsFrameworkTraces_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<bool>("protobuf");
    for (const char *s : { "adk-js", "vercel-ai", "openai-openinference", "openai-openllmetry" }) {
        QTest::addRow("%s json", s) << QString::fromLatin1(s) << false;
        QTest::addRow("%s protobuf", s) << QString::fromLatin1(s) << true;
    }
}

void TestRedaction::serverRedactsFrameworkTraces()
{
    QFETCH(QString, scenario);
    QFETCH(bool, protobuf);
    runScenario(scenario, protobuf, true);
}

void TestRedaction::serverWithoutRedactionStoresTextAsSent()
{
    runScenario(QStringLiteral("vercel-ai"), false, false);
}

void TestRedaction::serverRefusesBadRedactionOptions()
{
    QTemporaryDir dir;
    const QString rules = dir.filePath(QStringLiteral("rules.json"));
    QFile f(rules);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"rules":[{"name":"ok","pattern":"x"},{"name":"repeat","pattern":"(a)\\1"}]})");
    f.close();
    const QString data = dir.filePath(QStringLiteral("data"));
    struct Case
    {
        QStringList args;
        QString message;
    };
    const Case cases[] = {
        { { QStringLiteral("--redact"), QStringLiteral("everything") },
            QStringLiteral("--redact: must be builtin or none, got 'everything'") },
        { { QStringLiteral("--redact-rules"), rules },
            QStringLiteral("--redact-rules: ") + rules + QStringLiteral(": redaction rule 'repeat':") },
        { { QStringLiteral("--redact-rules"), dir.filePath(QStringLiteral("missing.json")) },
            QStringLiteral("--redact-rules: cannot read") },
    };
    for (const Case &c : cases) {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(AGENTOPS_SERVER_BINARY),
            QStringList { QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), data }
                + c.args);
        QVERIFY(p.waitForFinished(30000));
        const QString out = QString::fromUtf8(p.readAll());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(out.contains(c.message), qPrintable(out));
    }
}

void TestRedaction::runScenario(const QString &scenario, bool protobuf, bool redact)
{
    const QString base = QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/") + scenario;
    const json expected = readJson(base + QStringLiteral(".expected.json"));
    QVERIFY(expected.contains("runs"));
    QFile fixture(base + QStringLiteral(".otlp.json"));
    QVERIFY(fixture.open(QIODevice::ReadOnly));

    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    const QString rules = dir.filePath(QStringLiteral("rules.json"));
    QFile f(rules);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(kRulesFile);
    f.close();
    QStringList args { QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), data };
    if (redact)
        args << QStringLiteral("--redact") << QStringLiteral("builtin") << QStringLiteral("--redact-rules") << rules;
    QProcess server;
    const int port = test::startServerProcess(server, args, 30000, "http");
    QVERIFY(port > 0);
    test::HttpClient client("127.0.0.1", port);

    std::size_t plants = 0, spans = 0, emails = 0;
    while (!fixture.atEnd()) {
        const std::string line = fixture.readLine().trimmed().toStdString();
        if (line.empty())
            continue;
        std::size_t lisbons = 0, lineSpans = 0;
        const std::string body = plant(line, lisbons, lineSpans);
        plants += lisbons + 4 * lineSpans; // note, event, status message, resource (copied to each span)
        emails += countOf(line, "@example.com"); // the producer's own user id
        spans += lineSpans;
        const auto r = protobuf ? client.post("/v1/traces", toProtobuf(body), "application/x-protobuf")
                                : client.post("/v1/traces", body, "application/json");
        QVERIFY2(r && r->status == 200, r ? r->body.c_str() : r.error().c_str());
    }
    QVERIFY(plants > 4 * spans); // the fixture's own texts had secrets planted too

    const auto metrics = client.get("/metrics");
    QVERIFY(metrics && metrics->status == 200);
    QString got, want;
    for (const auto &[rule, per] : kPerPlant) {
        const double value = metricValue(metrics->body, "agentops_redactions_total{rule=\"" + rule + "\"}");
        got += QString::fromStdString(rule) + u'=' + QString::number(value) + u' ';
        const std::size_t n = per * plants + (rule == "email" ? emails : 0);
        want += QString::fromStdString(rule) + u'=' + QString::number(redact ? double(n) : -1.0) + u' ';
    }
    QCOMPARE(got, want);
    if (redact) {
        QCOMPARE(metricValue(metrics->body, R"(agentops_redactions_total{rule="ssn"})"), double(spans));
        QCOMPARE(metricValue(metrics->body, R"(agentops_redactions_total{rule="ticket"})"), double(spans));
        QCOMPARE(metricValue(metrics->body, R"(agentops_redactions_total{rule="customer_id"})"), double(spans));
    }
    for (const auto &run : expected["runs"])
        checkStoredRun(client, run, redact);

    // Every byte the server keeps: the database, its WAL and anything beside them.
    server.terminate();
    QVERIFY(server.waitForFinished(30000));
    std::string stored;
    QDirIterator files(data, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext())
        stored += readAll(files.next()).toStdString();
    QVERIFY(stored.size() > 4096);
    for (const std::string &secret : secrets()) {
        if (redact)
            QVERIFY2(stored.find(secret) == std::string::npos, secret.c_str());
        else
            QVERIFY2(stored.find(secret) != std::string::npos, secret.c_str()); // the scan can find them
    }
    QVERIFY(stored.find(kNotCards) != std::string::npos); // ordinary long numbers stay
    QVERIFY(stored.find("TICKET-43") != std::string::npos); // the ticket rule is for app.ticket only
}

void TestRedaction::checkStoredRun(test::HttpClient &client, const json &run, bool redact)
{
    const std::string traceId = run["trace_id"];
    const auto r = client.get("/api/v1/traces/" + traceId);
    QVERIFY2(r && r->status == 200, r ? r->body.c_str() : r.error().c_str());
    const store::TraceDetail detail = api::read::traceDetail(r->body);
    QCOMPARE(std::int64_t(detail.spans.size()), run["span_count"].get<std::int64_t>());
    QCOMPARE(detail.summary.durationNs(),
        std::stoll(run["end_time_unix_nano"].get<std::string>())
            - std::stoll(run["start_time_unix_nano"].get<std::string>()));
    std::int64_t input = 0, output = 0;
    int prompts = 0;
    for (const auto &call : run["llm_calls"]) {
        const core::Span *span = nullptr;
        for (const auto &s : detail.spans)
            if (core::toHex(s.span_id) == call["span_id"])
                span = &s;
        QVERIFY(span);
        const auto &usage = call["usage"];
        QCOMPARE(span->tokens.input.value_or(0), usage["input"].is_number() ? usage["input"].get<std::int64_t>() : 0);
        QCOMPARE(
            span->tokens.output.value_or(0), usage["output"].is_number() ? usage["output"].get<std::int64_t>() : 0);
        input += span->tokens.input.value_or(0);
        output += span->tokens.output.value_or(0);
        const std::string model = call["response_model"].is_string() ? call["response_model"] : call["request_model"];
        const auto cost = expectedCost(m_prices, model, usage);
        QCOMPARE(span->cost_usd.has_value(), cost.has_value());
        if (cost)
            QVERIFY2(std::abs(*span->cost_usd - *cost) < 1e-12, model.c_str());
        // The prompt the model was given was redacted before it was derived from its attribute.
        if (span->input.find("Lisbon") == std::string::npos)
            continue; // the run that asks about another city
        ++prompts;
        if (redact)
            QVERIFY2(span->input.find("Lisbon (mail [REDACTED:email]") != std::string::npos, span->input.c_str());
        else
            QVERIFY2(span->input.find("Lisbon" + planted()) != std::string::npos, span->input.c_str());
    }
    if (run["run"] == "ok")
        QVERIFY(prompts > 0);
    // A user id that is an e-mail address is one: the producer's own (ana@example.com) is replaced.
    if (run["user_id"].is_string() && run["user_id"].get<std::string>().find('@') != std::string::npos)
        QCOMPARE(detail.summary.user_id, redact ? std::string("[REDACTED:email]") : run["user_id"].get<std::string>());
    QCOMPARE(detail.summary.input_tokens, input);
    QCOMPARE(detail.summary.output_tokens, output);
    for (const auto &s : detail.spans) {
        const core::AttrValue *note = core::findAttribute(s.attributes, "app.note");
        QVERIFY(note);
        QCOMPARE(note->s.find(kNotCards) != std::string::npos, true);
        if (!redact) {
            QCOMPARE(note->s, planted());
            continue;
        }
        QVERIFY2(note->s.find("[REDACTED:jwt]") != std::string::npos, note->s.c_str());
        QCOMPARE(core::findAttribute(s.attributes, "app.customer.ssn")->s, std::string("[REDACTED:ssn]"));
        QCOMPARE(core::findAttribute(s.attributes, "app.ticket")->s, std::string("[REDACTED:ticket]"));
        QCOMPARE(core::findAttribute(s.attributes, "app.other")->s, std::string("TICKET-43 [REDACTED:customer_id]"));
        QVERIFY(s.status_message.find(kCard) == std::string::npos);
        if (s.status_message.rfind("failed for", 0) == 0) // not one the normalizer took from a tool's error
            QVERIFY2(s.status_message.find("[REDACTED:card]") != std::string::npos, s.status_message.c_str());
    }
}

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"

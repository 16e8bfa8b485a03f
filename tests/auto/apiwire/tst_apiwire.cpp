// SPDX-License-Identifier: MIT
// The API's answers round trip: what the server's writers (api::write) make of the store's answers,
// the client's readers (api::read) read back equal, field by field, for real captured traces in a
// real SQLite store, for awkward values, and for the account answers.
#include "api/apiwire.h"
#include "core/pricing.h"
#include "ingest/decode.h"
#include "store/sqliteauthstore.h"
#include "store/sqlitestore.h"
#include "support/apicompare.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <climits>
#include <limits>

using namespace agentops;
using test::diffMetrics;
using test::diffSpan;
using test::diffSummaries;
using test::diffSummary;

namespace {

std::string readFixture(const char *name)
{
    QFile f(QStringLiteral(AGENTOPS_FIXTURES_DIR "/otlp/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

/// The spans of the captured traces, decoded and priced as ingest does.
std::vector<core::Span> capturedSpans()
{
    std::vector<core::Span> out;
    const auto &prices = core::shippedPriceTable();
    for (const char *name :
        { "adk_weather_trace.json", "genai_agent_trace.json", "all_fields_camel.json", "all_fields_snake.json" }) {
        ingest::DecodeResult decoded;
        ingest::DecodeError fatal;
        if (!ingest::decodeOtlpTraces(readFixture(name), ingest::OtlpEncoding::Json, decoded, fatal))
            qWarning("%s: %s", name, fatal.toString().c_str());
        core::priceAtIngest(decoded.spans, prices);
        out.insert(out.end(), decoded.spans.begin(), decoded.spans.end());
    }
    ingest::DecodeResult native;
    ingest::DecodeError fatal;
    if (!ingest::decodeNativeBatch(readFixture("native_batch.json"), native, fatal))
        qWarning("native_batch.json: %s", fatal.toString().c_str());
    out.insert(out.end(), native.spans.begin(), native.spans.end());
    return out;
}

} // namespace

class TestApiWire : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tracePagesAndDetails();
    void slimDetails();
    void searchMatches();
    void sessions();
    void dashboardMetrics();
    void awkwardValues();
    void accountAnswers();
    void errorsAndChanges();
    void refusesBrokenAnswers_data();
    void refusesBrokenAnswers();
    void readsWhatOtherServersSend();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::size_t m_spans = 0;
};

void TestApiWire::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_store = std::make_unique<store::SqliteStore>(m_dir.filePath(QStringLiteral("traces.db")).toStdString());
    const auto spans = capturedSpans();
    m_spans = spans.size();
    QVERIFY(m_spans >= 14);
    m_store->writeBatch(spans);
}

void TestApiWire::searchMatches()
{
    // A content search's page: the matches go and come back with their traces, non-ASCII text and
    // highlight ranges (code points) included.
    store::TracePage page = m_store->listTraces({});
    QVERIFY(!page.traces.empty());
    page.traces.resize(std::min<std::size_t>(page.traces.size(), 2));
    page.hits.resize(page.traces.size());
    page.hits[0] = { "0123456789abcdef", "execute_tool get_weather", "…東京の天気は \"晴れ\"\nunknown city",
        { { 1, 3 }, { 17, 29 } } };
    const auto back = api::read::tracePage(api::write::tracePage(page));
    QCOMPARE(back.traces.size(), page.traces.size());
    QVERIFY(back.hits == page.hits);
    // A search that found nothing still says so; without a search, no matches.
    store::TracePage none;
    none.searched = true;
    const std::string text = api::write::tracePage(none);
    QVERIFY2(text.find("\"matches\":[]") != std::string::npos, text.c_str());
    QVERIFY(api::read::tracePage(text).searched);
    page.hits.clear();
    QVERIFY(api::write::tracePage(page).find("matches") == std::string::npos);
    QVERIFY(!api::read::tracePage(api::write::tracePage(page)).searched);
    // A reader refuses matches that do not go with the traces.
    QVERIFY_THROWS_EXCEPTION(api::ApiJsonError,
        api::read::tracePage(R"({"traces":[],"next_cursor":null,"matches":[{"span_id":"","span_name":"","snippet":"",)"
                             R"("highlights":[]}]})"));
    QVERIFY_THROWS_EXCEPTION(api::ApiJsonError,
        api::read::tracePage(R"({"traces":[],"next_cursor":null,"matches":[{"highlights":[[3,1]]}]})"));
}

void TestApiWire::tracePagesAndDetails()
{
    store::TraceQuery q;
    q.limit = 2;
    std::size_t traces = 0;
    std::size_t spans = 0;
    for (int page = 0; page < 100; ++page) {
        const auto expected = m_store->listTraces(q);
        const auto got = api::read::tracePage(api::write::tracePage(expected));
        const auto d = diffSummaries(expected.traces, got.traces);
        QVERIFY2(d.empty(), d.c_str());
        QCOMPARE(got.next_cursor, expected.next_cursor);
        for (const auto &t : expected.traces) {
            const auto detail = m_store->trace(t.trace_id);
            QVERIFY(detail);
            const auto back = api::read::traceDetail(api::write::traceDetail(*detail));
            const auto sd = diffSummary(detail->summary, back.summary);
            QVERIFY2(sd.empty(), sd.c_str());
            QCOMPARE(back.complete, detail->complete);
            QCOMPARE(back.depth, detail->depth);
            QCOMPARE(back.orphan, detail->orphan);
            QCOMPARE(back.spans.size(), detail->spans.size());
            for (std::size_t i = 0; i < back.spans.size(); ++i) {
                const auto spd = diffSpan(detail->spans[i], back.spans[i]);
                QVERIFY2(spd.empty(), (detail->spans[i].name + ": " + spd).c_str());
                const auto one = api::read::spanAnswer(api::write::spanAnswer(detail->spans[i]));
                QVERIFY2(diffSpan(detail->spans[i], one).empty(), detail->spans[i].name.c_str());
            }
            ++traces;
            spans += back.spans.size();
        }
        if (expected.next_cursor.empty())
            break;
        q.cursor = expected.next_cursor;
    }
    QVERIFY(traces >= 3);
    QCOMPARE(static_cast<std::int64_t>(spans), m_store->spanCount()); // every stored span came back
}

void TestApiWire::slimDetails()
{
    // The slim shape (load=slim) carries what a slim trace holds, exactly; a narrow answer can be
    // held slim as it is read; and a hostile answer is refused, not trusted.
    store::TraceQuery q;
    q.limit = 1000;
    std::size_t compared = 0;
    for (const auto &t : m_store->listTraces(q).traces) {
        const auto whole = m_store->trace(t.trace_id, store::TraceLoad::Full);
        QVERIFY(whole && !whole->spans.empty());
        store::TraceDetail slim;
        slim.summary = whole->summary;
        slim.complete = false;
        slim.table = store::SpanTable::fromSpans(whole->spans);
        slim.depth = whole->depth;
        slim.orphan = whole->orphan;
        const std::string text = api::write::traceDetail(slim);
        QVERIFY2(text.find("\"shape\":\"slim\"") != std::string::npos, text.substr(0, 300).c_str());
        for (const auto shape : { api::read::TraceShape::Spans, api::read::TraceShape::SlimWhenIncomplete }) {
            const auto back = api::read::traceDetail(text, shape);
            QCOMPARE(back.complete, false);
            QCOMPARE(back.depth, slim.depth);
            QCOMPARE(back.orphan, slim.orphan);
            QCOMPARE(back.spanCount(), slim.spanCount());
            QCOMPARE(back.slim(), shape == api::read::TraceShape::SlimWhenIncomplete);
            for (std::size_t i = 0; i < slim.spanCount(); ++i) {
                const auto d = diffSpan(slim.span(i), back.span(i));
                QVERIFY2(d.empty(), (whole->spans[i].name + ": " + d).c_str());
            }
        }
        // A narrow answer (load=auto of a big trace, from a server without load=slim), held slim.
        store::TraceDetail narrow = *whole;
        narrow.complete = false;
        const auto held
            = api::read::traceDetail(api::write::traceDetail(narrow), api::read::TraceShape::SlimWhenIncomplete);
        QVERIFY(held.slim() && held.spans.empty());
        for (std::size_t i = 0; i < slim.spanCount(); ++i)
            QVERIFY2(diffSpan(slim.span(i), held.span(i)).empty(), whole->spans[i].name.c_str());
        // A complete answer stays as it is.
        QVERIFY(
            !api::read::traceDetail(api::write::traceDetail(*whole), api::read::TraceShape::SlimWhenIncomplete).slim());
        compared += slim.spanCount();
    }
    QCOMPARE(static_cast<std::int64_t>(compared), m_store->spanCount());

    const std::string head = R"({"trace":{"trace_id":"0102030405060708090a0b0c0d0e0f10"},"complete":false,)";
    const std::string row
        = R"(["0000000000000001",null,0,false,"llm","ok","5","9",1,0,0,0,0,0,0,0,[1,2,null,null,null,null],0.5])";
    const auto ok = api::read::traceDetail(
        head + R"("strings":["","chat"],"rows":[)" + row + "]}", api::read::TraceShape::SlimWhenIncomplete);
    QCOMPARE(ok.span(0).name, std::string("chat"));
    QVERIFY(ok.span(0).tokens.output == std::optional<std::int64_t>(2) && !ok.span(0).tokens.total);
    QCOMPARE(ok.span(0).cost_usd, std::optional<double>(0.5));
    for (const std::string &bad :
        std::vector<std::string> {
            R"("strings":["","chat"],"rows":[["0000000000000001",null,0,false,"llm","ok","5","9",7,0,0,0,0,0,0,0,[],null]]})",
            R"("strings":["chat"],"rows":[)" + row + "]}",
            R"("strings":["","chat"],"rows":[["0000000000000001",null,0,false,"llm","ok","5","9",1,0,0,0]]})",
            R"("strings":["","chat"],"rows":[["0000000000000001",null,-1,false,"llm","ok","5","9",1,0,0,0,0,0,0,0,[],null]]})",
            R"("strings":["","chat"],"rows":[["0000000000000001",null,0,false,"llm","ok","5","9",1,0,0,0,0,0,0,0,[1,2,3,4,5,6,7],null]]})",
            R"("strings":["","chat"],"rows":[)" + row + R"(],"spans":[]})",
            R"("spans":[],"strings":["","chat"]})",
        })
        QVERIFY_THROWS_EXCEPTION(
            api::ApiJsonError, api::read::traceDetail(head + bad, api::read::TraceShape::SlimWhenIncomplete));
}

void TestApiWire::sessions()
{
    store::SessionQuery q;
    q.limit = 1000;
    const auto expected = m_store->listSessions(q);
    QVERIFY(!expected.sessions.empty());
    const auto got = api::read::sessionPage(api::write::sessionPage(expected));
    QCOMPARE(got.sessions.size(), expected.sessions.size());
    for (std::size_t i = 0; i < got.sessions.size(); ++i) {
        const auto &a = expected.sessions[i];
        const auto &b = got.sessions[i];
        QCOMPARE(b.session_id, a.session_id);
        QCOMPARE(b.user_id, a.user_id);
        QCOMPARE(b.first_start_ns, a.first_start_ns);
        QCOMPARE(b.last_end_ns, a.last_end_ns);
        QCOMPARE(b.trace_count, a.trace_count);
        QCOMPARE(b.span_count, a.span_count);
        QCOMPARE(b.error_count, a.error_count);
        QCOMPARE(b.total_tokens, a.total_tokens);
        QCOMPARE(b.cost_usd, a.cost_usd);
        QCOMPARE(b.priced_spans, a.priced_spans);
        QCOMPARE(b.unpriced_spans, a.unpriced_spans);
        const auto traces = m_store->sessionTraces(a.session_id);
        QVERIFY(!traces.empty());
        const auto back = api::read::sessionTraces(api::write::sessionTraces(a.session_id, traces));
        const auto d = diffSummaries(traces, back);
        QVERIFY2(d.empty(), d.c_str());
    }
    QCOMPARE(got.next_cursor, expected.next_cursor);
}

void TestApiWire::dashboardMetrics()
{
    store::TraceQuery all;
    all.limit = 1000;
    const auto range = m_store->listTraces(all);
    QVERIFY(!range.traces.empty());
    std::int64_t from = std::numeric_limits<std::int64_t>::max();
    std::int64_t to = 0;
    for (const auto &t : range.traces) {
        from = std::min(from, t.start_ns);
        to = std::max(to, t.end_ns);
    }
    int withErrors = 0;
    for (auto group : { store::MetricsGroupBy::None, store::MetricsGroupBy::Model, store::MetricsGroupBy::Service,
             store::MetricsGroupBy::SpanKind, store::MetricsGroupBy::AgentName }) {
        store::MetricsQuery q;
        q.from_ns = from - 3'600'000'000'000;
        q.to_ns = to + 3'600'000'000'000;
        q.group_by = group;
        const auto expected = m_store->metrics(q);
        const auto got = api::read::metrics(api::write::metrics(expected, "model"));
        const auto d = diffMetrics(expected, got);
        QVERIFY2(d.empty(), d.c_str());
        QVERIFY(expected.totals.spans > 0);
        withErrors += !expected.top_errors.empty();
    }
    QVERIFY(withErrors > 0);
}

void TestApiWire::awkwardValues()
{
    // Strings a writer must escape, numbers at their limits, optional values absent and present.
    core::Span s;
    s.trace_id = { 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    s.span_id = { 1, 2, 3, 4, 5, 6, 7, 0xfe };
    s.name = "quote \" backslash \\ newline \n tab \t nul? no; control \x01 emoji \xF0\x9F\x98\x80 é";
    s.kind = core::SpanKind::Llm;
    s.otel_kind = 3;
    s.start_ns = 1;
    s.end_ns = std::numeric_limits<std::int64_t>::max();
    s.status = core::StatusCode::Error;
    s.status_message = "</script><script>";
    s.service_name = "ünïcødé";
    s.request_model = "gpt-4o";
    s.tokens.input = 0;
    s.tokens.output = std::numeric_limits<std::int64_t>::max();
    s.cost_usd = 1.2345678901234567e-300;
    s.input = std::string(100'000, 'x');
    s.attributes.push_back({ "k", core::AttrValue::ofString("v\"\\") });
    const auto back = api::read::spanAnswer(api::write::spanAnswer(s));
    const auto d = diffSpan(s, back);
    QVERIFY2(d.empty(), d.c_str());
    s.cost_usd.reset(); // unpriced: null, not 0
    s.tokens.output.reset();
    const auto unpriced = api::read::spanAnswer(api::write::spanAnswer(s));
    QVERIFY(!unpriced.cost_usd.has_value());
    QVERIFY(!unpriced.tokens.output.has_value());
    QVERIFY2(diffSpan(s, unpriced).empty(), diffSpan(s, unpriced).c_str());

    store::SessionPage page;
    page.sessions.push_back({});
    auto &session = page.sessions.back();
    session.session_id = "conv 7 #ä?\"";
    session.first_start_ns = std::numeric_limits<std::int64_t>::min();
    session.last_end_ns = std::numeric_limits<std::int64_t>::max();
    session.cost_usd = 0.1 + 0.2;
    session.priced_spans = 2;
    session.unpriced_spans = 1;
    page.next_cursor = "opaque\"cursor";
    const auto sessions = api::read::sessionPage(api::write::sessionPage(page));
    QCOMPARE(sessions.sessions.at(0).session_id, session.session_id);
    QCOMPARE(sessions.sessions.at(0).first_start_ns, session.first_start_ns);
    QCOMPARE(sessions.sessions.at(0).last_end_ns, session.last_end_ns);
    QCOMPARE(sessions.sessions.at(0).cost_usd, session.cost_usd); // all 17 digits
    QCOMPARE(sessions.sessions.at(0).priced_spans, std::int64_t(2));
    QCOMPARE(sessions.sessions.at(0).unpriced_spans, std::int64_t(1));
    QCOMPARE(sessions.next_cursor, page.next_cursor);
    // Nothing priced: the cost is null on the wire, never 0, and reads back as unpriced.
    session.cost_usd = 0;
    session.priced_spans = 0;
    const std::string unpricedText = api::write::sessionPage(page);
    QVERIFY(unpricedText.find("\"cost_usd\":null") != std::string::npos);
    const auto unpricedSession = api::read::sessionPage(unpricedText).sessions.at(0);
    QCOMPARE(unpricedSession.priced_spans, std::int64_t(0));
    QCOMPARE(unpricedSession.unpriced_spans, std::int64_t(1));
}

void TestApiWire::accountAnswers()
{
    store::SqliteAuthStore auth(m_dir.filePath(QStringLiteral("agentops.db")).toStdString());
    const auto alpha = auth.addProject("alpha-one", 30);
    const auto beta = auth.addProject("beta", 0);
    const auto user = auth.addUser("ana@example.com", "Ana \"Q\" Ü", "hash");
    const std::vector<store::Project> projects { alpha, beta };

    const auto login = api::read::login(api::write::login("aos_token\"x", 1764086400123456789, 86400, user, projects));
    QCOMPARE(login.token, std::string("aos_token\"x"));
    QCOMPARE(login.identity.session_expires_ns, std::int64_t(1764086400123456789));
    QVERIFY(login.identity.has_user);
    QCOMPARE(login.identity.email, user.email);
    QCOMPARE(login.identity.name, user.display_name);
    QCOMPARE(login.identity.projects.size(), std::size_t(2));
    QCOMPARE(login.identity.projects[0].id, alpha.id);
    QCOMPARE(login.identity.projects[0].name, alpha.name);
    QCOMPARE(login.identity.projects[1].name, beta.name);

    const auto session = api::read::me(api::write::me(true, &user, nullptr, projects, 42));
    QVERIFY(session.has_user && !session.has_api_key);
    QCOMPARE(session.email, user.email);
    QCOMPARE(session.session_expires_ns, std::int64_t(42));
    QCOMPARE(session.projects.size(), std::size_t(2));

    store::ApiKey key;
    key.id = 9;
    key.project_id = alpha.id;
    key.name = "ci";
    key.prefix = "aok_abc";
    const auto byKey = api::read::me(api::write::me(true, nullptr, &key, { alpha }, 0));
    QVERIFY(!byKey.has_user && byKey.has_api_key);
    QCOMPARE(byKey.projects.size(), std::size_t(1));
    QCOMPARE(byKey.session_expires_ns, std::int64_t(0));

    const auto open = api::read::me(api::write::me(false, nullptr, nullptr, {}, 0));
    QVERIFY(!open.has_user && !open.has_api_key && open.projects.empty());
}

void TestApiWire::errorsAndChanges()
{
    QCOMPARE(api::read::errorMessage(api::write::error("forbidden", "project: no access to 'x\"y'")),
        std::string("project: no access to 'x\"y'"));
    for (std::uint64_t v : { std::uint64_t(0), std::uint64_t(1), std::numeric_limits<std::uint64_t>::max() })
        QCOMPARE(api::read::changeCounter(api::write::changeCounter(v)), v);
}

namespace {

/// A slim row (api::write::traceDetail's "rows" shape) with its 18 fields; `fields` replaces the
/// text of the fields it names.
std::string slimRow(std::initializer_list<std::pair<int, const char *>> fields = {}, int count = 18)
{
    std::vector<std::string> f { "null", "null", "0", "false", "\"llm\"", "\"ok\"", "\"1\"", "\"2\"", "0", "0", "0",
        "0", "0", "0", "0", "0", "[]", "null" };
    for (const auto &[index, text] : fields)
        f[static_cast<std::size_t>(index)] = text;
    f.resize(static_cast<std::size_t>(count), "0");
    std::string out = "[";
    for (std::size_t i = 0; i < f.size(); ++i)
        out += (i ? "," : "") + f[i];
    return out + "]";
}

/// Calls the reader named `reader` on `json` and returns what it threw ("" when it did not).
std::string readerError(const QString &reader, const std::string &json)
{
    try {
        if (reader == QLatin1String("tracePage"))
            api::read::tracePage(json);
        else if (reader == QLatin1String("traceDetail"))
            api::read::traceDetail(json);
        else if (reader == QLatin1String("spanAnswer"))
            api::read::spanAnswer(json);
        else if (reader == QLatin1String("sessionPage"))
            api::read::sessionPage(json);
        else if (reader == QLatin1String("sessionTraces"))
            api::read::sessionTraces(json);
        else if (reader == QLatin1String("metrics"))
            api::read::metrics(json);
        else if (reader == QLatin1String("changeCounter"))
            api::read::changeCounter(json);
        else if (reader == QLatin1String("login"))
            api::read::login(json);
        else if (reader == QLatin1String("me"))
            api::read::me(json);
        else
            return "no such reader: " + reader.toStdString();
    } catch (const api::ApiJsonError &e) {
        return e.what();
    }
    return {};
}

} // namespace

void TestApiWire::refusesBrokenAnswers_data()
{
    // What a server that is broken, or not ours, may answer: each reader refuses it with an error
    // that names the field, never a crash or a half-read answer.
    QTest::addColumn<QString>("reader");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const auto row = [](const char *name, const char *reader, const std::string &json, const char *error) {
        QTest::newRow(name) << QString::fromLatin1(reader) << QByteArray::fromStdString(json)
                            << QString::fromUtf8(error);
    };
    // The reader's own grammar.
    row("empty body", "tracePage", "", "unexpected end of the answer");
    row("array", "tracePage", "[]", "answer: expected an object");
    row("text after", "tracePage", R"({"traces":[]} x)", "unexpected text after the answer");
    row("bare key", "tracePage", R"({traces:[]})", "answer: expected a key");
    row("no colon", "tracePage", R"({"traces" []})", "answer: expected ':'");
    row("no comma", "tracePage", R"({"traces":[] "next_cursor":null})", "answer: expected ',' or '}'");
    row("traces not an array", "tracePage", R"({"traces":{}})", "traces: expected an array");
    row("no comma in array", "tracePage", R"({"traces":[{} {}]})", "traces: expected ',' or ']'");
    row("traces missing", "tracePage", R"({"next_cursor":null})", "traces: missing");
    row("short id", "tracePage", R"({"traces":[{"trace_id":"abc"}]})",
        "trace.trace_id: expected 32 hex digits, got 'abc'");
    row("name a number", "tracePage", R"({"traces":[{"name":5}]})", "trace.name: expected a string");
    row("fractional count", "tracePage", R"({"traces":[{"span_count":1.5}]})",
        "trace.span_count: expected an integer, got 1.5");
    row("count as text", "tracePage", R"({"traces":[{"span_count":"7"}]})", "trace.span_count: expected a number");
    row("time not decimal", "tracePage", R"({"traces":[{"start_time_unix_nano":"12x"}]})",
        "trace.start_time_unix_nano: expected a decimal integer, got '12x'");
    row("time empty", "tracePage", R"({"traces":[{"end_time_unix_nano":""}]})",
        "trace.end_time_unix_nano: expected a decimal integer, got ''");
    row("cost as text", "tracePage", R"({"traces":[{"cost_usd":"free"}]})", "trace.cost_usd: expected a number");
    row("cost cut short", "tracePage", R"({"traces":[{"cost_usd":1e}]})", "trace.cost_usd: expected a number, got 1e");
    row("token as text", "tracePage", R"({"traces":[{"tokens":{"input":"x"}}]})", "trace.tokens: expected a number");
    row("model a number", "tracePage", R"({"traces":[{"models":["a",1]}]})", "trace.models: expected a string");
    row("bad escape", "tracePage", R"({"traces":[{"name":"a\qb"}]})", "trace.name: bad escape in a string");
    row("high surrogate alone", "tracePage", R"({"traces":[{"name":"\ud800"}]})", "trace.name: unpaired surrogate");
    row("high surrogate, no low", "tracePage", R"({"traces":[{"name":"\ud800\u0041"}]})",
        "trace.name: unpaired surrogate");
    row("low surrogate alone", "tracePage", R"({"traces":[{"name":"\udc00"}]})", "trace.name: unpaired surrogate");
    row("bad hex", "tracePage", R"({"traces":[{"name":"\u00zz"}]})", "trace.name: bad \\u escape");
    row("unterminated string", "tracePage", R"({"traces":[{"name":"abc)", "trace.name: unterminated string");
    row("backslash at end", "tracePage", R"({"traces":[{"name":"abc\)", "trace.name: unterminated string");
    row("unknown value unterminated", "tracePage", R"({"traces":[{"future":{"a":[1,2})", "value: unterminated value");
    row("unknown value, bad word", "tracePage", R"({"traces":[{"future":tru}]})", "expected true");
    row("unknown value, bad null", "tracePage", R"({"traces":[{"future":nul}]})", "expected null");
    row("unknown value, bad false", "tracePage", R"({"traces":[{"future":fals}]})", "expected false");
    row("unknown value, no value", "tracePage", R"({"traces":[{"future":@}]})", "value: expected a number");
    row("highlight of one", "tracePage", R"({"traces":[{}],"matches":[{"highlights":[[1]]}]})",
        "matches[].highlights: each is [begin, end]");
    row("highlight before 0", "tracePage", R"({"traces":[{}],"matches":[{"highlights":[[-1,2]]}]})",
        "matches[].highlights: each is [begin, end]");
    row("highlight past 1 Mi", "tracePage", R"({"traces":[{}],"matches":[{"highlights":[[0,2000000]]}]})",
        "matches[].highlights: each is [begin, end]");
    // Spans.
    row("span missing", "spanAnswer", R"({"trace":{}})", "span: missing");
    row("otel kind above 255", "spanAnswer", R"({"span":{"otel_kind":256}})", "span.otel_kind: out of range");
    row("otel kind negative", "spanAnswer", R"({"span":{"otel_kind":-1}})", "span.otel_kind: out of range");
    row("events an object", "spanAnswer", R"({"span":{"events":{}}})", "span.events: expected an array of events");
    row("events text", "spanAnswer", R"({"span":{"events":"x"}})", "span.events: expected an array of events");
    row("events too deep", "spanAnswer", R"({"span":{"events":)" + std::string(300, '[') + std::string(300, ']') + "}}",
        "span.events: expected an array of events");
    row("links unbalanced", "spanAnswer", R"({"span":{"links":[1,}}})", "span.links: expected an array of links");
    row("attributes an array", "spanAnswer", R"({"span":{"attributes":[1]}})", "span.attributes: expected an object");
    row("attributes broken", "spanAnswer", R"({"span":{"attributes":{"a":}}})",
        "span.attributes: attributes: must be a JSON object");
    row("resource too deep", "spanAnswer",
        R"({"span":{"resource":{"a":)" + std::string(300, '[') + std::string(300, ']') + "}}}",
        "span.resource: nested deeper than 256 levels");
    row("status code a number", "spanAnswer", R"({"span":{"status":{"code":1}}})",
        "span.status.code: expected a string");
    row("status an array", "spanAnswer", R"({"span":{"status":[]}})", "span.status: expected an object");
    row("span token true", "spanAnswer", R"({"span":{"tokens":{"input":true}}})", "span.tokens: expected a number");
    row("span cost as text", "spanAnswer", R"({"span":{"cost_usd":"1"}})", "span.cost_usd: expected a number");
    // Trace details, full and slim.
    row("trace missing", "traceDetail", R"({"complete":true})", "trace: missing");
    row("complete as text", "traceDetail", R"({"trace":{},"complete":"yes"})", "complete: expected true or false");
    row("rows after spans", "traceDetail", R"({"trace":{},"spans":[],"rows":[]})", "answer: rows after spans");
    row("spans after rows", "traceDetail", R"({"trace":{},"rows":[],"spans":[]})", "answer: spans after rows");
    row("strings after spans", "traceDetail", R"({"trace":{},"spans":[],"strings":[]})", "answer: strings after spans");
    row("span depth negative", "traceDetail", R"({"trace":{},"spans":[{"depth":-1}]})", "span.depth: out of range");
    row("span orphan a number", "traceDetail", R"({"trace":{},"spans":[{"orphan":1}]})",
        "span.orphan: expected true or false");
    row("strings not from empty", "traceDetail", R"({"trace":{},"strings":["x"],"rows":[]})",
        "strings: must start with the empty string");
    row("string number not in strings", "traceDetail",
        R"({"trace":{},"strings":[""],"rows":[)" + slimRow({ { 9, "5" } }) + "]}",
        "rows[]: string number 5 is not in strings");
    row("row of 17 fields", "traceDetail", R"({"trace":{},"strings":[""],"rows":[)" + slimRow({}, 17) + "]}",
        "rows[]: expected 18 fields, got 17");
    row("row depth negative", "traceDetail", R"({"trace":{},"strings":[""],"rows":[)" + slimRow({ { 2, "-1" } }) + "]}",
        "rows[].depth: out of range");
    row("row string number negative", "traceDetail",
        R"({"trace":{},"strings":[""],"rows":[)" + slimRow({ { 12, "-1" } }) + "]}",
        "rows[]: a string number out of range");
    row("row of 7 token counts", "traceDetail",
        R"({"trace":{},"strings":[""],"rows":[)" + slimRow({ { 16, "[1,2,3,4,5,6,7]" } }) + "]}",
        "rows[].tokens: more than 6 counts");
    row("row orphan as text", "traceDetail",
        R"({"trace":{},"strings":[""],"rows":[)" + slimRow({ { 3, "\"no\"" } }) + "]}",
        "rows[].orphan: expected true or false");
    // Sessions, metrics, changes and accounts.
    row("sessions missing", "sessionPage", R"({"next_cursor":null})", "sessions: missing");
    row("session id null", "sessionPage", R"({"sessions":[{"session_id":null}]})",
        "session.session_id: expected a string");
    row("session traces missing", "sessionTraces", R"({"session_id":"s"})", "traces: missing");
    row("buckets missing", "metrics", R"({"totals":{}})", "buckets: missing");
    row("latency an array", "metrics", R"({"buckets":[{"trace_latency_ns":[]}]})",
        "bucket.trace_latency_ns: expected an object");
    row("error example id", "metrics", R"({"buckets":[],"top_errors":[{"example_trace_id":"xyz"}]})",
        "top_errors.example_trace_id: expected 32 hex digits, got 'xyz'");
    row("counter missing", "changeCounter", R"({})", "change_counter: missing");
    row("counter negative", "changeCounter", R"({"change_counter":"-1"})",
        "change_counter: expected a decimal integer, got '-1'");
    row("counter past 64 bits", "changeCounter", R"({"change_counter":"18446744073709551616"})",
        "change_counter: expected a decimal integer, got '18446744073709551616'");
    row("token missing", "login", R"({"user":null,"projects":[]})", "token: missing");
    row("project id as text", "login", R"({"token":"t","projects":[{"id":"1"}]})", "project.id: expected a number");
    row("projects an object", "login", R"({"token":"t","projects":{}})", "projects: expected an array");
    row("email a number", "me", R"({"user":{"email":3}})", "user.email: expected a string");
}

void TestApiWire::refusesBrokenAnswers()
{
    QFETCH(QString, reader);
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const QString thrown = QString::fromStdString(readerError(reader, json.toStdString()));
    QVERIFY2(thrown.startsWith(error + QLatin1String(" (at byte ")), qPrintable(thrown));
}

void TestApiWire::readsWhatOtherServersSend()
{
    // What another writer may send and a reader must take: times as numbers, nulls for optional
    // values, fields this build does not know (skipped however they nest), a kind or status it does
    // not know, and a total from a server that predates priced_spans (a cost above 0 was priced).
    const auto page = api::read::tracePage(
        R"( { "traces" : [ {"trace_id":null,"start_time_unix_nano":12,"end_time_unix_nano":"15","span_count":2,)"
        R"("tokens":{"input":null,"output":3,"future":9},"models":[],"cost_usd":0.5,)"
        R"("future":{"x":[1,{"y":"]}"}],"z":[]},"flag":true,"off":false,"none":null,"neg":-1e3,"s":"}]"},)"
        R"({"cost_usd":0},{"cost_usd":null,"unpriced_spans":4}],"next_cursor":"c"} )");
    QCOMPARE(page.traces.size(), std::size_t(3));
    const auto &t = page.traces[0];
    QVERIFY(core::isZero(t.trace_id));
    QCOMPARE(t.start_ns, std::int64_t(12));
    QCOMPARE(t.end_ns, std::int64_t(15));
    QCOMPARE(t.span_count, std::int64_t(2));
    QCOMPARE(t.input_tokens, std::int64_t(0));
    QCOMPARE(t.output_tokens, std::int64_t(3));
    QCOMPARE(t.cost_usd, 0.5);
    QCOMPARE(t.priced_spans, std::int64_t(1));
    QCOMPARE(page.traces[1].priced_spans, std::int64_t(0));
    QCOMPARE(page.traces[2].cost_usd, 0.0);
    QCOMPARE(page.traces[2].priced_spans, std::int64_t(0));
    QCOMPARE(page.traces[2].unpriced_spans, std::int64_t(4));
    QCOMPARE(page.next_cursor, std::string("c"));
    QVERIFY(!page.searched);

    const auto span = api::read::spanAnswer(
        R"({"span":{"kind":"kind-of-tomorrow","status":{"code":"maybe","message":null,"future":1},)"
        R"("scope":{"name":"s","version":null,"future":[]},"events":null,"links":null,"attributes":null,)"
        R"("tokens":{"input":4,"future":{}},"cost_usd":null,"depth":3,"orphan":true,"duration_ns":"9"},"x":1})");
    QCOMPARE(int(span.kind), int(core::SpanKind::Other));
    QCOMPARE(int(span.status), int(core::StatusCode::Unset));
    QCOMPARE(span.scope_name, std::string("s"));
    QVERIFY(span.scope_version.empty());
    QVERIFY(span.events.empty() && span.links.empty() && span.attributes.empty());
    QCOMPARE(span.tokens.input, std::optional<std::int64_t>(4));
    QVERIFY(!span.tokens.output);
    QVERIFY(!span.cost_usd);

    // The error message of an error answer, and "" for anything else.
    QCOMPARE(api::read::errorMessage(R"({"other":[1],"error":{"code":"x","message":"no"}})"), std::string("no"));
    QCOMPARE(api::read::errorMessage(R"({"error":{"code":"x"}})"), std::string());
    QCOMPARE(api::read::errorMessage(R"({"error":{"message":null}})"), std::string());
    QCOMPARE(api::read::errorMessage("<html>502 Bad Gateway</html>"), std::string());
    QCOMPARE(api::read::errorMessage(R"({"error":{"message":"x"}} trailing)"), std::string());
    QCOMPARE(api::read::changeCounter(R"({"change_counter":42,"future":null})"), std::uint64_t(42));

    const auto me = api::read::me(R"({"user":null,"api_key":null,"projects":[{"id":1,"future":2}],"x":"y"})");
    QVERIFY(!me.has_user && !me.has_api_key);
    QCOMPARE(me.projects.size(), std::size_t(1));
    QCOMPARE(me.projects[0].id, std::int64_t(1));
    const auto login
        = api::read::login(R"({"token":"t","expires_at_unix_nano":"5","user":{"email":null,"name":"N","x":1}})");
    QCOMPARE(login.token, std::string("t"));
    QCOMPARE(login.identity.session_expires_ns, std::int64_t(5));
    QVERIFY(login.identity.has_user);
    QVERIFY(login.identity.email.empty());
    QCOMPARE(login.identity.name, std::string("N"));
}

QTEST_GUILESS_MAIN(TestApiWire)
#include "tst_apiwire.moc"

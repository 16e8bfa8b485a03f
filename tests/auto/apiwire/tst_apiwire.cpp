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
    const auto prices = core::shippedPriceTable();
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

QTEST_GUILESS_MAIN(TestApiWire)
#include "tst_apiwire.moc"

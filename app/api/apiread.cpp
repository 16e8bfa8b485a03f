// SPDX-License-Identifier: MIT
#include "api/apiwire.h"

#include "core/spanjson.h"

#include <charconv>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

namespace agentops::api::read {

namespace {

/// A pull reader over one JSON text: the caller walks the shape it expects, the reader checks it.
/// Attribute objects, events and links are handed back as their raw text to the same core readers
/// the store decodes its columns with, so what comes back is exactly what the store holds.
/// Containers are walked by the caller's code, whose depth is fixed by the API's shapes; values the
/// caller does not know are skipped without recursion, so no input can nest the stack deep.
class Reader
{
public:
    explicit Reader(std::string_view text)
        : m_s(text)
    { }

    [[noreturn]] void fail(const std::string &what) const
    {
        throw ApiJsonError(what + " (at byte " + std::to_string(m_pos) + ")");
    }

    char peek()
    {
        skipSpace();
        if (m_pos >= m_s.size())
            fail("unexpected end of the answer");
        return m_s[m_pos];
    }

    /// Consumes a null if one comes next.
    bool null()
    {
        if (peek() == 'n') {
            literal("null");
            return true;
        }
        return false;
    }

    /// Walks an object: onKey(key) must read (or skip) the value.
    template<typename F>
    void object(const char *what, F &&onKey)
    {
        if (peek() != '{')
            fail(std::string(what) + ": expected an object");
        ++m_pos;
        if (peek() == '}') {
            ++m_pos;
            return;
        }
        for (;;) {
            if (peek() != '"')
                fail(std::string(what) + ": expected a key");
            const std::string key = string(what);
            if (peek() != ':')
                fail(std::string(what) + ": expected ':'");
            ++m_pos;
            onKey(key);
            const char c = peek();
            ++m_pos;
            if (c == ',')
                continue;
            if (c == '}')
                return;
            fail(std::string(what) + ": expected ',' or '}'");
        }
    }

    template<typename F>
    void array(const char *what, F &&onElement)
    {
        if (peek() != '[')
            fail(std::string(what) + ": expected an array");
        ++m_pos;
        if (peek() == ']') {
            ++m_pos;
            return;
        }
        for (;;) {
            onElement();
            const char c = peek();
            ++m_pos;
            if (c == ',')
                continue;
            if (c == ']')
                return;
            fail(std::string(what) + ": expected ',' or ']'");
        }
    }

    std::string string(const char *what)
    {
        if (peek() != '"')
            fail(std::string(what) + ": expected a string");
        ++m_pos;
        std::string out;
        for (;;) {
            const auto stop = m_s.find_first_of("\"\\", m_pos);
            if (stop == std::string_view::npos)
                fail(std::string(what) + ": unterminated string");
            out.append(m_s.data() + m_pos, stop - m_pos);
            m_pos = stop + 1;
            if (m_s[stop] == '"')
                return out;
            if (m_pos >= m_s.size())
                fail(std::string(what) + ": unterminated string");
            switch (m_s[m_pos++]) {
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case '/': out.push_back('/'); break;
            case 'b': out.push_back('\b'); break;
            case 'f': out.push_back('\f'); break;
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'u': {
                std::uint32_t cp = hex4(what);
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (m_s.substr(m_pos, 2) != "\\u")
                        fail(std::string(what) + ": unpaired surrogate");
                    m_pos += 2;
                    const std::uint32_t low = hex4(what);
                    if (low < 0xDC00 || low > 0xDFFF)
                        fail(std::string(what) + ": unpaired surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail(std::string(what) + ": unpaired surrogate");
                }
                core::appendUtf8(out, cp);
                break;
            }
            default: fail(std::string(what) + ": bad escape in a string");
            }
        }
    }

    /// A string, or "" for null.
    std::string optString(const char *what) { return null() ? std::string() : string(what); }

    std::int64_t integer(const char *what)
    {
        const auto token = numberToken(what);
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
        if (ec != std::errc() || p != token.data() + token.size())
            fail(std::string(what) + ": expected an integer, got " + std::string(token));
        return v;
    }

    std::optional<std::int64_t> optInteger(const char *what)
    {
        if (null())
            return std::nullopt;
        return integer(what);
    }

    double number(const char *what)
    {
        const auto token = numberToken(what);
        double v = 0;
        auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
        if (ec != std::errc() || p != token.data() + token.size())
            fail(std::string(what) + ": expected a number, got " + std::string(token));
        return v;
    }

    /// Nanoseconds (and other 64-bit counts) as the API writes them: a decimal string; a number is
    /// accepted too.
    template<typename T = std::int64_t>
    T decimal(const char *what)
    {
        if (peek() != '"') {
            const auto token = numberToken(what);
            return parseDecimal<T>(token, what);
        }
        const std::string s = string(what);
        return parseDecimal<T>(s, what);
    }

    bool boolean(const char *what)
    {
        if (peek() == 't') {
            literal("true");
            return true;
        }
        if (peek() == 'f') {
            literal("false");
            return false;
        }
        fail(std::string(what) + ": expected true or false");
    }

    /// Skips one value and returns its text.
    std::string_view raw(const char *what)
    {
        const char c = peek();
        const std::size_t start = m_pos;
        if (c == '"') {
            string(what);
        } else if (c == '{' || c == '[') {
            std::size_t depth = 0;
            while (m_pos < m_s.size()) {
                const char d = m_s[m_pos];
                if (d == '"') {
                    string(what);
                    continue;
                }
                ++m_pos;
                if (d == '{' || d == '[') {
                    ++depth;
                } else if (d == '}' || d == ']') {
                    if (--depth == 0)
                        return m_s.substr(start, m_pos - start);
                }
            }
            fail(std::string(what) + ": unterminated value");
        } else if (c == 't') {
            literal("true");
        } else if (c == 'f') {
            literal("false");
        } else if (c == 'n') {
            literal("null");
        } else {
            numberToken(what);
        }
        return m_s.substr(start, m_pos - start);
    }
    void skip() { raw("value"); }

    void end()
    {
        skipSpace();
        if (m_pos != m_s.size())
            fail("unexpected text after the answer");
    }

private:
    void skipSpace()
    {
        while (
            m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\n' || m_s[m_pos] == '\t' || m_s[m_pos] == '\r'))
            ++m_pos;
    }
    void literal(std::string_view word)
    {
        if (m_s.substr(m_pos, word.size()) != word)
            fail("expected " + std::string(word));
        m_pos += word.size();
    }
    std::string_view numberToken(const char *what)
    {
        skipSpace();
        const std::size_t start = m_pos;
        while (m_pos < m_s.size() && std::string_view("0123456789+-.eE").find(m_s[m_pos]) != std::string_view::npos)
            ++m_pos;
        if (m_pos == start)
            fail(std::string(what) + ": expected a number");
        return m_s.substr(start, m_pos - start);
    }
    template<typename T>
    T parseDecimal(std::string_view s, const char *what)
    {
        T v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc() || p != s.data() + s.size())
            fail(std::string(what) + ": expected a decimal integer, got '" + std::string(s) + "'");
        return v;
    }
    std::uint32_t hex4(const char *what)
    {
        std::uint32_t cp = 0;
        if (!core::readJsonHex4(m_s, m_pos, cp))
            fail(std::string(what) + ": bad \\u escape");
        return cp;
    }

    std::string_view m_s;
    std::size_t m_pos = 0;
};

template<std::size_t N>
void readId(Reader &r, const char *what, std::array<std::uint8_t, N> &out)
{
    if (r.null()) {
        out = {};
        return;
    }
    const std::string hex = r.string(what);
    if (!hex.empty() && !core::fromHex(hex, out))
        r.fail(std::string(what) + ": expected " + std::to_string(2 * N) + " hex digits, got '" + hex + "'");
}

core::Attributes readAttributes(Reader &r, const char *what)
{
    core::Attributes out;
    if (r.null())
        return out;
    if (r.peek() != '{')
        r.fail(std::string(what) + ": expected an object");
    std::string error;
    const auto text = r.raw(what);
    // The general parser behind attributesFromJson recurses: bound the nesting of what a server sent.
    if (core::jsonNestingExceeds(text, 256))
        r.fail(std::string(what) + ": nested deeper than 256 levels");
    if (!core::attributesFromJson(text, out, &error))
        r.fail(std::string(what) + ": " + error);
    return out;
}

/// The cost fields of a total (trace, session, time bucket; core::appendTotalCostJson): the cost is
/// null when nothing was priced. A server that predates priced_spans sends a number for every total;
/// one above zero was priced.
/// A "tokens" object into the named counters; keys not named are skipped, a null counts 0.
void readTokens(Reader &r, const char *what, std::initializer_list<std::pair<std::string_view, std::int64_t *>> fields)
{
    r.object(what, [&](const std::string &k) {
        for (const auto &[name, field] : fields)
            if (k == name) {
                *field = r.optInteger(what).value_or(0);
                return;
            }
        r.skip();
    });
}

struct TotalCost
{
    std::optional<double> cost;
    std::optional<std::int64_t> priced;
    std::int64_t unpriced = 0;

    /// Reads the field when key is one of the three; false for any other key.
    bool read(Reader &r, const std::string &key, const std::string &what)
    {
        if (key == "cost_usd")
            cost = r.null() ? std::nullopt : std::optional<double>(r.number((what + ".cost_usd").c_str()));
        else if (key == "priced_spans")
            priced = r.integer((what + ".priced_spans").c_str());
        else if (key == "unpriced_spans")
            unpriced = r.integer((what + ".unpriced_spans").c_str());
        else
            return false;
        return true;
    }

    template<typename Total>
    void applyTo(Total &t) const
    {
        t.cost_usd = cost.value_or(0);
        t.priced_spans = priced.value_or(cost && *cost > 0 ? 1 : 0);
        t.unpriced_spans = unpriced;
    }
};

core::TraceSummary readSummary(Reader &r)
{
    core::TraceSummary t;
    TotalCost cost;
    r.object("trace", [&](const std::string &key) {
        if (cost.read(r, key, "trace")) {
        } else if (key == "trace_id") {
            readId(r, "trace.trace_id", t.trace_id);
        } else if (key == "root_span_id") {
            t.root_span_id = r.optString("trace.root_span_id");
        } else if (key == "name") {
            t.name = r.string("trace.name");
        } else if (key == "service_name") {
            t.service_name = r.string("trace.service_name");
        } else if (key == "start_time_unix_nano") {
            t.start_ns = r.decimal("trace.start_time_unix_nano");
        } else if (key == "end_time_unix_nano") {
            t.end_ns = r.decimal("trace.end_time_unix_nano");
        } else if (key == "span_count") {
            t.span_count = r.integer("trace.span_count");
        } else if (key == "error_count") {
            t.error_count = r.integer("trace.error_count");
        } else if (key == "tokens") {
            readTokens(r, "trace.tokens",
                { { "input", &t.input_tokens }, { "output", &t.output_tokens }, { "total", &t.total_tokens },
                    { "cache_read", &t.cache_read_tokens }, { "cache_write", &t.cache_write_tokens },
                    { "reasoning", &t.reasoning_tokens } });
        } else if (key == "models") {
            r.array("trace.models", [&] { t.models.push_back(r.string("trace.models")); });
        } else if (key == "session_id") {
            t.session_id = r.optString("trace.session_id");
        } else if (key == "user_id") {
            t.user_id = r.optString("trace.user_id");
        } else {
            r.skip(); // start_time, duration_ns: derived
        }
    });
    cost.applyTo(t);
    return t;
}

core::Span readSpan(Reader &r, int *depth, bool *orphan)
{
    core::Span s;
    r.object("span", [&](const std::string &key) {
        if (key == "trace_id") {
            readId(r, "span.trace_id", s.trace_id);
        } else if (key == "span_id") {
            readId(r, "span.span_id", s.span_id);
        } else if (key == "parent_span_id") {
            readId(r, "span.parent_span_id", s.parent_span_id);
        } else if (key == "trace_state") {
            s.trace_state = r.optString("span.trace_state");
        } else if (key == "name") {
            s.name = r.string("span.name");
        } else if (key == "kind") {
            const std::string kind = r.string("span.kind");
            const auto k = core::spanKindFromString(kind);
            s.kind = k.value_or(core::SpanKind::Other); // a kind newer than this build reads as "other"
        } else if (key == "otel_kind") {
            const auto k = r.integer("span.otel_kind");
            if (k < 0 || k > 255)
                r.fail("span.otel_kind: out of range");
            s.otel_kind = static_cast<std::uint8_t>(k);
        } else if (key == "start_time_unix_nano") {
            s.start_ns = r.decimal("span.start_time_unix_nano");
        } else if (key == "end_time_unix_nano") {
            s.end_ns = r.decimal("span.end_time_unix_nano");
        } else if (key == "status") {
            r.object("span.status", [&](const std::string &k) {
                if (k == "code") {
                    const std::string code = r.string("span.status.code");
                    s.status = code == "ok" ? core::StatusCode::Ok
                        : code == "error"   ? core::StatusCode::Error
                                            : core::StatusCode::Unset;
                } else if (k == "message") {
                    s.status_message = r.optString("span.status.message");
                } else {
                    r.skip();
                }
            });
        } else if (key == "service_name") {
            s.service_name = r.optString("span.service_name");
        } else if (key == "scope") {
            r.object("span.scope", [&](const std::string &k) {
                if (k == "name")
                    s.scope_name = r.optString("span.scope.name");
                else if (k == "version")
                    s.scope_version = r.optString("span.scope.version");
                else
                    r.skip();
            });
        } else if (key == "request_model") {
            s.request_model = r.optString("span.request_model");
        } else if (key == "response_model") {
            s.response_model = r.optString("span.response_model");
        } else if (key == "provider") {
            s.provider = r.optString("span.provider");
        } else if (key == "agent_name") {
            s.agent_name = r.optString("span.agent_name");
        } else if (key == "tool_name") {
            s.tool_name = r.optString("span.tool_name");
        } else if (key == "tokens") {
            r.object("span.tokens", [&](const std::string &k) {
                std::optional<std::int64_t> *field = k == "input" ? &s.tokens.input
                    : k == "output"                               ? &s.tokens.output
                    : k == "total"                                ? &s.tokens.total
                    : k == "cache_read"                           ? &s.tokens.cache_read
                    : k == "cache_write"                          ? &s.tokens.cache_write
                    : k == "reasoning"                            ? &s.tokens.reasoning
                                                                  : nullptr;
                if (field)
                    *field = r.optInteger("span.tokens");
                else
                    r.skip();
            });
        } else if (key == "cost_usd") {
            if (r.null())
                s.cost_usd.reset();
            else
                s.cost_usd = r.number("span.cost_usd");
        } else if (key == "price_ref") {
            s.price_ref = r.optString("span.price_ref");
        } else if (key == "input") {
            s.input = r.optString("span.input");
        } else if (key == "output") {
            s.output = r.optString("span.output");
        } else if (key == "session_id") {
            s.session_id = r.optString("span.session_id");
        } else if (key == "user_id") {
            s.user_id = r.optString("span.user_id");
        } else if (key == "attributes") {
            s.attributes = readAttributes(r, "span.attributes");
        } else if (key == "resource") {
            s.resource = readAttributes(r, "span.resource");
        } else if (key == "events") {
            if (!r.null()) {
                std::string error;
                const auto text = r.peek() == '[' ? r.raw("span.events") : std::string_view();
                if (text.empty() || core::jsonNestingExceeds(text, 256)
                    || !core::eventsFromJson(text, s.events, &error))
                    r.fail("span.events: expected an array of events");
            }
        } else if (key == "links") {
            if (!r.null()) {
                std::string error;
                const auto text = r.peek() == '[' ? r.raw("span.links") : std::string_view();
                if (text.empty() || core::jsonNestingExceeds(text, 256) || !core::linksFromJson(text, s.links, &error))
                    r.fail("span.links: expected an array of links");
            }
        } else if (key == "dropped_attributes_count") {
            s.dropped_attributes = static_cast<std::uint32_t>(r.integer("span.dropped_attributes_count"));
        } else if (key == "dropped_events_count") {
            s.dropped_events = static_cast<std::uint32_t>(r.integer("span.dropped_events_count"));
        } else if (key == "dropped_links_count") {
            s.dropped_links = static_cast<std::uint32_t>(r.integer("span.dropped_links_count"));
        } else if (key == "depth" && depth) {
            const auto d = r.integer("span.depth");
            if (d < 0 || d > 1'000'000'000)
                r.fail("span.depth: out of range");
            *depth = static_cast<int>(d);
        } else if (key == "orphan" && orphan) {
            *orphan = r.boolean("span.orphan");
        } else {
            r.skip(); // duration_ns: derived
        }
    });
    return s;
}

store::MetricsBucket readBucket(Reader &r, const char *what)
{
    store::MetricsBucket b;
    TotalCost cost;
    auto percentiles = [&](const char *name, std::optional<std::int64_t> &p50, std::optional<std::int64_t> &p95,
                           std::optional<std::int64_t> &p99) {
        if (r.null())
            return;
        r.object(name, [&](const std::string &k) {
            if (k == "p50")
                p50 = r.optInteger(name);
            else if (k == "p95")
                p95 = r.optInteger(name);
            else if (k == "p99")
                p99 = r.optInteger(name);
            else
                r.skip();
        });
    };
    r.object(what, [&](const std::string &key) {
        if (key == "start_time_unix_nano") {
            b.start_ns = r.decimal("bucket.start_time_unix_nano");
        } else if (key == "group") {
            b.group = r.optString("bucket.group");
        } else if (key == "traces") {
            b.traces = r.integer("bucket.traces");
        } else if (key == "spans") {
            b.spans = r.integer("bucket.spans");
        } else if (key == "error_spans") {
            b.error_spans = r.integer("bucket.error_spans");
        } else if (key == "error_traces") {
            b.error_traces = r.integer("bucket.error_traces");
        } else if (key == "tokens") {
            readTokens(r, "bucket.tokens",
                { { "input", &b.input_tokens }, { "output", &b.output_tokens }, { "cache_read", &b.cache_read_tokens },
                    { "cache_write", &b.cache_write_tokens }, { "reasoning", &b.reasoning_tokens } });
        } else if (cost.read(r, key, "bucket")) {
        } else if (key == "trace_latency_ns") {
            percentiles("bucket.trace_latency_ns", b.trace_p50_ns, b.trace_p95_ns, b.trace_p99_ns);
        } else if (key == "llm_latency_ns") {
            percentiles("bucket.llm_latency_ns", b.llm_p50_ns, b.llm_p95_ns, b.llm_p99_ns);
        } else {
            r.skip();
        }
    });
    cost.applyTo(b);
    return b;
}

std::vector<core::TraceSummary> readSummaries(Reader &r, const char *what)
{
    std::vector<core::TraceSummary> out;
    r.array(what, [&] { out.push_back(readSummary(r)); });
    return out;
}

void readProjects(Reader &r, std::vector<Project> &out)
{
    r.array("projects", [&] {
        Project p;
        r.object("projects[]", [&](const std::string &k) {
            if (k == "id")
                p.id = r.integer("project.id");
            else if (k == "name")
                p.name = r.string("project.name");
            else
                r.skip();
        });
        out.push_back(std::move(p));
    });
}

void readUser(Reader &r, Identity &id)
{
    if (r.null())
        return;
    id.has_user = true;
    r.object("user", [&](const std::string &k) {
        if (k == "email")
            id.email = r.optString("user.email");
        else if (k == "name")
            id.name = r.optString("user.name");
        else
            r.skip();
    });
}

store::SearchHit readHit(Reader &r)
{
    store::SearchHit h;
    r.object("matches[]", [&](const std::string &k) {
        if (k == "span_id")
            h.span_id = r.optString("matches[].span_id");
        else if (k == "span_name")
            h.span_name = r.optString("matches[].span_name");
        else if (k == "snippet")
            h.snippet = r.optString("matches[].snippet");
        else if (k == "highlights")
            r.array("matches[].highlights", [&] {
                std::vector<std::int64_t> pair;
                r.array("matches[].highlights[]", [&] { pair.push_back(r.integer("matches[].highlights[][]")); });
                if (pair.size() != 2 || pair[0] < 0 || pair[1] < pair[0] || pair[1] > (1 << 20))
                    r.fail("matches[].highlights: each is [begin, end]");
                h.highlights.emplace_back(static_cast<int>(pair[0]), static_cast<int>(pair[1]));
            });
        else
            r.skip();
    });
    return h;
}

} // namespace

store::TracePage tracePage(std::string_view json)
{
    Reader r(json);
    store::TracePage page;
    bool seen = false;
    r.object("answer", [&](const std::string &key) {
        if (key == "traces") {
            page.traces = readSummaries(r, "traces");
            seen = true;
        } else if (key == "next_cursor") {
            page.next_cursor = r.optString("next_cursor");
        } else if (key == "matches") {
            page.searched = true;
            r.array("matches", [&] { page.hits.push_back(readHit(r)); });
        } else {
            r.skip();
        }
    });
    r.end();
    if (!seen)
        r.fail("traces: missing");
    if (!page.hits.empty() && page.hits.size() != page.traces.size())
        r.fail("matches: not one per trace");
    return page;
}

namespace {

/// One row of the slim shape (see api::write::traceDetail).
store::SpanTable::Row readSlimRow(Reader &r, int &depth, bool &orphan)
{
    store::SpanTable::Row row;
    int field = 0;
    r.array("rows[]", [&] {
        switch (field++) {
        case 0: readId(r, "rows[].span_id", row.span_id); break;
        case 1: readId(r, "rows[].parent_span_id", row.parent_span_id); break;
        case 2: {
            const auto d = r.integer("rows[].depth");
            if (d < 0 || d > std::numeric_limits<int>::max())
                r.fail("rows[].depth: out of range");
            depth = static_cast<int>(d);
            break;
        }
        case 3: orphan = r.boolean("rows[].orphan"); break;
        case 4: row.kind = core::spanKindFromString(r.string("rows[].kind")).value_or(core::SpanKind::Other); break;
        case 5: {
            const std::string code = r.string("rows[].status");
            row.status = code == "ok" ? core::StatusCode::Ok
                : code == "error"     ? core::StatusCode::Error
                                      : core::StatusCode::Unset;
            break;
        }
        case 6: row.start_ns = r.decimal("rows[].start"); break;
        case 7: row.end_ns = r.decimal("rows[].end"); break;
        case 8:
        case 9:
        case 10:
        case 11:
        case 12:
        case 13:
        case 14:
        case 15: {
            std::uint32_t *ids[] = { &row.name, &row.service, &row.request_model, &row.response_model, &row.provider,
                &row.agent, &row.tool, &row.status_message };
            const auto id = r.integer("rows[].string");
            if (id < 0 || id > std::numeric_limits<std::uint32_t>::max())
                r.fail("rows[]: a string number out of range");
            *ids[field - 9] = static_cast<std::uint32_t>(id);
            break;
        }
        case 16: {
            int k = 0;
            r.array("rows[].tokens", [&] {
                if (k >= 6)
                    r.fail("rows[].tokens: more than 6 counts");
                if (const auto v = r.optInteger("rows[].tokens[]")) {
                    row.tokens[k] = *v;
                    row.tokens_present |= static_cast<std::uint8_t>(1u << k);
                }
                ++k;
            });
            break;
        }
        case 17:
            row.has_cost = !r.null();
            if (row.has_cost)
                row.cost_usd = r.number("rows[].cost_usd");
            break;
        default: r.skip(); // a field newer than this build
        }
    });
    if (field < 18)
        r.fail("rows[]: expected 18 fields, got " + std::to_string(field));
    return row;
}

} // namespace

store::TraceDetail traceDetail(std::string_view json, TraceShape shape)
{
    Reader r(json);
    store::TraceDetail d;
    bool seenTrace = false, seenSpans = false, seenRows = false;
    std::optional<store::StringInterner> intern;
    r.object("answer", [&](const std::string &key) {
        // Spans or slim rows, once; never both.
        if ((key == "spans" || key == "rows" || key == "strings") && (seenSpans || (seenRows && key != "strings")))
            r.fail("answer: " + key + " after " + (seenSpans ? "spans" : "rows"));
        if (key == "trace") {
            d.summary = readSummary(r);
            seenTrace = true;
        } else if (key == "complete") {
            d.complete = r.boolean("complete");
        } else if (key == "spans") {
            seenSpans = true;
            d.table.strings.assign(1, std::string()); // strings sent with spans mean nothing
            r.array("spans", [&] {
                int depth = 0;
                bool orphan = false;
                core::Span span = readSpan(r, &depth, &orphan);
                if (shape == TraceShape::SlimWhenIncomplete && !d.complete && d.spans.empty()) {
                    // Held slim as it is read: a narrow core::Span lives only this long.
                    if (!intern)
                        intern.emplace(d.table.strings);
                    d.table.rows.push_back(store::SpanTable::rowOf(span, *intern));
                } else {
                    d.spans.push_back(std::move(span));
                }
                d.depth.push_back(depth);
                d.orphan.push_back(orphan);
            });
        } else if (key == "strings") {
            d.table.strings.clear();
            r.array("strings", [&] { d.table.strings.push_back(r.string("strings[]")); });
        } else if (key == "rows") {
            seenRows = true;
            r.array("rows", [&] {
                int depth = 0;
                bool orphan = false;
                d.table.rows.push_back(readSlimRow(r, depth, orphan));
                d.depth.push_back(depth);
                d.orphan.push_back(orphan);
            });
        } else {
            r.skip();
        }
    });
    r.end();
    if (!seenTrace)
        r.fail("trace: missing");
    if (seenRows) { // the slim shape: its string numbers must be in its strings
        if (d.table.strings.empty() || !d.table.strings[0].empty())
            r.fail("strings: must start with the empty string");
        for (const auto &row : d.table.rows)
            for (const std::uint32_t id : { row.name, row.service, row.request_model, row.response_model, row.provider,
                     row.agent, row.tool, row.status_message })
                if (id >= d.table.strings.size())
                    r.fail("rows[]: string number " + std::to_string(id) + " is not in strings");
    }
    if (shape == TraceShape::SlimWhenIncomplete && !d.complete && !d.spans.empty() && d.table.rows.empty()) {
        // "complete" came after the spans.
        d.table = store::SpanTable::fromSpans(d.spans);
        d.spans = {};
    } else if (shape == TraceShape::Spans && d.slim()) {
        d.spans = d.table.spans(d.summary.trace_id);
        d.table = {};
    }
    return d;
}

core::Span spanAnswer(std::string_view json)
{
    Reader r(json);
    std::optional<core::Span> span;
    r.object("answer", [&](const std::string &key) {
        if (key == "span")
            span = readSpan(r, nullptr, nullptr);
        else
            r.skip();
    });
    r.end();
    if (!span)
        r.fail("span: missing");
    return std::move(*span);
}

store::SessionPage sessionPage(std::string_view json)
{
    Reader r(json);
    store::SessionPage page;
    bool seen = false;
    r.object("answer", [&](const std::string &key) {
        if (key == "sessions") {
            seen = true;
            r.array("sessions", [&] {
                store::SessionSummary s;
                TotalCost cost;
                r.object("session", [&](const std::string &k) {
                    if (k == "session_id")
                        s.session_id = r.string("session.session_id");
                    else if (k == "user_id")
                        s.user_id = r.optString("session.user_id");
                    else if (k == "first_start_time_unix_nano")
                        s.first_start_ns = r.decimal("session.first_start_time_unix_nano");
                    else if (k == "last_end_time_unix_nano")
                        s.last_end_ns = r.decimal("session.last_end_time_unix_nano");
                    else if (k == "trace_count")
                        s.trace_count = r.integer("session.trace_count");
                    else if (k == "span_count")
                        s.span_count = r.integer("session.span_count");
                    else if (k == "error_count")
                        s.error_count = r.integer("session.error_count");
                    else if (k == "total_tokens")
                        s.total_tokens = r.integer("session.total_tokens");
                    else if (!cost.read(r, k, "session"))
                        r.skip();
                });
                cost.applyTo(s);
                page.sessions.push_back(std::move(s));
            });
        } else if (key == "next_cursor") {
            page.next_cursor = r.optString("next_cursor");
        } else {
            r.skip();
        }
    });
    r.end();
    if (!seen)
        r.fail("sessions: missing");
    return page;
}

std::vector<core::TraceSummary> sessionTraces(std::string_view json)
{
    Reader r(json);
    std::vector<core::TraceSummary> out;
    bool seen = false;
    r.object("answer", [&](const std::string &key) {
        if (key == "traces") {
            out = readSummaries(r, "traces");
            seen = true;
        } else {
            r.skip();
        }
    });
    r.end();
    if (!seen)
        r.fail("traces: missing");
    return out;
}

store::MetricsResult metrics(std::string_view json)
{
    Reader r(json);
    store::MetricsResult m;
    bool seen = false;
    r.object("answer", [&](const std::string &key) {
        if (key == "from_time_unix_nano") {
            m.from_ns = r.decimal("from_time_unix_nano");
        } else if (key == "to_time_unix_nano") {
            m.to_ns = r.decimal("to_time_unix_nano");
        } else if (key == "bucket_ns") {
            m.bucket_ns = r.decimal("bucket_ns");
        } else if (key == "buckets") {
            seen = true;
            r.array("buckets", [&] { m.buckets.push_back(readBucket(r, "buckets[]")); });
        } else if (key == "totals") {
            m.totals = readBucket(r, "totals");
        } else if (key == "slowest_traces") {
            m.slowest_traces = readSummaries(r, "slowest_traces");
        } else if (key == "costliest_traces") {
            m.costliest_traces = readSummaries(r, "costliest_traces");
        } else if (key == "top_errors") {
            r.array("top_errors", [&] {
                store::ErrorGroup e;
                r.object("top_errors[]", [&](const std::string &k) {
                    if (k == "span_name")
                        e.span_name = r.optString("top_errors.span_name");
                    else if (k == "message")
                        e.message = r.optString("top_errors.message");
                    else if (k == "count")
                        e.count = r.integer("top_errors.count");
                    else if (k == "last_seen_time_unix_nano")
                        e.last_seen_ns = r.decimal("top_errors.last_seen_time_unix_nano");
                    else if (k == "example_trace_id")
                        readId(r, "top_errors.example_trace_id", e.example_trace);
                    else
                        r.skip();
                });
                m.top_errors.push_back(std::move(e));
            });
        } else {
            r.skip();
        }
    });
    r.end();
    if (!seen)
        r.fail("buckets: missing");
    return m;
}

std::uint64_t changeCounter(std::string_view json)
{
    Reader r(json);
    std::optional<std::uint64_t> counter;
    r.object("answer", [&](const std::string &key) {
        if (key == "change_counter")
            counter = r.decimal<std::uint64_t>("change_counter");
        else
            r.skip();
    });
    r.end();
    if (!counter)
        r.fail("change_counter: missing");
    return *counter;
}

std::string errorMessage(std::string_view json)
{
    try {
        Reader r(json);
        std::string message;
        r.object("answer", [&](const std::string &key) {
            if (key != "error") {
                r.skip();
                return;
            }
            r.object("error", [&](const std::string &k) {
                if (k == "message")
                    message = r.optString("error.message");
                else
                    r.skip();
            });
        });
        r.end();
        return message;
    } catch (const ApiJsonError &) {
        return {};
    }
}

Identity me(std::string_view json)
{
    Reader r(json);
    Identity id;
    r.object("answer", [&](const std::string &key) {
        if (key == "user") {
            readUser(r, id);
        } else if (key == "api_key") {
            if (!r.null()) {
                id.has_api_key = true;
                r.skip();
            }
        } else if (key == "projects") {
            readProjects(r, id.projects);
        } else if (key == "session_expires_at_unix_nano") {
            id.session_expires_ns = r.decimal("session_expires_at_unix_nano");
        } else {
            r.skip();
        }
    });
    r.end();
    return id;
}

Login login(std::string_view json)
{
    Reader r(json);
    Login l;
    r.object("answer", [&](const std::string &key) {
        if (key == "token") {
            l.token = r.string("token");
        } else if (key == "expires_at_unix_nano") {
            l.identity.session_expires_ns = r.decimal("expires_at_unix_nano");
        } else if (key == "user") {
            readUser(r, l.identity);
        } else if (key == "projects") {
            readProjects(r, l.identity.projects);
        } else {
            r.skip();
        }
    });
    r.end();
    if (l.token.empty())
        r.fail("token: missing");
    return l;
}

} // namespace agentops::api::read

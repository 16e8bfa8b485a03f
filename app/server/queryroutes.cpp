// SPDX-License-Identifier: MIT
// The query API (traces, spans, sessions, dashboard metrics, prices, changes) and the probes
// (health, readiness, Prometheus metrics, the OpenAPI document).
#include "api/apiwire.h"
#include "core/pricing.h"
#include "core/span.h"
#include "core/spanjson.h"
#include "diff/tracediff.h"
#include "server/accounts.h"
#include "server/apiserver.h"
#include "server/projectstores.h"
#include "server/routeutil.h"
#include "store/metrics.h"

#include <charconv>
#include <climits>

namespace agentops::server {

using core::asciiLower;

namespace {

core::TraceId traceIdParam(const std::string &hex, const char *name = "trace_id")
{
    core::TraceId id {};
    if (!core::fromHex(hex, id) || core::isZero(id))
        throw ParamError { std::string(name) + ": must be 32 hex digits (not all zero), got '" + hex + "'" };
    return id;
}

/// Bounds of GET /api/v1/traces/diff (docs/api.md): the pairs listed, the pairs given a word diff and
/// the bytes of each text compared.
constexpr std::size_t kDiffMaxPairs = 10'000;
constexpr std::size_t kDiffMaxTextPairs = 20;
constexpr std::size_t kDiffMaxTextBytes = std::size_t { 16 } * 1024;

/// The word diffs of the first changed pairs whose texts differ. A trace loaded narrow has no
/// texts: its spans are read whole, one pair at a time.
void diffTexts(store::TraceStore &store, const store::TraceDetail &a, const store::TraceDetail &b,
    const diff::TraceDiff &d, api::write::TraceDiffAnswer &answer)
{
    for (std::size_t i = 0; i < d.pairs.size(); ++i) {
        const auto &p = d.pairs[i];
        if (p.state != diff::PairState::Changed)
            continue;
        if (d.content_compared && !(p.changes & (diff::InputChange | diff::OutputChange)))
            continue;
        if (answer.texts.size() == kDiffMaxTextPairs) {
            answer.texts_truncated = true;
            return;
        }
        std::optional<core::Span> wholeA, wholeB;
        const core::Span *sa = &a.spans[static_cast<std::size_t>(p.a)];
        const core::Span *sb = &b.spans[static_cast<std::size_t>(p.b)];
        if (!a.complete && (wholeA = store.span(a.summary.trace_id, sa->span_id)))
            sa = &*wholeA;
        if (!b.complete && (wholeB = store.span(b.summary.trace_id, sb->span_id)))
            sb = &*wholeB;
        auto text = diff::diffPairText(sa, sb, kDiffMaxTextBytes);
        if (!text.input.equal() || !text.output.equal())
            answer.texts.emplace_back(i, std::move(text));
    }
}

} // namespace

Scope ApiServer::resolve(const Request &req)
{
    return m_access->resolve(bearerToken(req), projectParam(req), false);
}

void ApiServer::listTraces(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req,
            { "from", "to", "service", "q", "name", "errors", "model", "session", "min_duration_ms", "min_cost", "sort",
                "order", "limit", "cursor" });
        store::TraceQuery q;
        q.from_ns = p.time("from");
        q.to_ns = p.time("to");
        q.service = p.text("service");
        q.text = p.text("q");
        q.name_contains = p.text("name");
        q.errors_only = p.boolean("errors");
        q.model = p.text("model");
        q.session_id = p.text("session");
        if (auto ms = p.number("min_duration_ms", 0))
            q.min_duration_ns = static_cast<std::int64_t>(*ms * 1e6);
        q.min_cost_usd = p.number("min_cost", 0);
        const std::string sort = p.has("sort") ? p.text("sort") : "start_time";
        static const std::pair<const char *, store::TraceSort> sorts[]
            = { { "start_time", store::TraceSort::StartTime }, { "duration", store::TraceSort::Duration },
                  { "cost", store::TraceSort::Cost }, { "tokens", store::TraceSort::Tokens },
                  { "spans", store::TraceSort::SpanCount }, { "errors", store::TraceSort::ErrorCount } };
        bool found = false;
        for (const auto &[name, value] : sorts) {
            if (sort == name) {
                q.sort = value;
                found = true;
            }
        }
        if (!found)
            throw ParamError { "sort: must be one of start_time, duration, cost, tokens, spans, errors; got '" + sort
                + "'" };
        const std::string order = p.has("order") ? p.text("order") : "desc";
        if (order != "asc" && order != "desc")
            throw ParamError { "order: must be asc or desc, got '" + order + "'" };
        q.descending = order == "desc";
        q.limit = p.integer("limit", 50, 1, 1000);
        q.cursor = p.text("cursor");
        if (q.from_ns && q.to_ns && *q.from_ns >= *q.to_ns)
            throw ParamError { "from: must be before to" };
        auto page = resolve(req).store.listTraces(q);
        if (!q.text.empty()) { // every store's answer to q says where each trace matched, if only by name
            page.searched = true;
            page.hits.resize(page.traces.size());
        }
        setJson(res, api::write::tracePage(page));
    });
}

void ApiServer::getTrace(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req, { "load" });
        const std::string hex = req.path_params[0];
        const core::TraceId id = traceIdParam(hex);
        const std::string load = p.has("load") ? p.text("load") : "full";
        store::TraceLoad how = store::TraceLoad::Full;
        if (load == "auto")
            how = store::TraceLoad::Automatic;
        else if (load == "narrow")
            how = store::TraceLoad::Narrow;
        else if (load == "slim")
            how = store::TraceLoad::Slim;
        else if (load != "full")
            throw ParamError { "load: must be full, auto, narrow or slim, got '" + load + "'" };
        const auto detail = resolve(req).store.trace(id, how);
        if (!detail) {
            setJsonError(res, 404, "not_found", "no trace " + asciiLower(hex));
            return;
        }
        setJson(res, api::write::traceDetail(*detail));
    });
}

// Two runs compared step by step (app/diff). Both traces come from the caller's project.
void ApiServer::traceDiff(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req, { "a", "b" });
        for (const char *name : { "a", "b" })
            if (!p.has(name) || p.text(name).empty())
                throw ParamError { std::string(name) + ": required (a trace id, 32 hex digits)" };
        const core::TraceId ia = traceIdParam(p.text("a"), "a"), ib = traceIdParam(p.text("b"), "b");
        auto &store = resolve(req).store;
        const auto a = store.trace(ia, store::TraceLoad::Automatic);
        const auto b = a ? store.trace(ib, store::TraceLoad::Automatic) : std::nullopt;
        if (!a || !b) {
            const std::string missing = !a ? "a" : "b";
            setJsonError(res, 404, "not_found", missing + ": no trace " + asciiLower(p.text(missing.c_str())));
            return;
        }
        const auto d = diff::diffTraces({ a->spans, a->complete }, { b->spans, b->complete });
        api::write::TraceDiffAnswer answer;
        answer.a = &*a;
        answer.b = &*b;
        answer.diff = &d;
        answer.max_pairs = kDiffMaxPairs;
        diffTexts(store, *a, *b, d, answer);
        setJson(res, api::write::traceDiff(answer));
    });
}

void ApiServer::getSpan(Request &req, Response &res)
{
    guarded(res, [&] {
        Params(req, {});
        const core::TraceId traceId = traceIdParam(req.path_params[0]);
        const std::string spanHex = req.path_params[1];
        core::SpanId spanId {};
        if (!core::fromHex(spanHex, spanId) || core::isZero(spanId))
            throw ParamError { "span_id: must be 16 hex digits (not all zero), got '" + spanHex + "'" };
        const auto span = resolve(req).store.span(traceId, spanId);
        if (!span) {
            setJsonError(res, 404, "not_found",
                "no span " + asciiLower(spanHex) + " in trace " + asciiLower(std::string(req.path_params[0])));
            return;
        }
        setJson(res, api::write::spanAnswer(*span));
    });
}

// A number that grows whenever something was committed for the caller's project, so a client
// can poll cheaply for "anything new?".
void ApiServer::changes(Request &req, Response &res)
{
    guarded(res, [&] {
        Params(req, {});
        const auto c = resolve(req).pipeline.counters();
        setJson(res, api::write::changeCounter(c.commits));
    });
}

void ApiServer::listSessions(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req, { "from", "to", "user", "limit", "cursor" });
        store::SessionQuery q;
        q.from_ns = p.time("from");
        q.to_ns = p.time("to");
        q.user_id = p.text("user");
        q.limit = p.integer("limit", 50, 1, 1000);
        q.cursor = p.text("cursor");
        const auto page = resolve(req).store.listSessions(q);
        setJson(res, api::write::sessionPage(page));
    });
}

void ApiServer::getSession(Request &req, Response &res)
{
    guarded(res, [&] {
        Params(req, {});
        const std::string id = req.path_params[0];
        const auto traces = resolve(req).store.sessionTraces(id);
        if (traces.empty()) {
            setJsonError(res, 404, "not_found", "no session " + id);
            return;
        }
        setJson(res, api::write::sessionTraces(id, traces));
    });
}

// The table ingest prices with right now (shipped rows plus overrides), so a cost can be checked
// against the row its price_ref names.
void ApiServer::prices(Request &req, Response &res)
{
    guarded(res, [&] {
        Params(req, {});
        const auto table = resolve(req).pipeline.priceTable();
        setJson(res, table ? table->toApiJson() : core::PriceTable().toApiJson());
    });
}

void ApiServer::dashboardMetrics(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req, { "from", "to", "bucket", "group_by", "service", "model", "top" });
        store::MetricsQuery q;
        const auto from = p.time("from");
        const auto to = p.time("to");
        if (!from)
            throw ParamError { "from: required (RFC 3339 time or integer nanoseconds)" };
        if (!to)
            throw ParamError { "to: required (RFC 3339 time or integer nanoseconds)" };
        q.from_ns = *from;
        q.to_ns = *to;
        if (p.has("bucket")) {
            // "5m", "1h", "1d" or integer nanoseconds; a whole number of minutes either way.
            const std::string v = p.text("bucket");
            std::int64_t n = 0;
            std::int64_t unit = 1;
            std::string_view digits = v;
            if (!v.empty() && (v.back() == 'm' || v.back() == 'h' || v.back() == 'd')) {
                unit = v.back() == 'm' ? 60'000'000'000 : v.back() == 'h' ? 3'600'000'000'000 : 86'400'000'000'000;
                digits.remove_suffix(1);
            }
            if (!parseInt64(digits, n) || n <= 0 || n > INT64_MAX / unit || (n * unit) % 60'000'000'000 != 0)
                throw ParamError { "bucket: must be a whole number of minutes such as 5m, 1h, 1d or integer "
                                   "nanoseconds, got '"
                    + v + "'" };
            q.bucket_ns = n * unit;
        }
        const std::string group = p.has("group_by") ? p.text("group_by") : "none";
        static const std::pair<const char *, store::MetricsGroupBy> groups[]
            = { { "none", store::MetricsGroupBy::None }, { "model", store::MetricsGroupBy::Model },
                  { "service", store::MetricsGroupBy::Service }, { "kind", store::MetricsGroupBy::SpanKind },
                  { "agent", store::MetricsGroupBy::AgentName } };
        bool found = false;
        for (const auto &[name, value] : groups) {
            if (group == name) {
                q.group_by = value;
                found = true;
            }
        }
        if (!found)
            throw ParamError { "group_by: must be one of none, model, service, kind, agent; got '" + group + "'" };
        q.service = p.text("service");
        q.model = p.text("model");
        q.top_n = p.integer("top", 10, 1, 100);
        setJson(res, api::write::metrics(resolve(req).store.metrics(q), group));
    });
}

void ApiServer::healthz(Request &, Response &res)
{
    setJson(res, "{\"status\":\"ok\"}");
}

void ApiServer::readyz(Request &, Response &res)
{
    std::string why;
    std::size_t queued = 0;
    bool ready = true;
    if (m_access->projects()) {
        try {
            m_access->accounts()->store().projects();
        } catch (const std::exception &e) {
            ready = false;
            why = std::string("account store: ") + e.what();
        }
        m_access->projects()->forEachOpen([&](std::int64_t id, ProjectStores::Scope scope) {
            std::string w;
            if (ready && !scope.store.ready(w)) {
                ready = false;
                why = "project " + std::to_string(id) + ": " + w;
            }
            queued += scope.pipeline.queuedSpans();
        });
    } else {
        ready = m_access->openStore()->ready(why);
        queued = m_access->openPipeline()->queuedSpans();
    }
    if (!ready) {
        setJsonError(res, 503, "unavailable", "store is not ready: " + why);
        return;
    }
    setJson(res, "{\"status\":\"ready\",\"queued_spans\":" + std::to_string(queued) + "}");
}

void ApiServer::openApi(Request &, Response &res)
{
    setJson(res, openApiDocument());
}

void ApiServer::prometheusMetrics(Request &, Response &res)
{
    res.status = 200;
    res.setContent(m_metrics.render(), prom::Registry::kContentType);
}

} // namespace agentops::server

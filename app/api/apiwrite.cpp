// SPDX-License-Identifier: MIT
// The server's answers as JSON text. Read back by apiread.cpp; tests/auto/apiwire checks the pair.
#include "api/apiwire.h"

#include "core/spanjson.h"

#include <charconv>

namespace agentops::api::write {

namespace {

/// Appends {"<key>":[item,...],"next_cursor":...}: one page of a cursor-paged listing.
template<typename T, typename AppendOne>
std::string pageJson(const char *key, const std::vector<T> &items, const std::string &nextCursor, AppendOne appendOne)
{
    std::string out = "{\"";
    out += key;
    out += "\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += ',';
        appendOne(out, items[i]);
    }
    out += "],\"next_cursor\":";
    if (nextCursor.empty())
        out += "null";
    else
        core::appendJsonString(out, nextCursor);
    out += '}';
    return out;
}

void sessionJson(std::string &out, const store::SessionSummary &s)
{
    out += "{\"session_id\":";
    core::appendJsonString(out, s.session_id);
    out += ",\"user_id\":";
    core::appendJsonString(out, s.user_id);
    out += ",\"first_start_time_unix_nano\":\"" + std::to_string(s.first_start_ns) + "\"";
    out += ",\"last_end_time_unix_nano\":\"" + std::to_string(s.last_end_ns) + "\"";
    out += ",\"trace_count\":" + std::to_string(s.trace_count);
    out += ",\"span_count\":" + std::to_string(s.span_count);
    out += ",\"error_count\":" + std::to_string(s.error_count);
    out += ",\"total_tokens\":" + std::to_string(s.total_tokens);
    core::appendTotalCostJson(out, s.cost_usd, s.priced_spans, s.unpriced_spans);
    out += '}';
}

void optional(std::string &out, const std::optional<std::int64_t> &v)
{
    out += v ? std::to_string(*v) : "null";
}

void bucketJson(std::string &out, const store::MetricsBucket &b)
{
    out += "{\"start_time_unix_nano\":\"" + std::to_string(b.start_ns) + "\",\"group\":";
    core::appendJsonString(out, b.group);
    out += ",\"traces\":" + std::to_string(b.traces) + ",\"spans\":" + std::to_string(b.spans)
        + ",\"error_spans\":" + std::to_string(b.error_spans) + ",\"error_traces\":" + std::to_string(b.error_traces)
        + ",\"tokens\":{\"input\":" + std::to_string(b.input_tokens) + ",\"output\":" + std::to_string(b.output_tokens)
        + ",\"cache_read\":" + std::to_string(b.cache_read_tokens) + ",\"cache_write\":"
        + std::to_string(b.cache_write_tokens) + ",\"reasoning\":" + std::to_string(b.reasoning_tokens) + "}";
    core::appendTotalCostJson(out, b.cost_usd, b.priced_spans, b.unpriced_spans);
    out += ",\"trace_latency_ns\":{\"p50\":";
    optional(out, b.trace_p50_ns);
    out += ",\"p95\":";
    optional(out, b.trace_p95_ns);
    out += ",\"p99\":";
    optional(out, b.trace_p99_ns);
    out += "},\"llm_latency_ns\":{\"p50\":";
    optional(out, b.llm_p50_ns);
    out += ",\"p95\":";
    optional(out, b.llm_p95_ns);
    out += ",\"p99\":";
    optional(out, b.llm_p99_ns);
    out += "}}";
}

void traceList(std::string &out, const std::vector<core::TraceSummary> &list)
{
    out += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i)
            out += ',';
        core::appendSummaryApiJson(out, list[i]);
    }
    out += ']';
}

} // namespace

std::string tracePage(const store::TracePage &page)
{
    std::string out = pageJson("traces", page.traces, page.next_cursor, core::appendSummaryApiJson);
    if (page.hits.empty() && !page.searched)
        return out;
    // With q: where each trace matched, in the order of "traces".
    out.pop_back();
    out += ",\"matches\":[";
    for (std::size_t i = 0; i < page.hits.size(); ++i) {
        const store::SearchHit &h = page.hits[i];
        if (i)
            out += ',';
        out += "{\"span_id\":";
        core::appendJsonString(out, h.span_id);
        out += ",\"span_name\":";
        core::appendJsonString(out, h.span_name);
        out += ",\"snippet\":";
        core::appendJsonString(out, h.snippet);
        out += ",\"highlights\":[";
        for (std::size_t k = 0; k < h.highlights.size(); ++k) {
            if (k)
                out += ',';
            out += '[' + std::to_string(h.highlights[k].first) + ',' + std::to_string(h.highlights[k].second) + ']';
        }
        out += "]}";
    }
    out += "]}";
    return out;
}

namespace {

void appendNumber(std::string &out, double v)
{
    char buf[40];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? end : buf);
}

/// The slim shape of a big trace (load=slim): its strings once, then one array a span.
void appendSlimRows(std::string &out, const store::TraceDetail &detail)
{
    const store::SpanTable &table = detail.table;
    out += ",\"shape\":\"slim\",\"strings\":[";
    for (std::size_t i = 0; i < table.strings.size(); ++i) {
        if (i)
            out += ',';
        core::appendJsonString(out, table.strings[i]);
    }
    out += "],\"rows\":[";
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const store::SpanTable::Row &r = table.rows[i];
        out += i ? ",[\"" : "[\"";
        out += core::toHex(r.span_id);
        out += r.isRoot() ? "\",null," : "\",\"" + core::toHex(r.parent_span_id) + "\",";
        out += std::to_string(detail.depth[i]);
        out += detail.orphan[i] ? ",true,\"" : ",false,\"";
        out += core::toString(r.kind);
        out += "\",\"";
        out += core::toString(r.status);
        out += "\",\"" + std::to_string(r.start_ns) + "\",\"" + std::to_string(r.end_ns) + "\"";
        for (const std::uint32_t id :
            { r.name, r.service, r.request_model, r.response_model, r.provider, r.agent, r.tool, r.status_message })
            out += ',' + std::to_string(id);
        out += ",[";
        for (int k = 0; k < 6; ++k) {
            if (k)
                out += ',';
            out += r.tokens_present & (1u << k) ? std::to_string(r.tokens[k]) : "null";
        }
        out += "],";
        if (r.has_cost)
            appendNumber(out, r.cost_usd);
        else
            out += "null";
        out += ']';
    }
    out += ']';
}

} // namespace

std::string traceDetail(const store::TraceDetail &detail)
{
    std::string out = "{\"trace\":";
    core::appendSummaryApiJson(out, detail.summary);
    out += detail.complete ? ",\"complete\":true" : ",\"complete\":false";
    if (detail.slim()) {
        appendSlimRows(out, detail);
    } else {
        out += ",\"spans\":[";
        for (std::size_t i = 0; i < detail.spans.size(); ++i) {
            if (i)
                out += ',';
            core::appendSpanApiJson(out, detail.spans[i], detail.depth[i], detail.orphan[i]);
        }
        out += ']';
    }
    out += '}';
    return out;
}

std::string spanAnswer(const core::Span &span)
{
    std::string out = "{\"span\":";
    core::appendSpanApiJson(out, span, 0, false);
    out += '}';
    return out;
}

std::string sessionPage(const store::SessionPage &page)
{
    return pageJson("sessions", page.sessions, page.next_cursor, sessionJson);
}

std::string sessionTraces(const std::string &sessionId, const std::vector<core::TraceSummary> &traces)
{
    std::string out = "{\"session_id\":";
    core::appendJsonString(out, sessionId);
    out += ",\"traces\":[";
    for (std::size_t i = 0; i < traces.size(); ++i) {
        if (i)
            out += ',';
        core::appendSummaryApiJson(out, traces[i]);
    }
    out += "]}";
    return out;
}

std::string metrics(const store::MetricsResult &m, const std::string &groupBy)
{
    std::string out = "{\"from_time_unix_nano\":\"" + std::to_string(m.from_ns) + "\",\"to_time_unix_nano\":\""
        + std::to_string(m.to_ns) + "\",\"bucket_ns\":" + std::to_string(m.bucket_ns) + ",\"group_by\":";
    core::appendJsonString(out, groupBy);
    out += ",\"buckets\":[";
    for (std::size_t i = 0; i < m.buckets.size(); ++i) {
        if (i)
            out += ',';
        bucketJson(out, m.buckets[i]);
    }
    out += "],\"totals\":";
    bucketJson(out, m.totals);
    out += ",\"slowest_traces\":";
    traceList(out, m.slowest_traces);
    out += ",\"costliest_traces\":";
    traceList(out, m.costliest_traces);
    out += ",\"top_errors\":[";
    for (std::size_t i = 0; i < m.top_errors.size(); ++i) {
        const auto &e = m.top_errors[i];
        if (i)
            out += ',';
        out += "{\"span_name\":";
        core::appendJsonString(out, e.span_name);
        out += ",\"message\":";
        core::appendJsonString(out, e.message);
        out += ",\"count\":" + std::to_string(e.count) + ",\"last_seen_time_unix_nano\":\""
            + std::to_string(e.last_seen_ns) + "\",\"example_trace_id\":\"" + core::toHex(e.example_trace) + "\"}";
    }
    out += "]}";
    return out;
}

std::string changeCounter(std::uint64_t commits)
{
    return "{\"change_counter\":\"" + std::to_string(commits) + "\"}";
}

std::string error(std::string_view code, std::string_view message)
{
    std::string body = "{\"error\":{\"code\":";
    core::appendJsonString(body, code);
    body += ",\"message\":";
    core::appendJsonString(body, message);
    body += "}}";
    return body;
}

void appendUserJson(std::string &out, const store::User &u)
{
    out += "{\"id\":" + std::to_string(u.id) + ",\"email\":";
    core::appendJsonString(out, u.email);
    out += ",\"name\":";
    core::appendJsonString(out, u.display_name);
    out += '}';
}

void appendProjectsJson(std::string &out, const std::vector<store::Project> &projects)
{
    out += '[';
    for (std::size_t i = 0; i < projects.size(); ++i) {
        const auto &p = projects[i];
        if (i)
            out += ',';
        out += "{\"id\":" + std::to_string(p.id) + ",\"name\":";
        core::appendJsonString(out, p.name);
        out += ",\"retention_days\":" + std::to_string(p.retention_days) + '}';
    }
    out += ']';
}

void appendKeyJson(std::string &out, const store::ApiKey &k)
{
    out += "{\"id\":" + std::to_string(k.id) + ",\"project_id\":" + std::to_string(k.project_id) + ",\"name\":";
    core::appendJsonString(out, k.name);
    out += ",\"prefix\":";
    core::appendJsonString(out, k.prefix);
    out += ",\"created_time_unix_nano\":\"" + std::to_string(k.created_ns) + "\",\"revoked_time_unix_nano\":\""
        + std::to_string(k.revoked_ns) + "\",\"last_used_time_unix_nano\":\"" + std::to_string(k.last_used_ns)
        + "\",\"created_by_user_id\":" + std::to_string(k.created_by) + "}";
}

std::string login(const std::string &token, std::int64_t expiresNs, std::int64_t idleTimeoutSeconds,
    const store::User &user, const std::vector<store::Project> &projects)
{
    std::string out = "{\"token\":";
    core::appendJsonString(out, token);
    out += ",\"expires_at_unix_nano\":\"" + std::to_string(expiresNs)
        + "\",\"idle_timeout_seconds\":" + std::to_string(idleTimeoutSeconds) + ",\"user\":";
    appendUserJson(out, user);
    out += ",\"projects\":";
    appendProjectsJson(out, projects);
    out += '}';
    return out;
}

std::string me(bool teamMode, const store::User *user, const store::ApiKey *key,
    const std::vector<store::Project> &projects, std::int64_t sessionExpiresNs)
{
    if (!teamMode)
        return "{\"auth\":\"none\",\"user\":null,\"api_key\":null,\"projects\":[],"
               "\"session_expires_at_unix_nano\":\"0\"}";
    std::string out = "{\"auth\":\"required\",\"user\":";
    if (user)
        appendUserJson(out, *user);
    else
        out += "null";
    out += ",\"api_key\":";
    if (key)
        appendKeyJson(out, *key);
    else
        out += "null";
    out += ",\"projects\":";
    appendProjectsJson(out, projects);
    out += ",\"session_expires_at_unix_nano\":\"" + std::to_string(sessionExpiresNs) + "\"}";
    return out;
}

std::string projects(const std::vector<store::Project> &projects)
{
    std::string out = "{\"projects\":";
    appendProjectsJson(out, projects);
    out += '}';
    return out;
}

std::string keys(const std::vector<store::ApiKey> &keys)
{
    std::string out = "{\"keys\":[";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i)
            out += ',';
        appendKeyJson(out, keys[i]);
    }
    out += "]}";
    return out;
}

std::string newKey(const store::ApiKey &key, const std::string &secret)
{
    std::string out = "{\"key\":";
    appendKeyJson(out, key);
    out += ",\"secret\":";
    core::appendJsonString(out, secret);
    out += '}';
    return out;
}

} // namespace agentops::api::write

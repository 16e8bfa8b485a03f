// SPDX-License-Identifier: MIT
#include "client/remotesource.h"

#include "api/apiwire.h"
#include "client/httpclient.h"
#include "core/spanjson.h"

#include <atomic>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace agentops::client {

namespace {

using Request = HttpClient::Request;

std::string decimal(double v)
{
    char buf[40];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, ec == std::errc() ? end : buf);
}

/// min_duration_ms as the server reads it (a double of milliseconds, times 1e6, truncated): the
/// shortest decimal that the server turns back into exactly ns.
std::string durationMsParam(std::int64_t ns)
{
    double ms = static_cast<double>(ns) / 1e6;
    for (int i = 0; i < 64; ++i) {
        const auto back = static_cast<std::int64_t>(ms * 1e6);
        if (back == ns)
            break;
        ms = std::nextafter(ms, back < ns ? INFINITY : -INFINITY);
    }
    return decimal(ms);
}

/// Reads an answer; a body that is not what the API promises is a Server error naming the route.
template<typename F>
auto readAnswer(const HttpClient &http, const Request &request, const std::string &body, F &&read)
{
    try {
        return read(body);
    } catch (const api::ApiJsonError &e) {
        throw SourceError("cannot read the answer of " + http.baseUrl() + " to " + (request.post ? "POST " : "GET ")
                + request.path + ": " + e.what(),
            SourceError::Kind::Server);
    }
}

RemoteIdentity toIdentity(const api::read::Identity &id)
{
    RemoteIdentity out;
    out.email = id.email;
    out.display_name = id.name;
    out.api_key = id.has_api_key;
    out.session_expires_ns = id.session_expires_ns;
    for (const auto &p : id.projects)
        out.projects.push_back(RemoteProject { p.id, p.name });
    return out;
}

const char *sortName(store::TraceSort sort)
{
    switch (sort) {
    case store::TraceSort::Duration: return "duration";
    case store::TraceSort::Cost: return "cost";
    case store::TraceSort::Tokens: return "tokens";
    case store::TraceSort::SpanCount: return "spans";
    case store::TraceSort::ErrorCount: return "errors";
    case store::TraceSort::StartTime: break;
    }
    return "start_time";
}

const char *groupName(store::MetricsGroupBy group)
{
    switch (group) {
    case store::MetricsGroupBy::Model: return "model";
    case store::MetricsGroupBy::Service: return "service";
    case store::MetricsGroupBy::SpanKind: return "kind";
    case store::MetricsGroupBy::AgentName: return "agent";
    case store::MetricsGroupBy::None: break;
    }
    return "none";
}

} // namespace

struct RemoteSource::Private
{
    explicit Private(RemoteConfig c)
        : config(std::move(c))
        , http(config)
        , poller(pollerConfig(config))
    { }

    static RemoteConfig pollerConfig(RemoteConfig c)
    {
        // The poll repeats every 2 s anyway: no retries, and a short wait for the answer.
        c.max_retries = 0;
        c.total_timeout = std::min(c.total_timeout, std::chrono::milliseconds(10000));
        return c;
    }

    Request query(std::string path) const
    {
        Request r;
        r.path = std::move(path);
        if (!config.project.empty())
            r.query.emplace_back("project", config.project);
        return r;
    }

    std::string get(const Request &r) { return http.expectOk(r, http.send(r)); }

    /// The server answered 400 to load=slim (it predates it): ask for load=auto from now on.
    std::atomic<bool> slimRefused { false };

    void pollLoop()
    {
        std::uint64_t lastRaw = 0;
        bool seen = false;
        for (;;) {
            try {
                const Request r = query("/api/v1/changes");
                const auto raw = api::read::changeCounter(poller.expectOk(r, poller.send(r)));
                // A restarted server counts from 0 again: keep what is reported growing.
                if (seen && raw < lastRaw)
                    offset += lastRaw + 1 - raw;
                lastRaw = raw;
                seen = true;
                const std::uint64_t value = raw + offset;
                if (value > counter.load())
                    counter = value;
            } catch (const std::exception &) {
                // Offline or signed out: the queries the UI makes say so; the poll just tries again.
            }
            std::unique_lock lock(stopMutex);
            if (stopCv.wait_for(lock, std::chrono::seconds(2), [this] { return stopping; }))
                return;
        }
    }

    RemoteConfig config;
    HttpClient http;
    HttpClient poller; ///< its own connection, unaffected by cancelAll()
    std::atomic<std::uint64_t> counter { 0 };
    std::uint64_t offset = 0; ///< poll thread only
    std::mutex stopMutex;
    std::condition_variable stopCv;
    bool stopping = false;
    std::thread pollThread;
};

RemoteSource::RemoteSource(RemoteConfig config)
    : d(std::make_unique<Private>(std::move(config)))
{
    d->pollThread = std::thread([p = d.get()] { p->pollLoop(); });
}

RemoteSource::~RemoteSource()
{
    {
        std::lock_guard lock(d->stopMutex);
        d->stopping = true;
    }
    d->stopCv.notify_all();
    d->poller.cancelAll(); // interrupts a poll in flight
    d->pollThread.join();
}

QString RemoteSource::displayName() const
{
    QString name = QString::fromStdString(d->http.baseUrl());
    if (!d->config.project.empty())
        name += QStringLiteral(" · ") + QString::fromStdString(d->config.project);
    return name;
}

store::TracePage RemoteSource::listTraces(const store::TraceQuery &q)
{
    Request r = d->query("/api/v1/traces");
    if (q.from_ns)
        r.query.emplace_back("from", std::to_string(*q.from_ns));
    if (q.to_ns)
        r.query.emplace_back("to", std::to_string(*q.to_ns));
    if (!q.service.empty())
        r.query.emplace_back("service", q.service);
    if (!q.name_contains.empty())
        r.query.emplace_back("name", q.name_contains);
    if (!q.text.empty())
        r.query.emplace_back("q", q.text);
    if (q.errors_only)
        r.query.emplace_back("errors", "true");
    if (!q.model.empty())
        r.query.emplace_back("model", q.model);
    if (!q.session_id.empty())
        r.query.emplace_back("session", q.session_id);
    if (q.min_duration_ns)
        r.query.emplace_back("min_duration_ms", durationMsParam(*q.min_duration_ns));
    if (q.min_cost_usd)
        r.query.emplace_back("min_cost", decimal(*q.min_cost_usd));
    r.query.emplace_back("sort", sortName(q.sort));
    r.query.emplace_back("order", q.descending ? "desc" : "asc");
    r.query.emplace_back("limit", std::to_string(q.limit));
    if (!q.cursor.empty())
        r.query.emplace_back("cursor", q.cursor);
    return readAnswer(d->http, r, d->get(r), api::read::tracePage);
}

std::shared_ptr<const store::TraceDetail> RemoteSource::trace(const core::TraceId &id)
{
    // load=slim: a big trace comes as slim rows (a fraction of the narrow spans' bytes). A server
    // older than that answers 400 to it; then load=auto, whose narrow answer is held slim as read.
    Request r = d->query("/api/v1/traces/" + core::toHex(id));
    r.query.emplace_back("load", d->slimRefused ? "auto" : "slim");
    auto response = d->http.send(r);
    if (response.status == 400 && !d->slimRefused) {
        d->slimRefused = true;
        r.query.back().second = "auto";
        response = d->http.send(r);
    }
    if (response.status == 404)
        return nullptr;
    const std::string body = d->http.expectOk(r, response);
    // A big trace comes narrow; it is held slim, as a local one is (TraceLoad::Slim).
    return std::make_shared<const store::TraceDetail>(readAnswer(d->http, r, body,
        [](std::string_view json) { return api::read::traceDetail(json, api::read::TraceShape::SlimWhenIncomplete); }));
}

std::optional<core::Span> RemoteSource::span(const core::TraceId &traceId, const core::SpanId &spanId)
{
    const Request r = d->query("/api/v1/traces/" + core::toHex(traceId) + "/spans/" + core::toHex(spanId));
    const auto response = d->http.send(r);
    if (response.status == 404)
        return std::nullopt;
    const std::string body = d->http.expectOk(r, response);
    return readAnswer(d->http, r, body, api::read::spanAnswer);
}

store::SessionPage RemoteSource::listSessions(const store::SessionQuery &q)
{
    Request r = d->query("/api/v1/sessions");
    if (q.from_ns)
        r.query.emplace_back("from", std::to_string(*q.from_ns));
    if (q.to_ns)
        r.query.emplace_back("to", std::to_string(*q.to_ns));
    if (!q.user_id.empty())
        r.query.emplace_back("user", q.user_id);
    r.query.emplace_back("limit", std::to_string(q.limit));
    if (!q.cursor.empty())
        r.query.emplace_back("cursor", q.cursor);
    return readAnswer(d->http, r, d->get(r), api::read::sessionPage);
}

std::vector<core::TraceSummary> RemoteSource::sessionTraces(const std::string &sessionId)
{
    if (sessionId.empty())
        return {};
    // Path segment: percent-encoded by hand, the session id may hold any character.
    std::string segment;
    for (const char ch : sessionId) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.' || c == '~') {
            segment.push_back(ch);
        } else {
            static constexpr char hex[] = "0123456789ABCDEF";
            segment.push_back('%');
            segment.push_back(hex[c >> 4]);
            segment.push_back(hex[c & 15]);
        }
    }
    const Request r = d->query("/api/v1/sessions/" + segment);
    const auto response = d->http.send(r);
    if (response.status == 404)
        return {}; // the store's answer for a session it does not know
    const std::string body = d->http.expectOk(r, response);
    return readAnswer(d->http, r, body, api::read::sessionTraces);
}

store::MetricsResult RemoteSource::metrics(const store::MetricsQuery &q)
{
    Request r = d->query("/api/v1/metrics");
    r.query.emplace_back("from", std::to_string(q.from_ns));
    r.query.emplace_back("to", std::to_string(q.to_ns));
    if (q.bucket_ns > 0)
        r.query.emplace_back("bucket", std::to_string(q.bucket_ns));
    r.query.emplace_back("group_by", groupName(q.group_by));
    if (!q.service.empty())
        r.query.emplace_back("service", q.service);
    if (!q.model.empty())
        r.query.emplace_back("model", q.model);
    r.query.emplace_back("top", std::to_string(q.top_n));
    return readAnswer(d->http, r, d->get(r), api::read::metrics);
}

std::uint64_t RemoteSource::changeCounter() const
{
    return d->counter.load();
}

void RemoteSource::cancelAll()
{
    d->http.cancelAll();
}

void RemoteSource::resume()
{
    d->http.resume();
}

const RemoteConfig &RemoteSource::config() const
{
    return d->config;
}

LoginResult RemoteAuth::login(const RemoteConfig &config, const std::string &email, const std::string &password)
{
    HttpClient http(config);
    Request r;
    r.post = true;
    r.path = "/api/v1/auth/login";
    r.bearer = false;
    r.body = "{\"email\":";
    core::appendJsonString(r.body, email);
    r.body += ",\"password\":";
    core::appendJsonString(r.body, password);
    r.body += '}';
    const std::string body = http.expectOk(r, http.send(r));
    const auto login = readAnswer(http, r, body, api::read::login);
    return LoginResult { login.token, toIdentity(login.identity) };
}

RemoteIdentity RemoteAuth::me(const RemoteConfig &config)
{
    HttpClient http(config);
    Request r;
    r.path = "/api/v1/me";
    const std::string body = http.expectOk(r, http.send(r));
    return toIdentity(readAnswer(http, r, body, api::read::me));
}

void RemoteAuth::logout(const RemoteConfig &config)
{
    HttpClient http(config);
    Request r;
    r.post = true;
    r.path = "/api/v1/auth/logout";
    try {
        http.expectOk(r, http.send(r));
    } catch (const SourceError &e) {
        // Best effort: a server that cannot be reached, or a token that is no longer valid, leaves
        // nothing to revoke from here.
        if (e.kind() != SourceError::Kind::Offline && e.kind() != SourceError::Kind::Unauthorized)
            throw;
    }
}

} // namespace agentops::client

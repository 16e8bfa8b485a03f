// SPDX-License-Identifier: MIT
#include "server/apiserver.h"

#include "core/spanjson.h"
#include "ingest/decode.h"
#include "server/accounts.h"
#include "server/projectstores.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <regex>
#include <set>

#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

namespace agentops::server {

namespace {

using httplib::Request;
using httplib::Response;

/// Per-request facts the access log line reports; the handler and the logger run on one thread.
struct RequestContext
{
    std::chrono::steady_clock::time_point start;
    std::string id;
    long long spans = -1;
    long long rejected = -1;
    std::string error;
};
thread_local RequestContext t_request;

/// httplib's pool, with its threads named "agentops-http" (top -H, perf and gdb show the name).
class NamedThreadPool : public httplib::TaskQueue
{
public:
    explicit NamedThreadPool(std::size_t n)
        : m_pool(n)
    { }
    void enqueue(std::function<void()> fn) override
    {
        m_pool.enqueue([fn = std::move(fn)] {
            thread_local bool named = false;
            if (!named) {
                pthread_setname_np(pthread_self(), "agentops-http");
                named = true;
            }
            fn();
        });
    }
    void shutdown() override { m_pool.shutdown(); }

private:
    httplib::ThreadPool m_pool;
};

void setJsonError(Response &res, int status, std::string_view code, std::string_view message)
{
    std::string body = "{\"error\":{\"code\":";
    core::appendJsonString(body, code);
    body += ",\"message\":";
    core::appendJsonString(body, message);
    body += "}}";
    res.status = status;
    res.set_content(body, "application/json");
    t_request.error = std::string(message);
}

// Protobuf wire helpers for the two small OTLP response messages; hand-encoded so the server layer
// needs no generated code.
void appendVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

void appendLengthDelimited(std::string &out, int field, std::string_view bytes)
{
    appendVarint(out, static_cast<std::uint64_t>(field) << 3 | 2);
    appendVarint(out, bytes.size());
    out.append(bytes);
}

/// google.rpc.Status, which OTLP/HTTP answers failures with.
std::string encodeRpcStatus(int code, std::string_view message)
{
    std::string out;
    appendVarint(out, 1 << 3 | 0);
    appendVarint(out, static_cast<std::uint64_t>(code));
    appendLengthDelimited(out, 2, message);
    return out;
}

enum class Encoding { Protobuf, Json };

/// Failure answer for an OTLP request: google.rpc.Status in the request's encoding. The JSON form
/// also carries the {"error": ...} object every other route answers with.
void setOtlpError(Response &res, Encoding enc, int status, int rpcCode, std::string_view code, std::string_view message)
{
    if (enc == Encoding::Protobuf) {
        res.status = status;
        res.set_content(encodeRpcStatus(rpcCode, message), "application/x-protobuf");
        t_request.error = std::string(message);
        return;
    }
    setJsonError(res, status, code, message);
    // {"error":{...}} -> {"code":N,"message":"...","error":{...}}
    std::string body = "{\"code\":" + std::to_string(rpcCode) + ",\"message\":";
    core::appendJsonString(body, message);
    body += ',';
    body.append(res.body, 1, std::string::npos);
    res.set_content(body, "application/json");
}

using core::asciiLower;

std::string mediaType(const Request &req)
{
    std::string ct = asciiLower(req.get_header_value("Content-Type"));
    if (auto semi = ct.find(';'); semi != std::string::npos)
        ct.resize(semi);
    while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t'))
        ct.pop_back();
    return ct;
}

enum class BodyStatus { Ok, TooLargeWire, TooLargeDecompressed, BadEncoding, ReadFailed };

/// Reads a request body while enforcing both size limits as the bytes arrive, so an oversized or
/// decompression-bomb body is refused without ever being held in memory in full. Content-Encoding
/// is undone here rather than by the HTTP library so the wire and decompressed sizes can both be
/// counted.
class BodyReader
{
public:
    BodyReader(std::size_t maxWire, std::size_t maxDecompressed, bool gzip)
        : m_maxWire(maxWire)
        , m_maxOut(maxDecompressed)
        , m_gzip(gzip)
    {
        if (m_gzip) {
            std::memset(&m_z, 0, sizeof m_z);
            // 15 + 32: zlib detects gzip or zlib headers by itself.
            m_zInit = inflateInit2(&m_z, 15 + 32) == Z_OK;
        }
    }
    ~BodyReader()
    {
        if (m_zInit)
            inflateEnd(&m_z);
    }

    bool feed(const char *data, std::size_t len)
    {
        m_wire += len;
        if (m_wire > m_maxWire) {
            m_status = BodyStatus::TooLargeWire;
            return false;
        }
        if (!m_gzip) {
            if (m_out.size() + len > m_maxOut) {
                m_status = BodyStatus::TooLargeDecompressed;
                return false;
            }
            m_out.append(data, len);
            return true;
        }
        if (!m_zInit) {
            m_status = BodyStatus::BadEncoding;
            return false;
        }
        m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
        m_z.avail_in = static_cast<uInt>(len);
        char buf[65536];
        while (m_z.avail_in > 0 && !m_streamEnd) {
            m_z.next_out = reinterpret_cast<Bytef *>(buf);
            m_z.avail_out = sizeof buf;
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
                m_status = BodyStatus::BadEncoding;
                return false;
            }
            const std::size_t produced = sizeof buf - m_z.avail_out;
            if (m_out.size() + produced > m_maxOut) {
                m_status = BodyStatus::TooLargeDecompressed;
                return false;
            }
            m_out.append(buf, produced);
            if (rc == Z_STREAM_END)
                m_streamEnd = true;
            if (rc == Z_BUF_ERROR)
                break;
        }
        return true;
    }

    /// After the last chunk: a gzip stream must have ended.
    BodyStatus finish()
    {
        if (m_status == BodyStatus::Ok && m_gzip && !m_streamEnd && m_wire > 0)
            m_status = BodyStatus::BadEncoding;
        return m_status;
    }
    BodyStatus status() const { return m_status; }
    std::string &body() { return m_out; }
    std::size_t wireBytes() const { return m_wire; }

private:
    std::size_t m_maxWire;
    std::size_t m_maxOut;
    bool m_gzip;
    bool m_zInit = false;
    bool m_streamEnd = false;
    z_stream m_z {};
    std::size_t m_wire = 0;
    std::string m_out;
    BodyStatus m_status = BodyStatus::Ok;
};

std::string formatSize(std::size_t bytes)
{
    if (bytes % (1u << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

bool parseInt64(std::string_view s, std::int64_t &out)
{
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool parseDouble(std::string_view s, double &out)
{
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

/// A query parameter that was wrong; turned into a 400 naming the parameter.
struct ParamError
{
    std::string message;
};

/// A request without the right to what it asked for: 401 (no valid credentials), 403 (valid, but
/// not for this), or 400 (which project is meant cannot be told).
struct AuthError
{
    int status;
    std::string code;
    std::string message;
    std::int64_t retry_after = 0; ///< 429: seconds
};

/// The refusal as JSON, or as OTLP's google.rpc.Status in the request's encoding when otlp is set.
void setAuthError(Response &res, const AuthError &e, std::optional<Encoding> otlp = std::nullopt)
{
    if (otlp) {
        // google.rpc codes: UNAUTHENTICATED, RESOURCE_EXHAUSTED, UNAVAILABLE, PERMISSION_DENIED.
        const int rpc = e.status == 401 ? 16 : e.status == 429 ? 8 : e.status == 503 ? 14 : 7;
        setOtlpError(res, *otlp, e.status, rpc, e.code, e.message);
    } else {
        setJsonError(res, e.status, e.code, e.message);
    }
    if (e.status == 401)
        res.set_header("WWW-Authenticate", "Bearer realm=\"agentops\"");
    if (e.retry_after > 0)
        res.set_header("Retry-After", std::to_string(e.retry_after));
}

AuthError rateLimited(const std::string &who, const RateLimiter::Decision &d)
{
    return AuthError { 429, "rate_limited",
        "too many requests from this " + who + "; retry after " + std::to_string(d.retry_after) + " s", d.retry_after };
}

/// A query or account route: the errors its handler throws become their JSON answers.
template<typename Handler>
auto guarded(Handler handler)
{
    return [handler](const Request &req, Response &res) {
        try {
            handler(req, res);
        } catch (const ParamError &e) {
            setJsonError(res, 400, "invalid_argument", e.message);
        } catch (const AuthError &e) {
            setAuthError(res, e);
        } catch (const store::QueryError &e) {
            setJsonError(res, 400, "invalid_argument", e.what());
        } catch (const store::StoreError &e) {
            setJsonError(res, 503, "unavailable", std::string("store error: ") + e.what());
        }
    };
}

/// Does a project parameter ("name" or "id") name this project? Names hold a letter, so a value of
/// digits only is an id and never a name.
bool namesProject(const std::string &wanted, const store::Project &p)
{
    const bool digits = !wanted.empty() && wanted.find_first_not_of("0123456789") == std::string::npos;
    return digits ? std::to_string(p.id) == wanted : p.name == wanted;
}

/// The largest body of a route other than ingest (sign-in, key names).
constexpr std::int64_t kMaxSmallBody = 64 * 1024;

/// Routes that answer without limits or credentials: probes and scrapers call them.
bool isProbe(const std::string &path)
{
    return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

/// The credential a request carries: "Authorization: Bearer <token>" or "x-api-key: <key>".
std::string bearerToken(const Request &req)
{
    const std::string auth = req.get_header_value("Authorization");
    if (auth.size() > 7 && asciiLower(auth.substr(0, 7)) == "bearer ") {
        std::string token = auth.substr(7);
        while (!token.empty() && token.front() == ' ')
            token.erase(0, 1);
        while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
            token.pop_back();
        return token;
    }
    return req.get_header_value("x-api-key");
}

class Params
{
public:
    Params(const Request &req, std::initializer_list<std::string_view> allowed)
        : m_req(req)
    {
        for (const auto &[key, value] : req.params) {
            bool known = key == "project"; // every query route; see ApiServer::resolve
            for (auto a : allowed)
                known = known || a == key;
            if (!known) {
                std::string list;
                for (auto a : allowed)
                    list += (list.empty() ? "" : ", ") + std::string(a);
                throw ParamError { "unknown query parameter '" + key + "' (expected one of: " + list + ")" };
            }
        }
    }

    std::string text(const char *name) const { return m_req.get_param_value(name); }
    bool has(const char *name) const { return m_req.has_param(name); }

    /// RFC 3339 time or integer nanoseconds since the epoch.
    std::optional<std::int64_t> time(const char *name) const
    {
        if (!has(name))
            return std::nullopt;
        const std::string v = text(name);
        std::int64_t ns = 0;
        if (parseInt64(v, ns) || core::parseRfc3339Nanos(v, ns))
            return ns;
        throw ParamError { std::string(name)
            + ": must be an RFC 3339 time (2026-01-31T12:00:00Z) or integer "
              "nanoseconds since the epoch, got '"
            + v + "'" };
    }
    std::optional<double> number(const char *name, double min) const
    {
        if (!has(name))
            return std::nullopt;
        const std::string v = text(name);
        double d = 0;
        if (!parseDouble(v, d) || !(d >= min))
            throw ParamError { std::string(name)
                + ": must be a number >= " + std::to_string(static_cast<long long>(min)) + ", got '" + v + "'" };
        return d;
    }
    int integer(const char *name, int def, int min, int max) const
    {
        if (!has(name))
            return def;
        const std::string v = text(name);
        std::int64_t i = 0;
        if (!parseInt64(v, i) || i < min || i > max)
            throw ParamError { std::string(name) + ": must be an integer from " + std::to_string(min) + " to "
                + std::to_string(max) + ", got '" + v + "'" };
        return static_cast<int>(i);
    }
    bool boolean(const char *name) const
    {
        if (!has(name))
            return false;
        const std::string v = asciiLower(text(name));
        if (v == "true" || v == "1" || v.empty())
            return true;
        if (v == "false" || v == "0")
            return false;
        throw ParamError { std::string(name) + ": must be true or false, got '" + v + "'" };
    }

private:
    const Request &m_req;
};

void setJson(Response &res, std::string body)
{
    res.status = 200;
    res.set_content(std::move(body), "application/json");
}

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

// The route table: one place that both installs the handlers and documents them, so
// /openapi.json cannot drift from what the server answers.
const std::vector<RouteInfo> kRoutes = {
    { "POST", "/v1/traces" },
    { "POST", "/api/v1/ingest" },
    { "GET", "/api/v1/traces" },
    { "GET", "/api/v1/traces/{trace_id}" },
    { "GET", "/api/v1/traces/{trace_id}/spans/{span_id}" },
    { "GET", "/api/v1/changes" },
    { "GET", "/api/v1/sessions" },
    { "GET", "/api/v1/sessions/{session_id}" },
    { "GET", "/api/v1/metrics" },
    { "GET", "/api/v1/models/prices" },
    { "POST", "/api/v1/auth/login" },
    { "POST", "/api/v1/auth/logout" },
    { "GET", "/api/v1/me" },
    { "GET", "/api/v1/projects" },
    { "GET", "/api/v1/projects/{project}/keys" },
    { "POST", "/api/v1/projects/{project}/keys" },
    { "POST", "/api/v1/keys/{key_id}/rotate" },
    { "DELETE", "/api/v1/keys/{key_id}" },
    { "GET", "/healthz" },
    { "GET", "/readyz" },
    { "GET", "/metrics" },
    { "GET", "/openapi.json" },
};

std::regex routeRegex(const std::string &path)
{
    static const std::regex param(R"(\{[a-z_]+\})");
    return std::regex("^" + std::regex_replace(path, param, "[^/]+") + "$");
}

} // namespace

extern const char *const kOpenApiJson; // generated from resources/openapi.json

/// httplib's server. A connection waiting for its next request (keep-alive) holds a worker until
/// its idle timeout runs out, and the library does not hand out its connections, so stop finds them
/// among the process's open sockets: those whose local end is this server's port and that are not
/// listening.
class ApiServer::HttpServer
{
public:
    /// Plain HTTP, or HTTPS when a certificate and key are given.
    HttpServer(const std::string &certFile, const std::string &keyFile)
    {
        if (certFile.empty())
            server = std::make_unique<httplib::Server>();
        else
            server = std::make_unique<httplib::SSLServer>(certFile.c_str(), keyFile.c_str());
    }

    std::unique_ptr<httplib::Server> server;

    /// A request is being answered on the connection from this peer (between routing and the
    /// access log line, which httplib writes after the response).
    void requestStarted(const std::string &addr, int port)
    {
        std::lock_guard lock(m_busyMutex);
        m_busy.emplace(addr, port);
    }
    void requestFinished(const std::string &addr, int port)
    {
        std::lock_guard lock(m_busyMutex);
        if (auto it = m_busy.find({ addr, port }); it != m_busy.end())
            m_busy.erase(it);
    }

    /// Ends the reading side of every idle connection of this server, which then closes at once.
    /// Connections with a request being answered are left alone: httplib writes no response on a
    /// socket whose reading side has ended, and the worker ends them after their response anyway,
    /// as the server has stopped.
    void closeConnections(int port)
    {
        std::error_code ec;
        for (const auto &entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
            int fd = -1;
            const auto name = entry.path().filename().string();
            if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc())
                continue;
            sockaddr_storage local {};
            socklen_t len = sizeof local;
            if (getsockname(fd, reinterpret_cast<sockaddr *>(&local), &len) != 0)
                continue;
            int localPort = -1;
            if (local.ss_family == AF_INET)
                localPort = ntohs(reinterpret_cast<sockaddr_in *>(&local)->sin_port);
            else if (local.ss_family == AF_INET6)
                localPort = ntohs(reinterpret_cast<sockaddr_in6 *>(&local)->sin6_port);
            int listening = 0;
            socklen_t optLen = sizeof listening;
            if (localPort != port || getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &optLen) != 0 || listening)
                continue;
            // The peer spelled as httplib spells Request::remote_addr/remote_port.
            sockaddr_storage peer {};
            len = sizeof peer;
            char host[NI_MAXHOST];
            char service[NI_MAXSERV];
            if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &len) == 0
                && getnameinfo(reinterpret_cast<sockaddr *>(&peer), len, host, sizeof host, service, sizeof service,
                       NI_NUMERICHOST | NI_NUMERICSERV)
                    == 0) {
                std::lock_guard lock(m_busyMutex);
                if (m_busy.count({ host, std::atoi(service) }))
                    continue;
            }
            ::shutdown(fd, SHUT_RD);
        }
    }

private:
    std::mutex m_busyMutex;
    std::multiset<std::pair<std::string, int>> m_busy;
};

const std::vector<RouteInfo> &ApiServer::routes()
{
    return kRoutes;
}

const std::string &ApiServer::openApiDocument()
{
    static const std::string doc = kOpenApiJson;
    return doc;
}

ApiServer::ApiServer(store::TraceStore &store, store::IngestPipeline &pipeline, ServerConfig config, Log &log)
    : ApiServer(static_cast<Accounts *>(nullptr), nullptr, std::move(config), log)
{
    m_store = &store;
    m_pipeline = &pipeline;
}

ApiServer::ApiServer(Accounts &accounts, ProjectStores &projects, ServerConfig config, Log &log)
    : ApiServer(&accounts, &projects, std::move(config), log)
{ }

ApiServer::ApiServer(Accounts *accounts, ProjectStores *projects, ServerConfig config, Log &log)
    : m_accounts(accounts)
    , m_projects(projects)
    , m_config(std::move(config))
    , m_log(log)
    , m_http(std::make_unique<HttpServer>(m_config.tls_cert_file, m_config.tls_key_file))
{
    m_faultsLeft = m_config.fault_unavailable;
    CorsPolicy::Options cors;
    cors.origins = m_config.cors_origins;
    cors.allow_credentials = m_config.cors_credentials;
    m_cors = CorsPolicy(cors);
    m_keyLimiter = std::make_unique<RateLimiter>(m_config.key_rate, m_config.key_burst);
    m_clientLimiter = std::make_unique<RateLimiter>(m_config.client_rate, m_config.client_burst);
    m_loginLimiter = std::make_unique<RateLimiter>(m_config.login_rate, m_config.login_burst);
    m_latency = &m_metrics.histogram("agentops_http_request_duration_seconds",
        "Time from the request line to the response, by the server's clock.", prom::Registry::defaultLatencyBuckets());
    m_ingestedSpans = &m_metrics.counter(
        "agentops_ingested_spans_total", "Spans accepted and committed (a retried span is stored once).");
    m_metrics.gaugeCallback("agentops_ingest_queue_spans", "Spans accepted and waiting for the writer.", [this] {
        double queued = 0;
        if (m_projects)
            m_projects->forEachOpen([&](std::int64_t, ProjectStores::Scope scope) {
                queued += static_cast<double>(scope.pipeline.queuedSpans());
            });
        else
            queued = static_cast<double>(m_pipeline ? m_pipeline->queuedSpans() : 0);
        return queued;
    });
    const int threads = std::max(1, m_config.worker_threads);
    m_http->server->new_task_queue = [threads] { return new NamedThreadPool(static_cast<std::size_t>(threads)); };
    m_http->server->set_keep_alive_max_count(10000);
    m_http->server->set_keep_alive_timeout(m_config.keep_alive_seconds);
    m_http->server->set_read_timeout(30);
    m_http->server->set_write_timeout(30);
    m_http->server->set_tcp_nodelay(true);
    installRoutes();
}

ApiServer::~ApiServer()
{
    stop();
}

bool ApiServer::bind(std::string &error)
{
    if (!m_http->server->is_valid()) {
        error = "cannot start HTTPS with certificate " + m_config.tls_cert_file + " and key " + m_config.tls_key_file
            + ": the files cannot be read, are not PEM, or do not belong together";
        return false;
    }
    if (m_config.port == 0) {
        m_port = m_http->server->bind_to_any_port(m_config.host);
        if (m_port <= 0) {
            error = "cannot listen on " + m_config.host + ": " + std::strerror(errno);
            return false;
        }
        return true;
    }
    errno = 0;
    if (!m_http->server->bind_to_port(m_config.host, m_config.port)) {
        const int err = errno;
        error = "cannot listen on " + m_config.host + ":" + std::to_string(m_config.port) + ": "
            + (err == EADDRINUSE ? std::string("the port is in use by another program")
                                 : std::string(err ? std::strerror(err) : "address not available"));
        return false;
    }
    m_port = m_config.port;
    return true;
}

void ApiServer::run()
{
    m_http->server->listen_after_bind();
}

void ApiServer::stop()
{
    if (m_http && m_http->server->is_running()) {
        m_http->server->stop();
        m_http->closeConnections(m_port);
    }
}

ApiServer::Scope ApiServer::resolve(const Request &req, bool ingest)
{
    if (!m_accounts)
        return { *m_store, *m_pipeline };
    Caller caller;
    const auto failure = m_accounts->authenticate(bearerToken(req), caller);
    if (failure != AuthFailure::None)
        throw AuthError { 401, "unauthorized", Accounts::describe(failure) };
    const std::string limitKey = caller.kind == Caller::Kind::ApiKey ? "key:" + std::to_string(caller.key.id)
                                                                     : "user:" + std::to_string(caller.user.id);
    if (const auto d = m_keyLimiter->take(limitKey); !d)
        throw rateLimited(caller.kind == Caller::Kind::ApiKey ? "API key" : "user", d);
    if (ingest) {
        if (caller.kind != Caller::Kind::ApiKey)
            throw AuthError { 403, "forbidden", "ingest takes a project API key, not a sign-in session" };
        if (req.has_param("project") && !namesProject(req.get_param_value("project"), caller.projects.front()))
            throw AuthError { 403, "forbidden",
                "project: this API key belongs to project " + caller.projects.front().name + ", not "
                    + req.get_param_value("project") };
        const auto scope = m_projects->open(caller.projects.front());
        return { scope.store, scope.pipeline };
    }
    const store::Project *project = nullptr;
    if (req.has_param("project")) {
        const std::string wanted = req.get_param_value("project");
        for (const auto &p : caller.projects) {
            if (namesProject(wanted, p))
                project = &p;
        }
        if (!project)
            throw AuthError { 403, "forbidden", "project: no access to project '" + wanted + "'" };
    } else if (caller.projects.size() == 1) {
        project = &caller.projects.front();
    } else if (caller.projects.empty()) {
        throw AuthError { 403, "forbidden", "you are not a member of any project; ask an administrator" };
    } else {
        std::string names;
        for (const auto &p : caller.projects)
            names += (names.empty() ? "" : ", ") + p.name;
        throw AuthError { 400, "invalid_argument", "project: required, one of " + names };
    }
    const auto scope = m_projects->open(*project);
    return { scope.store, scope.pipeline };
}

prom::Counter &ApiServer::rejectedSpans(const std::string &reason)
{
    return m_metrics.counter("agentops_rejected_spans_total",
        "Spans not stored, by reason: invalid (failed validation), queue_full, store_failed, shutting_down.",
        { { "reason", reason } });
}

prom::Counter &ApiServer::rejectedRequests(const std::string &reason)
{
    return m_metrics.counter("agentops_rejected_ingest_requests_total",
        "Ingest requests refused before their spans were read, by reason: unauthorized, forbidden, "
        "rate_limited, too_large, bad_encoding, unsupported_media_type, unreadable.",
        { { "reason", reason } });
}

void ApiServer::installRoutes()
{
    auto &http = *m_http->server;

    http.set_pre_routing_handler([this](const Request &req, Response &res) {
        m_http->requestStarted(req.remote_addr, req.remote_port);
        t_request = RequestContext {};
        t_request.start = std::chrono::steady_clock::now();
        char id[24];
        std::snprintf(id, sizeof id, "%08llx", static_cast<unsigned long long>(++m_requestCounter));
        t_request.id = id;
        res.set_header("X-Request-Id", t_request.id);
        // httplib would answer "Accept-Encoding: br" with brotli at its slowest setting (45 s for a
        // 70 MB trace on this machine, against 1.4 s for gzip): offer it gzip only. The request
        // object is ours for the length of this call.
        if (req.has_header("Accept-Encoding")) {
            const std::string accepted = req.get_header_value("Accept-Encoding");
            std::string kept;
            std::size_t pos = 0;
            while (pos <= accepted.size()) {
                const auto comma = std::min(accepted.find(',', pos), accepted.size());
                std::string token = accepted.substr(pos, comma - pos);
                const auto first = token.find_first_not_of(" \t");
                token = first == std::string::npos ? std::string() : token.substr(first);
                std::string name = asciiLower(token.substr(0, token.find(';')));
                while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
                    name.pop_back();
                if (!token.empty() && name != "br")
                    kept += (kept.empty() ? "" : ", ") + token;
                pos = comma + 1;
            }
            auto &headers = const_cast<httplib::Headers &>(req.headers);
            headers.erase("Accept-Encoding");
            if (!kept.empty())
                headers.emplace("Accept-Encoding", kept);
        }
        const std::string origin = req.get_header_value("Origin");
        if (CorsPolicy::isPreflight(req.method, origin, req.get_header_value("Access-Control-Request-Method"))) {
            const auto pre = m_cors.preflight(origin, req.get_header_value("Access-Control-Request-Method"),
                req.get_header_value("Access-Control-Request-Headers"));
            for (const auto &[k, v] : pre.headers)
                res.set_header(k, v);
            if (pre.allowed)
                res.status = 204;
            else
                setJsonError(res, 403, "forbidden", "CORS preflight refused: " + pre.reason);
            return httplib::Server::HandlerResponse::Handled;
        }
        for (const auto &[k, v] : m_cors.forRequest(origin))
            res.set_header(k, v);
        // Only the ingest routes stream bodies through their limits; httplib reads every other body
        // whole (and undoes its Content-Encoding) before the handler runs, so refuse anything big,
        // unbounded or compressed here, before it is read.
        if (req.path != "/v1/traces" && req.path != "/api/v1/ingest") {
            std::int64_t length = 0;
            const bool chunked
                = asciiLower(req.get_header_value("Transfer-Encoding")).find("chunked") != std::string::npos;
            const std::string encoding = asciiLower(req.get_header_value("Content-Encoding"));
            if (chunked || (!encoding.empty() && encoding != "identity")
                || (req.has_header("Content-Length")
                    && (!parseInt64(req.get_header_value("Content-Length"), length) || length > kMaxSmallBody))) {
                res.set_header("Connection", "close");
                setJsonError(res, 413, "payload_too_large",
                    "request bodies outside ingest are plain JSON of at most 64 KiB with a Content-Length");
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        if (!isProbe(req.path)) {
            if (const auto d = m_clientLimiter->take("ip:" + req.remote_addr); !d) {
                if (req.path == "/v1/traces" || req.path == "/api/v1/ingest")
                    rejectedRequests("rate_limited").inc();
                setAuthError(res, rateLimited("client address", d));
                res.set_header("Connection", "close");
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    http.set_logger([this](const Request &req, const Response &res) {
        m_http->requestFinished(req.remote_addr, req.remote_port);
        const double ms
            = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request.start).count();
        Log::Fields f { { "request_id", Log::str(t_request.id) }, { "method", Log::str(req.method) },
            { "path", Log::str(req.path) }, { "status", Log::num(static_cast<long long>(res.status)) },
            { "duration_ms", Log::num(ms) }, { "remote", Log::str(req.remote_addr) } };
        if (t_request.spans >= 0)
            f.emplace_back("spans", Log::num(t_request.spans));
        if (t_request.rejected > 0)
            f.emplace_back("rejected", Log::num(t_request.rejected));
        if (!t_request.error.empty())
            f.emplace_back("error", Log::str(t_request.error));
        m_log.write(res.status >= 500 ? "error" : (res.status >= 400 ? "warn" : "info"), "request", f);
        m_latency->observe(ms / 1000.0);
        m_metrics
            .counter("agentops_http_requests_total", "HTTP requests answered, by method and status code.",
                { { "method", req.method }, { "code", std::to_string(res.status) } })
            .inc();
    });

    http.set_exception_handler([](const Request &, Response &res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
            if (ep)
                std::rethrow_exception(ep);
        } catch (const std::exception &e) {
            what = std::string("internal error: ") + e.what();
        } catch (...) { }
        setJsonError(res, 500, "internal", what);
    });

    // Unmatched paths: 404, or 405 when the path exists under another method.
    http.set_error_handler(httplib::Server::HandlerWithResponse([](const Request &req, Response &res) {
        if (!res.body.empty())
            return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
            std::string allow;
            for (const auto &r : kRoutes) {
                if (std::regex_match(req.path, routeRegex(r.path)))
                    allow += (allow.empty() ? "" : ", ") + r.method;
            }
            if (!allow.empty()) {
                res.set_header("Allow", allow);
                setJsonError(res, 405, "method_not_allowed",
                    req.method + " is not allowed on " + req.path + " (allowed: " + allow + ")");
            } else {
                setJsonError(res, 404, "not_found", "no route " + req.method + " " + req.path);
            }
        } else {
            setJsonError(res, res.status, res.status == 413 ? "payload_too_large" : "error",
                "request refused with HTTP status " + std::to_string(res.status));
        }
        return httplib::Server::HandlerResponse::Handled;
    }));

    // Reads and decodes one ingest body; shared by OTLP and the native API. Returns false with the
    // response already set when the request is refused.
    auto readBody = [this](const Request &req, Response &res, const httplib::ContentReader &reader, Encoding enc,
                        bool otlp, std::string &body) {
        auto refuse = [&](int status, int rpcCode, std::string_view code, const std::string &msg) {
            rejectedRequests(code == "payload_too_large" ? "too_large"
                    : code == "invalid_argument"         ? "unreadable"
                                                         : std::string(code))
                .inc();
            if (otlp)
                setOtlpError(res, enc, status, rpcCode, code, msg);
            else
                setJsonError(res, status, code, msg);
            return false;
        };
        const std::string encoding = asciiLower(req.get_header_value("Content-Encoding"));
        const bool gzip = encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate";
        if (!gzip && !encoding.empty() && encoding != "identity") {
            // Refused unread, like every other body refused before reading: the client should
            // not reuse the connection.
            res.set_header("Connection", "close");
            return refuse(415, 3, "unsupported_media_type",
                "Content-Encoding '" + encoding + "' is not supported (use gzip or none)");
        }
        std::int64_t declared = -1;
        if (req.has_header("Content-Length")) {
            if (parseInt64(req.get_header_value("Content-Length"), declared)
                && static_cast<std::uint64_t>(declared) > m_config.max_body_bytes) {
                res.set_header("Connection", "close");
                return refuse(413, 8, "payload_too_large",
                    "request body of " + std::to_string(declared) + " bytes exceeds the limit of "
                        + formatSize(m_config.max_body_bytes));
            }
        }
        // Decompression is done by BodyReader, which counts both sizes; the HTTP library must pass
        // the bytes through as they came. The request object is ours for the length of this call.
        if (gzip) {
            auto &headers = const_cast<httplib::Headers &>(req.headers);
            headers.erase("Content-Encoding");
        }
        BodyReader br(m_config.max_body_bytes, m_config.max_decompressed_bytes, gzip);
        if (!gzip && declared > 0) // within the limit, checked above: one allocation, no regrowth
            br.body().reserve(static_cast<std::size_t>(declared));
        const bool complete = reader([&](const char *data, std::size_t len) { return br.feed(data, len); });
        const BodyStatus st
            = complete ? br.finish() : (br.status() == BodyStatus::Ok ? BodyStatus::ReadFailed : br.status());
        switch (st) {
        case BodyStatus::Ok: break;
        case BodyStatus::TooLargeWire:
            res.set_header("Connection", "close");
            return refuse(413, 8, "payload_too_large",
                "request body exceeds the limit of " + formatSize(m_config.max_body_bytes));
        case BodyStatus::TooLargeDecompressed:
            res.set_header("Connection", "close");
            return refuse(413, 8, "payload_too_large",
                "decompressed request body exceeds the limit of " + formatSize(m_config.max_decompressed_bytes));
        case BodyStatus::BadEncoding:
            res.set_header("Connection", "close");
            return refuse(400, 3, "invalid_argument", "body is not valid gzip data (Content-Encoding: gzip)");
        case BodyStatus::ReadFailed:
            res.set_header("Connection", "close");
            return refuse(400, 3, "invalid_argument", "request body could not be read completely");
        }
        body = std::move(br.body());
        if (m_faultsLeft.load() > 0 && m_faultsLeft.fetch_sub(1) > 0) {
            res.set_header("Retry-After", std::to_string(m_config.retry_after_seconds));
            return refuse(503, 14, "unavailable", "server is unavailable (injected fault); retry later");
        }
        return true;
    };

    // The store an ingest request may write to, resolved before its body is read; nullopt with the
    // refusal answered (in OTLP's encoding when otlp) otherwise. Refused unread: the client should
    // not reuse the connection.
    auto resolveIngest = [this](const Request &req, Response &res, Encoding enc, bool otlp) -> std::optional<Scope> {
        AuthError refusal {};
        try {
            return resolve(req, true);
        } catch (const std::exception &e) {
            // The account or project store failed: retryable, and the detail stays in the log.
            m_log.error("ingest: account or project store failed", { { "error", Log::str(e.what()) } });
            refusal = AuthError { 503, "unavailable", "the server's database is unavailable; retry later",
                m_config.retry_after_seconds };
            rejectedRequests("store_failed").inc();
        } catch (const AuthError &e) {
            refusal = e;
            rejectedRequests(e.code).inc();
        }
        res.set_header("Connection", "close");
        setAuthError(res, refusal, otlp ? std::optional<Encoding>(enc) : std::nullopt);
        return std::nullopt;
    };

    // Hands decoded spans to the writer and waits for their commit. Returns false with the response
    // set when they could not be stored.
    auto store = [this](Response &res, store::IngestPipeline &pipeline, ingest::DecodeResult &decoded, Encoding enc,
                     bool otlp) {
        const std::size_t n = decoded.spans.size();
        const auto result = pipeline.submit(decoded.spans);
        auto unavailable = [&](const std::string &msg) {
            res.set_header("Retry-After", std::to_string(m_config.retry_after_seconds));
            if (otlp)
                setOtlpError(res, enc, 503, 14, "unavailable", msg);
            else
                setJsonError(res, 503, "unavailable", msg);
            return false;
        };
        switch (result.outcome) {
        case store::IngestPipeline::Outcome::Committed:
            t_request.spans = static_cast<long long>(n);
            m_ingestedSpans->inc(n);
            return true;
        case store::IngestPipeline::Outcome::QueueFull:
            rejectedSpans("queue_full").inc(n);
            return unavailable(
                "ingest queue is full; retry after " + std::to_string(m_config.retry_after_seconds) + " s");
        case store::IngestPipeline::Outcome::Stopped:
            rejectedSpans("shutting_down").inc(n);
            return unavailable("server is shutting down");
        case store::IngestPipeline::Outcome::StoreFailed:
            rejectedSpans("store_failed").inc(n);
            m_log.error("store write failed", { { "error", Log::str(result.error) } });
            return unavailable("spans could not be stored: " + result.error);
        }
        return false;
    };

    http.Post("/v1/traces",
        [this, readBody, resolveIngest, store](
            const Request &req, Response &res, const httplib::ContentReader &reader) {
            const std::string type = mediaType(req);
            Encoding enc;
            if (type == "application/x-protobuf" || type == "application/protobuf")
                enc = Encoding::Protobuf;
            else if (type == "application/json")
                enc = Encoding::Json;
            else {
                res.set_header("Connection", "close");
                setJsonError(res, 415, "unsupported_media_type",
                    "Content-Type '" + type
                        + "' is not supported; OTLP/HTTP uses application/x-protobuf or application/json");
                return;
            }
            const auto scope = resolveIngest(req, res, enc, true);
            if (!scope)
                return;
            std::string body;
            if (!readBody(req, res, reader, enc, true, body))
                return;
            const auto lease = m_decoded.take();
            ingest::DecodeResult &decoded = *lease;
            ingest::FatalError fatal;
            if (!ingest::decodeOtlpTraces(body,
                    enc == Encoding::Protobuf ? ingest::OtlpEncoding::Protobuf : ingest::OtlpEncoding::Json, decoded,
                    fatal)) {
                setOtlpError(res, enc, 400, 3, "invalid_argument", fatal.toString());
                return;
            }
            t_request.rejected = static_cast<long long>(decoded.rejected);
            if (decoded.rejected > 0)
                rejectedSpans("invalid").inc(decoded.rejected);
            std::string errors;
            for (const auto &e : decoded.errors)
                errors += (errors.empty() ? "" : "; ") + e.toString();
            if (decoded.rejected > decoded.errors.size())
                errors += "; and " + std::to_string(decoded.rejected - decoded.errors.size()) + " more";
            if (decoded.spans.empty() && decoded.rejected > 0) {
                setOtlpError(res, enc, 400, 3, "invalid_argument",
                    "all " + std::to_string(decoded.rejected) + " spans were rejected: " + errors);
                return;
            }
            if (!store(res, scope->pipeline, decoded, enc, true))
                return;
            res.status = 200;
            if (enc == Encoding::Protobuf) {
                std::string out;
                if (decoded.rejected > 0) {
                    std::string partial;
                    appendVarint(partial, 1 << 3 | 0);
                    appendVarint(partial, decoded.rejected);
                    appendLengthDelimited(partial, 2, errors);
                    appendLengthDelimited(out, 1, partial);
                }
                res.set_content(out, "application/x-protobuf");
            } else {
                std::string out = "{}";
                if (decoded.rejected > 0) {
                    out = "{\"partialSuccess\":{\"rejectedSpans\":\"" + std::to_string(decoded.rejected)
                        + "\",\"errorMessage\":";
                    core::appendJsonString(out, errors);
                    out += "}}";
                }
                res.set_content(out, "application/json");
            }
        });

    http.Post("/api/v1/ingest",
        [this, readBody, resolveIngest, store](
            const Request &req, Response &res, const httplib::ContentReader &reader) {
            if (mediaType(req) != "application/json") {
                res.set_header("Connection", "close");
                setJsonError(res, 415, "unsupported_media_type",
                    "Content-Type '" + mediaType(req)
                        + "' is not supported; the native ingest API takes application/json");
                return;
            }
            const auto scope = resolveIngest(req, res, Encoding::Json, false);
            if (!scope)
                return;
            std::string body;
            if (!readBody(req, res, reader, Encoding::Json, false, body))
                return;
            const auto lease = m_decoded.take();
            ingest::DecodeResult &decoded = *lease;
            ingest::FatalError fatal;
            if (!ingest::decodeNativeBatch(body, decoded, fatal)) {
                setJsonError(res, 400, "invalid_argument", fatal.toString());
                return;
            }
            t_request.rejected = static_cast<long long>(decoded.rejected);
            if (decoded.rejected > 0)
                rejectedSpans("invalid").inc(decoded.rejected);
            std::string errors = "[";
            for (std::size_t i = 0; i < decoded.errors.size(); ++i) {
                if (i)
                    errors += ',';
                errors += "{\"path\":";
                core::appendJsonString(errors, decoded.errors[i].path);
                errors += ",\"message\":";
                core::appendJsonString(errors, decoded.errors[i].message);
                errors += '}';
            }
            errors += ']';
            if (decoded.spans.empty() && decoded.rejected > 0) {
                std::string msg = "all " + std::to_string(decoded.rejected) + " spans were rejected";
                if (!decoded.errors.empty())
                    msg += ": " + decoded.errors.front().toString();
                setJsonError(res, 400, "invalid_argument", msg);
                // Keep every per-span error in the body, next to the summary message.
                res.body.insert(res.body.size() - 2, ",\"details\":" + errors);
                return;
            }
            const std::size_t accepted = decoded.spans.size();
            if (!store(res, scope->pipeline, decoded, Encoding::Json, false))
                return;
            setJson(res,
                "{\"accepted\":" + std::to_string(accepted) + ",\"rejected\":" + std::to_string(decoded.rejected)
                    + ",\"errors\":" + errors + "}");
        });

    http.Get("/api/v1/traces", guarded([this](const Request &req, Response &res) {
        const Params p(req,
            { "from", "to", "service", "q", "errors", "model", "session", "min_duration_ms", "min_cost", "sort",
                "order", "limit", "cursor" });
        store::TraceQuery q;
        q.from_ns = p.time("from");
        q.to_ns = p.time("to");
        q.service = p.text("service");
        q.name_contains = p.text("q");
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
        const auto page = resolve(req, false).store.listTraces(q);
        setJson(res, pageJson("traces", page.traces, page.next_cursor, core::appendSummaryApiJson));
    }));

    auto traceIdParam = [](const std::string &hex) {
        core::TraceId id {};
        if (!core::fromHex(hex, id) || core::isZero(id))
            throw ParamError { "trace_id: must be 32 hex digits (not all zero), got '" + hex + "'" };
        return id;
    };

    http.Get(R"(/api/v1/traces/([^/]+))", guarded([this, traceIdParam](const Request &req, Response &res) {
        const Params p(req, { "load" });
        const std::string hex = req.matches[1];
        const core::TraceId id = traceIdParam(hex);
        const std::string load = p.has("load") ? p.text("load") : "full";
        store::TraceLoad how = store::TraceLoad::Full;
        if (load == "auto")
            how = store::TraceLoad::Automatic;
        else if (load == "narrow")
            how = store::TraceLoad::Narrow;
        else if (load != "full")
            throw ParamError { "load: must be full, auto or narrow, got '" + load + "'" };
        const auto detail = resolve(req, false).store.trace(id, how);
        if (!detail) {
            setJsonError(res, 404, "not_found", "no trace " + asciiLower(hex));
            return;
        }
        std::string out = "{\"trace\":";
        core::appendSummaryApiJson(out, detail->summary);
        out += detail->complete ? ",\"complete\":true" : ",\"complete\":false";
        out += ",\"spans\":[";
        for (std::size_t i = 0; i < detail->spans.size(); ++i) {
            if (i)
                out += ',';
            core::appendSpanApiJson(out, detail->spans[i], detail->depth[i], detail->orphan[i]);
        }
        out += "]}";
        setJson(res, std::move(out));
    }));

    http.Get(
        R"(/api/v1/traces/([^/]+)/spans/([^/]+))", guarded([this, traceIdParam](const Request &req, Response &res) {
            Params(req, {});
            const core::TraceId traceId = traceIdParam(req.matches[1]);
            const std::string spanHex = req.matches[2];
            core::SpanId spanId {};
            if (!core::fromHex(spanHex, spanId) || core::isZero(spanId))
                throw ParamError { "span_id: must be 16 hex digits (not all zero), got '" + spanHex + "'" };
            const auto span = resolve(req, false).store.span(traceId, spanId);
            if (!span) {
                setJsonError(res, 404, "not_found",
                    "no span " + asciiLower(spanHex) + " in trace " + asciiLower(std::string(req.matches[1])));
                return;
            }
            std::string out = "{\"span\":";
            core::appendSpanApiJson(out, *span, 0, false);
            out += '}';
            setJson(res, std::move(out));
        }));

    // A number that grows whenever something was committed for the caller's project, so a client
    // can poll cheaply for "anything new?".
    http.Get("/api/v1/changes", guarded([this](const Request &req, Response &res) {
        Params(req, {});
        const auto c = resolve(req, false).pipeline.counters();
        setJson(res, "{\"change_counter\":\"" + std::to_string(c.commits) + "\"}");
    }));

    auto sessionJson = [](std::string &out, const store::SessionSummary &s) {
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
    };

    http.Get("/api/v1/sessions", guarded([this, sessionJson](const Request &req, Response &res) {
        const Params p(req, { "from", "to", "user", "limit", "cursor" });
        store::SessionQuery q;
        q.from_ns = p.time("from");
        q.to_ns = p.time("to");
        q.user_id = p.text("user");
        q.limit = p.integer("limit", 50, 1, 1000);
        q.cursor = p.text("cursor");
        const auto page = resolve(req, false).store.listSessions(q);
        setJson(res, pageJson("sessions", page.sessions, page.next_cursor, sessionJson));
    }));

    http.Get(R"(/api/v1/sessions/([^/]+))", guarded([this](const Request &req, Response &res) {
        Params(req, {});
        const std::string id = req.matches[1];
        const auto traces = resolve(req, false).store.sessionTraces(id);
        if (traces.empty()) {
            setJsonError(res, 404, "not_found", "no session " + id);
            return;
        }
        std::string out = "{\"session_id\":";
        core::appendJsonString(out, id);
        out += ",\"traces\":[";
        for (std::size_t i = 0; i < traces.size(); ++i) {
            if (i)
                out += ',';
            core::appendSummaryApiJson(out, traces[i]);
        }
        out += "]}";
        setJson(res, std::move(out));
    }));

    // The table ingest prices with right now (shipped rows plus overrides), so a cost can be checked
    // against the row its price_ref names.
    http.Get("/api/v1/models/prices", guarded([this](const Request &req, Response &res) {
        Params(req, {});
        const auto table = resolve(req, false).pipeline.priceTable();
        setJson(res, table ? table->toApiJson() : core::PriceTable().toApiJson());
    }));

    http.Get("/api/v1/metrics", guarded([this](const Request &req, Response &res) {
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
        const auto m = resolve(req, false).store.metrics(q);

        auto optional
            = [](std::string &out, const std::optional<std::int64_t> &v) { out += v ? std::to_string(*v) : "null"; };
        auto bucketJson = [&](std::string &out, const store::MetricsBucket &b) {
            out += "{\"start_time_unix_nano\":\"" + std::to_string(b.start_ns) + "\",\"group\":";
            core::appendJsonString(out, b.group);
            out += ",\"traces\":" + std::to_string(b.traces) + ",\"spans\":" + std::to_string(b.spans)
                + ",\"error_spans\":" + std::to_string(b.error_spans) + ",\"error_traces\":"
                + std::to_string(b.error_traces) + ",\"tokens\":{\"input\":" + std::to_string(b.input_tokens)
                + ",\"output\":" + std::to_string(b.output_tokens) + ",\"cache_read\":"
                + std::to_string(b.cache_read_tokens) + ",\"cache_write\":" + std::to_string(b.cache_write_tokens)
                + ",\"reasoning\":" + std::to_string(b.reasoning_tokens) + "}";
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
        };
        auto traceList = [](std::string &out, const std::vector<core::TraceSummary> &list) {
            out += '[';
            for (std::size_t i = 0; i < list.size(); ++i) {
                if (i)
                    out += ',';
                core::appendSummaryApiJson(out, list[i]);
            }
            out += ']';
        };
        std::string out = "{\"from_time_unix_nano\":\"" + std::to_string(m.from_ns) + "\",\"to_time_unix_nano\":\""
            + std::to_string(m.to_ns) + "\",\"bucket_ns\":" + std::to_string(m.bucket_ns) + ",\"group_by\":";
        core::appendJsonString(out, group);
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
        setJson(res, std::move(out));
    }));

    installAccountRoutes();

    http.Get("/healthz", [](const Request &, Response &res) { setJson(res, "{\"status\":\"ok\"}"); });

    http.Get("/readyz", [this](const Request &, Response &res) {
        std::string why;
        std::size_t queued = 0;
        bool ready = true;
        if (m_projects) {
            try {
                m_accounts->store().projects();
            } catch (const std::exception &e) {
                ready = false;
                why = std::string("account store: ") + e.what();
            }
            m_projects->forEachOpen([&](std::int64_t id, ProjectStores::Scope scope) {
                std::string w;
                if (ready && !scope.store.ready(w)) {
                    ready = false;
                    why = "project " + std::to_string(id) + ": " + w;
                }
                queued += scope.pipeline.queuedSpans();
            });
        } else {
            ready = m_store->ready(why);
            queued = m_pipeline->queuedSpans();
        }
        if (!ready) {
            setJsonError(res, 503, "unavailable", "store is not ready: " + why);
            return;
        }
        setJson(res, "{\"status\":\"ready\",\"queued_spans\":" + std::to_string(queued) + "}");
    });

    http.Get("/openapi.json", [](const Request &, Response &res) { setJson(res, openApiDocument()); });

    http.Get("/metrics", [this](const Request &, Response &res) {
        res.status = 200;
        res.set_content(m_metrics.render(), prom::Registry::kContentType);
    });
}

namespace {

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

/// A small JSON request body (sign-in, key names): an object, or a 400 naming what is wrong.
nlohmann::json jsonBody(const Request &req)
{
    if (mediaType(req) != "application/json")
        throw ParamError { "Content-Type: must be application/json" };
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        throw ParamError { "body: must be a JSON object" };
    return body;
}

std::string stringField(const nlohmann::json &body, const char *name, bool required)
{
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        if (required)
            throw ParamError { std::string(name) + ": required" };
        return {};
    }
    if (!it->is_string())
        throw ParamError { std::string(name) + ": must be a string" };
    return it->get<std::string>();
}

} // namespace

void ApiServer::installAccountRoutes()
{
    auto &http = *m_http->server;
    // The caller, for routes about the account itself; open mode has no accounts.
    auto caller = [this](const Request &req) {
        if (!m_accounts)
            throw AuthError { 404, "not_found", "this server runs without sign-in (open mode): no accounts" };
        Caller c;
        const auto failure = m_accounts->authenticate(bearerToken(req), c);
        if (failure != AuthFailure::None)
            throw AuthError { 401, "unauthorized", Accounts::describe(failure) };
        return c;
    };
    // A signed-in member of the project named in the path (key management is for people, not keys).
    auto signedInPerson = [caller](const Request &req) {
        const Caller c = caller(req);
        if (c.kind != Caller::Kind::Session)
            throw AuthError { 403, "forbidden", "managing API keys needs a sign-in session, not an API key" };
        return c;
    };
    auto memberProject = [signedInPerson](const Request &req, const std::string &wanted) {
        const Caller c = signedInPerson(req);
        for (const auto &p : c.projects) {
            if (namesProject(wanted, p))
                return p;
        }
        throw AuthError { 403, "forbidden", "project: no access to project '" + wanted + "'" };
    };

    http.Post("/api/v1/auth/login", guarded([this](const Request &req, Response &res) {
        if (!m_accounts)
            throw AuthError { 404, "not_found", "this server runs without sign-in (open mode)" };
        if (const auto d = m_loginLimiter->take("login:" + req.remote_addr); !d)
            throw rateLimited("client address (sign-in attempts)", d);
        const auto body = jsonBody(req);
        const std::string email = stringField(body, "email", true);
        const std::string password = stringField(body, "password", true);
        // Guessing one account's password from many addresses meets a limit of its own.
        if (const auto d = m_loginLimiter->take("email:" + asciiLower(email)); !d)
            throw rateLimited("account (sign-in attempts)", d);
        // Each check takes Argon2id's 64 MiB for a moment: only a few at a time.
        struct Slot
        {
            std::atomic<int> &n;
            ~Slot() { --n; }
        };
        if (++m_passwordChecks > kMaxPasswordChecks) {
            --m_passwordChecks;
            throw AuthError { 503, "unavailable", "too many sign-ins at once; retry in a second", 1 };
        }
        const Slot slot { m_passwordChecks };
        std::string why;
        const auto login = m_accounts->login(email, password, why);
        if (!login)
            throw AuthError { 401, "unauthorized", why };
        std::string out = "{\"token\":";
        core::appendJsonString(out, login->token);
        out += ",\"expires_at_unix_nano\":\"" + std::to_string(login->caller.session.expires_ns)
            + "\",\"idle_timeout_seconds\":" + std::to_string(m_accounts->policy().idle_timeout.count()) + ",\"user\":";
        appendUserJson(out, login->caller.user);
        out += ",\"projects\":";
        appendProjectsJson(out, login->caller.projects);
        out += '}';
        setJson(res, std::move(out));
    }));

    http.Post("/api/v1/auth/logout", guarded([this, caller](const Request &req, Response &res) {
        const Caller c = caller(req);
        if (c.kind != Caller::Kind::Session)
            throw ParamError { "an API key is not a session: it cannot sign out; revoke it instead "
                               "(DELETE /api/v1/keys/{key_id})" };
        m_accounts->logout(c);
        res.status = 204;
    }));

    http.Get("/api/v1/me", guarded([this, caller](const Request &req, Response &res) {
        Params(req, {});
        if (!m_accounts) {
            setJson(res,
                "{\"auth\":\"none\",\"user\":null,\"api_key\":null,\"projects\":[],"
                "\"session_expires_at_unix_nano\":\"0\"}");
            return;
        }
        const Caller c = caller(req);
        std::string out = "{\"auth\":\"required\",\"user\":";
        if (c.kind == Caller::Kind::Session)
            appendUserJson(out, c.user);
        else
            out += "null";
        out += ",\"api_key\":";
        if (c.kind == Caller::Kind::ApiKey)
            appendKeyJson(out, c.key);
        else
            out += "null";
        out += ",\"projects\":";
        appendProjectsJson(out, c.projects);
        out += ",\"session_expires_at_unix_nano\":\""
            + std::to_string(c.kind == Caller::Kind::Session ? c.session.expires_ns : 0) + "\"}";
        setJson(res, std::move(out));
    }));

    http.Get("/api/v1/projects", guarded([caller](const Request &req, Response &res) {
        Params(req, {});
        const Caller c = caller(req);
        std::string out = "{\"projects\":";
        appendProjectsJson(out, c.projects);
        out += '}';
        setJson(res, std::move(out));
    }));

    http.Get(R"(/api/v1/projects/([^/]+)/keys)", guarded([this, memberProject](const Request &req, Response &res) {
        Params(req, {});
        const auto project = memberProject(req, req.matches[1]);
        std::string out = "{\"keys\":[";
        const auto keys = m_accounts->store().apiKeys(project.id);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (i)
                out += ',';
            appendKeyJson(out, keys[i]);
        }
        out += "]}";
        setJson(res, std::move(out));
    }));

    auto newKeyJson = [](const Accounts::NewKey &k) {
        std::string out = "{\"key\":";
        appendKeyJson(out, k.key);
        out += ",\"secret\":";
        core::appendJsonString(out, k.secret);
        out += '}';
        return out;
    };

    http.Post(R"(/api/v1/projects/([^/]+)/keys)",
        guarded([this, caller, memberProject, newKeyJson](const Request &req, Response &res) {
            const auto project = memberProject(req, req.matches[1]);
            const std::string name = stringField(jsonBody(req), "name", false);
            if (name.size() > 200)
                throw ParamError { "name: at most 200 characters" };
            setJson(res, newKeyJson(m_accounts->createKey(project.id, name, caller(req).user.id)));
            res.status = 201;
        }));

    // The key named in the path, when the caller is a signed-in member of its project.
    // Credentials first, so nobody without them learns which key ids exist; a key of a project the
    // caller is not a member of is answered like a missing one.
    auto memberKey = [this, signedInPerson](const Request &req) {
        const Caller c = signedInPerson(req);
        std::int64_t id = 0;
        if (!parseInt64(std::string(req.matches[1]), id))
            throw ParamError { "key_id: must be an integer, got '" + std::string(req.matches[1]) + "'" };
        const auto key = m_accounts->store().apiKeyById(id);
        const bool member = key && std::any_of(c.projects.begin(), c.projects.end(), [&](const store::Project &p) {
            return p.id == key->project_id;
        });
        if (!member)
            throw AuthError { 404, "not_found", "no API key " + std::to_string(id) + " in your projects" };
        return *key;
    };

    http.Post(
        R"(/api/v1/keys/([0-9]+)/rotate)", guarded([this, memberKey, newKeyJson](const Request &req, Response &res) {
            const auto key = memberKey(req);
            const auto fresh = m_accounts->rotateKey(key.id);
            if (!fresh)
                throw AuthError { 409, "conflict",
                    "API key " + std::to_string(key.id) + " is revoked; create a new one" };
            setJson(res, newKeyJson(*fresh));
            res.status = 201;
        }));

    http.Delete(R"(/api/v1/keys/([0-9]+))", guarded([this, memberKey](const Request &req, Response &res) {
        const auto key = memberKey(req);
        m_accounts->store().revokeApiKey(key.id, Accounts::nowNs());
        res.status = 204;
    }));
}

} // namespace agentops::server

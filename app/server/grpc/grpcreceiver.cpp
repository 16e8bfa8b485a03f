// SPDX-License-Identifier: MIT
// OTLP/gRPC on gRPC C++'s callback API, in its raw form: the request reaches the project's own
// protobuf reader (IngestService, the same as OTLP/HTTP's) as the bytes gRPC received and
// decompressed, never as a parsed message. gRPC's threads only hand each call to the worker pool.
#include "server/grpc/grpcreceiver.h"

#include "server/grpc/bytebufferpeer.h"
#include "server/grpc/grpcacceptor.h"

#include "core/span.h"
#include "server/apiserver.h"
#include "server/http/server.h"
#include "server/http/workerpool.h"
#include "server/options.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

#include <grpc/grpc.h>
#include <grpc/support/log.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

namespace agentops::server {

namespace {

using TraceService = opentelemetry::proto::collector::trace::v1::TraceService;
using Clock = std::chrono::steady_clock;

/// grpc-message and the status details travel in HTTP/2 trailers, which clients limit (8 KiB is
/// common): a refusal's text is cut to this.
constexpr std::size_t kMaxStatusMessage = 2048;
constexpr int kKeepaliveTimeoutMs = 20'000;
constexpr int kMaxSendMessage = 64 * 1024; ///< the answers are a few bytes

const char *codeName(int code)
{
    static constexpr const char *kNames[] = { "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
        "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
        "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED" };
    return code >= 0 && code < static_cast<int>(std::size(kNames)) ? kNames[code] : "UNKNOWN";
}

/// The client's address from gRPC's peer string ("ipv4:127.0.0.1:5000", "ipv6:[::1]:5000", with
/// the brackets percent-encoded by some versions), as the HTTP server spells it for the same client.
std::string clientAddress(std::string_view peer)
{
    const auto colon = peer.find(':');
    std::string rest(colon == std::string_view::npos ? peer : peer.substr(colon + 1));
    for (const auto &[from, to] : { std::pair { "%5B", "[" }, { "%5D", "]" }, { "%25", "%" } }) {
        for (auto p = rest.find(from); p != std::string::npos; p = rest.find(from, p + 1))
            rest.replace(p, 3, to);
    }
    std::string addr;
    if (!rest.empty() && rest.front() == '[')
        addr = rest.substr(1, rest.find(']') - 1);
    else
        addr = rest.substr(0, rest.rfind(':'));
    if (addr.starts_with("::ffff:") && addr.find('.') != std::string::npos)
        addr.erase(0, 7); // an IPv4 client of a dual-stack socket
    return addr;
}

/// The client's port from gRPC's peer string ("ipv4:127.0.0.1:5000"): 0 when there is none.
int peerPort(std::string_view peer)
{
    const auto colon = peer.rfind(':');
    int port = 0;
    if (colon != std::string_view::npos)
        std::from_chars(peer.data() + colon + 1, peer.data() + peer.size(), port);
    return port;
}

std::string metadataValue(const grpc::CallbackServerContext &ctx, const char *key)
{
    const auto &md = ctx.client_metadata();
    const auto it = md.find(key);
    return it == md.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

/// The API key a call carries: "authorization: Bearer <key>" (what OTEL_EXPORTER_OTLP_HEADERS sets),
/// or "x-api-key: <key>", as on HTTP.
std::string credentialOf(const grpc::CallbackServerContext &ctx)
{
    const std::string auth = metadataValue(ctx, "authorization");
    if (auth.size() > 7 && core::asciiLower(auth.substr(0, 7)) == "bearer ") {
        std::string token = auth.substr(7);
        const auto first = token.find_first_not_of(" \t");
        const auto last = token.find_last_not_of(" \t");
        return first == std::string::npos ? std::string() : token.substr(first, last - first + 1);
    }
    return metadataValue(ctx, "x-api-key");
}

bool readFile(const std::string &path, std::string &out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream text;
    text << in.rdbuf();
    out = text.str();
    return !out.empty();
}

std::string hostPort(const std::string &host, int port)
{
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

/// A refusal as gRPC sends it: the code and message, and google.rpc.Status in the details
/// (grpc-status-details-bin) with RetryInfo when the client should come back later.
grpc::Status refusal(const IngestOutcome &out)
{
    std::string message = out.all_rejected ? out.message + ": " + out.errors_text : out.message;
    if (message.size() > kMaxStatusMessage)
        message = message.substr(0, kMaxStatusMessage - 3) + "...";
    google::rpc::Status details;
    details.set_code(out.rpc_code);
    details.set_message(message);
    if (out.retry_after > 0) {
        google::rpc::RetryInfo retry;
        retry.mutable_retry_delay()->set_seconds(out.retry_after);
        details.add_details()->PackFrom(retry);
    }
    return grpc::Status(static_cast<grpc::StatusCode>(out.rpc_code), message, details.SerializeAsString());
}

/// The acceptor's events as metrics, named like the HTTP port's, and a refusal in the log (once a
/// second at most: a client that keeps reconnecting must not fill it).
GrpcAcceptor::Hooks acceptorHooks(ApiServer &api)
{
    auto &open = api.metrics().gauge("agentops_grpc_open_connections", "OTLP/gRPC client connections open now.");
    const char *help = "OTLP/gRPC connections refused since start, by limit.";
    auto &total = api.metrics().counter("agentops_grpc_refused_connections_total", help, { { "limit", "total" } });
    auto &perClient
        = api.metrics().counter("agentops_grpc_refused_connections_total", help, { { "limit", "per_client" } });
    auto &resources
        = api.metrics().counter("agentops_grpc_refused_connections_total", help, { { "limit", "resources" } });
    auto &memory = api.metrics().counter("agentops_grpc_memory_closed_connections_total",
        "OTLP/gRPC connections closed since start because the messages still arriving held more than "
        "--grpc-max-memory.");
    auto &held = api.metrics().gauge("agentops_grpc_receiving_bytes",
        "Bytes of OTLP/gRPC messages still arriving, as last estimated (0 with --grpc-max-memory none).");
    auto lastLogged = std::make_shared<Clock::time_point>();
    GrpcAcceptor::Hooks hooks;
    hooks.openChanged = [&open](std::size_t n) { open.set(static_cast<double>(n)); };
    hooks.held = [&held](std::size_t bytes) { held.set(static_cast<double>(bytes)); };
    hooks.closedForMemory = [&api, &memory](const std::string &client, std::size_t bytes) {
        memory.inc();
        api.log().write("warn", "connection closed",
            { { "transport", Log::str("grpc") }, { "remote", Log::str(client) }, { "limit", Log::str("memory") },
                { "receiving_bytes", Log::num(static_cast<long long>(bytes)) } });
    };
    auto lastDropLogged = std::make_shared<Clock::time_point>();
    hooks.dropped = [&api, &resources, lastDropLogged](const std::string &client, int error) {
        resources.inc();
        const auto now = Clock::now();
        if (now - *lastDropLogged < std::chrono::seconds(1))
            return;
        *lastDropLogged = now;
        api.log().write("error", "connection dropped",
            { { "transport", Log::str("grpc") }, { "remote", Log::str(client) },
                { "reason", Log::str(std::strerror(error)) } });
    };
    hooks.refused = [&api, &total, &perClient, lastLogged](bool byClient, const std::string &client) {
        (byClient ? perClient : total).inc();
        const auto now = Clock::now();
        if (now - *lastLogged < std::chrono::seconds(1))
            return;
        *lastLogged = now;
        api.log().write("warn", "connection refused",
            { { "transport", Log::str("grpc") }, { "remote", Log::str(client) },
                { "limit", Log::str(byClient ? "per_client" : "total") } });
    };
    return hooks;
}

std::size_t memoryBound(const GrpcConfig &grpc, const ServerConfig &http)
{
    return grpc.memory_bytes > 0 ? grpc.memory_bytes : 16 * http.max_body_bytes;
}

/// One Export call while it is queued or running.
struct Call
{
    grpc::CallbackServerContext *ctx;
    const grpc::ByteBuffer *request;
    grpc::ByteBuffer *response;
    grpc::ServerUnaryReactor *reactor;
    Clock::time_point started;
    std::string id;
    bool pending; ///< counted in the pending calls
    std::size_t bytes = 0; ///< the message's size as received, counted in the pending bytes
};

} // namespace

class GrpcReceiver::Impl final : public TraceService::WithRawCallbackMethod_Export<TraceService::Service>
{
public:
    Impl(ApiServer &api, GrpcConfig config);
    ~Impl() override { stop(); }

    bool start(std::string &error);
    void stop();
    grpc::ServerUnaryReactor *Export(
        grpc::CallbackServerContext *ctx, const grpc::ByteBuffer *request, grpc::ByteBuffer *response) override;

    ApiServer &m_api;
    GrpcConfig m_config;
    int m_port = 0;

private:
    void handle(Call &call);
    void finish(Call &call, const IngestOutcome &out);
    std::shared_ptr<grpc::ServerCredentials> credentials(std::string &error) const;
    void configure(grpc::ServerBuilder &builder) const;

    /// The Host rule of the ApiServer, plus the address this receiver listens on.
    http::HostPolicy m_hosts;
    int m_maxPending;
    std::atomic<int> m_pending { 0 };
    std::size_t m_maxPendingBytes;
    std::atomic<std::size_t> m_pendingBytes { 0 };
    std::atomic<std::uint64_t> m_ids { 0 };
    prom::Histogram &m_latency;
    prom::Gauge &m_pendingGauge;
    std::once_flag m_stopOnce;
    http::WorkerPool m_workers;
    /// Our listening sockets and connection limits; gRPC gets the connections through m_external.
    GrpcAcceptor m_acceptor;
    std::unique_ptr<grpc::experimental::ExternalConnectionAcceptor> m_external;
    std::unique_ptr<grpc::Server> m_server; ///< destroyed before the service it serves (the base)
};

GrpcReceiver::Impl::Impl(ApiServer &api, GrpcConfig config)
    : m_api(api)
    , m_config(std::move(config))
    , m_hosts(api.hostPolicy())
    , m_maxPending(m_config.max_pending_calls > 0
              ? m_config.max_pending_calls
              : 4 * std::max(1, m_config.worker_threads > 0 ? m_config.worker_threads : api.config().worker_threads))
    , m_maxPendingBytes(m_config.max_pending_bytes > 0 ? m_config.max_pending_bytes : 16 * api.config().max_body_bytes)
    , m_latency(api.metrics().histogram("agentops_grpc_request_duration_seconds",
          "OTLP/gRPC calls: time from the call's start to its status, by the server's clock.",
          prom::Registry::defaultLatencyBuckets()))
    , m_pendingGauge(api.metrics().gauge("agentops_grpc_pending_calls", "OTLP/gRPC calls queued or running now."))
    , m_workers(std::max(1, m_config.worker_threads > 0 ? m_config.worker_threads : api.config().worker_threads),
          "agentops-grpc")
    , m_acceptor({ api.config().limits.max_connections, api.config().limits.max_connections_per_client,
                     m_config.unbounded_memory ? 0 : memoryBound(m_config, api.config()) },
          acceptorHooks(api))
{
    if (!isWildcardHost(m_config.host))
        m_hosts.allowed.push_back(m_config.host);
}

std::shared_ptr<grpc::ServerCredentials> GrpcReceiver::Impl::credentials(std::string &error) const
{
    const ServerConfig &http = m_api.config();
    if (http.tls_cert_file.empty())
        return grpc::InsecureServerCredentials();
    grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
    if (!readFile(http.tls_key_file, pair.private_key) || !readFile(http.tls_cert_file, pair.cert_chain)) {
        error = "cannot start OTLP/gRPC over TLS with certificate " + http.tls_cert_file + " and key "
            + http.tls_key_file + ": the files cannot be read";
        return nullptr;
    }
    // gRPC's own TLS: 1.2 and 1.3, and only suites with forward secrecy (its default list).
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back(std::move(pair));
    return grpc::SslServerCredentials(options);
}

void GrpcReceiver::Impl::configure(grpc::ServerBuilder &builder) const
{
    const ServerConfig &http = m_api.config();
    builder.SetMaxReceiveMessageSize(static_cast<int>(std::min<std::size_t>(http.max_body_bytes, INT32_MAX)));
    builder.SetMaxSendMessageSize(kMaxSendMessage);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, std::max(1, m_config.max_concurrent_streams));
    builder.AddChannelArgument(
        GRPC_ARG_MAX_METADATA_SIZE, static_cast<int>(std::min<std::size_t>(http.limits.max_header_bytes, INT32_MAX)));
    builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, http.limits.tls_handshake_timeout_seconds * 1000);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, m_config.idle_timeout_seconds * 1000);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, m_config.max_connection_age_seconds * 1000);
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, std::max(1, http.limits.shutdown_timeout_seconds) * 1000);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, m_config.keepalive_seconds * 1000);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
    // Compressed messages reach handle() as received; it inflates them within the limits.
    builder.AddChannelArgument(GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION, 0);
    // A hint only: gRPC 1.51 shrinks its flow-control windows under pressure but goes on reading
    // messages beyond it. The bound is GrpcAcceptor's.
    grpc::ResourceQuota quota("agentops-grpc");
    quota.Resize(memoryBound(m_config, http));
    builder.SetResourceQuota(quota);
}

bool GrpcReceiver::Impl::start(std::string &error)
{
    // gRPC's core writes a line to stderr for events such as each failed TLS handshake: a client
    // could fill the log with them. Everything that matters here reaches the receiver as a status or
    // a failure to listen, which it reports itself.
    static std::once_flag quiet;
    std::call_once(quiet, [] {
        gpr_set_log_function([](gpr_log_func_args *) {});
        // gRPC's core is initialised once for the process and never shut down. Otherwise the last
        // receiver (or client) to go shuts it down, and the next one starts it again: its pollers,
        // epoll set and threads torn down and made anew each time a receiver restarts (the desktop
        // app's does when its port setting changes). The fourth unexplained first-connection close
        // came 2 ms after such a restart (docs/architecture.md, "OTLP/gRPC").
        grpc_init();
    });
    auto creds = credentials(error);
    if (!creds)
        return false;
    // The port is ours (GrpcAcceptor): gRPC gets each connection the limits admit, and handles it
    // as one of its own, TLS included.
    std::string why;
    if (!m_acceptor.listen(m_config.host, m_config.port, why)) {
        error = "cannot receive OTLP/gRPC on " + hostPort(m_config.host, m_config.port) + ": " + why;
        return false;
    }
    grpc::ServerBuilder builder;
    m_external = builder.experimental().AddExternalConnectionAcceptor(
        grpc::ServerBuilder::experimental_type::ExternalConnectionType::FROM_FD, creds);
    builder.RegisterService(this);
    configure(builder);
    m_server = builder.BuildAndStart();
    if (!m_server) {
        error = "cannot receive OTLP/gRPC on " + hostPort(m_config.host, m_config.port) + ": gRPC did not start";
        return false;
    }
    m_port = m_acceptor.port();
    m_acceptor.start(m_external.get());
    return true;
}

void GrpcReceiver::Impl::stop()
{
    std::call_once(m_stopOnce, [this] {
        // New connections are refused by the system from now on.
        m_acceptor.stopAccepting();
        if (m_server) {
            // New calls are refused from now on; those in flight have the shutdown timeout to
            // finish, then gRPC cancels them, and Shutdown() returns when every call has ended
            // (the workers finish a cancelled call at once). Only then may the pool go.
            const int seconds = std::max(0, m_api.config().limits.shutdown_timeout_seconds);
            m_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
            m_server->Wait();
        }
        m_acceptor.stop();
        m_workers.shutdown();
    });
}

grpc::ServerUnaryReactor *GrpcReceiver::Impl::Export(
    grpc::CallbackServerContext *ctx, const grpc::ByteBuffer *request, grpc::ByteBuffer *response)
{
    char id[24];
    std::snprintf(id, sizeof id, "g%07llx", static_cast<unsigned long long>(++m_ids));
    Call call { ctx, request, response, ctx->DefaultReactor(), Clock::now(), id, false };
    // The message is out of what its connection holds while it arrives (--grpc-max-memory); from
    // here on it counts among the pending bytes below.
    const std::string peer = ctx->peer();
    m_acceptor.delivered(clientAddress(peer), peerPort(peer), request ? request->Length() : 0);
    // Open mode checks no credentials: the call must at least name this machine, as an HTTP
    // request's Host must (docs/deployment.md).
    const grpc::string_ref authority = ctx->ExperimentalGetAuthority();
    if (m_hosts.enforce && !http::Server::hostAllowed(std::string_view(authority.data(), authority.size()), m_hosts)) {
        finish(call,
            IngestOutcome::refusal(421, 7, "misdirected_request",
                "this server does not answer for '" + std::string(authority.data(), authority.size())
                    + "' (open mode answers only loopback names and addresses and --allow-host names)"));
        return call.reactor;
    }
    const std::size_t bytes = request ? request->Length() : 0;
    const bool tooMany = m_pending.fetch_add(1) >= m_maxPending;
    const bool tooBig = m_pendingBytes.fetch_add(bytes) + bytes > m_maxPendingBytes && m_pending.load() > 1;
    if (tooMany || tooBig) {
        m_pending.fetch_sub(1);
        m_pendingBytes.fetch_sub(bytes);
        m_api.ingest().countRefusedRequest("overloaded");
        finish(call,
            IngestOutcome::refusal(503, 14, "unavailable",
                tooMany ? "the server has too many calls in progress; retry later"
                        : "the server holds too many bytes of calls in progress; retry later",
                m_api.config().retry_after_seconds));
        return call.reactor;
    }
    call.pending = true;
    call.bytes = bytes;
    m_pendingGauge.add(1);
    m_workers.post([this, call]() mutable { handle(call); });
    return call.reactor;
}

void GrpcReceiver::Impl::handle(Call &call)
{
    // Given up by the client (its deadline) or cancelled by the shutdown while it was queued.
    if (call.ctx->IsCancelled())
        return finish(
            call, IngestOutcome::refusal(499, 1, "cancelled", "the call was cancelled before it was handled"));
    IngestService::Request r;
    grpc::Slice slice;
    std::string compressed;
    if (call.request->Valid()) {
        // gRPC's decompression is off (configure()): a compressed message is here as it arrived,
        // within the message limit, and is inflated by the ingest service within
        // --max-decompressed-bytes, as an OTLP/HTTP gzip body is. gRPC 1.51 would inflate it in one
        // piece however big it grows (a 1 MiB message of zeros: 1 GiB of memory) and only then
        // compare it with the limit.
        auto *request = const_cast<grpc::ByteBuffer *>(call.request); // read, not changed
        const grpc_byte_buffer *raw = grpc::internal::GrpcByteBufferPeer(request).c_buffer();
        if (raw->type == GRPC_BB_RAW && raw->data.raw.compression != GRPC_COMPRESS_NONE) {
            const grpc_compression_algorithm algorithm = raw->data.raw.compression;
            if (algorithm != GRPC_COMPRESS_GZIP && algorithm != GRPC_COMPRESS_DEFLATE)
                return finish(call,
                    IngestOutcome::refusal(415, 12, "unimplemented", "the message's compression is not supported"));
            r.content_encoding = algorithm == GRPC_COMPRESS_GZIP ? "gzip" : "deflate";
            const grpc_slice_buffer &slices = raw->data.raw.slice_buffer;
            compressed.reserve(slices.length);
            for (std::size_t i = 0; i < slices.count; ++i)
                compressed.append(reinterpret_cast<const char *>(GRPC_SLICE_START_PTR(slices.slices[i])),
                    GRPC_SLICE_LENGTH(slices.slices[i]));
            r.body = compressed;
        } else {
            if (!request->TrySingleSlice(&slice).ok() && !request->DumpToSingleSlice(&slice).ok())
                return finish(
                    call, IngestOutcome::refusal(400, 3, "invalid_argument", "the message could not be read"));
            r.body = std::string_view(reinterpret_cast<const char *>(slice.begin()), slice.size());
        }
    }
    r.credential = credentialOf(*call.ctx);
    r.client_address = clientAddress(call.ctx->peer());
    r.format = IngestService::Format::OtlpProtobuf;
    // The same limits as an OTLP/HTTP body: --max-body-bytes as received (gRPC checked it too),
    // --max-decompressed-bytes once inflated.
    r.transport_decompressed = false;
    finish(call, m_api.ingest().exportTraces(r));
}

void GrpcReceiver::Impl::finish(Call &call, const IngestOutcome &out)
{
    grpc::Status status;
    if (out.ok()) {
        opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse answer;
        if (out.rejected > 0) {
            auto *partial = answer.mutable_partial_success();
            partial->set_rejected_spans(static_cast<std::int64_t>(out.rejected));
            partial->set_error_message(out.errors_text);
        }
        grpc::Slice bytes(answer.SerializeAsString());
        *call.response = grpc::ByteBuffer(&bytes, 1);
    } else {
        status = refusal(out);
        // gRPC's own retry (a client's service config with a retryPolicy, such as grpc-js under the
        // JS exporter) reads no RetryInfo: the same delay in its pushback trailer, or -1 when the
        // refusal is final, so that a policy listing RESOURCE_EXHAUSTED does not retry a size limit.
        call.ctx->AddTrailingMetadata(
            "grpc-retry-pushback-ms", out.retry_after > 0 ? std::to_string(out.retry_after * 1000) : "-1");
    }
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - call.started).count();
    Log::Fields f { { "request_id", Log::str(call.id) }, { "transport", Log::str("grpc") },
        { "method", Log::str("TraceService/Export") }, { "status", Log::str(codeName(out.rpc_code)) },
        { "duration_ms", Log::num(ms) }, { "remote", Log::str(clientAddress(call.ctx->peer())) } };
    if (out.ok())
        f.emplace_back("spans", Log::num(static_cast<long long>(out.accepted)));
    if (out.rejected > 0)
        f.emplace_back("rejected", Log::num(static_cast<long long>(out.rejected)));
    if (!out.ok())
        f.emplace_back("error", Log::str(status.error_message()));
    m_api.log().write(out.status >= 500 ? "error" : (out.ok() ? "info" : "warn"), "request", f);
    m_latency.observe(ms / 1000.0);
    m_api.metrics()
        .counter("agentops_grpc_requests_total", "OTLP/gRPC calls answered, by status code.",
            { { "code", codeName(out.rpc_code) } })
        .inc();
    if (call.pending) {
        m_pendingGauge.add(-1);
        m_pending.fetch_sub(1);
        m_pendingBytes.fetch_sub(call.bytes);
    }
    call.reactor->Finish(status);
}

GrpcReceiver::GrpcReceiver(ApiServer &api, GrpcConfig config)
    : d(std::make_unique<Impl>(api, std::move(config)))
{ }

GrpcReceiver::~GrpcReceiver() = default;

bool GrpcReceiver::start(std::string &error)
{
    return d->start(error);
}

int GrpcReceiver::port() const
{
    return d->m_port;
}

std::string GrpcReceiver::address() const
{
    return hostPort(d->m_config.host, d->m_port);
}

void GrpcReceiver::stop()
{
    d->stop();
}

} // namespace agentops::server

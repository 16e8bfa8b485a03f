// SPDX-License-Identifier: MIT
// One connection's requests, one after another: read the header under its limits and deadline,
// check framing and Host, route, admit, read the body at a minimum rate, run the handler on a
// worker, write the answer. All of it on the connection's strand; nothing here blocks.
#include "server/http/serverimpl.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <zlib.h>

#include <cstring>

namespace agentops::server::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kReadChunk = std::size_t { 64 } * 1024;
/// After an answer that ends the connection, what the client still sends is read and dropped for
/// a moment (so the answer is not lost to a reset), up to this much.
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLoggedRequestLine = 512;

bool compressible(std::string_view type)
{
    return (type.starts_with("text/") && !type.starts_with("text/event-stream")) || type.starts_with("application/json")
        || type.starts_with("application/javascript") || type.starts_with("application/xml")
        || type.starts_with("application/xhtml+xml") || type.starts_with("image/svg+xml");
}

/// gzip at zlib's default level (brotli is not offered: see docs/architecture.md).
bool gzipInto(std::string_view in, std::string &out)
{
    z_stream z {};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    out.resize(deflateBound(&z, static_cast<uLong>(in.size())) + 32);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END;
}

enum class Phase { Handshake, Idle, Header, Admit, Body, Hold, Handle, Write, Linger, Closed };

} // namespace

// --- a connection ------------------------------------------------------------------------------

template<class Derived>
class Connection : public ConnectionBase
{
public:
    Connection(Server::Impl &server, std::string addr, int port, const net::any_io_executor &executor)
        : m_server(server)
        , m_lim(server.opts.limits)
        , m_addr(std::move(addr))
        , m_peerPort(port)
        , m_timer(executor)
    { }
    ~Connection() override { m_server.forget(this, m_addr); }

    void start() override
    {
        net::dispatch(executor(), [self = shared()] { self->derived().startTransport(); });
    }
    void stop() override
    {
        net::post(executor(), [self = shared()] { self->onStop(); });
    }
    void forceClose() override
    {
        net::post(executor(), [self = shared()] { self->closeNow(); });
    }

protected:
    Derived &derived() { return static_cast<Derived &>(*this); }
    std::shared_ptr<Derived> shared() { return std::static_pointer_cast<Derived>(shared_from_this()); }
    beast::tcp_stream &lowest() { return beast::get_lowest_layer(derived().stream()); }
    auto executor() { return lowest().get_executor(); }
    bool closed() const { return m_phase == Phase::Closed; }

    void awaitRequest();
    void closeNow();
    void countTimeout() { ++m_server.stats.timed_out; }

    Phase m_phase = Phase::Handshake;
    Server::Impl &m_server;
    const Limits &m_lim;
    beast::flat_buffer m_buffer;

private:
    void onStop();
    void onIdleRead(beast::error_code ec, std::size_t n);
    void beginHeader();
    void parseHeader();
    void readHeaderMore();
    int scanHeader();
    void onHeader();
    bool checkFraming();
    bool checkHostAndTarget();
    void route();
    void readBody();
    void parseBody();
    void readBodyMore();
    void onBody();
    void runHandler();
    void dispatch(Runs runs, const Route::Step &step, void (Connection::*then)());
    void finishResponse();
    void refuse(int status, std::string_view code, const std::string &message);
    void refuseParse(beast::error_code ec);
    void respond();
    void onWritten(beast::error_code ec);
    void logRequest();
    void gracefulClose();
    void resetRequest();
    void takeRequestLine();

    std::string m_addr;
    int m_peerPort;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    Request m_req;
    Response m_res;
    std::string m_rawPath;
    const Route *m_route = nullptr;
    bool m_stopRequested = false;
    bool m_firstRequest = true;
    bool m_bodyPending = false; ///< a body was announced and is not (all) read: the connection must end
    bool m_keepAlive = false;
    bool m_logged = false;
    Clock::time_point m_deadline;
    Clock::time_point m_bodyStart;
    std::size_t m_bodyReceived = 0;
    // The raw header as it arrives, before the parser sees it whole.
    std::size_t m_scanPos = 0;
    std::size_t m_lineStart = 0;
    std::size_t m_lines = 0;
    bool m_headerEnd = false;
    std::string m_requestLine;
    net::steady_timer m_timer;
};

template<class Derived>
void Connection<Derived>::onStop()
{
    m_stopRequested = true;
    // Nothing is lost by closing a connection that waits for (or is in the middle of) a request
    // line or header; a request being read, handled or answered finishes first.
    if (m_phase == Phase::Handshake || m_phase == Phase::Idle || m_phase == Phase::Header || m_phase == Phase::Linger)
        closeNow();
}

template<class Derived>
void Connection<Derived>::closeNow()
{
    if (m_phase == Phase::Closed)
        return;
    m_phase = Phase::Closed;
    m_timer.cancel();
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().close();
}

template<class Derived>
void Connection<Derived>::resetRequest()
{
    m_parser.emplace();
    m_parser->header_limit(static_cast<std::uint32_t>(m_lim.max_header_bytes + 1024));
    m_parser->body_limit(boost::none); // set per route once the header is in
    m_parser->eager(false);
    m_req = Request {};
    m_req.remote_addr = m_addr;
    m_req.remote_port = m_peerPort;
    m_res = Response {};
    m_rawPath.clear();
    m_route = nullptr;
    m_bodyPending = false;
    m_logged = false;
    m_scanPos = m_lineStart = m_lines = 0;
    m_headerEnd = false;
    m_requestLine.clear();
}

template<class Derived>
void Connection<Derived>::awaitRequest()
{
    resetRequest();
    if (m_stopRequested || m_server.stopping)
        return closeNow();
    m_phase = Phase::Idle;
    if (m_buffer.size() > 0) // pipelined: the next request is already here
        return beginHeader();
    const int seconds = m_firstRequest ? m_lim.header_timeout_seconds : m_lim.keep_alive_seconds;
    lowest().expires_after(std::chrono::seconds(seconds));
    derived().stream().async_read_some(m_buffer.prepare(kReadChunk),
        [self = shared()](beast::error_code ec, std::size_t n) { self->onIdleRead(ec, n); });
}

template<class Derived>
void Connection<Derived>::onIdleRead(beast::error_code ec, std::size_t n)
{
    if (closed())
        return;
    if (ec) {
        if (ec == beast::error::timeout)
            countTimeout();
        return closeNow();
    }
    m_buffer.commit(n);
    beginHeader();
}

template<class Derived>
void Connection<Derived>::beginHeader()
{
    m_phase = Phase::Header;
    m_firstRequest = false;
    m_deadline = Clock::now() + std::chrono::seconds(m_lim.header_timeout_seconds);
    parseHeader();
}

/// Enforces the request-line, header-count and header-size limits on the bytes as they arrive (the
/// parser only looks at a header once all of it is there). 0, or the status to refuse with.
template<class Derived>
int Connection<Derived>::scanHeader()
{
    const auto *data = static_cast<const char *>(m_buffer.data().data());
    const std::size_t size = m_buffer.size();
    while (!m_headerEnd && m_scanPos < size) {
        const auto *nl = static_cast<const char *>(std::memchr(data + m_scanPos, '\n', size - m_scanPos));
        if (!nl) {
            m_scanPos = size;
            break;
        }
        const std::size_t end = static_cast<std::size_t>(nl - data);
        std::size_t length = end - m_lineStart;
        if (length > 0 && data[end - 1] == '\r')
            --length;
        if (m_lines == 0) {
            m_requestLine.assign(data + m_lineStart, std::min(length, kLoggedRequestLine));
            if (length > m_lim.max_request_line)
                return 414;
        } else if (length == 0) {
            m_headerEnd = true;
            if (end + 1 > m_lim.max_header_bytes)
                return 431;
        }
        ++m_lines;
        m_lineStart = m_scanPos = end + 1;
        if (!m_headerEnd && m_lines > m_lim.max_header_count + 1)
            return 431;
    }
    if (!m_headerEnd) {
        if (m_lines == 0 && size > m_lim.max_request_line) {
            m_requestLine.assign(data, std::min(size, kLoggedRequestLine));
            return 414;
        }
        if (size > m_lim.max_header_bytes)
            return 431;
    }
    return 0;
}

template<class Derived>
void Connection<Derived>::parseHeader()
{
    if (const int status = scanHeader()) {
        ++m_server.stats.bad_requests;
        return refuse(status, status == 414 ? "uri_too_long" : "header_too_large",
            status == 414 ? "the request line is longer than " + std::to_string(m_lim.max_request_line) + " bytes"
                          : "the request header is larger than " + std::to_string(m_lim.max_header_bytes)
                    + " bytes or has more than " + std::to_string(m_lim.max_header_count) + " fields");
    }
    beast::error_code ec;
    const auto used = m_parser->put(m_buffer.data(), ec);
    m_buffer.consume(used);
    if (ec == bhttp::error::need_more || (!ec && !m_parser->is_header_done()))
        return readHeaderMore();
    if (ec)
        return refuseParse(ec);
    onHeader();
}

template<class Derived>
void Connection<Derived>::readHeaderMore()
{
    lowest().expires_at(m_deadline);
    derived().stream().async_read_some(
        m_buffer.prepare(kReadChunk), [self = shared()](beast::error_code ec, std::size_t n) {
            if (self->closed())
                return;
            if (ec) {
                // A header that never completes: the socket is closed already (timeout) or the client
                // went away; either way there is nobody to answer. The log keeps what came.
                if (ec == beast::error::timeout) {
                    self->countTimeout();
                    self->takeRequestLine();
                    self->m_server.hooks.error(self->m_res, 408, "request_timeout",
                        "the request header did not arrive within " + std::to_string(self->m_lim.header_timeout_seconds)
                            + " s");
                    self->logRequest();
                }
                return self->closeNow();
            }
            self->m_buffer.commit(n);
            self->parseHeader();
        });
}

/// Method and target for the log from the raw request line, when the parser has none.
template<class Derived>
void Connection<Derived>::takeRequestLine()
{
    if (m_req.id.empty())
        m_req.id = m_server.nextRequestId();
    if (!m_req.method.empty())
        return;
    std::string_view line = m_requestLine;
    const auto sp = line.find(' ');
    m_req.method = std::string(line.substr(0, std::min<std::size_t>(sp, 32)));
    if (sp != std::string_view::npos) {
        auto rest = line.substr(sp + 1);
        m_req.target = std::string(rest.substr(0, rest.find(' ')));
        m_req.path = m_req.target.substr(0, m_req.target.find('?'));
    }
    if (m_req.start == Clock::time_point {})
        m_req.start = Clock::now();
}

template<class Derived>
void Connection<Derived>::refuseParse(beast::error_code ec)
{
    ++m_server.stats.bad_requests;
    if (ec == bhttp::error::header_limit)
        return refuse(431, "header_too_large",
            "the request header is larger than " + std::to_string(m_lim.max_header_bytes) + " bytes");
    if (ec == bhttp::error::bad_content_length || ec == bhttp::error::multiple_content_length)
        return refuse(400, "bad_request", "invalid or conflicting Content-Length");
    if (ec == bhttp::error::bad_transfer_encoding)
        return refuse(400, "bad_request",
            "Transfer-Encoding together with Content-Length, or given twice: the body's framing is ambiguous");
    refuse(400, "bad_request", "malformed request: " + ec.message());
}

template<class Derived>
void Connection<Derived>::onHeader()
{
    auto &msg = m_parser->get();
    m_req.id = m_server.nextRequestId();
    m_req.start = Clock::now();
    m_req.method = std::string(msg.method_string());
    m_req.target = std::string(msg.target());
    m_req.version = msg.version() == 10 ? 10 : 11;
    m_req.headers.reserve(16);
    for (const auto &f : msg)
        m_req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    m_req.path = m_req.target.substr(0, m_req.target.find('?')); // for the log, should it be refused
    if (checkFraming() || checkHostAndTarget())
        return;
    route();
}

/// RFC 9112 section 6: one unambiguous framing or none. True when the request was refused.
template<class Derived>
bool Connection<Derived>::checkFraming()
{
    const auto &msg = m_parser->get();
    std::string te;
    for (const auto &f : msg) {
        if (f.name() == bhttp::field::transfer_encoding)
            te += (te.empty() ? "" : ", ") + std::string(f.value());
    }
    const bool hasLength = msg.find(bhttp::field::content_length) != msg.end();
    const bool hasTe = msg.find(bhttp::field::transfer_encoding) != msg.end();
    int status = 0;
    std::string why;
    if (hasTe && hasLength) {
        status = 400;
        why = "Content-Length together with Transfer-Encoding: the body's framing is ambiguous";
    } else if (hasTe && m_req.version == 10) {
        status = 400;
        why = "Transfer-Encoding in an HTTP/1.0 request";
    } else if (hasTe && (!m_parser->chunked() || !equalsIgnoringCase(te, "chunked"))) {
        status = 501;
        why = "Transfer-Encoding '" + te.substr(0, 200) + "' is not supported (only chunked)";
    }
    if (status) {
        ++m_server.stats.bad_requests;
        refuse(status, status == 501 ? "not_implemented" : "bad_request", why);
        return true;
    }
    m_req.has_body_framing = hasLength || hasTe;
    const auto length = m_parser->content_length();
    m_bodyPending = m_parser->chunked() || (length && *length > 0);
    return false;
}

/// Host (RFC 9112 section 3.2) and, for servers without credentials, the DNS-rebinding defence;
/// the target's path and query. True when the request was refused.
template<class Derived>
bool Connection<Derived>::checkHostAndTarget()
{
    const auto &msg = m_parser->get();
    std::size_t hosts = 0;
    for (const auto &f : msg)
        hosts += f.name() == bhttp::field::host;
    std::string_view target = m_req.target;
    std::string authority;
    if (target.size() > 7
        && (equalsIgnoringCase(target.substr(0, 7), "http://")
            || (target.size() > 8 && equalsIgnoringCase(target.substr(0, 8), "https://")))) {
        // Absolute form: its authority is the host (section 3.2.2).
        target.remove_prefix(target.find("//") + 2);
        const auto end = std::min(target.find_first_of("/?"), target.size());
        authority = std::string(target.substr(0, end));
        target.remove_prefix(end);
        m_rawPath = "/";
    }
    if (hosts > 1 || (hosts == 0 && m_req.version == 11)) {
        ++m_server.stats.bad_requests;
        refuse(400, "bad_request", hosts ? "more than one Host field" : "Host: required in HTTP/1.1");
        return true;
    }
    const std::string host = authority.empty() ? std::string(msg[bhttp::field::host]) : authority;
    if (m_server.opts.hosts.enforce && !Server::hostAllowed(host, m_server.opts.hosts)) {
        refuse(421, "misdirected_request",
            "Host '" + host.substr(0, 255)
                + "' is not a name this server answers to: it serves loopback names and addresses and the "
                  "names it is configured with");
        return true;
    }
    if (target == "*" && m_req.method == "OPTIONS") {
        m_rawPath = "*";
    } else if (!target.empty() && target.front() == '/') {
        const auto q = target.find('?');
        m_rawPath = std::string(target.substr(0, q));
        if (q != std::string_view::npos)
            m_req.query = parseQuery(target.substr(q + 1));
    } else if (authority.empty() || !target.empty()) {
        ++m_server.stats.bad_requests;
        refuse(400, "bad_request", "the request target must be a path");
        return true;
    }
    m_req.path = percentDecode(m_rawPath, false);
    return false;
}

template<class Derived>
void Connection<Derived>::route()
{
    m_server.hooks.guard(m_req, m_res);
    if (m_res.status)
        return respond();
    auto match = m_server.router.match(m_req.method, m_rawPath);
    if (!match.route) {
        if (match.allowed.empty()) {
            m_server.hooks.error(m_res, 404, "not_found", "no route " + m_req.method + " " + m_req.path);
        } else {
            std::string allow;
            for (const auto &m : match.allowed)
                allow += (allow.empty() ? "" : ", ") + m;
            m_res.setHeader("Allow", allow);
            m_server.hooks.error(m_res, 405, "method_not_allowed",
                m_req.method + " is not allowed on " + m_req.path + " (allowed: " + allow + ")");
        }
        return respond();
    }
    m_route = match.route;
    m_req.path_params = std::move(match.params);
    if (m_route->needs_length && !m_req.has_body_framing) {
        m_res.close = true; // whatever the client meant as a body would be read as the next request
        m_server.hooks.error(
            m_res, 411, "length_required", m_req.method + " " + m_req.path + " needs a body with a Content-Length");
        return respond();
    }
    if (!m_route->admit)
        return readBody();
    m_phase = Phase::Admit;
    dispatch(m_route->admit_runs, m_route->admit, &Connection::readBody);
}

template<class Derived>
void Connection<Derived>::readBody()
{
    if (m_res.status) // refused by the admit step: the body stays unread
        return respond();
    if (!m_bodyPending)
        return onBody();
    const std::size_t limit = m_route->max_body ? m_route->max_body : m_lim.max_small_body;
    if (const auto length = m_parser->content_length(); length && *length > limit) {
        m_req.body_status = BodyStatus::TooLarge;
        return onBody();
    }
    m_parser->body_limit(limit);
    m_parser->eager(true);
    m_phase = Phase::Body;
    m_bodyStart = Clock::now();
    m_bodyReceived = 0;
    if (m_req.version == 11 && equalsIgnoringCase(m_req.header("Expect"), "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        lowest().expires_after(std::chrono::seconds(m_lim.write_timeout_seconds));
        net::async_write(derived().stream(), net::buffer(kContinue.data(), kContinue.size()),
            [self = shared()](beast::error_code ec, std::size_t) {
                if (self->closed())
                    return;
                if (ec)
                    return self->closeNow();
                self->parseBody();
            });
        return;
    }
    parseBody();
}

template<class Derived>
void Connection<Derived>::parseBody()
{
    while (m_buffer.size() > 0 && !m_parser->is_done()) {
        beast::error_code ec;
        const auto used = m_parser->put(m_buffer.data(), ec);
        m_buffer.consume(used);
        if (ec == bhttp::error::need_more)
            break;
        if (ec) {
            m_req.body_status = ec == bhttp::error::body_limit ? BodyStatus::TooLarge : BodyStatus::Incomplete;
            return onBody();
        }
        if (used == 0)
            break;
    }
    if (m_parser->is_done()) {
        m_bodyPending = false;
        m_req.body = std::move(m_parser->get().body());
        return onBody();
    }
    if (m_buffer.size() > m_lim.max_header_bytes) { // a chunk header or trailer that does not end
        m_req.body_status = BodyStatus::Incomplete;
        return onBody();
    }
    readBodyMore();
}

template<class Derived>
void Connection<Derived>::readBodyMore()
{
    // The body may take body_timeout plus a second per body_min_rate bytes received so far: a client
    // that trickles is cut off, one that sends at any useful rate is not.
    const double allowance = m_lim.body_timeout_seconds
        + static_cast<double>(m_bodyReceived) / static_cast<double>(std::max<std::size_t>(1, m_lim.body_min_rate));
    lowest().expires_at(
        m_bodyStart + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(allowance)));
    derived().stream().async_read_some(
        m_buffer.prepare(kReadChunk), [self = shared()](beast::error_code ec, std::size_t n) {
            if (self->closed())
                return;
            if (ec == beast::error::timeout) {
                self->countTimeout();
                self->m_server.hooks.error(self->m_res, 408, "request_timeout", "the request body arrived too slowly");
                self->logRequest();
                return self->closeNow();
            }
            if (ec) { // the client ended its side early; it may still read the answer
                self->m_req.body_status = BodyStatus::Incomplete;
                return self->onBody();
            }
            self->m_buffer.commit(n);
            self->m_bodyReceived += n;
            self->parseBody();
        });
}

template<class Derived>
void Connection<Derived>::onBody()
{
    if (m_req.body_status != BodyStatus::Complete && m_route->max_body == 0) {
        if (m_req.body_status == BodyStatus::TooLarge)
            m_server.hooks.error(m_res, 413, "payload_too_large",
                "request body exceeds the limit of " + std::to_string(m_lim.max_small_body) + " bytes");
        else
            m_server.hooks.error(m_res, 400, "invalid_argument", "request body could not be read completely");
        return respond();
    }
    if (m_route->hold) {
        m_phase = Phase::Hold;
        const auto wait = m_route->hold(m_req, m_res);
        if (m_res.status)
            return respond();
        if (wait.count() > 0) {
            m_timer.expires_after(wait);
            m_timer.async_wait([self = shared()](beast::error_code) {
                if (!self->closed())
                    self->runHandler();
            });
            return;
        }
    }
    runHandler();
}

template<class Derived>
void Connection<Derived>::runHandler()
{
    m_phase = Phase::Handle;
    dispatch(m_route->handle_runs, m_route->handle, &Connection::respond);
}

/// Runs a route step where the route says, then `then` on the strand. A step that throws is
/// answered with 500.
template<class Derived>
void Connection<Derived>::dispatch(Runs runs, const Route::Step &step, void (Connection::*then)())
{
    auto work = [this, &step, then] {
        try {
            step(m_req, m_res);
        } catch (const std::exception &e) {
            m_res = Response {};
            m_server.hooks.error(m_res, 500, "internal", std::string("internal error: ") + e.what());
        } catch (...) {
            m_res = Response {};
            m_server.hooks.error(m_res, 500, "internal", "internal error");
        }
        if (then == &Connection::respond)
            finishResponse();
    };
    if (runs == Runs::IoThread) {
        work();
        (this->*then)();
        return;
    }
    m_server.workers.post([self = shared(), work, then] {
        work();
        net::post(self->executor(), [self, then] {
            if (!self->closed())
                ((*self).*then)();
        });
    });
}

/// On the thread that made the answer: compress it when the client accepts gzip.
template<class Derived>
void Connection<Derived>::finishResponse()
{
    if (m_res.status == 0)
        m_res.status = 200;
    if (m_res.body.size() < m_server.opts.compress_min_bytes || m_res.hasHeader("Content-Encoding")
        || !compressible(m_res.header("Content-Type")) || !Server::acceptsGzip(m_req.header("Accept-Encoding")))
        return;
    std::string zipped;
    if (!gzipInto(m_res.body, zipped))
        return;
    m_res.body = std::move(zipped);
    m_res.setHeader("Content-Encoding", "gzip");
    m_res.headers.emplace_back("Vary", "Accept-Encoding");
}

template<class Derived>
void Connection<Derived>::refuse(int status, std::string_view code, const std::string &message)
{
    takeRequestLine();
    m_res = Response {};
    m_server.hooks.error(m_res, status, code, message);
    m_res.close = true;
    respond();
}

template<class Derived>
void Connection<Derived>::respond()
{
    m_phase = Phase::Write;
    if (m_req.id.empty())
        takeRequestLine();
    if (m_res.status == 0)
        m_res.status = 200;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(m_req.version);
    res->result(static_cast<unsigned>(m_res.status));
    res->set("X-Request-Id", m_req.id);
    for (const auto &[name, value] : m_res.headers) {
        if (equalsIgnoringCase(name, "Connection")) {
            m_res.close = m_res.close || value.find("close") != std::string::npos;
            continue;
        }
        res->insert(name, value);
    }
    m_keepAlive = !m_res.close && !m_bodyPending && !m_stopRequested && !m_server.stopping && m_parser->is_header_done()
        && m_parser->keep_alive();
    res->keep_alive(m_keepAlive);
    if (!m_keepAlive && m_req.version == 10)
        res->set(bhttp::field::connection, "close"); // implied in HTTP/1.0; said anyway
    const bool noBody = m_res.status < 200 || m_res.status == 204 || m_res.status == 304;
    if (m_req.method == "HEAD") {
        res->content_length(m_res.body.size());
    } else if (!noBody) {
        res->body() = std::move(m_res.body);
        res->prepare_payload();
    }
    const auto size = res->body().size();
    lowest().expires_after(std::chrono::seconds(m_lim.write_timeout_seconds)
        + std::chrono::seconds(size / std::max<std::size_t>(1, m_lim.body_min_rate)));
    bhttp::async_write(
        derived().stream(), *res, [self = shared(), res](beast::error_code ec, std::size_t) { self->onWritten(ec); });
}

template<class Derived>
void Connection<Derived>::onWritten(beast::error_code ec)
{
    if (closed())
        return;
    logRequest();
    if (ec)
        return closeNow();
    if (m_keepAlive)
        return awaitRequest();
    gracefulClose();
}

template<class Derived>
void Connection<Derived>::logRequest()
{
    if (m_logged || !m_server.hooks.finished)
        return;
    m_logged = true;
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - m_req.start).count();
    m_server.hooks.finished(m_req, m_res, ms);
}

template<class Derived>
void Connection<Derived>::gracefulClose()
{
    m_phase = Phase::Linger;
    if (m_stopRequested || m_server.stopping)
        return closeNow();
    derived().linger();
}

// --- plain and TLS -----------------------------------------------------------------------------

class PlainConnection : public Connection<PlainConnection>
{
public:
    PlainConnection(Server::Impl &server, tcp::socket socket, std::string addr, int port)
        : Connection(server, std::move(addr), port, socket.get_executor())
        , m_stream(std::move(socket))
    { }
    beast::tcp_stream &stream() { return m_stream; }
    void startTransport() { awaitRequest(); }

    /// Ends the sending side and drops what the client still sends, so it sees the answer rather
    /// than a reset.
    void linger()
    {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        m_stream.expires_after(kLingerTime);
        m_lingered = 0;
        drain();
    }

private:
    void drain()
    {
        m_buffer.clear();
        m_stream.async_read_some(m_buffer.prepare(kReadChunk),
            [self = std::static_pointer_cast<PlainConnection>(shared_from_this())](
                beast::error_code ec, std::size_t n) {
                if (self->closed())
                    return;
                self->m_lingered += n;
                if (ec || self->m_lingered > kLingerBytes)
                    return self->closeNow();
                self->drain();
            });
    }

    beast::tcp_stream m_stream;
    std::size_t m_lingered = 0;
};

class TlsConnection : public Connection<TlsConnection>
{
public:
    TlsConnection(Server::Impl &server, tcp::socket socket, std::string addr, int port)
        : Connection(server, std::move(addr), port, socket.get_executor())
        , m_stream(std::move(socket), *server.tls)
    { }
    beast::ssl_stream<beast::tcp_stream> &stream() { return m_stream; }

    /// The handshake is asynchronous like everything else, under its own deadline.
    void startTransport()
    {
        beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(m_lim.tls_handshake_timeout_seconds));
        m_stream.async_handshake(ssl::stream_base::server,
            [self = std::static_pointer_cast<TlsConnection>(shared_from_this())](beast::error_code ec) {
                if (self->closed())
                    return;
                if (ec) {
                    ++self->m_server.stats.tls_failed;
                    if (ec == beast::error::timeout)
                        self->countTimeout();
                    return self->closeNow();
                }
                self->awaitRequest();
            });
    }

    void linger()
    {
        beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(1));
        m_stream.async_shutdown([self = std::static_pointer_cast<TlsConnection>(shared_from_this())](
                                    beast::error_code) { self->closeNow(); });
    }

private:
    beast::ssl_stream<beast::tcp_stream> m_stream;
};

Server::Impl::ConnectionPtr makePlainConnection(Server::Impl &server, tcp::socket socket, std::string addr, int port)
{
    return std::make_shared<PlainConnection>(server, std::move(socket), std::move(addr), port);
}

Server::Impl::ConnectionPtr makeTlsConnection(Server::Impl &server, tcp::socket socket, std::string addr, int port)
{
    return std::make_shared<TlsConnection>(server, std::move(socket), std::move(addr), port);
}

/// A connection over a limit: a short 503 (plain HTTP only; a TLS client just sees the close).
void Server::Impl::refuseConnection(tcp::socket socket, const char *why)
{
    if (tls) {
        beast::error_code ec;
        socket.close(ec);
        return;
    }
    struct Refusal
    {
        beast::tcp_stream stream;
        std::string bytes;
    };
    auto r = std::make_shared<Refusal>(Refusal { beast::tcp_stream(std::move(socket)), {} });
    Response res;
    hooks.error(res, 503, "unavailable", why);
    const std::string &body = res.body;
    r->bytes = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
               "Connection: close\r\nContent-Length: "
        + std::to_string(body.size()) + "\r\n\r\n" + body;
    r->stream.expires_after(std::chrono::seconds(1));
    net::async_write(r->stream, net::buffer(r->bytes), [r](beast::error_code, std::size_t) {
        beast::error_code ec;
        r->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        r->stream.close();
    });
}

} // namespace agentops::server::http

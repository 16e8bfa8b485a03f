// SPDX-License-Identifier: MIT
#include "ingest/otlpjsonstream.h"

#include "ingest/decodeutil.h"
#include "ingest/otlpjsonconverter.h"
#include "ingest/otlpjsonparts.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <istream>
#include <map>
#include <optional>
#include <utility>

namespace agentops::ingest {

// --- FileChunks ---------------------------------------------------------------------------------------

FileChunks::FileChunks(std::FILE *file, std::uint64_t offset, std::size_t chunk)
    : m_file(file)
    , m_buffer(std::max<std::size_t>(chunk, 64))
    , m_base(offset)
{
    setg(m_buffer.data(), m_buffer.data(), m_buffer.data());
}

bool FileChunks::seek(std::uint64_t offset)
{
    m_base = offset;
    m_length = 0;
    setg(m_buffer.data(), m_buffer.data(), m_buffer.data());
    return ::fseeko(m_file, off_t(offset), SEEK_SET) == 0;
}

void FileChunks::exposeFrom(char *from)
{
    char *end = m_buffer.data() + m_length;
    if (m_stopAtNewline)
        if (void *nl = std::memchr(from, '\n', std::size_t(end - from)))
            end = static_cast<char *>(nl);
    setg(m_buffer.data(), from, end);
}

void FileChunks::setStopAtNewline(bool on)
{
    m_stopAtNewline = on;
    exposeFrom(gptr());
}

FileChunks::Line FileChunks::readLine(std::string &line, std::size_t cap)
{
    line.clear();
    if (sgetc() == traits_type::eof())
        return Line::End;
    for (;;) {
        char *const from = gptr();
        char *const end = egptr();
        const void *nl = std::memchr(from, '\n', std::size_t(end - from));
        const auto n = std::size_t((nl ? static_cast<const char *>(nl) : end) - from);
        if (line.size() + n > cap)
            return Line::TooLong;
        line.append(from, n);
        if (nl) {
            setg(eback(), from + n + 1, end);
            return Line::Read;
        }
        setg(eback(), end, end);
        if (underflow() == traits_type::eof())
            return Line::Read;
    }
}

FileChunks::int_type FileChunks::underflow()
{
    char *const end = m_buffer.data() + m_length;
    if (gptr() < end) {
        // Stopped before a newline of the buffer.
        if (m_stopAtNewline && *gptr() == '\n')
            return traits_type::eof();
        exposeFrom(gptr());
        return traits_type::to_int_type(*gptr());
    }
    if (onRead && !onRead(m_base + m_length))
        return traits_type::eof();
    m_base += m_length;
    m_length = std::fread(m_buffer.data(), 1, m_buffer.size(), m_file);
    if (m_length == 0) {
        m_failed = std::ferror(m_file) != 0;
        setg(m_buffer.data(), m_buffer.data(), m_buffer.data());
        return traits_type::eof();
    }
    exposeFrom(m_buffer.data());
    if (gptr() == egptr())
        return traits_type::eof(); // the chunk starts with the newline it stops at
    return traits_type::to_int_type(*gptr());
}

namespace {

using json = nlohmann::json;

std::string indexed(std::string_view name, std::size_t i)
{
    return std::string(name) + '[' + std::to_string(i) + ']';
}

/// Builds the document of one value from SAX events.
class DomBuilder
{
public:
    bool active() const { return m_active; }
    void begin()
    {
        m_active = true;
        m_root = json();
        m_stack.clear();
    }
    /// True when the value is complete.
    bool scalar(json &&v)
    {
        place(std::move(v));
        return m_stack.empty();
    }
    void open(bool object) { m_stack.push_back(place(object ? json::object() : json::array())); }
    bool close()
    {
        m_stack.pop_back();
        return m_stack.empty();
    }
    void key(std::string &k) { m_key = std::move(k); }
    json &value() { return m_root; }
    void end() { m_active = false; }

private:
    json *place(json &&v)
    {
        if (m_stack.empty()) {
            m_root = std::move(v);
            return &m_root;
        }
        json &top = *m_stack.back();
        if (top.is_array()) {
            top.push_back(std::move(v));
            return &top.back();
        }
        json &slot = top[m_key]; // a repeated key: the last one wins, as in json::parse
        slot = std::move(v);
        return &slot;
    }

    bool m_active = false;
    json m_root;
    std::vector<json *> m_stack;
    std::string m_key;
};

/// The SAX handler: walks the request down to the spans and gives each part to OtlpJsonParts.
class Walker
{
public:
    enum class Stop { None, Fatal, Flush, Cancel, TooLarge };

    Walker(FileChunks &in, const JsonStreamOptions &options)
        : m_in(in)
        , m_options(options)
        , m_converter(options.batch_spans, options.redactor)
    { }

    // SAX interface.
    bool null() { return scalar(json(nullptr)); }
    bool boolean(bool v) { return scalar(json(v)); }
    bool number_integer(std::int64_t v) { return scalar(json(v)); }
    bool number_unsigned(std::uint64_t v) { return scalar(json(v)); }
    bool number_float(double v, const std::string &) { return scalar(json(v)); }
    bool string(std::string &v) { return scalar(json(std::move(v))); }
    bool binary(json::binary_t &) { return true; } // JSON text has none
    bool start_object(std::size_t) { return open(true); }
    bool start_array(std::size_t) { return open(false); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(std::string &k);
    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &e)
    {
        if (m_stop == Stop::None) {
            m_stop = Stop::Fatal;
            // A read error ends the bytes as the end of the file does, and the parser then finds the
            // document cut short: the file, not its JSON, is what failed.
            const bool unreadable = m_in.failed();
            m_error = unreadable ? DecodeError { {}, "the file could not be read" }
                                 : DecodeError { {}, "not valid JSON: " + detail::stripJsonExceptionPrefix(e.what()) };
            m_errorAt = unreadable ? m_in.offset() : m_start + position;
        }
        return false;
    }

    /// Ends the walk with this reason (an exception from below).
    void refuse(std::string message)
    {
        if (m_stop == Stop::None)
            fail({}, std::move(message));
    }

    void startPass(bool second)
    {
        m_second = second;
        m_start = m_in.offset();
        m_frames.clear();
        m_depth = 0;
        m_rCount = 0;
        m_mark = m_start;
    }
    bool needsSecondPass() const { return !m_deferredResources.empty() || !m_deferredScopes.empty(); }
    /// Hands over every span given to the converter so far, once it has converted them; false when
    /// the taker wants no more or the converter failed.
    bool flush() { return handOver(true); }
    /// Checked before every chunk is read: false ends the stream there.
    bool goOn(std::uint64_t offset);

    Stop stop() const { return m_stop; }
    const DecodeError &error() const { return m_error; }
    std::uint64_t errorAt() const { return m_errorAt; }
    std::uint64_t spans() const { return m_spans; }

private:
    enum class Role : std::uint8_t {
        Root,
        ResourceSpansArray,
        ResourceSpans,
        ScopeSpansArray,
        ScopeSpans,
        SpansArray,
        Skip
    };
    enum class Slot : std::uint8_t { None, ResourceSpans, Resource, ScopeSpans, Scope, Spans };
    enum class Item : std::uint8_t { Resource, Scope, Span };
    struct Frame
    {
        Role role;
        Slot pending = Slot::None;
    };

    bool scalar(json &&v);
    bool open(bool object);
    bool close();
    bool startItem(Item item)
    {
        m_item = item;
        m_builder.begin();
        m_mark = m_in.offset();
        return true;
    }
    bool itemDone();
    /// Gives the batches the converter has ready (with `all`, every span given, once converted) to
    /// the taker.
    bool handOver(bool all);
    /// OtlpJsonParts' checks of a resource or scope, here on the reading thread, where a fatal one
    /// stops the walk; then the converter's parts take it too, in the same order as the spans.
    bool giveResource(const json *resource);
    bool giveScope(const json *scope);
    bool resourceDone(const json *resource);
    bool scopeDone(const json *scope);
    bool beginScopeSpansArray();
    bool beginSpans();
    bool fail(std::string path, std::string message)
    {
        m_stop = Stop::Fatal;
        m_error = DecodeError { std::move(path), std::move(message) };
        m_errorAt = m_in.offset();
        return false;
    }
    bool failType(std::string path, std::string_view what)
    {
        return fail(std::move(path), "must be " + std::string(what));
    }
    bool failFrom(DecodeError &&e)
    {
        m_stop = Stop::Fatal;
        m_error = std::move(e);
        m_errorAt = m_in.offset();
        return false;
    }
    bool tooManyDeferred()
    {
        return m_deferredResources.size() + m_deferredScopes.size() > kMaxDeferredGroups
            && fail(rsPath(),
                "more than " + std::to_string(kMaxDeferredGroups)
                    + " resourceSpans and scopeSpans list their spans before their resource or scope");
    }
    std::string rsPath() const { return indexed("resourceSpans", m_r); }
    std::string ssPath() const { return rsPath() + indexed(".scopeSpans", m_s); }

    FileChunks &m_in;
    const JsonStreamOptions &m_options;
    OtlpJsonParts m_parts; ///< resources and scopes, for their checks
    DomBuilder m_builder;
    OtlpJsonConverter m_converter;
    std::vector<DecodeResult> m_batches; ///< taken from the converter, being handed over
    std::vector<Frame> m_frames;
    std::size_t m_depth = 0;
    Item m_item = Item::Span;
    bool m_second = false;
    std::uint64_t m_start = 0;
    std::uint64_t m_mark = 0; ///< where the value being read began, for the size limit
    std::uint64_t m_spans = 0;
    Stop m_stop = Stop::None;
    DecodeError m_error;
    std::uint64_t m_errorAt = 0;

    // Where the walk is: resourceSpans[m_r].scopeSpans[m_s].spans[m_i].
    std::size_t m_rCount = 0, m_sCount = 0;
    std::size_t m_r = 0, m_s = 0, m_i = 0;
    bool m_resourceSeen = false, m_scopeSeen = false;
    bool m_resourceDeferred = false, m_scopeDeferred = false, m_emit = false;
    /// The resources and scopes of spans left for the second pass (nullopt: absent).
    std::map<std::size_t, std::optional<json>> m_deferredResources;
    std::map<std::pair<std::size_t, std::size_t>, std::optional<json>> m_deferredScopes;
};

bool Walker::key(std::string &k)
{
    if (m_builder.active()) {
        m_builder.key(k);
        return true;
    }
    m_mark = m_in.offset();
    Frame &top = m_frames.back();
    switch (top.role) {
    case Role::Root:
        top.pending = k == "resourceSpans" || k == "resource_spans" ? Slot::ResourceSpans : Slot::None;
        break;
    case Role::ResourceSpans:
        top.pending = k == "resource"                 ? Slot::Resource
            : k == "scopeSpans" || k == "scope_spans" ? Slot::ScopeSpans
                                                      : Slot::None;
        break;
    case Role::ScopeSpans: top.pending = k == "scope" ? Slot::Scope : k == "spans" ? Slot::Spans : Slot::None; break;
    default: break;
    }
    return true;
}

bool Walker::scalar(json &&v)
{
    if (m_builder.active())
        return !m_builder.scalar(std::move(v)) || itemDone();
    m_mark = m_in.offset();
    if (m_frames.empty())
        return fail({}, "body must be a JSON object (ExportTraceServiceRequest)");
    Frame &top = m_frames.back();
    const Slot slot = std::exchange(top.pending, Slot::None);
    const bool isNull = v.is_null(); // null counts as absent, as in the protobuf JSON mapping
    switch (top.role) {
    case Role::Root:
    case Role::ResourceSpans:
    case Role::ScopeSpans:
        switch (slot) {
        case Slot::ResourceSpans: return isNull || failType("resourceSpans", "an array");
        case Slot::ScopeSpans: return isNull || failType(rsPath() + ".scopeSpans", "an array");
        case Slot::Spans: return isNull || failType(ssPath() + ".spans", "an array");
        case Slot::Resource: startItem(Item::Resource); break;
        case Slot::Scope: startItem(Item::Scope); break;
        case Slot::None: return true;
        }
        m_builder.scalar(std::move(v));
        return itemDone();
    case Role::ResourceSpansArray: m_r = m_rCount; return failType(rsPath(), "an object");
    case Role::ScopeSpansArray: m_s = m_sCount; return failType(ssPath(), "an object");
    case Role::SpansArray:
        if (!m_emit) {
            ++m_i;
            return true;
        }
        startItem(Item::Span);
        m_builder.scalar(std::move(v));
        return itemDone();
    case Role::Skip: return true;
    }
    return true;
}

bool Walker::open(bool object)
{
    if (++m_depth > detail::kMaxJsonDepth)
        return fail({}, "JSON nested deeper than " + std::to_string(detail::kMaxJsonDepth) + " levels");
    if (m_builder.active()) {
        m_builder.open(object);
        return true;
    }
    m_mark = m_in.offset();
    if (m_frames.empty()) {
        if (!object)
            return fail({}, "body must be a JSON object (ExportTraceServiceRequest)");
        m_frames.push_back(Frame { Role::Root });
        return true;
    }
    Frame &top = m_frames.back();
    const Slot slot = std::exchange(top.pending, Slot::None);
    switch (top.role) {
    case Role::Root:
    case Role::ResourceSpans:
    case Role::ScopeSpans:
        switch (slot) {
        case Slot::ResourceSpans:
            if (object)
                return failType("resourceSpans", "an array");
            m_frames.push_back(Frame { Role::ResourceSpansArray });
            return true;
        case Slot::ScopeSpans:
            if (object)
                return failType(rsPath() + ".scopeSpans", "an array");
            m_frames.push_back(Frame { Role::ScopeSpansArray });
            return beginScopeSpansArray();
        case Slot::Spans:
            if (object)
                return failType(ssPath() + ".spans", "an array");
            m_frames.push_back(Frame { Role::SpansArray });
            return beginSpans();
        case Slot::Resource: startItem(Item::Resource); break;
        case Slot::Scope: startItem(Item::Scope); break;
        case Slot::None: m_frames.push_back(Frame { Role::Skip }); return true;
        }
        m_builder.open(object);
        return true;
    case Role::ResourceSpansArray:
        m_r = m_rCount++;
        if (!object)
            return failType(rsPath(), "an object");
        m_sCount = 0;
        m_resourceSeen = m_resourceDeferred = false;
        m_frames.push_back(Frame { Role::ResourceSpans });
        return true;
    case Role::ScopeSpansArray:
        m_s = m_sCount++;
        if (!object)
            return failType(ssPath(), "an object");
        m_scopeSeen = m_emit = false;
        m_scopeDeferred = m_second && m_deferredScopes.count({ m_r, m_s }) > 0;
        m_frames.push_back(Frame { Role::ScopeSpans });
        return true;
    case Role::SpansArray:
        if (!m_emit) {
            ++m_i;
            m_frames.push_back(Frame { Role::Skip });
            return true;
        }
        startItem(Item::Span);
        m_builder.open(object);
        return true;
    case Role::Skip: m_frames.push_back(Frame { Role::Skip }); return true;
    }
    return true;
}

bool Walker::close()
{
    --m_depth;
    if (m_builder.active())
        return !m_builder.close() || itemDone();
    m_mark = m_in.offset();
    m_frames.pop_back();
    return true;
}

bool Walker::beginScopeSpansArray()
{
    if (!m_second) {
        // Spans that would come before their resource wait for the second pass.
        if (!m_resourceSeen && !m_resourceDeferred) {
            m_resourceDeferred = true;
            m_deferredResources.emplace(m_r, std::nullopt);
            return !tooManyDeferred();
        }
        return true;
    }
    const auto it = m_deferredResources.find(m_r);
    if (it == m_deferredResources.end())
        return true;
    m_resourceDeferred = true;
    return giveResource(it->second ? &*it->second : nullptr);
}

bool Walker::beginSpans()
{
    m_i = 0;
    if (!m_second) {
        if (!m_scopeSeen && !m_scopeDeferred) {
            m_scopeDeferred = true;
            m_deferredScopes.emplace(std::pair(m_r, m_s), std::nullopt);
            if (tooManyDeferred())
                return false;
        }
        m_emit = !m_resourceDeferred && !m_scopeDeferred;
        return true;
    }
    m_emit = m_resourceDeferred || m_scopeDeferred;
    if (m_scopeDeferred) {
        const auto &scope = m_deferredScopes.at({ m_r, m_s });
        return giveScope(scope ? &*scope : nullptr);
    }
    return true;
}

bool Walker::giveResource(const json *resource)
{
    DecodeError e;
    if (!m_parts.resource(m_r, resource, e))
        return failFrom(std::move(e));
    m_converter.resource(m_r, resource);
    return true;
}

bool Walker::giveScope(const json *scope)
{
    DecodeError e;
    if (!m_parts.scope(m_r, m_s, scope, e))
        return failFrom(std::move(e));
    m_converter.scope(m_r, m_s, scope);
    return true;
}

bool Walker::resourceDone(const json *resource)
{
    m_resourceSeen = true;
    if (m_second && m_resourceDeferred)
        return true; // given at the start of its scopeSpans
    if (!giveResource(resource))
        return false;
    if (!m_second && m_resourceDeferred)
        m_deferredResources[m_r] = resource ? std::optional<json>(*resource) : std::nullopt;
    return true;
}

bool Walker::scopeDone(const json *scope)
{
    m_scopeSeen = true;
    if (m_second && m_scopeDeferred)
        return true;
    if (!giveScope(scope))
        return false;
    if (!m_second && m_scopeDeferred)
        m_deferredScopes[{ m_r, m_s }] = scope ? std::optional<json>(*scope) : std::nullopt;
    return true;
}

bool Walker::itemDone()
{
    m_builder.end();
    const std::uint64_t start = std::exchange(m_mark, m_in.offset());
    json &value = m_builder.value();
    const json *present = value.is_null() ? nullptr : &value;
    switch (m_item) {
    case Item::Resource: return resourceDone(present);
    case Item::Scope: return scopeDone(present);
    case Item::Span: break;
    }
    m_converter.span(m_r, m_s, m_i++, std::move(value), std::size_t(m_mark - std::min(start, m_mark)));
    if (m_converter.ready() && !handOver(false))
        return false;
    if (m_options.cancelled && m_options.cancelled()) {
        m_stop = Stop::Cancel;
        return false;
    }
    return true;
}

bool Walker::handOver(bool all)
{
    m_batches.clear();
    if (!m_converter.take(m_batches, all)) {
        refuse("could not read the request: " + m_converter.failure());
        return false;
    }
    for (DecodeResult &batch : m_batches) {
        m_spans += batch.spans.size();
        if (m_options.flush && !m_options.flush(batch)) {
            if (m_stop == Stop::None)
                m_stop = Stop::Flush;
            return false;
        }
    }
    return true;
}

bool Walker::goOn(std::uint64_t offset)
{
    if (m_options.cancelled && m_options.cancelled()) {
        m_stop = Stop::Cancel;
        return false;
    }
    if (offset - std::min(offset, m_mark) > kMaxStreamedItemBytes) {
        m_stop = Stop::TooLarge;
        // A span left for the second pass is skipped rather than built, but is just as well named.
        const auto spans
            = std::find_if(m_frames.begin(), m_frames.end(), [](const Frame &f) { return f.role == Role::SpansArray; });
        if (m_builder.active() && m_item == Item::Span)
            m_error = DecodeError { ssPath() + indexed(".spans", m_i), "larger than 16 MiB" };
        else if (spans != m_frames.end() && spans + 1 != m_frames.end() && m_i > 0)
            m_error = DecodeError { ssPath() + indexed(".spans", m_i - 1), "larger than 16 MiB" };
        else
            m_error = DecodeError { {}, "a value larger than 16 MiB" };
        m_errorAt = offset;
        return false;
    }
    return true;
}

} // namespace

JsonStreamResult streamOtlpJsonRequest(FileChunks &in, const JsonStreamOptions &options)
{
    JsonStreamResult result;
    Walker walker(in, options);
    auto outer = std::move(in.onRead);
    in.onRead = [&](std::uint64_t offset) { return walker.goOn(offset) && (!outer || outer(offset)); };
    const std::uint64_t start = in.offset();
    std::istream stream(&in);
    const auto pass = [&](bool second) {
        walker.startPass(second);
        try {
            return json::sax_parse(stream, &walker, json::input_format_t::json, options.strict);
        } catch (const std::exception &e) {
            // Out of memory or the like: the request is refused, as the decoder refuses what throws.
            walker.refuse(std::string("could not read the request: ") + e.what());
            return false;
        }
    };
    bool ok = pass(false);
    if (ok && walker.needsSecondPass()) {
        result.second_pass = true;
        if (!walker.flush() || !in.seek(start))
            ok = false;
        else
            ok = pass(true);
    }
    in.onRead = std::move(outer);
    if (ok || walker.stop() == Walker::Stop::Fatal || walker.stop() == Walker::Stop::TooLarge)
        ok = walker.flush() && ok; // spans read before a failure go out too
    result.spans = walker.spans();
    switch (walker.stop()) {
    case Walker::Stop::None:
        if (ok)
            return result;
        // The stream ended early without a reason of ours: a read error.
        result.end = JsonStreamResult::End::Failed;
        result.at = in.offset();
        result.error = DecodeError { {}, in.failed() ? "the file could not be read" : "unexpected end of the file" };
        return result;
    case Walker::Stop::Flush:
    case Walker::Stop::Cancel: result.end = JsonStreamResult::End::Stopped; return result;
    case Walker::Stop::Fatal:
    case Walker::Stop::TooLarge:
        result.end = JsonStreamResult::End::Failed;
        result.at = walker.errorAt();
        result.error = walker.error();
        return result;
    }
    return result;
}

} // namespace agentops::ingest

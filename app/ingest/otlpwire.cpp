// SPDX-License-Identifier: MIT
#include "ingest/otlpwire.h"

#include <cstring>

namespace agentops::ingest::wire {

namespace {

enum WireType : int { Varint = 0, Fixed64 = 1, Length = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 };

/// A cursor over one message's bytes. Every read checks the bounds; a false return means the bytes
/// are not a valid message, and the cursor is then not used again.
class Reader
{
public:
    explicit Reader(std::string_view bytes)
        : m_p(reinterpret_cast<const unsigned char *>(bytes.data()))
        , m_end(m_p + bytes.size())
    { }

    bool atEnd() const { return m_p == m_end; }

    bool varint(std::uint64_t &v)
    {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p == m_end)
                return false;
            const unsigned char b = *m_p++;
            v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80))
                return true;
        }
        return false; // more than 10 bytes
    }

    bool tag(std::uint32_t &field, int &type)
    {
        std::uint64_t t = 0;
        if (!varint(t) || t > 0xffffffffu)
            return false;
        field = static_cast<std::uint32_t>(t >> 3);
        type = static_cast<int>(t & 7);
        return field != 0;
    }

    bool length(std::string_view &out)
    {
        std::uint64_t n = 0;
        if (!varint(n) || n > static_cast<std::uint64_t>(m_end - m_p))
            return false;
        out = std::string_view(reinterpret_cast<const char *>(m_p), static_cast<std::size_t>(n));
        m_p += n;
        return true;
    }

    bool fixed64(std::uint64_t &v)
    {
        if (m_end - m_p < 8)
            return false;
        std::memcpy(&v, m_p, 8); // little-endian on every platform this builds for
        m_p += 8;
        return true;
    }

    bool fixed32(std::uint32_t &v)
    {
        if (m_end - m_p < 4)
            return false;
        std::memcpy(&v, m_p, 4);
        m_p += 4;
        return true;
    }

    /// Skips a field this reader does not want (unknown, or a known one with another wire type).
    bool skip(std::uint32_t field, int type, int depth)
    {
        std::uint64_t u = 0;
        std::uint32_t u32 = 0;
        std::string_view s;
        switch (type) {
        case Varint: return varint(u);
        case Fixed64: return fixed64(u);
        case Length: return length(s);
        case Fixed32: return fixed32(u32);
        case StartGroup: {
            if (depth >= kMaxMessageDepth)
                return false;
            std::uint32_t f = 0;
            int t = 0;
            while (tag(f, t)) {
                if (t == EndGroup)
                    return f == field;
                if (!skip(f, t, depth + 1))
                    return false;
            }
            return false;
        }
        default: return false; // EndGroup without its start, 6, 7
        }
    }

private:
    const unsigned char *m_p;
    const unsigned char *m_end;
};

/// Runs `onField(field, type, reader)` for each field of a message; onField returns 1 when it read
/// the field, 0 to have it skipped, -1 when the message is invalid.
template<typename F>
bool forEachField(std::string_view bytes, int depth, F &&onField)
{
    if (depth > kMaxMessageDepth)
        return false;
    Reader r(bytes);
    while (!r.atEnd()) {
        std::uint32_t field = 0;
        int type = 0;
        if (!r.tag(field, type))
            return false;
        const int took = onField(field, type, r);
        if (took < 0 || (took == 0 && !r.skip(field, type, depth)))
            return false;
    }
    return true;
}

/// A string field: its bytes, which must be UTF-8.
int readString(int type, Reader &r, std::string_view &out)
{
    if (type != Length)
        return 0;
    return r.length(out) && isValidUtf8(out) ? 1 : -1;
}

int readBytes(int type, Reader &r, std::string_view &out)
{
    if (type != Length)
        return 0;
    return r.length(out) ? 1 : -1;
}

int readVarint(int type, Reader &r, std::uint64_t &out)
{
    if (type != Varint)
        return 0;
    return r.varint(out) ? 1 : -1;
}

int readFixed64(int type, Reader &r, std::uint64_t &out)
{
    if (type != Fixed64)
        return 0;
    return r.fixed64(out) ? 1 : -1;
}

/// An embedded message field: parses its bytes with `parse(bytes)`.
template<typename P>
int readMessage(int type, Reader &r, P &&parse)
{
    if (type != Length)
        return 0;
    std::string_view bytes;
    return r.length(bytes) && parse(bytes) ? 1 : -1;
}

bool parseKeyValue(std::string_view bytes, int depth, KeyValue &out);

bool parseAnyValue(std::string_view bytes, int depth, AnyValue &out)
{
    using PbAny = opentelemetry::proto::common::v1::AnyValue;
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::uint64_t u = 0;
        int took = 0;
        switch (field) {
        case 1:
            took = readString(type, r, out.bytes_);
            if (took > 0)
                out.case_ = PbAny::kStringValue;
            return took;
        case 2:
        case 3:
            took = readVarint(type, r, u);
            if (took > 0) {
                out.case_ = field == 2 ? PbAny::kBoolValue : PbAny::kIntValue;
                out.scalar_ = u;
            }
            return took;
        case 4:
            took = readFixed64(type, r, u);
            if (took > 0) {
                out.case_ = PbAny::kDoubleValue;
                out.scalar_ = u;
            }
            return took;
        case 5:
            took = readMessage(type, r, [&](std::string_view b) {
                if (out.case_ != PbAny::kArrayValue)
                    out.array_.values_.clear(); // another member of the oneof was set: start over
                out.case_ = PbAny::kArrayValue;
                return forEachField(b, depth + 1, [&](std::uint32_t f, int t, Reader &rr) {
                    if (f != 1)
                        return 0;
                    return readMessage(t, rr,
                        [&](std::string_view v) { return parseAnyValue(v, depth + 2, out.array_.values_.add()); });
                });
            });
            return took;
        case 6:
            took = readMessage(type, r, [&](std::string_view b) {
                if (out.case_ != PbAny::kKvlistValue)
                    out.kvlist_.values_.clear();
                out.case_ = PbAny::kKvlistValue;
                return forEachField(b, depth + 1, [&](std::uint32_t f, int t, Reader &rr) {
                    if (f != 1)
                        return 0;
                    return readMessage(t, rr,
                        [&](std::string_view v) { return parseKeyValue(v, depth + 2, out.kvlist_.values_.add()); });
                });
            });
            return took;
        case 7:
            took = readBytes(type, r, out.bytes_);
            if (took > 0)
                out.case_ = PbAny::kBytesValue;
            return took;
        default: return 0;
        }
    });
}

bool parseKeyValue(std::string_view bytes, int depth, KeyValue &out)
{
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        if (field == 1)
            return readString(type, r, out.key_);
        if (field == 2)
            return readMessage(type, r, [&](std::string_view b) { return parseAnyValue(b, depth + 1, out.value_); });
        return 0;
    });
}

/// A repeated KeyValue field: appends one entry.
int readAttribute(int type, Reader &r, int depth, Attributes &out)
{
    return readMessage(type, r, [&](std::string_view b) { return parseKeyValue(b, depth, out.add()); });
}

bool parseResource(std::string_view bytes, int depth, Resource &out)
{
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::uint64_t u = 0;
        if (field == 1)
            return readAttribute(type, r, depth + 1, out.attributes_);
        if (field == 2)
            return readVarint(type, r, u);
        return 0;
    });
}

bool parseScope(std::string_view bytes, int depth, Scope &out)
{
    Attributes ignored; // the scope's attributes are not kept, but must be valid
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::uint64_t u = 0;
        switch (field) {
        case 1: return readString(type, r, out.name_);
        case 2: return readString(type, r, out.version_);
        case 3: return readAttribute(type, r, depth + 1, ignored);
        case 4: return readVarint(type, r, u);
        default: return 0;
        }
    });
}

bool parseScopeSpans(std::string_view bytes, int depth, ScopeSpans &out)
{
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::string_view s;
        switch (field) {
        case 1: return readMessage(type, r, [&](std::string_view b) { return parseScope(b, depth + 1, out.scope_); });
        case 2: {
            const int took = readBytes(type, r, s);
            if (took > 0)
                out.spans.push_back(s);
            return took;
        }
        case 3: return readString(type, r, s);
        default: return 0;
        }
    });
}

bool parseResourceSpans(std::string_view bytes, int depth, ResourceSpans &out)
{
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::string_view s;
        switch (field) {
        case 1:
            return readMessage(type, r, [&](std::string_view b) { return parseResource(b, depth + 1, out.resource_); });
        case 2:
            return readMessage(type, r,
                [&](std::string_view b) { return parseScopeSpans(b, depth + 1, out.scope_spans.emplace_back()); });
        case 3: return readString(type, r, s);
        default: return 0;
        }
    });
}

/// Depth of a Span below the request: ExportTraceServiceRequest > ResourceSpans > ScopeSpans > Span.
constexpr int kSpanDepth = 3;

bool parseEvent(std::string_view bytes, int depth, Event &out)
{
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::uint64_t u = 0;
        switch (field) {
        case 1: return readFixed64(type, r, out.time_);
        case 2: return readString(type, r, out.name_);
        case 3: return readAttribute(type, r, depth + 1, out.attributes_);
        case 4: return readVarint(type, r, u);
        default: return 0;
        }
    });
}

bool parseLink(std::string_view bytes, int depth, Link &out)
{
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::uint64_t u = 0;
        std::uint32_t u32 = 0;
        switch (field) {
        case 1: return readBytes(type, r, out.trace_id_);
        case 2: return readBytes(type, r, out.span_id_);
        case 3: return readString(type, r, out.trace_state_);
        case 4: return readAttribute(type, r, depth + 1, out.attributes_);
        case 5: return readVarint(type, r, u);
        case 6:
            if (type != Fixed32)
                return 0;
            return r.fixed32(u32) ? 1 : -1;
        default: return 0;
        }
    });
}

bool parseStatus(std::string_view bytes, int depth, Status &out)
{
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::uint64_t u = 0;
        if (field == 2)
            return readString(type, r, out.message_);
        if (field == 3) {
            const int took = readVarint(type, r, u);
            if (took > 0)
                out.code_ = static_cast<std::int32_t>(u); // enums are int32 on the wire
            return took;
        }
        return 0;
    });
}

} // namespace

double AnyValue::double_value() const
{
    double d;
    std::memcpy(&d, &scalar_, sizeof d);
    return d;
}

bool parseRequest(std::string_view body, std::vector<ResourceSpans> &out)
{
    out.clear();
    return forEachField(body, 0, [&](std::uint32_t field, int type, Reader &r) {
        if (field != 1)
            return 0;
        return readMessage(type, r, [&](std::string_view b) { return parseResourceSpans(b, 1, out.emplace_back()); });
    });
}

bool parseSpan(std::string_view bytes, Span &out)
{
    out.trace_id_ = out.span_id_ = out.parent_span_id_ = out.trace_state_ = out.name_ = {};
    out.kind_ = 0;
    out.start_ = out.end_ = 0;
    out.attributes_.clear();
    out.events_.clear();
    out.links_.clear();
    out.dropped_attributes_ = out.dropped_events_ = out.dropped_links_ = 0;
    out.status_ = Status {};
    const int depth = kSpanDepth;
    return forEachField(bytes, depth, [&](std::uint32_t field, int type, Reader &r) {
        std::uint64_t u = 0;
        std::uint32_t u32 = 0;
        int took = 0;
        switch (field) {
        case 1: return readBytes(type, r, out.trace_id_);
        case 2: return readBytes(type, r, out.span_id_);
        case 3: return readString(type, r, out.trace_state_);
        case 4: return readBytes(type, r, out.parent_span_id_);
        case 5: return readString(type, r, out.name_);
        case 6:
            took = readVarint(type, r, u);
            if (took > 0)
                out.kind_ = static_cast<std::int32_t>(u);
            return took;
        case 7: return readFixed64(type, r, out.start_);
        case 8: return readFixed64(type, r, out.end_);
        case 9: return readAttribute(type, r, depth + 1, out.attributes_);
        case 10:
        case 12:
        case 14:
            took = readVarint(type, r, u);
            if (took > 0)
                (field == 10          ? out.dropped_attributes_
                        : field == 12 ? out.dropped_events_
                                      : out.dropped_links_)
                    = static_cast<std::uint32_t>(u);
            return took;
        case 11:
            return readMessage(
                type, r, [&](std::string_view b) { return parseEvent(b, depth + 1, out.events_.add()); });
        case 13:
            return readMessage(type, r, [&](std::string_view b) { return parseLink(b, depth + 1, out.links_.add()); });
        case 15:
            return readMessage(type, r, [&](std::string_view b) { return parseStatus(b, depth + 1, out.status_); });
        case 16:
            if (type != Fixed32)
                return 0;
            return r.fixed32(u32) ? 1 : -1;
        default: return 0;
        }
    });
}

bool isValidUtf8(std::string_view text)
{
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const auto *end = p + text.size();
    while (p < end) {
        // ASCII runs, 32 and then eight bytes at a time.
        while (end - p >= 32) {
            std::uint64_t chunk[4];
            std::memcpy(chunk, p, 32);
            if ((chunk[0] | chunk[1] | chunk[2] | chunk[3]) & 0x8080808080808080ull)
                break;
            p += 32;
        }
        while (end - p >= 8) {
            std::uint64_t chunk;
            std::memcpy(&chunk, p, 8);
            if (chunk & 0x8080808080808080ull)
                break;
            p += 8;
        }
        if (p == end)
            break;
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int n = 0;
        std::uint32_t cp = 0;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false; // continuation byte, overlong lead (c0, c1), or beyond U+10FFFF (f5..ff)
        }
        if (end - p <= n)
            return false;
        for (int i = 1; i <= n; ++i) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (p[i] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false; // overlong, surrogate, or out of range
        p += n + 1;
    }
    return true;
}

} // namespace agentops::ingest::wire

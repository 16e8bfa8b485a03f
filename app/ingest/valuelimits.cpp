// SPDX-License-Identifier: MIT
#include "ingest/valuelimits.h"

#include "core/text.h"

#include <algorithm>

namespace agentops::ingest {

bool truncateValue(std::string &s, std::size_t maxBytes)
{
    if (maxBytes == 0 || s.size() <= maxBytes)
        return false;
    const std::size_t was = s.size();
    s.resize(core::utf8Prefix(s, maxBytes)); // never in the middle of a character
    s += "… [truncated: " + std::to_string(was) + " bytes]";
    return true;
}

namespace {

std::size_t limitAttributes(core::Attributes &attrs, std::size_t maxBytes)
{
    std::size_t cut = 0;
    for (auto &a : attrs) {
        auto &v = a.value;
        if (v.type != core::AttrValue::Type::String && v.type != core::AttrValue::Type::Json
            && v.type != core::AttrValue::Type::Bytes)
            continue;
        if (truncateValue(v.s, maxBytes)) {
            ++cut;
            v.type = core::AttrValue::Type::String; // cut JSON or base64 is text now
        }
    }
    return cut;
}

} // namespace

std::size_t limitValueSizes(std::span<core::Span> spans, std::size_t maxBytes)
{
    if (maxBytes == 0)
        return 0;
    std::size_t total = 0;
    for (auto &span : spans) {
        std::size_t cut = limitAttributes(span.attributes, maxBytes) + limitAttributes(span.resource, maxBytes);
        for (auto &e : span.events)
            cut += limitAttributes(e.attributes, maxBytes) + truncateValue(e.name, maxBytes);
        for (auto &l : span.links)
            cut += limitAttributes(l.attributes, maxBytes);
        for (std::string *s : { &span.input, &span.output, &span.name, &span.status_message })
            cut += truncateValue(*s, maxBytes);
        if (cut == 0)
            continue;
        total += cut;
        span.attributes.push_back(
            { std::string(kTruncatedValuesKey), core::AttrValue::ofInt(static_cast<std::int64_t>(cut)) });
    }
    return total;
}

} // namespace agentops::ingest

// SPDX-License-Identifier: MIT
#include "store/encodedspan.h"

#include "core/spanjson.h"

#include <charconv>
#include <functional>

namespace agentops::store {

std::vector<EncodedSpan> encodeSpans(std::vector<core::Span> spans)
{
    std::vector<EncodedSpan> out;
    out.reserve(spans.size());
    const core::Attributes *lastResource = nullptr;
    for (auto &s : spans) {
        EncodedSpan e;
        e.span = std::move(s);
        const core::Span &span = e.span;
        // Spans of one request mostly share their resource: write its JSON once.
        if (lastResource && *lastResource == span.resource) {
            e.resource = out.back().resource;
            e.resource_hash = out.back().resource_hash;
        } else {
            core::appendAttributesJson(e.resource, span.resource);
            e.resource_hash = std::hash<std::string> {}(e.resource);
        }

        std::vector<std::size_t> refs; // attributes that repeat the input or output: left out
        for (std::size_t i = 0; i < span.attributes.size(); ++i) {
            const auto &a = span.attributes[i];
            char which = 0;
            if (a.value.type == core::AttrValue::Type::String && a.value.s.size() >= kMinDedupedPayload) {
                if (a.value.s == span.input)
                    which = 'i';
                else if (a.value.s == span.output)
                    which = 'o';
            }
            if (which) {
                refs.push_back(i);
                e.payload_refs += std::to_string(i);
                e.payload_refs += ' ';
                e.payload_refs += which;
                e.payload_refs += ' ';
                e.payload_refs += a.key;
                e.payload_refs += '\n';
            }
        }
        core::appendAttributesJson(e.attributes, span.attributes, refs);
        if (!span.events.empty())
            core::appendEventsJson(e.events, span.events);
        if (!span.links.empty())
            core::appendLinksJson(e.links, span.links);
        out.push_back(std::move(e));
        lastResource = &out.back().span.resource;
    }
    return out;
}

void restoreAttributes(
    std::string_view attributesJson, std::string_view payloadRefs, const core::Span &span, core::Attributes &out)
{
    core::attributesFromJson(attributesJson, out);
    while (!payloadRefs.empty()) {
        const auto nl = payloadRefs.find('\n');
        const std::string_view line = payloadRefs.substr(0, nl);
        payloadRefs.remove_prefix(nl == std::string_view::npos ? payloadRefs.size() : nl + 1);
        const auto sp1 = line.find(' ');
        if (sp1 == std::string_view::npos || sp1 + 3 > line.size())
            continue;
        std::size_t index = 0;
        std::from_chars(line.data(), line.data() + sp1, index);
        const char which = line[sp1 + 1];
        core::Attribute a { std::string(line.substr(sp1 + 3)),
            core::AttrValue::ofString(which == 'i' ? span.input : span.output) };
        // Refs are in ascending index order, so each insert lands where the attribute was.
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(std::min(index, out.size())), std::move(a));
    }
}

} // namespace agentops::store

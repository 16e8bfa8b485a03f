// SPDX-License-Identifier: MIT
#include "store/encodedspan.h"

#include "core/spanjson.h"

#include <charconv>
#include <functional>

namespace agentops::store {

void encodeSpans(std::span<const core::Span> spans, std::vector<EncodedSpan> &out)
{
    out.resize(spans.size());
    std::vector<std::size_t> refs; // attributes that repeat the input or output: left out
    for (std::size_t n = 0; n < spans.size(); ++n) {
        const core::Span &span = spans[n];
        EncodedSpan &e = out[n];
        e.span = &span;
        e.resource.clear();
        e.attributes.clear();
        e.payload_refs.clear();
        e.events.clear();
        e.links.clear();
        // Spans of one request mostly share their resource: write its JSON once.
        if (n > 0 && spans[n - 1].resource == span.resource) {
            e.resource = out[n - 1].resource;
            e.resource_hash = out[n - 1].resource_hash;
        } else {
            core::appendAttributesJson(e.resource, span.resource);
            e.resource_hash = std::hash<std::string> {}(e.resource);
        }

        refs.clear();
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
                char index[24];
                const auto end = std::to_chars(index, index + sizeof index, i).ptr;
                e.payload_refs.append(index, end);
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
    }
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

// SPDX-License-Identifier: MIT
#include "core/failures.h"

#include "core/spanjson.h"
#include "core/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <optional>

namespace agentops::core {

namespace {

using nlohmann::json;

/// Nesting the decoders accept in a body; text nested deeper is not parsed here either (dumping
/// such a value recurses once per level).
constexpr std::size_t kMaxNesting = 256;

/// At most kMaxFailureMessage bytes, cut before a UTF-8 continuation byte.
std::string capped(std::string text)
{
    if (text.size() <= kMaxFailureMessage)
        return text;
    text.resize(utf8Prefix(text, kMaxFailureMessage));
    text += "…";
    return text;
}

/// A failure's text: a string as it is, anything else as compact JSON.
std::string messageOf(const json &v)
{
    if (v.is_string())
        return capped(v.get<std::string>());
    return capped(v.dump(-1, ' ', false, json::error_handler_t::replace));
}

/// The text of a content that is a string or a list of text blocks (Anthropic, MCP).
std::string textOf(const json &content)
{
    if (content.is_string())
        return capped(content.get<std::string>());
    std::string out;
    if (content.is_array())
        for (const auto &block : content)
            if (block.is_object())
                if (auto t = block.find("text"); t != block.end() && t->is_string()) {
                    if (!out.empty())
                        out.push_back('\n');
                    out += t->get_ref<const std::string &>();
                }
    return out.empty() ? messageOf(content) : capped(std::move(out));
}

/// The failure a tool's result reports, or nothing: `{"error": <non-empty>}` (ADK's response for a
/// tool that raised, and a common shape of tool errors) or MCP's `{"isError": true, "content": ...}`.
std::optional<std::string> failureOfResult(const json &result)
{
    if (!result.is_object())
        return std::nullopt;
    if (auto e = result.find("error"); e != result.end()) {
        if ((e->is_string() && !trimWhitespace(e->get_ref<const std::string &>()).empty())
            || (e->is_object() && !e->empty()))
            return messageOf(*e);
    }
    if (auto f = result.find("isError"); f != result.end() && f->is_boolean() && f->get<bool>()) {
        auto c = result.find("content");
        return c != result.end() ? textOf(*c) : std::string("tool reported an error");
    }
    return std::nullopt;
}

/// Parses text that is small and flat enough to parse safely; a discarded value otherwise.
json parsed(std::string_view text)
{
    if (jsonNestingExceeds(text, kMaxNesting))
        return json(json::value_t::discarded);
    return json::parse(text, nullptr, false);
}

bool isModelRole(const json &message)
{
    auto r = message.find("role");
    if (r == message.end() || !r->is_string())
        return false;
    const auto &role = r->get_ref<const std::string &>();
    return role == "model" || role == "assistant";
}

/// The message list of a request: Gemini's `contents`, a `messages` list, or the request itself.
const json *messageList(const json &request)
{
    if (request.is_array())
        return &request;
    if (!request.is_object())
        return nullptr;
    for (const char *key : { "contents", "messages" })
        if (auto it = request.find(key); it != request.end() && it->is_array())
            return &*it;
    return nullptr;
}

/// The content blocks of a message: Gemini's `parts`, or `content` when it is a list.
const json *blocksOf(const json &message)
{
    for (const char *key : { "parts", "content" })
        if (auto it = message.find(key); it != message.end() && it->is_array())
            return &*it;
    return nullptr;
}

std::string stringMember(const json &o, const char *key)
{
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Call
{
    std::string id, name, arguments;
};

/// The tool calls a model turn asked for: Gemini functionCall, Anthropic tool_use, AI SDK tool-call,
/// OpenAI tool_calls.
std::vector<Call> callsOf(const json &turn)
{
    std::vector<Call> calls;
    auto args = [](const json &o, std::initializer_list<const char *> keys) {
        for (const char *key : keys)
            if (auto it = o.find(key); it != o.end())
                return it->is_string() ? it->get<std::string>()
                                       : it->dump(-1, ' ', false, json::error_handler_t::replace);
        return std::string();
    };
    if (const json *blocks = blocksOf(turn))
        for (const auto &b : *blocks) {
            if (!b.is_object())
                continue;
            if (auto fc = b.find("functionCall"); fc != b.end() && fc->is_object())
                calls.push_back({ stringMember(*fc, "id"), stringMember(*fc, "name"), args(*fc, { "args" }) });
            else if (stringMember(b, "type") == "tool_use")
                calls.push_back({ stringMember(b, "id"), stringMember(b, "name"), args(b, { "input" }) });
            else if (stringMember(b, "type") == "tool-call")
                calls.push_back(
                    { stringMember(b, "toolCallId"), stringMember(b, "toolName"), args(b, { "input", "args" }) });
        }
    if (auto tc = turn.find("tool_calls"); tc != turn.end() && tc->is_array())
        for (const auto &c : *tc)
            if (c.is_object())
                if (auto f = c.find("function"); f != c.end() && f->is_object())
                    calls.push_back({ stringMember(c, "id"), stringMember(*f, "name"), args(*f, { "arguments" }) });
    return calls;
}

/// Where needle first occurs in text at or after from (npos if nowhere), by glibc's memmem. The
/// scans below run over every model call's prompt (kilobytes) on the request threads, and
/// libstdc++'s string_view searches compare the whole needle at every position (rfind) or at every
/// '"' (find), which JSON is full of: they were most of those threads' CPU.
std::size_t indexOf(std::string_view text, std::string_view needle, std::size_t from = 0)
{
    if (from > text.size())
        return std::string_view::npos;
    const void *hit = ::memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
    return hit ? static_cast<std::size_t>(static_cast<const char *>(hit) - text.data()) : std::string_view::npos;
}

/// Where needle last occurs in text (npos if nowhere).
std::size_t lastIndexOf(std::string_view text, std::string_view needle)
{
    std::size_t last = std::string_view::npos;
    for (auto at = indexOf(text, needle); at != std::string_view::npos; at = indexOf(text, needle, at + 1))
        last = at;
    return last;
}

/// Whether the text after the request's last tool call can report a failed tool at all: most
/// requests report none, and this keeps them from being parsed.
bool mayReportFailure(std::string_view request)
{
    std::size_t last = 0;
    for (std::string_view call : { "\"functionCall\"", "\"tool_use\"", "\"tool-call\"", "\"tool_calls\"" })
        if (const auto at = lastIndexOf(request, call); at != std::string_view::npos)
            last = std::max(last, at);
    const std::string_view tail = request.substr(last);
    const auto has = [&](std::string_view needle) { return indexOf(tail, needle) != std::string_view::npos; };
    if (has("\"functionResponse\"") && has("\"error\""))
        return true;
    if (has("\"error-text\"") || has("\"error-json\""))
        return true;
    // Anthropic marks every tool result, the ones that succeeded with "is_error": false.
    for (auto at = indexOf(tail, "\"is_error\""); at != std::string_view::npos;
         at = indexOf(tail, "\"is_error\"", at + 1)) {
        const auto value = trimWhitespace(tail.substr(at + 10, 8));
        if (value.starts_with(':') && trimWhitespace(value.substr(1)).starts_with("true"))
            return true;
    }
    return false;
}

std::vector<ToolResultReport> reportedResults(std::string_view request)
{
    std::vector<ToolResultReport> out;
    if (!mayReportFailure(request))
        return out;
    const json doc = parsed(request);
    const json *messages = messageList(doc);
    if (!messages || messages->empty())
        return out;
    // The results after the last model turn are the ones this request reports for the first time;
    // the ones before it were reported by an earlier call already.
    std::size_t first = messages->size();
    while (first > 0 && (*messages)[first - 1].is_object() && !isModelRole((*messages)[first - 1]))
        --first;
    std::vector<Call> calls;
    if (first > 0 && (*messages)[first - 1].is_object())
        calls = callsOf((*messages)[first - 1]);
    std::vector<bool> used(calls.size());
    // By id where both sides have one, else the first call of that name not yet answered: every
    // result answers a call, the ones that succeeded too, so each failure gets its own call's
    // arguments.
    auto callFor = [&](const std::string &id, const std::string &name) -> const Call * {
        for (std::size_t k = 0; k < calls.size(); ++k) {
            const Call &c = calls[k];
            const bool match = !id.empty() && !c.id.empty() ? c.id == id : !name.empty() && c.name == name;
            if (match && !used[k]) {
                used[k] = true;
                return &c;
            }
        }
        return nullptr;
    };
    bool anyFailed = false;
    auto report = [&](std::string id, std::string name, const std::optional<std::string> &failure) {
        const Call *call = callFor(id, name);
        ToolResultReport r;
        r.call_id = !id.empty() ? std::move(id) : call ? call->id : std::string();
        r.tool_name = !name.empty() ? std::move(name) : call ? call->name : std::string();
        r.arguments = call ? call->arguments : std::string();
        r.failed = failure.has_value();
        r.message = failure.value_or(std::string());
        anyFailed = anyFailed || r.failed;
        if (!r.tool_name.empty())
            out.push_back(std::move(r));
    };
    for (std::size_t i = first; i < messages->size(); ++i) {
        const json *blocks = (*messages)[i].is_object() ? blocksOf((*messages)[i]) : nullptr;
        if (!blocks)
            continue;
        for (const auto &b : *blocks) {
            if (!b.is_object())
                continue;
            if (auto fr = b.find("functionResponse"); fr != b.end() && fr->is_object()) {
                auto r = fr->find("response");
                report(stringMember(*fr, "id"), stringMember(*fr, "name"),
                    r != fr->end() ? failureOfResult(*r) : std::nullopt);
            } else if (stringMember(b, "type") == "tool_result") {
                auto e = b.find("is_error");
                const bool failed = e != b.end() && e->is_boolean() && e->get<bool>();
                auto c = b.find("content");
                report(stringMember(b, "tool_use_id"), {},
                    failed ? std::optional<std::string>(c != b.end() ? textOf(*c) : std::string()) : std::nullopt);
            } else if (stringMember(b, "type") == "tool-result") {
                auto o = b.find("output");
                const std::string type = o != b.end() && o->is_object() ? stringMember(*o, "type") : std::string();
                std::optional<std::string> failure;
                if (type == "error-text" || type == "error-json") {
                    auto v = o->find("value");
                    failure = v != o->end() ? messageOf(*v) : type;
                }
                report(stringMember(b, "toolCallId"), stringMember(b, "toolName"), failure);
            }
        }
    }
    if (!anyFailed)
        out.clear();
    return out;
}

} // namespace

void deriveFailureStatus(Span &span, std::string_view errorType)
{
    if (span.status != StatusCode::Unset)
        return;
    std::string message;
    bool failed = false;
    // The last exception recorded: the one that ended the operation.
    for (auto it = span.events.rbegin(); it != span.events.rend() && !failed; ++it) {
        if (it->name != "exception")
            continue;
        failed = true;
        for (const char *key : { "exception.message", "exception.type" })
            if (const AttrValue *v = findAttribute(it->attributes, key); v && message.empty())
                message = capped(std::string(trimWhitespace(v->asText())));
    }
    if (!failed && !trimWhitespace(errorType).empty()) {
        failed = true;
        message = capped(std::string(trimWhitespace(errorType)));
    }
    if (!failed && span.kind == SpanKind::Tool && !span.output.empty()) {
        const auto out = trimWhitespace(span.output);
        // Only a JSON object can say it failed; most results are not one and need no parse.
        if (out.starts_with('{')
            && (indexOf(out, "\"error\"") != std::string_view::npos
                || indexOf(out, "\"isError\"") != std::string_view::npos)) {
            try {
                if (auto m = failureOfResult(parsed(out))) {
                    failed = true;
                    message = std::move(*m);
                }
            } catch (const std::exception &) {
                // not a result that says anything
            }
        }
    }
    if (!failed)
        return;
    span.status = StatusCode::Error;
    if (span.status_message.empty())
        span.status_message = std::move(message);
}

std::vector<ToolResultReport> toolResultsReportedIn(std::string_view request)
{
    try {
        return reportedResults(request);
    } catch (const std::exception &) {
        return {}; // a request that is not what it seems reports nothing
    }
}

} // namespace agentops::core

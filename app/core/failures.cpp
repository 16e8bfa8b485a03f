// SPDX-License-Identifier: MIT
#include "core/failures.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace agentops::core {

namespace {

using nlohmann::json;

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/// A failure's text: a string as it is, anything else as compact JSON.
std::string messageOf(const json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// The text of a content that is a string or a list of text blocks (Anthropic, MCP).
std::string textOf(const json &content)
{
    if (content.is_string())
        return content.get<std::string>();
    std::string out;
    if (content.is_array())
        for (const auto &block : content)
            if (block.is_object())
                if (auto t = block.find("text"); t != block.end() && t->is_string()) {
                    if (!out.empty())
                        out.push_back('\n');
                    out += t->get_ref<const std::string &>();
                }
    return out.empty() ? messageOf(content) : out;
}

/// The failure a tool's result reports, or nothing: `{"error": <non-empty>}` (ADK's response for a
/// tool that raised, and a common shape of tool errors) or MCP's `{"isError": true, "content": ...}`.
std::optional<std::string> failureOfResult(const json &result)
{
    if (!result.is_object())
        return std::nullopt;
    if (auto e = result.find("error"); e != result.end()) {
        if ((e->is_string() && !trimmed(e->get_ref<const std::string &>()).empty())
            || (e->is_object() && !e->empty()))
            return messageOf(*e);
    }
    if (auto f = result.find("isError"); f != result.end() && f->is_boolean() && f->get<bool>()) {
        auto c = result.find("content");
        return c != result.end() ? textOf(*c) : std::string("tool reported an error");
    }
    return std::nullopt;
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

struct Call
{
    std::string id, name, arguments;
};

/// The tool calls a model turn asked for: Gemini functionCall, Anthropic tool_use, AI SDK tool-call,
/// OpenAI tool_calls.
std::vector<Call> callsOf(const json &turn)
{
    std::vector<Call> calls;
    auto str = [](const json &o, const char *key) {
        auto it = o.find(key);
        return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
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
                calls.push_back({ str(*fc, "id"), str(*fc, "name"), args(*fc, { "args" }) });
            else if (str(b, "type") == "tool_use")
                calls.push_back({ str(b, "id"), str(b, "name"), args(b, { "input" }) });
            else if (str(b, "type") == "tool-call")
                calls.push_back({ str(b, "toolCallId"), str(b, "toolName"), args(b, { "input", "args" }) });
        }
    if (auto tc = turn.find("tool_calls"); tc != turn.end() && tc->is_array())
        for (const auto &c : *tc)
            if (c.is_object())
                if (auto f = c.find("function"); f != c.end() && f->is_object())
                    calls.push_back({ str(c, "id"), str(*f, "name"), args(*f, { "arguments" }) });
    return calls;
}

std::vector<ReportedToolFailure> reportedFailures(std::string_view request)
{
    std::vector<ReportedToolFailure> out;
    // Most requests report no failed tool at all: look for the markers before parsing anything.
    const bool gemini = request.find("\"functionResponse\"") != std::string_view::npos
        && request.find("\"error\"") != std::string_view::npos;
    const bool anthropic = request.find("\"is_error\"") != std::string_view::npos;
    const bool aiSdk = request.find("\"error-text\"") != std::string_view::npos
        || request.find("\"error-json\"") != std::string_view::npos;
    if (!gemini && !anthropic && !aiSdk)
        return out;
    const json doc = json::parse(request, nullptr, false);
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
    // By id where both sides have one, else the first call of that name not yet answered.
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
    // Every result answers a call, the ones that succeeded too: a failure's arguments are those of
    // the call it answers, in order.
    auto report = [&](const Call *call, std::string id, std::string name, std::string message) {
        ReportedToolFailure f;
        f.call_id = std::move(id);
        f.tool_name = !name.empty() ? std::move(name) : call ? call->name : std::string();
        f.arguments = call ? call->arguments : std::string();
        f.message = std::move(message);
        if (!f.tool_name.empty())
            out.push_back(std::move(f));
    };
    auto str = [](const json &o, const char *key) {
        auto it = o.find(key);
        return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    for (std::size_t i = first; i < messages->size(); ++i) {
        const json *blocks = (*messages)[i].is_object() ? blocksOf((*messages)[i]) : nullptr;
        if (!blocks)
            continue;
        for (const auto &b : *blocks) {
            if (!b.is_object())
                continue;
            if (auto fr = b.find("functionResponse"); fr != b.end() && fr->is_object()) {
                const Call *call = callFor(str(*fr, "id"), str(*fr, "name"));
                if (auto r = fr->find("response"); r != fr->end())
                    if (auto m = failureOfResult(*r))
                        report(call, str(*fr, "id"), str(*fr, "name"), std::move(*m));
            } else if (str(b, "type") == "tool_result") {
                const Call *call = callFor(str(b, "tool_use_id"), {});
                if (auto e = b.find("is_error"); e != b.end() && e->is_boolean() && e->get<bool>()) {
                    auto c = b.find("content");
                    report(call, str(b, "tool_use_id"), {}, c != b.end() ? textOf(*c) : std::string());
                }
            } else if (str(b, "type") == "tool-result") {
                const Call *call = callFor(str(b, "toolCallId"), str(b, "toolName"));
                auto o = b.find("output");
                if (o != b.end() && o->is_object()) {
                    const std::string type = str(*o, "type");
                    if (type == "error-text" || type == "error-json") {
                        auto v = o->find("value");
                        report(call, str(b, "toolCallId"), str(b, "toolName"), v != o->end() ? messageOf(*v) : type);
                    }
                }
            }
        }
    }
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
                message = std::string(trimmed(v->asText()));
    }
    if (!failed && !trimmed(errorType).empty()) {
        failed = true;
        message = std::string(trimmed(errorType));
    }
    if (!failed && span.kind == SpanKind::Tool && !span.output.empty()) {
        const auto out = trimmed(span.output);
        // Only a JSON object can say it failed; most results are not one and need no parse.
        if (out.starts_with('{') && (out.find("\"error\"") != std::string_view::npos
                                        || out.find("\"isError\"") != std::string_view::npos)) {
            try {
                if (auto m = failureOfResult(json::parse(out, nullptr, false))) {
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

std::vector<ReportedToolFailure> toolFailuresReportedIn(std::string_view request)
{
    try {
        return reportedFailures(request);
    } catch (const std::exception &) {
        return {}; // a request that is not what it seems reports nothing
    }
}

} // namespace agentops::core

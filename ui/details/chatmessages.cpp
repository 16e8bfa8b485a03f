// SPDX-License-Identifier: MIT
#include "chatmessages.h"

#include "core/spanjson.h"
#include "core/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace agentops::ui {

namespace {

using json = nlohmann::ordered_json;

// Payloads come from any producer: a parse must not recurse without bound.
constexpr std::size_t kMaxDepth = 128;

std::optional<json> parseJson(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || (text[first] != '{' && text[first] != '['))
        return std::nullopt;
    if (core::jsonNestingExceeds(text, kMaxDepth))
        return std::nullopt;
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        return std::nullopt;
    return doc;
}

std::string dumpPretty(const json &j)
{
    return j.dump(2, ' ', false, json::error_handler_t::replace);
}

const json *member(const json &obj, std::initializer_list<std::string_view> names)
{
    if (!obj.is_object())
        return nullptr;
    for (auto name : names) {
        auto it = obj.find(name);
        if (it != obj.end() && !it->is_null())
            return &*it;
    }
    return nullptr;
}

std::string stringMember(const json &obj, std::initializer_list<std::string_view> names)
{
    const json *v = member(obj, names);
    if (!v)
        return {};
    if (v->is_string())
        return v->get<std::string>();
    if (v->is_number() || v->is_boolean())
        return v->dump();
    return {};
}

/// Tool arguments and results come as JSON values or as JSON text inside a string.
void setPayload(ChatPart &part, const json *value)
{
    if (!value)
        return;
    if (value->is_string()) {
        part.text = prettyJson(value->get_ref<const std::string &>(), &part.isJson);
        return;
    }
    part.text = dumpPretty(*value);
    part.isJson = true;
}

ChatRole roleFromName(std::string_view role)
{
    const std::string r = core::asciiLower(role);
    if (r == "system" || r == "developer")
        return ChatRole::System;
    if (r == "user" || r == "human")
        return ChatRole::User;
    if (r == "assistant" || r == "model" || r == "ai" || r == "bot")
        return ChatRole::Assistant;
    if (r == "tool" || r == "function" || r == "ipython" || r == "tool_result")
        return ChatRole::Tool;
    return ChatRole::Other;
}

ChatPart textPart(std::string text, ChatPart::Kind kind = ChatPart::Kind::Text)
{
    ChatPart p;
    p.kind = kind;
    p.text = std::move(text);
    return p;
}

ChatPart dataPart(const json &value)
{
    ChatPart p;
    p.kind = ChatPart::Kind::Data;
    p.text = dumpPretty(value);
    p.isJson = true;
    return p;
}

ChatPart toolCall(std::string name, std::string id, const json *arguments)
{
    ChatPart p;
    p.kind = ChatPart::Kind::ToolCall;
    p.name = std::move(name);
    p.id = std::move(id);
    setPayload(p, arguments);
    return p;
}

ChatPart toolResult(std::string name, std::string id, const json *result)
{
    ChatPart p;
    p.kind = ChatPart::Kind::ToolResult;
    p.name = std::move(name);
    p.id = std::move(id);
    setPayload(p, result);
    return p;
}

/// The text of a content value that is a string, or a list of text blocks (Anthropic tool results).
std::optional<std::string> plainText(const json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (!v.is_array())
        return std::nullopt;
    std::string out;
    for (const auto &item : v) {
        const json *text = member(item, { "text" });
        if (!text || !text->is_string())
            return std::nullopt;
        if (!out.empty())
            out += '\n';
        out += text->get<std::string>();
    }
    return out;
}

/// One element of "parts" (OTel GenAI, Gemini) or "content" (OpenAI, Anthropic, Vercel, OpenInference).
void appendPart(std::vector<ChatPart> &parts, const json &p)
{
    if (p.is_string()) {
        parts.push_back(textPart(p.get<std::string>()));
        return;
    }
    if (!p.is_object()) {
        parts.push_back(dataPart(p));
        return;
    }
    const std::string type = stringMember(p, { "type" });
    // OTel GenAI parts
    if (type == "text" || type == "input_text" || type == "output_text") {
        const json *text = member(p, { "content", "text" });
        parts.push_back(textPart(text && text->is_string() ? text->get<std::string>() : std::string()));
        return;
    }
    if (type == "reasoning" || type == "thinking") {
        parts.push_back(textPart(stringMember(p, { "content", "text", "thinking" }), ChatPart::Kind::Reasoning));
        return;
    }
    if (type == "tool_call" || type == "function_call") {
        parts.push_back(toolCall(stringMember(p, { "name" }), stringMember(p, { "id", "call_id" }),
            member(p, { "arguments", "args", "input" })));
        return;
    }
    if (type == "tool_call_response" || type == "function_call_output") {
        parts.push_back(toolResult(stringMember(p, { "name" }), stringMember(p, { "id", "call_id" }),
            member(p, { "response", "result", "output" })));
        return;
    }
    // Vercel AI SDK
    if (type == "tool-call") {
        parts.push_back(toolCall(
            stringMember(p, { "toolName" }), stringMember(p, { "toolCallId" }), member(p, { "args", "input" })));
        return;
    }
    if (type == "tool-result") {
        const json *out = member(p, { "result", "output" });
        // AI SDK 5 wraps results as {"type": "json"|"text", "value": ...}.
        if (out && out->is_object() && out->contains("value") && out->contains("type"))
            out = &(*out)["value"];
        parts.push_back(toolResult(stringMember(p, { "toolName" }), stringMember(p, { "toolCallId" }), out));
        return;
    }
    // Anthropic content blocks
    if (type == "tool_use") {
        parts.push_back(toolCall(stringMember(p, { "name" }), stringMember(p, { "id" }), member(p, { "input" })));
        return;
    }
    if (type == "tool_result") {
        const json *content = member(p, { "content" });
        ChatPart r = toolResult({}, stringMember(p, { "tool_use_id" }), nullptr);
        if (content) {
            if (auto text = plainText(*content))
                r.text = prettyJson(*text, &r.isJson);
            else
                setPayload(r, content);
        }
        parts.push_back(std::move(r));
        return;
    }
    // Gemini parts (snake_case from the Python SDK, camelCase from the REST API)
    if (const json *call = member(p, { "function_call", "functionCall" })) {
        parts.push_back(toolCall(
            stringMember(*call, { "name" }), stringMember(*call, { "id" }), member(*call, { "args", "arguments" })));
        return;
    }
    if (const json *response = member(p, { "function_response", "functionResponse" })) {
        parts.push_back(toolResult(
            stringMember(*response, { "name" }), stringMember(*response, { "id" }), member(*response, { "response" })));
        return;
    }
    if (type.empty()) {
        if (const json *text = member(p, { "text" }); text && text->is_string()) {
            const json *thought = member(p, { "thought" });
            const bool isThought = thought && thought->is_boolean() && thought->get<bool>();
            parts.push_back(
                textPart(text->get<std::string>(), isThought ? ChatPart::Kind::Reasoning : ChatPart::Kind::Text));
            return;
        }
    }
    // OpenInference message_content ({"type":"text","text":...} is handled above); images, files, blobs.
    parts.push_back(dataPart(p));
}

void appendContent(std::vector<ChatPart> &parts, const json &content)
{
    if (content.is_string()) {
        if (!content.get_ref<const std::string &>().empty())
            parts.push_back(textPart(content.get<std::string>()));
    } else if (content.is_array()) {
        for (const auto &p : content)
            appendPart(parts, p);
    } else if (content.is_object()) {
        if (const json *inner = member(content, { "parts" }); inner && inner->is_array())
            for (const auto &p : *inner)
                appendPart(parts, p);
        else
            appendPart(parts, content);
    } else if (!content.is_null()) {
        parts.push_back(dataPart(content));
    }
}

/// tool_calls as OpenAI ({id, type, function: {name, arguments}}), OpenInference (the same without
/// type) and OpenLLMetry's flattened attributes ({id, name, arguments}) write them.
void appendToolCalls(std::vector<ChatPart> &parts, const json &calls)
{
    if (!calls.is_array())
        return;
    for (const auto &c : calls) {
        if (!c.is_object())
            continue;
        const json *fn = member(c, { "function" });
        const json &src = fn && fn->is_object() ? *fn : c;
        parts.push_back(toolCall(stringMember(src, { "name", "toolName" }), stringMember(c, { "id", "toolCallId" }),
            member(src, { "arguments", "args", "input" })));
    }
}

bool looksLikeMessage(const json &m)
{
    return m.is_object()
        && (m.contains("role") || m.contains("parts") || m.contains("tool_calls") || m.contains("toolCallId"));
}

ChatMessage messageFrom(const json &m)
{
    ChatMessage msg;
    msg.roleName = stringMember(m, { "role" });
    msg.role = msg.roleName.empty() ? ChatRole::User : roleFromName(msg.roleName);
    if (msg.roleName.empty())
        msg.roleName = m.contains("parts") ? "user" : "";
    msg.name = stringMember(m, { "name" });
    msg.finishReason = stringMember(m, { "finish_reason", "finishReason", "stop_reason" });

    // Vercel's ai.response.toolCalls lists bare calls.
    if (!m.contains("role") && m.contains("toolCallId")) {
        msg.role = ChatRole::Assistant;
        msg.roleName = "assistant";
        msg.parts.push_back(toolCall(
            stringMember(m, { "toolName" }), stringMember(m, { "toolCallId" }), member(m, { "args", "input" })));
        return msg;
    }

    if (const json *parts = member(m, { "parts" }); parts && parts->is_array())
        for (const auto &p : *parts)
            appendPart(msg.parts, p);
    if (const json *content = member(m, { "content" }))
        appendContent(msg.parts, *content);
    if (const json *contents = member(m, { "contents" }); contents && contents->is_array())
        for (const auto &p : *contents)
            appendPart(msg.parts, p);
    if (const json *calls = member(m, { "tool_calls", "toolCalls" }))
        appendToolCalls(msg.parts, *calls);
    if (const json *call = member(m, { "function_call" }); call && call->is_object())
        msg.parts.push_back(toolCall(stringMember(*call, { "name" }), {}, member(*call, { "arguments" })));

    // A tool message's text is the result of the call it names.
    if (msg.role == ChatRole::Tool) {
        const std::string id = stringMember(m, { "tool_call_id", "toolCallId", "id" });
        for (auto &p : msg.parts) {
            if (p.kind != ChatPart::Kind::Text)
                continue;
            p.kind = ChatPart::Kind::ToolResult;
            p.id = id;
            p.name = msg.name;
            p.text = prettyJson(p.text, &p.isJson);
        }
    }
    return msg;
}

std::optional<std::vector<ChatMessage>> messagesFromArray(const json &array)
{
    if (!array.is_array() || array.empty())
        return std::nullopt;
    if (!std::all_of(array.begin(), array.end(), looksLikeMessage))
        return std::nullopt;
    std::vector<ChatMessage> out;
    out.reserve(array.size());
    for (const auto &m : array)
        out.push_back(messageFrom(m));
    return out;
}

/// System instructions in their several spellings: a string, a Gemini Content, a list of parts.
void prependSystem(std::vector<ChatMessage> &out, const json *system)
{
    if (!system)
        return;
    ChatMessage msg;
    msg.role = ChatRole::System;
    msg.roleName = "system";
    appendContent(msg.parts, *system);
    if (!msg.parts.empty())
        out.insert(out.begin(), std::move(msg));
}

std::optional<std::vector<ChatMessage>> messagesFromObject(const json &obj)
{
    // Gemini / ADK request: {model, config: {system_instruction}, contents: [...]}
    if (const json *contents = member(obj, { "contents" }); contents && contents->is_array()) {
        std::vector<ChatMessage> out;
        for (const auto &c : *contents)
            if (c.is_object())
                out.push_back(messageFrom(c));
        const json *config = member(obj, { "config", "generation_config", "generationConfig" });
        const json *system = member(obj, { "system_instruction", "systemInstruction" });
        if (!system && config)
            system = member(*config, { "system_instruction", "systemInstruction" });
        prependSystem(out, system);
        if (!out.empty())
            return out;
        return std::nullopt;
    }
    // Gemini / ADK response: {content: {role, parts}, finish_reason, usage_metadata}
    if (const json *content = member(obj, { "content" });
        content && content->is_object() && content->contains("parts")) {
        ChatMessage msg = messageFrom(*content);
        // A response's content may leave out its role; it is the model speaking.
        if (!content->contains("role")) {
            msg.role = ChatRole::Assistant;
            msg.roleName = "model";
        }
        msg.finishReason = stringMember(obj, { "finish_reason", "finishReason" });
        return std::vector<ChatMessage> { std::move(msg) };
    }
    // Gemini REST response: {candidates: [{content, finishReason}]}
    if (const json *candidates = member(obj, { "candidates" }); candidates && candidates->is_array()) {
        std::vector<ChatMessage> out;
        for (const auto &c : *candidates)
            if (auto one = messagesFromObject(c))
                for (auto &m : *one)
                    out.push_back(std::move(m));
        if (!out.empty())
            return out;
    }
    // OpenAI response: {choices: [{message, finish_reason}]}
    if (const json *choices = member(obj, { "choices" }); choices && choices->is_array()) {
        std::vector<ChatMessage> out;
        for (const auto &c : *choices) {
            const json *message = member(c, { "message", "delta" });
            if (!message || !message->is_object())
                continue;
            ChatMessage msg = messageFrom(*message);
            if (msg.finishReason.empty())
                msg.finishReason = stringMember(c, { "finish_reason" });
            out.push_back(std::move(msg));
        }
        if (!out.empty())
            return out;
    }
    // OpenAI / Anthropic request and Vercel ai.prompt: {system?, messages: [...]} or {system?, prompt}
    const json *messages = member(obj, { "messages" });
    const json *prompt = member(obj, { "prompt" });
    if ((messages && messages->is_array()) || (prompt && (prompt->is_string() || prompt->is_array()))) {
        std::vector<ChatMessage> out;
        const json *list = messages && messages->is_array() ? messages : (prompt->is_array() ? prompt : nullptr);
        if (list) {
            auto parsed = messagesFromArray(*list);
            if (!parsed && !list->empty())
                return std::nullopt;
            if (parsed)
                out = std::move(*parsed);
        } else {
            out.push_back(plainTextMessage(ChatRole::User, prompt->get<std::string>()));
        }
        prependSystem(out, member(obj, { "system", "instructions" }));
        if (!out.empty())
            return out;
        return std::nullopt;
    }
    // A single message.
    if (obj.contains("role") && (obj.contains("content") || obj.contains("parts") || obj.contains("tool_calls")))
        return std::vector<ChatMessage> { messageFrom(obj) };
    return std::nullopt;
}

void appendCompact(std::string &out, const std::string &text, bool isJson)
{
    if (isJson) {
        const auto doc = json::parse(text, nullptr, false);
        if (!doc.is_discarded()) {
            out += doc.dump(-1, ' ', false, json::error_handler_t::replace);
            return;
        }
    }
    out += json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

std::optional<std::vector<ChatMessage>> parseChatMessages(std::string_view payload)
{
    const auto doc = parseJson(payload);
    if (!doc)
        return std::nullopt;
    try {
        if (doc->is_array())
            return messagesFromArray(*doc);
        return messagesFromObject(*doc);
    } catch (const json::exception &) {
        // Shapes the checks above did not foresee: show the payload as it is instead.
        return std::nullopt;
    }
}

ChatMessage plainTextMessage(ChatRole role, std::string text)
{
    ChatMessage msg;
    msg.role = role;
    msg.roleName = std::string(roleLabel(role));
    msg.parts.push_back(textPart(std::move(text)));
    return msg;
}

std::string prettyJson(std::string_view text, bool *isJson)
{
    if (isJson)
        *isJson = false;
    const auto doc = parseJson(text);
    if (!doc)
        return std::string(text);
    if (isJson)
        *isJson = true;
    return dumpPretty(*doc);
}

std::string_view roleLabel(ChatRole role)
{
    switch (role) {
    case ChatRole::System: return "system";
    case ChatRole::User: return "user";
    case ChatRole::Assistant: return "assistant";
    case ChatRole::Tool: return "tool";
    case ChatRole::Other: break;
    }
    return "other";
}

std::string describeMessages(const std::vector<ChatMessage> &messages)
{
    std::string out;
    for (const auto &m : messages) {
        std::string head(roleLabel(m.role));
        if (!m.name.empty())
            head += '(' + m.name + ')';
        if (!m.finishReason.empty())
            head += '[' + m.finishReason + ']';
        if (m.parts.empty())
            out += head + ": (empty)\n";
        for (const auto &p : m.parts) {
            out += head + ": ";
            switch (p.kind) {
            case ChatPart::Kind::Text: out += "text "; break;
            case ChatPart::Kind::Reasoning: out += "reasoning "; break;
            case ChatPart::Kind::ToolCall: out += "tool_call " + p.name + '#' + p.id + ' '; break;
            case ChatPart::Kind::ToolResult: out += "tool_result " + p.name + '#' + p.id + ' '; break;
            case ChatPart::Kind::Data: out += "data "; break;
            }
            appendCompact(out, p.text, p.isJson);
            out += '\n';
        }
    }
    return out;
}

} // namespace agentops::ui

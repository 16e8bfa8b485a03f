// SPDX-License-Identifier: MIT
#include "core/normalizer.h"

#include "core/failures.h"
#include "core/spanjson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <span>
#include <unordered_map>

namespace agentops::core {

namespace {

// Every attribute key the normalizer reads. One pass over a span's attributes fills one pointer per
// slot (first occurrence wins, as findAttribute does); the field tables below are then plain
// precedence lists of slots, so no key is searched for twice.
enum Slot : std::uint8_t {
    // kind
    OiSpanKind,
    GenAiOperationName,
    TraceloopSpanKind,
    LlmRequestType,
    AiOperationId,
    // models and provider
    GenAiRequestModel,
    GenAiResponseModel,
    LlmModelName,
    AiModelId,
    AiResponseModel,
    GenAiProviderName,
    GenAiSystem,
    LlmProvider,
    LlmSystem,
    AiModelProvider,
    // names
    GenAiAgentName,
    OiAgentName,
    GenAiToolName,
    OiToolName,
    AiToolCallName,
    TraceloopEntityName,
    AiTelemetryFunctionId,
    // tokens
    GenAiInputTokens,
    GenAiPromptTokens,
    OiTokenPrompt,
    AiInputTokens,
    AiPromptTokens,
    AiUsageTokens,
    GenAiOutputTokens,
    GenAiCompletionTokens,
    OiTokenCompletion,
    AiOutputTokens,
    AiCompletionTokens,
    GenAiTotalTokens,
    LlmUsageTotalTokens,
    OiTokenTotal,
    AiTotalTokens,
    GenAiCacheReadInputTokens,
    GenAiCacheReadInputTokensOld,
    GenAiInputTokensCached,
    OiCacheRead,
    OiCacheInput,
    AiCachedInputTokens,
    AiInputDetailsCacheRead,
    GenAiCacheCreationInputTokens,
    GenAiCacheCreationInputTokensOld,
    GenAiInputTokensCacheWrite,
    OiCacheWrite,
    AiInputDetailsCacheWrite,
    AiInputDetailsNoCache,
    GenAiReasoningOutputTokens,
    GenAiReasoningTokens,
    GenAiOutputTokensReasoning,
    OiReasoning,
    AiReasoningTokens,
    AiOutputDetailsReasoning,
    // payloads
    OiInputValue,
    OiOutputValue,
    GenAiInputMessages,
    GenAiOutputMessages,
    GenAiSystemInstructions,
    GenAiToolCallArguments,
    GenAiToolCallResult,
    AdkLlmRequest,
    AdkLlmResponse,
    AdkToolCallArgs,
    AdkToolResponse,
    TraceloopEntityInput,
    TraceloopEntityOutput,
    AiPrompt,
    AiPromptMessages,
    AiResponseText,
    AiResponseObject,
    AiResponseToolCalls,
    AiToolCallArgs,
    AiToolCallResult,
    AiValue,
    AiValues,
    // session and user
    SessionId,
    GenAiConversationId,
    AdkSessionId,
    TraceloopSessionId,
    AiMetaSessionId,
    AiMetaSessionIdSnake,
    UserId,
    EndUserId,
    TraceloopUserId,
    AiMetaUserId,
    AiMetaUserIdSnake,
    // failures
    ErrorType,
    SlotCount
};

struct KeySlot
{
    std::string_view key;
    Slot slot;
};

constexpr auto kKeys = [] {
    auto table = std::to_array<KeySlot>({
        { "openinference.span.kind", OiSpanKind },
        { "gen_ai.operation.name", GenAiOperationName },
        { "traceloop.span.kind", TraceloopSpanKind },
        { "llm.request.type", LlmRequestType },
        { "ai.operationId", AiOperationId },
        { "gen_ai.request.model", GenAiRequestModel },
        { "gen_ai.response.model", GenAiResponseModel },
        { "llm.model_name", LlmModelName },
        { "ai.model.id", AiModelId },
        { "ai.response.model", AiResponseModel },
        { "gen_ai.provider.name", GenAiProviderName },
        { "gen_ai.system", GenAiSystem },
        { "llm.provider", LlmProvider },
        { "llm.system", LlmSystem },
        { "ai.model.provider", AiModelProvider },
        { "gen_ai.agent.name", GenAiAgentName },
        { "agent.name", OiAgentName },
        { "gen_ai.tool.name", GenAiToolName },
        { "tool.name", OiToolName },
        { "ai.toolCall.name", AiToolCallName },
        { "traceloop.entity.name", TraceloopEntityName },
        { "ai.telemetry.functionId", AiTelemetryFunctionId },
        { "gen_ai.usage.input_tokens", GenAiInputTokens },
        { "gen_ai.usage.prompt_tokens", GenAiPromptTokens },
        { "llm.token_count.prompt", OiTokenPrompt },
        { "ai.usage.inputTokens", AiInputTokens },
        { "ai.usage.promptTokens", AiPromptTokens },
        { "ai.usage.tokens", AiUsageTokens },
        { "gen_ai.usage.output_tokens", GenAiOutputTokens },
        { "gen_ai.usage.completion_tokens", GenAiCompletionTokens },
        { "llm.token_count.completion", OiTokenCompletion },
        { "ai.usage.outputTokens", AiOutputTokens },
        { "ai.usage.completionTokens", AiCompletionTokens },
        { "gen_ai.usage.total_tokens", GenAiTotalTokens },
        { "llm.usage.total_tokens", LlmUsageTotalTokens },
        { "llm.token_count.total", OiTokenTotal },
        { "ai.usage.totalTokens", AiTotalTokens },
        { "gen_ai.usage.cache_read.input_tokens", GenAiCacheReadInputTokens },
        { "gen_ai.usage.cache_read_input_tokens", GenAiCacheReadInputTokensOld },
        { "gen_ai.usage.input_tokens.cached", GenAiInputTokensCached },
        { "llm.token_count.prompt_details.cache_read", OiCacheRead },
        { "llm.token_count.prompt_details.cache_input", OiCacheInput },
        { "ai.usage.cachedInputTokens", AiCachedInputTokens },
        { "ai.usage.inputTokenDetails.cacheReadTokens", AiInputDetailsCacheRead },
        { "gen_ai.usage.cache_creation.input_tokens", GenAiCacheCreationInputTokens },
        { "gen_ai.usage.cache_creation_input_tokens", GenAiCacheCreationInputTokensOld },
        { "gen_ai.usage.input_tokens.cache_write", GenAiInputTokensCacheWrite },
        { "llm.token_count.prompt_details.cache_write", OiCacheWrite },
        { "ai.usage.inputTokenDetails.cacheWriteTokens", AiInputDetailsCacheWrite },
        { "ai.usage.inputTokenDetails.noCacheTokens", AiInputDetailsNoCache },
        { "gen_ai.usage.reasoning.output_tokens", GenAiReasoningOutputTokens },
        { "gen_ai.usage.reasoning_tokens", GenAiReasoningTokens },
        { "gen_ai.usage.output_tokens.reasoning", GenAiOutputTokensReasoning },
        { "llm.token_count.completion_details.reasoning", OiReasoning },
        { "ai.usage.reasoningTokens", AiReasoningTokens },
        { "ai.usage.outputTokenDetails.reasoningTokens", AiOutputDetailsReasoning },
        { "input.value", OiInputValue },
        { "output.value", OiOutputValue },
        { "gen_ai.input.messages", GenAiInputMessages },
        { "gen_ai.output.messages", GenAiOutputMessages },
        { "gen_ai.system_instructions", GenAiSystemInstructions },
        { "gen_ai.tool.call.arguments", GenAiToolCallArguments },
        { "gen_ai.tool.call.result", GenAiToolCallResult },
        { "gcp.vertex.agent.llm_request", AdkLlmRequest },
        { "gcp.vertex.agent.llm_response", AdkLlmResponse },
        { "gcp.vertex.agent.tool_call_args", AdkToolCallArgs },
        { "gcp.vertex.agent.tool_response", AdkToolResponse },
        { "traceloop.entity.input", TraceloopEntityInput },
        { "traceloop.entity.output", TraceloopEntityOutput },
        { "ai.prompt", AiPrompt },
        { "ai.prompt.messages", AiPromptMessages },
        { "ai.response.text", AiResponseText },
        { "ai.response.object", AiResponseObject },
        { "ai.response.toolCalls", AiResponseToolCalls },
        { "ai.toolCall.args", AiToolCallArgs },
        { "ai.toolCall.result", AiToolCallResult },
        { "ai.value", AiValue },
        { "ai.values", AiValues },
        { "session.id", SessionId },
        { "gen_ai.conversation.id", GenAiConversationId },
        { "gcp.vertex.agent.session_id", AdkSessionId },
        { "traceloop.association.properties.session_id", TraceloopSessionId },
        { "ai.telemetry.metadata.sessionId", AiMetaSessionId },
        { "ai.telemetry.metadata.session_id", AiMetaSessionIdSnake },
        { "user.id", UserId },
        { "enduser.id", EndUserId },
        { "traceloop.association.properties.user_id", TraceloopUserId },
        { "ai.telemetry.metadata.userId", AiMetaUserId },
        { "ai.telemetry.metadata.user_id", AiMetaUserIdSnake },
        { "error.type", ErrorType },
    });
    std::ranges::sort(table, {}, &KeySlot::key);
    return table;
}();
static_assert(kKeys.size() == SlotCount, "one key per slot");

// Precedence lists, first present wins (DESIGN.md, "Semantic conventions to understand").
constexpr Slot kRequestModel[] = { GenAiRequestModel, LlmModelName, AiModelId };
constexpr Slot kResponseModel[] = { GenAiResponseModel, AiResponseModel };
// The AI SDK's embedding calls report one count, ai.usage.tokens: input tokens.
constexpr Slot kInputTokens[]
    = { GenAiInputTokens, GenAiPromptTokens, OiTokenPrompt, AiInputTokens, AiPromptTokens, AiUsageTokens };
constexpr Slot kOutputTokens[]
    = { GenAiOutputTokens, GenAiCompletionTokens, OiTokenCompletion, AiOutputTokens, AiCompletionTokens };
constexpr Slot kTotalTokens[] = { GenAiTotalTokens, LlmUsageTotalTokens, OiTokenTotal, AiTotalTokens };
constexpr Slot kCacheReadTokens[] = { GenAiCacheReadInputTokens, GenAiCacheReadInputTokensOld, GenAiInputTokensCached,
    OiCacheRead, OiCacheInput, AiInputDetailsCacheRead, AiCachedInputTokens };
constexpr Slot kCacheWriteTokens[] = { GenAiCacheCreationInputTokens, GenAiCacheCreationInputTokensOld,
    GenAiInputTokensCacheWrite, OiCacheWrite, AiInputDetailsCacheWrite };
constexpr Slot kReasoningTokens[] = { GenAiReasoningOutputTokens, GenAiReasoningTokens, GenAiOutputTokensReasoning,
    OiReasoning, AiOutputDetailsReasoning, AiReasoningTokens };
constexpr Slot kSession[]
    = { SessionId, GenAiConversationId, AdkSessionId, TraceloopSessionId, AiMetaSessionId, AiMetaSessionIdSnake };
constexpr Slot kUser[] = { UserId, EndUserId, TraceloopUserId, AiMetaUserId, AiMetaUserIdSnake };

// Message lists flattened into one attribute per field, rebuilt into JSON arrays when needed.
struct IndexedFamily
{
    std::string_view prefix;
    bool openInference; ///< OpenInference wraps fields in "message." / "tool_call." / "message_content."
};
constexpr IndexedFamily kGenAiPrompt { "gen_ai.prompt.", false };
constexpr IndexedFamily kGenAiCompletion { "gen_ai.completion.", false };
constexpr IndexedFamily kOiInputMessages { "llm.input_messages.", true };
constexpr IndexedFamily kOiOutputMessages { "llm.output_messages.", true };

struct Lookup
{
    std::array<const AttrValue *, SlotCount> at {};
    // Only filled when a span carries flattened messages; empty vectors do not allocate.
    std::vector<const Attribute *> genAiPrompt;
    std::vector<const Attribute *> genAiCompletion;
    std::vector<const Attribute *> oiInput;
    std::vector<const Attribute *> oiOutput;

    const AttrValue *operator[](Slot s) const { return at[s]; }
};

/// The slot of every known key: one hash and one comparison per attribute (a binary search over
/// the sorted table took ~7 comparisons, and most attributes of a span are not in it).
const std::unordered_map<std::string_view, Slot> &slotsByKey()
{
    static const auto map = [] {
        std::unordered_map<std::string_view, Slot> m;
        m.reserve(kKeys.size() * 2);
        for (const auto &k : kKeys)
            m.emplace(k.key, k.slot);
        return m;
    }();
    return map;
}

Lookup buildLookup(const Attributes &attrs)
{
    Lookup lookup;
    const auto &slots = slotsByKey();
    for (const auto &a : attrs) {
        const std::string_view key = a.key;
        if (auto it = slots.find(key); it != slots.end()) {
            if (!lookup.at[it->second])
                lookup.at[it->second] = &a.value;
            continue;
        }
        if (key.starts_with(kGenAiPrompt.prefix))
            lookup.genAiPrompt.push_back(&a);
        else if (key.starts_with(kGenAiCompletion.prefix))
            lookup.genAiCompletion.push_back(&a);
        else if (key.starts_with(kOiInputMessages.prefix))
            lookup.oiInput.push_back(&a);
        else if (key.starts_with(kOiOutputMessages.prefix))
            lookup.oiOutput.push_back(&a);
    }
    return lookup;
}

// Text of string-like values without a copy; numbers and booleans are never names or payloads here.
std::string_view textOf(const AttrValue *v)
{
    if (!v)
        return {};
    switch (v->type) {
    case AttrValue::Type::String:
    case AttrValue::Type::Json:
    case AttrValue::Type::Bytes: return v->s;
    default: return {};
    }
}

// ADK writes "{}" into the llm_* attributes of tool spans (and into every payload when content capture
// is off): that is "nothing", not a payload.
bool isEmptyPayload(std::string_view s)
{
    s = trimWhitespace(s);
    return s.empty() || s == "{}" || s == "null";
}

// ---------------------------------------------------------------------------------------------------
// kind

std::optional<SpanKind> kindFromOpenInference(std::string_view v)
{
    static constexpr std::pair<std::string_view, SpanKind> table[] = {
        { "LLM", SpanKind::Llm }, { "CHAIN", SpanKind::Chain }, { "TOOL", SpanKind::Tool },
        { "AGENT", SpanKind::Agent }, { "RETRIEVER", SpanKind::Retriever },
        { "RERANKER", SpanKind::Retriever }, // reranking is a retrieval step; there is no kind of its own
        { "EMBEDDING", SpanKind::Embedding }, { "GUARDRAIL", SpanKind::Guardrail },
        { "EVALUATOR", SpanKind::Evaluator },
        { "PROMPT", SpanKind::Chain }, // prompt templating: a step of a chain, not a model call
    };
    for (const auto &[name, kind] : table)
        if (equalsNoCase(v, name))
            return kind;
    return std::nullopt;
}

std::optional<SpanKind> kindFromOperation(std::string_view v)
{
    static constexpr std::pair<std::string_view, SpanKind> table[] = {
        { "chat", SpanKind::Llm },
        { "generate_content", SpanKind::Llm },
        { "text_completion", SpanKind::Llm },
        { "embeddings", SpanKind::Embedding },
        { "execute_tool", SpanKind::Tool },
        { "invoke_agent", SpanKind::Agent },
        { "create_agent", SpanKind::Agent },
    };
    for (const auto &[name, kind] : table)
        if (v == name)
            return kind;
    return std::nullopt;
}

// Span names "<operation> <subject>" as OTel GenAI and Google ADK write them.
std::string_view nameSubject(std::string_view name, std::string_view operation)
{
    if (name.size() > operation.size() + 1 && name.starts_with(operation) && name[operation.size()] == ' ')
        return trimWhitespace(name.substr(operation.size() + 1));
    return {};
}

// Older ADK versions name agent spans "agent_run [name]".
std::string_view adkAgentRunName(std::string_view name)
{
    auto subject = nameSubject(name, "agent_run");
    if (subject.size() >= 2 && subject.front() == '[' && subject.back() == ']')
        subject = subject.substr(1, subject.size() - 2);
    return subject;
}

std::optional<SpanKind> kindFromSpanName(std::string_view name)
{
    if (name == "call_llm")
        return SpanKind::Llm;
    if (name == "invoke_agent" || !nameSubject(name, "invoke_agent").empty() || !adkAgentRunName(name).empty())
        return SpanKind::Agent;
    if (name == "execute_tool" || !nameSubject(name, "execute_tool").empty())
        return SpanKind::Tool;
    // ADK's runner opens "invocation" around a whole turn; the agents that run inside it get
    // "invoke_agent" children of their own, so calling the wrapper an agent would count every agent
    // twice. It orchestrates, hence chain.
    if (name == "invocation")
        return SpanKind::Chain;
    return std::nullopt;
}

std::optional<SpanKind> kindFromTraceloop(std::string_view v)
{
    if (v == "workflow" || v == "task")
        return SpanKind::Chain;
    if (v == "agent")
        return SpanKind::Agent;
    if (v == "tool")
        return SpanKind::Tool;
    return std::nullopt;
}

// OpenLLMetry's model-call spans carry llm.request.type instead of a traceloop.span.kind.
std::optional<SpanKind> kindFromLlmRequestType(std::string_view v)
{
    if (v == "chat" || v == "completion")
        return SpanKind::Llm;
    if (v == "embedding")
        return SpanKind::Embedding;
    if (v == "rerank")
        return SpanKind::Retriever;
    return std::nullopt;
}

std::optional<SpanKind> kindFromVercel(std::string_view op)
{
    if (!op.starts_with("ai."))
        return std::nullopt;
    if (op.ends_with(".doGenerate") || op.ends_with(".doStream"))
        return SpanKind::Llm;
    if (op.ends_with(".doEmbed"))
        return SpanKind::Embedding;
    // ai.embed and ai.embedMany wrap their doEmbed calls and repeat their usage: a chain, like
    // OpenInference's processor calls them, so that the calls are counted once (core/usage.h).
    if (op == "ai.embed" || op == "ai.embedMany")
        return SpanKind::Chain;
    if (op == "ai.toolCall")
        return SpanKind::Tool;
    // The outer calls loop over model steps and tool calls: that is what an agent run is.
    if (op == "ai.generateText" || op == "ai.streamText" || op == "ai.generateObject" || op == "ai.streamObject")
        return SpanKind::Agent;
    return std::nullopt;
}

bool isVercelSpan(const Lookup &l, std::string_view name)
{
    return l[AiOperationId] || name.starts_with("ai.");
}

std::string_view vercelOperation(const Lookup &l, std::string_view name)
{
    // ai.operationId names the operation even when a telemetry functionId renamed the span.
    auto op = textOf(l[AiOperationId]);
    return op.empty() ? name : op;
}

SpanKind deriveKind(const Lookup &l, std::string_view name)
{
    if (auto k = kindFromOpenInference(textOf(l[OiSpanKind])))
        return *k;
    if (auto k = kindFromOperation(textOf(l[GenAiOperationName])))
        return *k;
    if (auto k = kindFromSpanName(name))
        return *k;
    if (auto k = kindFromTraceloop(textOf(l[TraceloopSpanKind])))
        return *k;
    if (auto k = kindFromLlmRequestType(textOf(l[LlmRequestType])))
        return *k;
    if (isVercelSpan(l, name)) {
        if (auto k = kindFromVercel(vercelOperation(l, name)))
            return *k;
    }
    // Older OTel GenAI instrumentations set no operation name, but a requested model only appears on
    // model calls.
    if (!textOf(l[GenAiRequestModel]).empty())
        return SpanKind::Llm;
    return SpanKind::Other;
}

// ---------------------------------------------------------------------------------------------------
// provider

// ADK puts its own name in gen_ai.system; the model name says who serves it. Gemini models are
// Google's, whether through AI Studio or Vertex (which of the two is not on the span, so the neutral
// "google"); ADK's LiteLLM wrapper uses "provider/model" names.
std::string providerFromModel(std::string_view model)
{
    if (model.empty())
        return {};
    const auto slash = model.find('/');
    if (slash != std::string_view::npos && slash > 0)
        return asciiLower(model.substr(0, slash));
    const std::string m = asciiLower(model);
    if (m.starts_with("gemini") || m.starts_with("gemma"))
        return "google";
    if (m.starts_with("claude"))
        return "anthropic";
    if (m.starts_with("gpt-") || m.starts_with("o1") || m.starts_with("o3") || m.starts_with("o4"))
        return "openai";
    return {};
}

std::string deriveProvider(const Lookup &l, const Span &span)
{
    for (Slot s : { GenAiProviderName, GenAiSystem }) {
        auto v = trimWhitespace(textOf(l[s]));
        if (v.empty())
            continue;
        if (equalsNoCase(v, "gcp.vertex.agent")) {
            if (auto p = providerFromModel(span.model()); !p.empty())
                return p;
            continue;
        }
        // Semconv values are lower-case ids already; older instrumentations write "Anthropic", "OpenAI".
        return asciiLower(v);
    }
    for (Slot s : { LlmProvider, LlmSystem }) {
        if (auto v = trimWhitespace(textOf(l[s])); !v.empty())
            return asciiLower(v);
    }
    // The AI SDK names the provider with its API: "openai.chat", "anthropic.messages", "google.generative-ai".
    if (auto v = trimWhitespace(textOf(l[AiModelProvider])); !v.empty())
        return asciiLower(v.substr(0, v.find('.')));
    return {};
}

// ---------------------------------------------------------------------------------------------------
// tokens

std::optional<std::int64_t> firstInt(const Lookup &l, std::span<const Slot> slots, Slot *which = nullptr)
{
    for (Slot s : slots) {
        if (const auto *v = l[s]) {
            if (auto n = v->asInt(); n && *n >= 0) {
                if (which)
                    *which = s;
                return n;
            }
        }
    }
    return std::nullopt;
}

// A tiny reader for the few numbers needed out of ADK's llm_response JSON: walks the top level of an
// object without building a document, since the payload can be large and only a handful of integers
// matter.
class JsonScan
{
public:
    explicit JsonScan(std::string_view text)
        : m_text(text)
    { }

    /// The raw text of the value of key in the top-level object, or empty.
    std::string_view member(std::string_view key) const
    {
        std::size_t p = skipWs(0);
        if (p >= m_text.size() || m_text[p] != '{')
            return {};
        p = skipWs(p + 1);
        while (p < m_text.size() && m_text[p] == '"') {
            const std::size_t keyEnd = skipString(p);
            if (keyEnd == std::string_view::npos)
                return {};
            const std::string_view k = m_text.substr(p + 1, keyEnd - p - 2);
            p = skipWs(keyEnd);
            if (p >= m_text.size() || m_text[p] != ':')
                return {};
            p = skipWs(p + 1);
            const std::size_t valueEnd = skipValue(p);
            if (valueEnd == std::string_view::npos)
                return {};
            if (k == key)
                return m_text.substr(p, valueEnd - p);
            p = skipWs(valueEnd);
            if (p < m_text.size() && m_text[p] == ',')
                p = skipWs(p + 1);
        }
        return {};
    }

    std::optional<std::int64_t> intMember(std::string_view key) const
    {
        const auto raw = member(key);
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
        if (raw.empty() || ec != std::errc() || end != raw.data() + raw.size() || v < 0)
            return std::nullopt;
        return v;
    }

    /// A string member without escapes (model ids), else empty.
    std::string_view plainStringMember(std::string_view key) const
    {
        const auto raw = member(key);
        if (raw.size() < 2 || raw.front() != '"' || raw.find('\\') != std::string_view::npos)
            return {};
        return raw.substr(1, raw.size() - 2);
    }

private:
    std::size_t skipWs(std::size_t p) const
    {
        while (p < m_text.size() && (m_text[p] == ' ' || m_text[p] == '\n' || m_text[p] == '\r' || m_text[p] == '\t'))
            ++p;
        return p;
    }
    // p at the opening quote; returns one past the closing quote.
    std::size_t skipString(std::size_t p) const
    {
        for (++p; p < m_text.size(); ++p) {
            if (m_text[p] == '\\')
                ++p;
            else if (m_text[p] == '"')
                return p + 1;
        }
        return std::string_view::npos;
    }
    std::size_t skipValue(std::size_t p) const
    {
        if (p >= m_text.size())
            return std::string_view::npos;
        if (m_text[p] == '"')
            return skipString(p);
        if (m_text[p] == '{' || m_text[p] == '[') {
            int depth = 0;
            while (p < m_text.size()) {
                const char c = m_text[p];
                if (c == '"') {
                    p = skipString(p);
                    if (p == std::string_view::npos)
                        return p;
                    continue;
                }
                if (c == '{' || c == '[')
                    ++depth;
                else if ((c == '}' || c == ']') && --depth == 0)
                    return p + 1;
                ++p;
            }
            return std::string_view::npos;
        }
        while (p < m_text.size() && m_text[p] != ',' && m_text[p] != '}' && m_text[p] != ']' && m_text[p] != ' '
            && m_text[p] != '\n' && m_text[p] != '\r' && m_text[p] != '\t')
            ++p;
        return p;
    }

    std::string_view m_text;
};

struct ReportedTokens
{
    std::optional<std::int64_t> input, output, total, cacheRead, cacheWrite, reasoning;
    bool inputExcludesCache = false; ///< known from the producer, not guessed from the numbers
    bool outputExcludesReasoning = false; ///< likewise
};

// Gemini usage (ADK's llm_response): promptTokenCount includes cachedContentTokenCount, but
// candidatesTokenCount does not include thoughtsTokenCount (total = prompt + candidates + thoughts
// + tool-use prompt). ADK copies only prompt and candidates into gen_ai.usage.*, so the rest is read
// from the response JSON.
void readAdkUsage(std::string_view llmResponse, ReportedTokens &t)
{
    const auto usage = JsonScan(llmResponse).member("usage_metadata");
    const JsonScan u(usage.empty() ? JsonScan(llmResponse).member("usageMetadata") : usage);
    const auto prompt = u.intMember("prompt_token_count");
    const auto candidates = u.intMember("candidates_token_count");
    const auto total = u.intMember("total_token_count");
    const auto cached = u.intMember("cached_content_token_count");
    const auto thoughts = u.intMember("thoughts_token_count");

    if (!t.input)
        t.input = prompt;
    const bool outputIsCandidates = !t.output || (candidates && *t.output == *candidates);
    if (!t.output)
        t.output = candidates;
    if (!t.total)
        t.total = total;
    if (!t.cacheRead)
        t.cacheRead = cached;
    if (!t.reasoning)
        t.reasoning = thoughts;
    if (outputIsCandidates && t.output && thoughts)
        t.outputExcludesReasoning = true;
}

bool containsNoCase(std::string_view hay, std::string_view needle)
{
    if (needle.size() > hay.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
        if (equalsNoCase(hay.substr(i, needle.size()), needle))
            return true;
    return false;
}

ReportedTokens readTokens(const Lookup &l)
{
    ReportedTokens t;
    Slot inputSlot = SlotCount;
    t.input = firstInt(l, kInputTokens, &inputSlot);
    t.output = firstInt(l, kOutputTokens);
    t.total = firstInt(l, kTotalTokens);
    t.cacheRead = firstInt(l, kCacheReadTokens);
    t.cacheWrite = firstInt(l, kCacheWriteTokens);
    t.reasoning = firstInt(l, kReasoningTokens);

    // AI SDK 6 reports inputTokens as the cache-inclusive total and adds inputTokenDetails.*. Before
    // that, inputTokens was whatever the provider package passed through, and the Anthropic package
    // passed Anthropic's input_tokens, which leaves out cache reads and writes.
    if ((inputSlot == AiInputTokens || inputSlot == AiPromptTokens) && !l[AiInputDetailsCacheRead]
        && !l[AiInputDetailsCacheWrite] && !l[AiInputDetailsNoCache]
        && containsNoCase(textOf(l[AiModelProvider]), "anthropic"))
        t.inputExcludesCache = true;

    if (auto r = textOf(l[AdkLlmResponse]); !isEmptyPayload(r))
        readAdkUsage(r, t);
    return t;
}

// Canonical usage: input includes cache reads and writes, output includes reasoning.
//
// The current OTel GenAI conventions say cache_read.input_tokens and cache_creation.input_tokens
// "SHOULD be included in gen_ai.usage.input_tokens", and both Anthropic instrumentations in use (the
// OTel contrib one and OpenLLMetry's) add Anthropic's separate cache counts into input_tokens before
// reporting. OpenAI, Gemini, OpenInference and the AI SDK report cache-inclusive input too. So no
// provider name makes input exclusive by itself: a count is taken as inclusive unless
//  - the producer is known to exclude it (AI SDK <= 5 with Anthropic; Gemini's thoughts), or
//  - it cannot be inclusive: the cached part is larger than the whole, or
//  - the reported total only adds up with the parts added on top.
// Adding only on evidence keeps a count from ever being doubled.
TokenUsage canonicalTokens(const ReportedTokens &r)
{
    TokenUsage u;
    u.cache_read = r.cacheRead;
    u.cache_write = r.cacheWrite;
    u.reasoning = r.reasoning;
    u.input = r.input;
    u.output = r.output;
    u.total = r.total;

    const std::int64_t cache = r.cacheRead.value_or(0) + r.cacheWrite.value_or(0);
    const std::int64_t reasoning = r.reasoning.value_or(0);
    bool addCache = r.input && cache > 0 && (r.inputExcludesCache || cache > *r.input);
    bool addReasoning = r.output && reasoning > 0 && (r.outputExcludesReasoning || reasoning > *r.output);

    if (r.input && r.output && r.total && !addCache && !addReasoning) {
        const std::int64_t base = *r.input + *r.output;
        if (*r.total != base) {
            if (cache > 0 && reasoning > 0 && *r.total == base + cache + reasoning) {
                addCache = addReasoning = true;
            } else if (cache > 0 && *r.total == base + cache && reasoning != cache) {
                addCache = true;
            } else if (reasoning > 0 && *r.total == base + reasoning && reasoning != cache) {
                addReasoning = true;
            }
        }
    }

    if (addCache)
        u.input = *r.input + cache;
    if (addReasoning)
        u.output = *r.output + reasoning;

    if (u.input && u.output) {
        // A reported total that was the sum of the exclusive parts is as stale as they were; any
        // other reported total (Gemini adds tool-use prompt tokens, for one) is the producer's word.
        if (!u.total || (r.input && r.output && *u.total == *r.input + *r.output))
            u.total = *u.input + *u.output;
    }
    return u;
}

// ---------------------------------------------------------------------------------------------------
// payloads

using nlohmann::json;

json toJson(const AttrValue &v)
{
    switch (v.type) {
    case AttrValue::Type::String:
    case AttrValue::Type::Bytes: return v.s;
    case AttrValue::Type::Bool: return v.b;
    case AttrValue::Type::Int: return v.i;
    case AttrValue::Type::Double: return v.d;
    case AttrValue::Type::Json: {
        auto parsed = json::parse(v.s, nullptr, false);
        return parsed.is_discarded() ? json(v.s) : parsed;
    }
    case AttrValue::Type::Empty: break;
    }
    return nullptr;
}

std::string dumpJson(const json &j)
{
    // Attribute text is not guaranteed UTF-8; a payload must not be lost over one bad byte.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::size_t> parseIndex(std::string_view s)
{
    std::size_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

// Sets value at a dotted path below node; numeric parts index arrays. Returns false when the path
// runs into a value of another shape (the attribute is then left out of the rebuilt message).
bool setPath(json &node, std::string_view path, json value, bool openInference)
{
    // Nested arrays in these conventions are small (tool calls, content parts): a larger index is
    // either a mistake or an attack on memory, and is kept as an object key instead.
    constexpr std::size_t maxArrayIndex = 1024;
    json *cur = &node;
    bool afterIndex = false;
    bool first = true;
    while (!path.empty()) {
        const auto dot = path.find('.');
        const std::string_view part = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
        // OpenInference wraps each message and each list element in its type name.
        if (openInference && !path.empty()
            && ((first && part == "message") || (afterIndex && (part == "tool_call" || part == "message_content")))) {
            first = false;
            afterIndex = false;
            continue;
        }
        first = false;
        const auto index = parseIndex(part);
        if (index && *index < maxArrayIndex && (cur->is_null() || cur->is_array())) {
            if (cur->is_null())
                *cur = json::array();
            while (cur->size() <= *index)
                cur->push_back(nullptr);
            cur = &(*cur)[*index];
            afterIndex = true;
            continue;
        }
        if (cur->is_null())
            *cur = json::object();
        if (!cur->is_object())
            return false;
        cur = &(*cur)[std::string(part)];
        afterIndex = false;
    }
    if (!cur->is_null() && !cur->is_object())
        return false;
    *cur = std::move(value);
    return true;
}

// gen_ai.prompt.0.role=user, gen_ai.prompt.0.content=... -> [{"role":"user","content":"..."}], in
// index order (the attributes themselves come in any order).
std::string rebuildIndexedMessages(const std::vector<const Attribute *> &attrs, const IndexedFamily &family)
{
    if (attrs.empty())
        return {};
    struct Entry
    {
        std::size_t index;
        std::string_view path;
        const AttrValue *value;
    };
    std::vector<Entry> entries;
    entries.reserve(attrs.size());
    for (const auto *a : attrs) {
        std::string_view rest = std::string_view(a->key).substr(family.prefix.size());
        const auto dot = rest.find('.');
        if (dot == std::string_view::npos)
            continue;
        const auto index = parseIndex(rest.substr(0, dot));
        if (!index)
            continue;
        entries.push_back({ *index, rest.substr(dot + 1), &a->value });
    }
    if (entries.empty())
        return {};
    std::ranges::stable_sort(entries, {}, &Entry::index);

    json messages = json::array();
    std::size_t current = entries.front().index;
    json message = json::object();
    for (const auto &e : entries) {
        if (e.index != current) {
            messages.push_back(std::move(message));
            message = json::object();
            current = e.index;
        }
        setPath(message, e.path, toJson(*e.value), family.openInference);
    }
    messages.push_back(std::move(message));
    return dumpJson(messages);
}

std::string_view roleOfEvent(std::string_view name)
{
    if (name == "gen_ai.system.message")
        return "system";
    if (name == "gen_ai.user.message")
        return "user";
    if (name == "gen_ai.assistant.message")
        return "assistant";
    if (name == "gen_ai.tool.message")
        return "tool";
    return {};
}

void mergeObject(json &into, const json &from)
{
    for (auto it = from.begin(); it != from.end(); ++it)
        into[it.key()] = it.value();
}

// One message out of an older-convention event. The body (log-record events keep their fields there)
// or the attributes carry content, tool_calls, id; gen_ai.choice nests the message under "message".
json eventMessage(const SpanEvent &event, std::string_view role)
{
    json msg = json::object();
    msg["role"] = std::string(role);
    for (const auto &a : event.attributes) {
        if (a.key == "gen_ai.system" || a.key == "gen_ai.provider.name" || a.key == "event.name")
            continue;
        json value = toJson(a.value);
        if ((a.key == "body" || a.key == "message") && value.is_object()) {
            if (value.contains("message") && value["message"].is_object()) {
                json inner = std::move(value["message"]);
                value.erase("message");
                mergeObject(msg, value);
                mergeObject(msg, inner);
            } else {
                mergeObject(msg, value);
            }
            continue;
        }
        msg[a.key == "body" ? std::string("content") : a.key] = std::move(value);
    }
    return msg;
}

struct EventPayloads
{
    std::string input;
    std::string output;
};

EventPayloads rebuildEventMessages(const std::vector<SpanEvent> &events, bool wantInput, bool wantOutput)
{
    EventPayloads out;
    json input = json::array();
    json output = json::array();
    for (const auto &e : events) {
        if (!e.name.starts_with("gen_ai."))
            continue;
        // The 1.26-era events carry the whole prompt or completion as one JSON attribute.
        if (e.name == "gen_ai.content.prompt" && wantInput && out.input.empty()) {
            if (const auto *v = findAttribute(e.attributes, "gen_ai.prompt"))
                out.input = v->asText();
            continue;
        }
        if (e.name == "gen_ai.content.completion" && wantOutput && out.output.empty()) {
            if (const auto *v = findAttribute(e.attributes, "gen_ai.completion"))
                out.output = v->asText();
            continue;
        }
        if (auto role = roleOfEvent(e.name); !role.empty()) {
            if (wantInput)
                input.push_back(eventMessage(e, role));
        } else if (e.name == "gen_ai.choice" && wantOutput) {
            output.push_back(eventMessage(e, "assistant"));
        }
    }
    if (out.input.empty() && !input.empty())
        out.input = dumpJson(input);
    if (out.output.empty() && !output.empty())
        out.output = dumpJson(output);
    return out;
}

// gen_ai.system_instructions lives apart from gen_ai.input.messages; the input shown for a model call
// should still start with it, so it goes in front as a system message in the same parts format.
std::string withSystemInstructions(std::string_view messages, std::string_view instructions)
{
    messages = trimWhitespace(messages);
    instructions = trimWhitespace(instructions);
    if (instructions.empty())
        return std::string(messages);
    std::string parts;
    if (instructions.front() == '[') {
        parts = instructions;
    } else {
        parts = "[{\"type\":\"text\",\"content\":";
        appendJsonString(parts, instructions);
        parts += "}]";
    }
    std::string out = "[{\"role\":\"system\",\"parts\":" + parts + '}';
    if (messages.empty()) {
        out += ']';
        return out;
    }
    if (messages.front() != '[' || messages.back() != ']')
        return std::string(messages); // not a message array: show it as it came
    std::string_view rest = trimWhitespace(messages.substr(1));
    if (rest != "]")
        out += ',';
    out += rest;
    return out;
}

bool setFromText(std::string &field, std::string_view text)
{
    if (isEmptyPayload(text))
        return false;
    field.assign(text);
    return true;
}

bool setFromSlot(std::string &field, const Lookup &l, Slot s)
{
    const AttrValue *v = l[s];
    if (!v)
        return false;
    if (v->type == AttrValue::Type::String || v->type == AttrValue::Type::Json)
        return setFromText(field, v->s);
    return setFromText(field, v->asText());
}

bool setFromString(std::string &field, std::string value)
{
    if (isEmptyPayload(value))
        return false;
    field = std::move(value);
    return true;
}

void deriveInput(Span &span, const Lookup &l, EventPayloads &events, bool &eventsBuilt, SpanKind kind)
{
    std::string &in = span.input;
    if (setFromSlot(in, l, OiInputValue))
        return;
    if (setFromString(in, rebuildIndexedMessages(l.oiInput, kOiInputMessages)))
        return;
    if (const auto msgs = textOf(l[GenAiInputMessages]); !isEmptyPayload(msgs)) {
        in = withSystemInstructions(msgs, textOf(l[GenAiSystemInstructions]));
        return;
    }
    if (setFromSlot(in, l, GenAiSystemInstructions))
        return;
    if (setFromString(in, rebuildIndexedMessages(l.genAiPrompt, kGenAiPrompt)))
        return;
    if (!eventsBuilt) {
        events = rebuildEventMessages(span.events, true, span.output.empty());
        eventsBuilt = true;
    }
    if (setFromText(in, events.input))
        return;
    if (setFromSlot(in, l, GenAiToolCallArguments))
        return;
    // ADK's tool spans carry an empty llm_request next to the tool arguments.
    if (setFromSlot(in, l, AdkToolCallArgs) || setFromSlot(in, l, AdkLlmRequest))
        return;
    if (setFromSlot(in, l, TraceloopEntityInput))
        return;
    if (kind == SpanKind::Tool && setFromSlot(in, l, AiToolCallArgs))
        return;
    for (Slot s : { AiPromptMessages, AiPrompt, AiToolCallArgs, AiValue, AiValues })
        if (setFromSlot(in, l, s))
            return;
}

void deriveOutput(Span &span, const Lookup &l, EventPayloads &events, bool &eventsBuilt)
{
    std::string &out = span.output;
    if (setFromSlot(out, l, OiOutputValue))
        return;
    if (setFromString(out, rebuildIndexedMessages(l.oiOutput, kOiOutputMessages)))
        return;
    if (setFromSlot(out, l, GenAiOutputMessages))
        return;
    if (setFromString(out, rebuildIndexedMessages(l.genAiCompletion, kGenAiCompletion)))
        return;
    if (!eventsBuilt) {
        events = rebuildEventMessages(span.events, false, true);
        eventsBuilt = true;
    }
    if (setFromText(out, events.output))
        return;
    for (Slot s : { GenAiToolCallResult, AdkToolResponse, AdkLlmResponse, TraceloopEntityOutput, AiToolCallResult,
             AiResponseText, AiResponseObject, AiResponseToolCalls })
        if (setFromSlot(out, l, s))
            return;
}

// ---------------------------------------------------------------------------------------------------
// names, session, user

void setFirstText(std::string &field, const Lookup &l, std::span<const Slot> slots)
{
    if (!field.empty())
        return;
    for (Slot s : slots) {
        const AttrValue *v = l[s];
        if (!v)
            continue;
        if (v->type == AttrValue::Type::String) {
            if (auto t = trimWhitespace(v->s); !t.empty()) {
                field.assign(t);
                return;
            }
        } else if (v->type == AttrValue::Type::Int) {
            // Some producers send numeric user or session ids.
            field = v->asText();
            return;
        }
    }
}

void setName(std::string &field, std::string_view value)
{
    if (field.empty() && !value.empty())
        field.assign(value);
}

} // namespace

void normalizeSpan(Span &span)
{
    const Lookup l = buildLookup(span.attributes);
    const std::string_view name = span.name;

    if (span.kind == SpanKind::Other)
        span.kind = deriveKind(l, name);
    const SpanKind kind = span.kind;

    setFirstText(span.response_model, l, kResponseModel);
    setFirstText(span.request_model, l, kRequestModel);
    if (span.response_model.empty()) {
        // ADK's response JSON names the model version that answered.
        if (auto r = textOf(l[AdkLlmResponse]); !isEmptyPayload(r))
            span.response_model = JsonScan(r).plainStringMember("model_version");
    }
    if (span.provider.empty())
        span.provider = deriveProvider(l, span);

    if (span.agent_name.empty()) {
        setFirstText(span.agent_name, l, std::array { GenAiAgentName, OiAgentName });
        if (span.agent_name.empty()) {
            auto fromName = nameSubject(name, "invoke_agent");
            setName(span.agent_name, fromName.empty() ? adkAgentRunName(name) : fromName);
        }
        if (span.agent_name.empty() && textOf(l[TraceloopSpanKind]) == "agent")
            setName(span.agent_name, textOf(l[TraceloopEntityName]));
        // The AI SDK's functionId names the calling function, i.e. the agent, on all its spans.
        if (span.agent_name.empty() && isVercelSpan(l, name))
            setName(span.agent_name, trimWhitespace(textOf(l[AiTelemetryFunctionId])));
    }

    if (span.tool_name.empty()) {
        setFirstText(span.tool_name, l, std::array { GenAiToolName, OiToolName });
        if (span.tool_name.empty())
            setName(span.tool_name, nameSubject(name, "execute_tool"));
        if (span.tool_name.empty() && textOf(l[TraceloopSpanKind]) == "tool")
            setName(span.tool_name, textOf(l[TraceloopEntityName]));
        if (span.tool_name.empty())
            setName(span.tool_name, trimWhitespace(textOf(l[AiToolCallName])));
        // OpenInference's traceTool names the tool only in the span's name.
        if (span.tool_name.empty() && kind == SpanKind::Tool)
            setName(span.tool_name, trimWhitespace(name));
    }

    const bool nativeInputOrOutput = span.tokens.input || span.tokens.output;
    const TokenUsage derived = canonicalTokens(readTokens(l));
    if (!derived.empty()) {
        auto fill = [](std::optional<std::int64_t> &field, const std::optional<std::int64_t> &value) {
            if (!field)
                field = value;
        };
        fill(span.tokens.input, derived.input);
        fill(span.tokens.output, derived.output);
        fill(span.tokens.cache_read, derived.cache_read);
        fill(span.tokens.cache_write, derived.cache_write);
        fill(span.tokens.reasoning, derived.reasoning);
        // A total derived from other counts than the ones the native API gave would contradict them.
        if (!nativeInputOrOutput)
            fill(span.tokens.total, derived.total);
    }
    if (!span.tokens.total && span.tokens.input && span.tokens.output)
        span.tokens.total = *span.tokens.input + *span.tokens.output;

    EventPayloads events;
    bool eventsBuilt = false;
    try {
        if (span.input.empty())
            deriveInput(span, l, events, eventsBuilt, kind);
        if (span.output.empty())
            deriveOutput(span, l, events, eventsBuilt);
    } catch (const json::exception &) {
        // A message list that cannot be rebuilt leaves the payload empty; the raw attributes still
        // hold everything.
    }

    setFirstText(span.session_id, l, kSession);
    setFirstText(span.user_id, l, kUser);

    deriveFailureStatus(span, textOf(l[ErrorType]));
    if (kind == SpanKind::Llm)
        span.reported_tool_results = toolResultsReportedIn(span.input);
}

} // namespace agentops::core

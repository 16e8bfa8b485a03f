// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::ui {

enum class ChatRole { System, User, Assistant, Tool, Other };

/// One piece of a chat message. Tool arguments and results are kept as pretty-printed JSON where
/// they are JSON (isJson), else as the text that came.
struct ChatPart
{
    enum class Kind { Text, Reasoning, ToolCall, ToolResult, Data };
    Kind kind = Kind::Text;
    std::string text; ///< Text/Reasoning: the text; ToolCall: arguments; ToolResult: result; Data: the part as JSON
    std::string name; ///< tool name (calls, and results where the producer names the tool)
    std::string id; ///< tool call id, linking a result to its call
    bool isJson = false;
};

/// One message of a model conversation, whatever convention it was recorded in.
struct ChatMessage
{
    ChatRole role = ChatRole::Other;
    std::string roleName; ///< as the producer spelled it ("model", "human", ...)
    std::string name; ///< participant name, where given
    std::string finishReason; ///< output messages: why generation stopped
    std::vector<ChatPart> parts;
};

/// Reads a span's input or output payload as a conversation. Understands OTel GenAI messages (parts
/// format, with text / tool_call / tool_call_response parts), the older flattened prompt/completion
/// arrays ({role, content, tool_calls}), OpenInference messages (content, contents, tool_calls with
/// function), OpenAI request/response bodies (messages, choices), Anthropic content blocks
/// (tool_use, tool_result), Google ADK / Gemini llm_request and llm_response (contents/parts with
/// text, function_call, function_response), and the Vercel AI SDK (ai.prompt {system, prompt|messages},
/// ai.prompt.messages with tool-call/tool-result parts, ai.response.toolCalls). Returns nullopt when
/// the payload is not one of these (plain text, other JSON).
std::optional<std::vector<ChatMessage>> parseChatMessages(std::string_view payload);

/// A single message holding text as it came (plain completions such as ai.response.text).
ChatMessage plainTextMessage(ChatRole role, std::string text);

/// The text pretty-printed when it is a JSON object or array (2-space indent, key order kept);
/// otherwise returned unchanged with isJson false.
std::string prettyJson(std::string_view text, bool *isJson = nullptr);

std::string_view roleLabel(ChatRole role);

/// One line per part ("assistant: tool_call get_weather#call_1 {"city":"Lisbon"}"), for tests and logs.
std::string describeMessages(const std::vector<ChatMessage> &messages);

} // namespace agentops::ui

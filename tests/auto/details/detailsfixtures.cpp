// SPDX-License-Identifier: MIT
#include "detailsfixtures.h"

// Kept apart from the test class: moc cannot read raw string literals.

namespace detailsfixtures {

using namespace agentops;

namespace {

std::string lines(std::initializer_list<const char *> items)
{
    std::string out;
    for (const char *l : items)
        out += std::string(l) + '\n';
    return out;
}

} // namespace

std::vector<Convention> conventions()
{
    return {
        { "otel genai parts",
            R"([{"role":"system","parts":[{"type":"text","content":"Be brief."}]},{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]},{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris"}}]},{"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":{"temp":21}}]}])",
            lines({ R"(system: text "Be brief.")", R"(user: text "Weather in Paris?")",
                R"(assistant: tool_call get_weather#call_1 {"city":"Paris"})",
                R"(tool: tool_result #call_1 {"temp":21})" }) },
        { "otel genai output",
            R"([{"role":"assistant","parts":[{"type":"reasoning","content":"think"},{"type":"text","content":"Sunny."}],"finish_reason":"stop"}])",
            lines({ R"(assistant[stop]: reasoning "think")", R"(assistant[stop]: text "Sunny.")" }) },
        { "flattened prompt with tool calls",
            R"([{"role":"user","content":"hi"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"search","arguments":"{\"q\":\"x\"}"}}]},{"role":"tool","content":"{\"hits\":3}","id":"c1"}])",
            lines({ R"(user: text "hi")", R"(assistant: tool_call search#c1 {"q":"x"})",
                R"(tool: tool_result #c1 {"hits":3})" }) },
        { "openllmetry flattened tool calls",
            R"([{"role":"assistant","tool_calls":[{"id":"c2","name":"lookup","arguments":"{\"a\":1}"}]}])",
            lines({ R"(assistant: tool_call lookup#c2 {"a":1})" }) },
        { "choice event",
            R"([{"role":"assistant","index":0,"finish_reason":"tool_calls","tool_calls":[{"id":"call_V","type":"function","function":{"name":"search_flights","arguments":"{\"from\":\"ZRH\"}"}}]}])",
            lines({ R"(assistant[tool_calls]: tool_call search_flights#call_V {"from":"ZRH"})" }) },
        { "openinference",
            R"([{"role":"system","content":"You are helpful."},{"role":"user","contents":[{"type":"text","text":"Look at this"},{"type":"image","image":{"url":"http://x/y.png"}}]},{"role":"assistant","tool_calls":[{"function":{"name":"fetch","arguments":"{\"u\":1}"},"id":"t1"}]},{"role":"tool","content":"done","tool_call_id":"t1","name":"fetch"}])",
            lines({ R"(system: text "You are helpful.")", R"(user: text "Look at this")",
                R"(user: data {"type":"image","image":{"url":"http://x/y.png"}})",
                R"(assistant: tool_call fetch#t1 {"u":1})", R"(tool(fetch): tool_result fetch#t1 "done")" }) },
        { "adk llm_request",
            R"({"model": "gemini-2.0-flash", "config": {"system_instruction": "You are a helpful weather assistant.", "tools": [{"function_declarations": [{"name": "get_weather"}]}]}, "contents": [{"parts": [{"text": "What is the weather in Lisbon?"}], "role": "user"}, {"parts": [{"function_call": {"name": "get_weather", "args": {"city": "Lisbon"}}}], "role": "model"}, {"parts": [{"function_response": {"name": "get_weather", "response": {"status": "success"}}}], "role": "user"}]})",
            lines({ R"(system: text "You are a helpful weather assistant.")",
                R"(user: text "What is the weather in Lisbon?")",
                R"(assistant: tool_call get_weather# {"city":"Lisbon"})",
                R"(user: tool_result get_weather# {"status":"success"})" }) },
        { "adk llm_response",
            R"({"content":{"parts":[{"function_call":{"args":{"city":"Lisbon"},"name":"get_weather"}}],"role":"model"},"usage_metadata":{"candidates_token_count":6,"prompt_token_count":97},"model_version":"gemini-2.0-flash-001"})",
            lines({ R"(assistant: tool_call get_weather# {"city":"Lisbon"})" }) },
        { "adk llm_response text",
            R"({"content":{"parts":[{"text":"It is sunny."}],"role":"model"},"finish_reason":"STOP"})",
            lines({ R"(assistant[STOP]: text "It is sunny.")" }) },
        { "gemini camelCase request",
            R"({"systemInstruction":{"parts":[{"text":"Sys"}]},"contents":[{"role":"user","parts":[{"text":"Hi"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}}]}]})",
            lines({ R"(system: text "Sys")", R"(user: text "Hi")", R"(assistant: tool_call f# {})" }) },
        { "vercel ai.prompt", R"({"system":"Be nice","prompt":"Tell a joke"})",
            lines({ R"(system: text "Be nice")", R"(user: text "Tell a joke")" }) },
        { "vercel ai.prompt with messages", R"({"system":"S","messages":[{"role":"user","content":"Q"}]})",
            lines({ R"(system: text "S")", R"(user: text "Q")" }) },
        { "vercel ai.prompt.messages",
            R"([{"role":"system","content":"S"},{"role":"user","content":[{"type":"text","text":"Q"}]},{"role":"assistant","content":[{"type":"tool-call","toolCallId":"v1","toolName":"calc","args":{"x":2}}]},{"role":"tool","content":[{"type":"tool-result","toolCallId":"v1","toolName":"calc","result":4}]}])",
            lines({ R"(system: text "S")", R"(user: text "Q")", R"(assistant: tool_call calc#v1 {"x":2})",
                R"(tool: tool_result calc#v1 4)" }) },
        { "vercel ai.response.toolCalls",
            R"([{"toolCallType":"function","toolCallId":"v2","toolName":"calc","args":"{\"x\":3}"}])",
            lines({ R"(assistant: tool_call calc#v2 {"x":3})" }) },
        { "openai response",
            R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}]})",
            lines({ R"(assistant[stop]: text "Hello")" }) },
        { "anthropic blocks",
            R"({"system":"S","messages":[{"role":"assistant","content":[{"type":"text","text":"Let me check"},{"type":"tool_use","id":"tu1","name":"lookup","input":{"k":"v"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"tu1","content":[{"type":"text","text":"found"}]}]}]})",
            lines({ R"(system: text "S")", R"(assistant: text "Let me check")",
                R"(assistant: tool_call lookup#tu1 {"k":"v"})", R"(user: tool_result #tu1 "found")" }) },
        { "plain text", "Just some text", "(not a conversation)" },
        { "other json", R"({"foo":1})", "(not a conversation)" },
        { "array of numbers", "[1,2]", "(not a conversation)" },
        { "broken json", R"([{"role":"user")", "(not a conversation)" },
        { "empty array", "[]", "(not a conversation)" },
    };
}

core::Span baseSpan(int n)
{
    core::Span s;
    s.trace_id.fill(0xab);
    s.span_id.fill(0);
    s.span_id[7] = std::uint8_t(n);
    s.span_id[0] = 0x11;
    s.start_ns = 1741946400000000000;
    s.end_ns = s.start_ns + 1'234'000'000;
    s.service_name = "travel-agent";
    s.scope_name = "opentelemetry.instrumentation.openai_v2";
    s.scope_version = "0.48b0";
    s.resource = { { "service.name", core::AttrValue::ofString("travel-agent") },
        { "service.version", core::AttrValue::ofString("1.4.2") },
        { "deployment.environment.name", core::AttrValue::ofString("staging") },
        { "telemetry.sdk.language", core::AttrValue::ofString("python") } };
    return s;
}

core::Span llmSpan()
{
    core::Span s = baseSpan(2);
    s.parent_span_id[7] = 1;
    s.parent_span_id[0] = 0x11;
    s.name = "chat gpt-4o";
    s.kind = core::SpanKind::Llm;
    s.otel_kind = 3;
    s.status = core::StatusCode::Ok;
    s.request_model = "gpt-4o";
    s.response_model = "gpt-4o-2024-08-06";
    s.provider = "openai";
    s.agent_name = "travel_planner";
    s.tokens.input = 1840;
    s.tokens.cache_read = 1024;
    s.tokens.output = 96;
    s.tokens.reasoning = 32;
    s.tokens.total = 1936;
    s.cost_usd = 0.003412;
    s.price_ref = "openai/gpt-4o";
    s.session_id = "c8f1d2e3-4b5a-6978-8a9b-0c1d2e3f4a5b";
    s.user_id = "user-4711";
    s.input
        = R"([{"role":"system","parts":[{"type":"text","content":"You are a travel assistant. Use the tools to find flights and answer briefly."}]},{"role":"user","parts":[{"type":"text","content":"Find me a flight from Zurich to Lisbon next Friday, morning if possible."}]},{"role":"assistant","parts":[{"type":"tool_call","id":"call_VSPygqKTWdrhaFErNvMV18Yl","name":"search_flights","arguments":{"from":"ZRH","to":"LIS","date":"2025-03-21","time_window":{"earliest":"06:00","latest":"12:00"}}}]},{"role":"tool","parts":[{"type":"tool_call_response","id":"call_VSPygqKTWdrhaFErNvMV18Yl","response":{"flights":[{"number":"LX2084","departs":"07:10","arrives":"09:05","price_eur":189}]}}]}])";
    s.output
        = R"([{"role":"assistant","parts":[{"type":"text","content":"There is a direct SWISS flight, LX2084, leaving Zurich at 07:10 and landing in Lisbon at 09:05 for 189 EUR. Shall I book it?"}],"finish_reason":"stop"}])";
    s.attributes = { { "gen_ai.operation.name", core::AttrValue::ofString("chat") },
        { "gen_ai.request.model", core::AttrValue::ofString("gpt-4o") },
        { "gen_ai.response.model", core::AttrValue::ofString("gpt-4o-2024-08-06") },
        { "gen_ai.request.temperature", core::AttrValue::ofDouble(0.2) },
        { "gen_ai.usage.input_tokens", core::AttrValue::ofInt(1840) },
        { "gen_ai.usage.output_tokens", core::AttrValue::ofInt(96) },
        { "gen_ai.response.finish_reasons", core::AttrValue::ofJson(R"(["stop"])") },
        { "server.address", core::AttrValue::ofString("api.openai.com") } };
    return s;
}

core::Span failedToolSpan()
{
    core::Span s = baseSpan(3);
    s.parent_span_id[7] = 1;
    s.parent_span_id[0] = 0x11;
    s.name = "execute_tool search_flights";
    s.kind = core::SpanKind::Tool;
    s.tool_name = "search_flights";
    s.agent_name = "travel_planner";
    s.status = core::StatusCode::Error;
    s.status_message = "flight search backend did not answer within 1s";
    s.input
        = R"({"from":"ZRH","to":"LIS","date":"2025-03-21","passengers":[{"type":"adult","count":1}],"filters":{"max_stops":0,"cabin":"economy"}})";
    s.attributes = { { "gen_ai.operation.name", core::AttrValue::ofString("execute_tool") },
        { "gen_ai.tool.name", core::AttrValue::ofString("search_flights") },
        { "gen_ai.tool.call.id", core::AttrValue::ofString("call_VSPygqKTWdrhaFErNvMV18Yl") },
        { "error.type", core::AttrValue::ofString("TimeoutError") } };
    s.events.push_back({ s.start_ns + 1'002'000'000, "exception",
        { { "exception.type", core::AttrValue::ofString("TimeoutError") },
            { "exception.message", core::AttrValue::ofString("flight search backend did not answer within 1s") },
            { "exception.stacktrace",
                core::AttrValue::ofString(
                    "Traceback (most recent call last):\n"
                    "  File \"/app/agent/tools.py\", line 88, in search_flights\n"
                    "    resp = await client.get(url, params=query, timeout=1.0)\n"
                    "  File \"/usr/lib/python3.12/site-packages/httpx/_client.py\", line 1757, in get\n"
                    "    return await self.request(\"GET\", url, params=params)\n"
                    "  File \"/usr/lib/python3.12/asyncio/timeouts.py\", line 115, in __aexit__\n"
                    "    raise TimeoutError from exc_val\n"
                    "TimeoutError: flight search backend did not answer within 1s\n") },
            { "exception.escaped", core::AttrValue::ofBool(false) } } });
    s.events.push_back({ s.start_ns + 1'010'000'000, "retry.scheduled",
        { { "retry.attempt", core::AttrValue::ofInt(2) }, { "retry.delay_ms", core::AttrValue::ofInt(500) } } });
    return s;
}

std::shared_ptr<const store::TraceDetail> traceOf(std::vector<core::Span> spans)
{
    auto t = std::make_shared<store::TraceDetail>();
    t->summary.trace_id = spans.front().trace_id;
    t->depth.assign(spans.size(), 1);
    t->orphan.assign(spans.size(), false);
    t->spans = std::move(spans);
    return t;
}

} // namespace detailsfixtures

// SPDX-License-Identifier: MIT
#include "core/normalizer.h"
#include "core/usage.h"
#include "support/common.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace agentops::core;
using nlohmann::json;

namespace {

Attribute str(std::string key, std::string value)
{
    return { std::move(key), AttrValue::ofString(std::move(value)) };
}

Attribute num(std::string key, std::int64_t value)
{
    return { std::move(key), AttrValue::ofInt(value) };
}

Span spanOf(std::string name, Attributes attrs)
{
    Span span;
    span.name = std::move(name);
    span.attributes = std::move(attrs);
    return span;
}

Span normalized(std::string name, Attributes attrs)
{
    Span span = spanOf(std::move(name), std::move(attrs));
    normalizeSpan(span);
    return span;
}

using agentops::test::q;

QString kindName(SpanKind kind)
{
    return q(toString(kind));
}

// Absent counts print as -1 so that "absent" and "zero" stay different in comparisons.
qint64 n(const std::optional<std::int64_t> &v)
{
    return v ? *v : -1;
}

// Data rows spell attributes as "key=text" or "key#=integer".
Attributes parseAttrs(const QStringList &list)
{
    Attributes attrs;
    for (const auto &item : list) {
        const auto intSep = item.indexOf(QLatin1String("#="));
        const auto sep = item.indexOf(QLatin1Char('='));
        if (intSep >= 0 && intSep < sep) {
            attrs.push_back(num(item.left(intSep).toStdString(), item.mid(intSep + 2).toLongLong()));
        } else {
            attrs.push_back(str(item.left(sep).toStdString(), item.mid(sep + 1).toStdString()));
        }
    }
    return attrs;
}

json parsed(const std::string &text)
{
    return json::parse(text, nullptr, false);
}

} // namespace

/// Checks that every convention family's attributes come out as the same canonical span.
class TestNormalizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptySpanStaysOther();
    void otelGenAiChat();
    void otelGenAiOperationKinds_data();
    void otelGenAiOperationKinds();
    void otelGenAiAgentAndTool();
    void openInferenceLlm();
    void openInferenceKinds_data();
    void openInferenceKinds();
    void openInferenceMessagesRebuilt();
    void openInferenceToolAndAgent();
    void vercelGenerateText();
    void vercelDoGenerate();
    void vercelToolCall();
    void vercelKinds_data();
    void vercelKinds();
    void traceloopWorkflowAndTask();
    void traceloopAgentAndTool();
    void traceloopAnthropicChat();
    void adkCallLlm();
    void adkUsageFromResponseOnly();
    void adkInvokeAgentToolAndInvocation();
    void adkProviderFromModel_data();
    void adkProviderFromModel();
    void providerNormalisation_data();
    void providerNormalisation();
    void kindPrecedence_data();
    void kindPrecedence();
    void modelPrecedence();
    void sessionAndUserPrecedence_data();
    void sessionAndUserPrecedence();
    void payloadPrecedence();
    void alreadySetFieldsNotOverwritten();
    void unknownAttributesKept();
    void flattenedMessagesInIndexOrder();
    void flattenedMessagesHostileIndex();
    void eventMessages();
    void olderContentEvents();
    void systemInstructionsAlone();
    void tokenArithmetic_data();
    void tokenArithmetic();
    void nativeTokensCompleted();
    void failuresRecognised_data();
    void failuresRecognised();
    void toolFailuresReportedToTheModel_data();
    void toolFailuresReportedToTheModel();
    void toolNamedBySpanName();
    void usageCountedOncePerConvention_data();
    void usageCountedOncePerConvention();
    void invalidJsonAttributeDoesNotThrow();
};

void TestNormalizer::emptySpanStaysOther()
{
    Span span = spanOf("work", {});
    const Span before = span;
    normalizeSpan(span);
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Other));
    QVERIFY(span == before);

    // Unrelated attributes derive nothing either.
    Span http = spanOf("GET /", { str("http.request.method", "GET"), num("http.response.status_code", 200) });
    const Span httpBefore = http;
    normalizeSpan(http);
    QVERIFY(http == httpBefore);
}

void TestNormalizer::otelGenAiChat()
{
    const std::string input = R"([{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]}])";
    const std::string output
        = R"([{"role":"assistant","parts":[{"type":"text","content":"Sunny."}],"finish_reason":"stop"}])";
    const Span span = normalized("chat gpt-4o",
        {
            str("gen_ai.operation.name", "chat"),
            str("gen_ai.provider.name", "openai"),
            str("gen_ai.request.model", "gpt-4o"),
            str("gen_ai.response.model", "gpt-4o-2024-08-06"),
            num("gen_ai.usage.input_tokens", 1200),
            num("gen_ai.usage.output_tokens", 300),
            num("gen_ai.usage.cache_read.input_tokens", 1000),
            num("gen_ai.usage.reasoning.output_tokens", 120),
            str("gen_ai.conversation.id", "conv-42"),
            str("user.id", "u-7"),
            str("gen_ai.system_instructions", R"([{"type":"text","content":"Be brief."}])"),
            str("gen_ai.input.messages", input),
            str("gen_ai.output.messages", output),
            str("server.address", "api.openai.com"),
        });
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Llm));
    QCOMPARE(q(span.request_model), QStringLiteral("gpt-4o"));
    QCOMPARE(q(span.response_model), QStringLiteral("gpt-4o-2024-08-06"));
    QCOMPARE(q(span.provider), QStringLiteral("openai"));
    QVERIFY(span.agent_name.empty());
    QVERIFY(span.tool_name.empty());
    QCOMPARE(n(span.tokens.input), 1200); // cache reads are part of input already
    QCOMPARE(n(span.tokens.output), 300);
    QCOMPARE(n(span.tokens.total), 1500);
    QCOMPARE(n(span.tokens.cache_read), 1000);
    QCOMPARE(n(span.tokens.cache_write), -1);
    QCOMPARE(n(span.tokens.reasoning), 120);
    QCOMPARE(q(span.session_id), QStringLiteral("conv-42"));
    QCOMPARE(q(span.user_id), QStringLiteral("u-7"));
    QCOMPARE(q(span.output), q(output));

    // The system instructions go in front of the input messages, in the same parts format.
    const json in = parsed(span.input);
    QVERIFY(in.is_array());
    QCOMPARE(in.size(), std::size_t(2));
    QCOMPARE(q(in[0]["role"].get<std::string>()), QStringLiteral("system"));
    QCOMPARE(q(in[0]["parts"][0]["content"].get<std::string>()), QStringLiteral("Be brief."));
    QCOMPARE(q(in[1].dump()), q(parsed(input)[0].dump()));
}

void TestNormalizer::otelGenAiOperationKinds_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("kind");
    QTest::newRow("chat") << QStringLiteral("chat") << QStringLiteral("llm");
    QTest::newRow("generate_content") << QStringLiteral("generate_content") << QStringLiteral("llm");
    QTest::newRow("text_completion") << QStringLiteral("text_completion") << QStringLiteral("llm");
    QTest::newRow("embeddings") << QStringLiteral("embeddings") << QStringLiteral("embedding");
    QTest::newRow("execute_tool") << QStringLiteral("execute_tool") << QStringLiteral("tool");
    QTest::newRow("invoke_agent") << QStringLiteral("invoke_agent") << QStringLiteral("agent");
    QTest::newRow("create_agent") << QStringLiteral("create_agent") << QStringLiteral("agent");
    QTest::newRow("unknown") << QStringLiteral("frobnicate") << QStringLiteral("other");
}

void TestNormalizer::otelGenAiOperationKinds()
{
    QFETCH(QString, operation);
    QFETCH(QString, kind);
    const Span span = normalized("op", { str("gen_ai.operation.name", operation.toStdString()) });
    QCOMPARE(kindName(span.kind), kind);
}

void TestNormalizer::otelGenAiAgentAndTool()
{
    const Span agent = normalized("invoke_agent Planner",
        {
            str("gen_ai.operation.name", "invoke_agent"),
            str("gen_ai.provider.name", "anthropic"),
            str("gen_ai.request.model", "claude-sonnet-4"),
        });
    QCOMPARE(kindName(agent.kind), kindName(SpanKind::Agent));
    QCOMPARE(q(agent.agent_name), QStringLiteral("Planner"));
    QCOMPARE(q(agent.provider), QStringLiteral("anthropic"));

    const Span tool = normalized("execute_tool get_weather",
        {
            str("gen_ai.operation.name", "execute_tool"),
            str("gen_ai.tool.name", "get_weather"),
            str("gen_ai.tool.call.id", "call_1"),
            str("gen_ai.tool.call.arguments", R"({"city":"Paris"})"),
            str("gen_ai.tool.call.result", R"({"temp":21})"),
            str("gen_ai.agent.name", "Planner"),
        });
    QCOMPARE(kindName(tool.kind), kindName(SpanKind::Tool));
    QCOMPARE(q(tool.tool_name), QStringLiteral("get_weather"));
    QCOMPARE(q(tool.agent_name), QStringLiteral("Planner"));
    QCOMPARE(q(tool.input), QStringLiteral(R"({"city":"Paris"})"));
    QCOMPARE(q(tool.output), QStringLiteral(R"({"temp":21})"));
    QVERIFY(tool.tokens.empty());
}

void TestNormalizer::openInferenceLlm()
{
    const std::string input = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})";
    const std::string output = R"({"id":"chatcmpl-1","choices":[{"message":{"role":"assistant","content":"hello"}}]})";
    const Span span = normalized("ChatCompletion",
        {
            str("openinference.span.kind", "LLM"),
            str("llm.model_name", "gpt-4o-mini-2024-07-18"),
            str("llm.provider", "openai"),
            str("llm.system", "openai"),
            str("llm.invocation_parameters", R"({"temperature":0})"),
            str("input.value", input),
            str("input.mime_type", "application/json"),
            str("output.value", output),
            str("output.mime_type", "application/json"),
            str("llm.input_messages.0.message.role", "user"),
            str("llm.input_messages.0.message.content", "hi"),
            str("llm.output_messages.0.message.role", "assistant"),
            str("llm.output_messages.0.message.content", "hello"),
            num("llm.token_count.prompt", 2000),
            num("llm.token_count.completion", 400),
            num("llm.token_count.total", 2400),
            num("llm.token_count.prompt_details.cache_read", 1500),
            num("llm.token_count.prompt_details.cache_write", 100),
            num("llm.token_count.prompt_details.audio", 0),
            num("llm.token_count.completion_details.reasoning", 250),
            str("session.id", "s-1"),
            str("user.id", "alice"),
        });
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Llm));
    QCOMPARE(q(span.request_model), QStringLiteral("gpt-4o-mini-2024-07-18"));
    QVERIFY(span.response_model.empty());
    QCOMPARE(q(span.provider), QStringLiteral("openai"));
    QVERIFY(span.agent_name.empty());
    QVERIFY(span.tool_name.empty());
    // OpenInference's prompt count includes its cache details and completion includes reasoning.
    QCOMPARE(n(span.tokens.input), 2000);
    QCOMPARE(n(span.tokens.output), 400);
    QCOMPARE(n(span.tokens.total), 2400);
    QCOMPARE(n(span.tokens.cache_read), 1500);
    QCOMPARE(n(span.tokens.cache_write), 100);
    QCOMPARE(n(span.tokens.reasoning), 250);
    // input.value wins over the per-message attributes.
    QCOMPARE(q(span.input), q(input));
    QCOMPARE(q(span.output), q(output));
    QCOMPARE(q(span.session_id), QStringLiteral("s-1"));
    QCOMPARE(q(span.user_id), QStringLiteral("alice"));
}

void TestNormalizer::openInferenceKinds_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("kind");
    QTest::newRow("LLM") << QStringLiteral("LLM") << QStringLiteral("llm");
    QTest::newRow("CHAIN") << QStringLiteral("CHAIN") << QStringLiteral("chain");
    QTest::newRow("TOOL") << QStringLiteral("TOOL") << QStringLiteral("tool");
    QTest::newRow("AGENT") << QStringLiteral("AGENT") << QStringLiteral("agent");
    QTest::newRow("RETRIEVER") << QStringLiteral("RETRIEVER") << QStringLiteral("retriever");
    QTest::newRow("RERANKER") << QStringLiteral("RERANKER") << QStringLiteral("retriever");
    QTest::newRow("EMBEDDING") << QStringLiteral("EMBEDDING") << QStringLiteral("embedding");
    QTest::newRow("GUARDRAIL") << QStringLiteral("GUARDRAIL") << QStringLiteral("guardrail");
    QTest::newRow("EVALUATOR") << QStringLiteral("EVALUATOR") << QStringLiteral("evaluator");
    QTest::newRow("lower case") << QStringLiteral("llm") << QStringLiteral("llm");
    QTest::newRow("UNKNOWN") << QStringLiteral("UNKNOWN") << QStringLiteral("other");
}

void TestNormalizer::openInferenceKinds()
{
    QFETCH(QString, value);
    QFETCH(QString, kind);
    const Span span = normalized("step", { str("openinference.span.kind", value.toStdString()) });
    QCOMPARE(kindName(span.kind), kind);
}

void TestNormalizer::openInferenceMessagesRebuilt()
{
    // Attributes in no particular order, as a dict-based exporter may send them.
    const Span span = normalized("Anthropic.messages.create",
        {
            str("openinference.span.kind", "LLM"),
            str("llm.model_name", "claude-3-5-sonnet-20241022"),
            str("llm.provider", "anthropic"),
            str("llm.system", "anthropic"),
            str("llm.input_messages.1.message.role", "user"),
            str("llm.input_messages.1.message.contents.0.message_content.type", "text"),
            str("llm.input_messages.1.message.contents.0.message_content.text", "What is 2+2?"),
            str("llm.input_messages.0.message.role", "system"),
            str("llm.input_messages.0.message.content", "You add numbers."),
            str("llm.output_messages.0.message.role", "assistant"),
            str("llm.output_messages.0.message.tool_calls.0.tool_call.id", "toolu_1"),
            str("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "add"),
            str("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments", R"({"a":2,"b":2})"),
        });
    QCOMPARE(q(span.provider), QStringLiteral("anthropic"));
    const json in = parsed(span.input);
    QVERIFY(in.is_array());
    QCOMPARE(in.size(), std::size_t(2));
    QCOMPARE(q(in[0]["role"].get<std::string>()), QStringLiteral("system"));
    QCOMPARE(q(in[0]["content"].get<std::string>()), QStringLiteral("You add numbers."));
    QCOMPARE(q(in[1]["role"].get<std::string>()), QStringLiteral("user"));
    QCOMPARE(q(in[1]["contents"][0]["type"].get<std::string>()), QStringLiteral("text"));
    QCOMPARE(q(in[1]["contents"][0]["text"].get<std::string>()), QStringLiteral("What is 2+2?"));

    const json out = parsed(span.output);
    QVERIFY(out.is_array());
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(q(out[0]["role"].get<std::string>()), QStringLiteral("assistant"));
    const json &call = out[0]["tool_calls"][0];
    QCOMPARE(q(call["id"].get<std::string>()), QStringLiteral("toolu_1"));
    QCOMPARE(q(call["function"]["name"].get<std::string>()), QStringLiteral("add"));
    QCOMPARE(q(call["function"]["arguments"].get<std::string>()), QStringLiteral(R"({"a":2,"b":2})"));
}

void TestNormalizer::openInferenceToolAndAgent()
{
    const Span tool = normalized("multiply",
        {
            str("openinference.span.kind", "TOOL"),
            str("tool.name", "multiply"),
            str("tool.description", "Multiplies two numbers"),
            str("tool.parameters", R"({"type":"object"})"),
            str("input.value", R"({"a":3,"b":4})"),
            str("output.value", "12"),
            str("output.mime_type", "text/plain"),
        });
    QCOMPARE(kindName(tool.kind), kindName(SpanKind::Tool));
    QCOMPARE(q(tool.tool_name), QStringLiteral("multiply"));
    QCOMPARE(q(tool.input), QStringLiteral(R"({"a":3,"b":4})"));
    QCOMPARE(q(tool.output), QStringLiteral("12"));

    const Span agent = normalized("Agent.run",
        {
            str("openinference.span.kind", "AGENT"),
            str("agent.name", "researcher"),
            str("input.value", "find papers"),
        });
    QCOMPARE(kindName(agent.kind), kindName(SpanKind::Agent));
    QCOMPARE(q(agent.agent_name), QStringLiteral("researcher"));
    QCOMPARE(q(agent.input), QStringLiteral("find papers"));
}

void TestNormalizer::vercelGenerateText()
{
    const std::string prompt = R"({"system":"You are terse.","prompt":"Say hi"})";
    const Span span = normalized("ai.generateText",
        {
            str("operation.name", "ai.generateText chat-bot"),
            str("ai.operationId", "ai.generateText"),
            str("ai.model.id", "gpt-4o-mini"),
            str("ai.model.provider", "openai.chat"),
            str("ai.telemetry.functionId", "chat-bot"),
            str("ai.telemetry.metadata.sessionId", "sess-9"),
            str("ai.telemetry.metadata.userId", "user-3"),
            str("ai.telemetry.metadata.tenant", "acme"),
            num("ai.settings.maxRetries", 2),
            str("ai.prompt", prompt),
            str("ai.response.text", "Hi!"),
            str("ai.response.finishReason", "stop"),
            num("ai.usage.promptTokens", 12),
            num("ai.usage.completionTokens", 3),
        });
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Agent));
    QCOMPARE(q(span.request_model), QStringLiteral("gpt-4o-mini"));
    QVERIFY(span.response_model.empty());
    QCOMPARE(q(span.provider), QStringLiteral("openai"));
    QCOMPARE(q(span.agent_name), QStringLiteral("chat-bot"));
    QVERIFY(span.tool_name.empty());
    QCOMPARE(n(span.tokens.input), 12);
    QCOMPARE(n(span.tokens.output), 3);
    QCOMPARE(n(span.tokens.total), 15);
    QCOMPARE(n(span.tokens.cache_read), -1);
    QCOMPARE(n(span.tokens.reasoning), -1);
    QCOMPARE(q(span.input), q(prompt));
    QCOMPARE(q(span.output), QStringLiteral("Hi!"));
    QCOMPARE(q(span.session_id), QStringLiteral("sess-9"));
    QCOMPARE(q(span.user_id), QStringLiteral("user-3"));
}

void TestNormalizer::vercelDoGenerate()
{
    const std::string messages = R"([{"role":"user","content":[{"type":"text","text":"weather?"}]}])";
    const std::string toolCalls
        = R"([{"toolCallType":"function","toolCallId":"call_1","toolName":"weather","args":"{\"city\":\"Oslo\"}"}])";
    const Span span = normalized("ai.generateText.doGenerate",
        {
            str("ai.operationId", "ai.generateText.doGenerate"),
            str("ai.model.id", "gpt-4o"),
            str("ai.model.provider", "openai.responses"),
            str("ai.response.model", "gpt-4o-2024-08-06"),
            str("ai.telemetry.functionId", "weather-agent"),
            str("ai.prompt.messages", messages),
            str("ai.prompt.format", "messages"),
            str("ai.response.toolCalls", toolCalls),
            num("ai.usage.inputTokens", 900),
            num("ai.usage.outputTokens", 150),
            num("ai.usage.totalTokens", 1050),
            num("ai.usage.cachedInputTokens", 600),
            num("ai.usage.reasoningTokens", 64),
            str("gen_ai.system", "openai.responses"),
            str("gen_ai.request.model", "gpt-4o"),
            str("gen_ai.response.model", "gpt-4o-2024-08-06"),
            num("gen_ai.usage.input_tokens", 900),
            num("gen_ai.usage.output_tokens", 150),
        });
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Llm));
    QCOMPARE(q(span.request_model), QStringLiteral("gpt-4o"));
    QCOMPARE(q(span.response_model), QStringLiteral("gpt-4o-2024-08-06"));
    QCOMPARE(q(span.provider), QStringLiteral("openai.responses"));
    QCOMPARE(q(span.agent_name), QStringLiteral("weather-agent"));
    QCOMPARE(n(span.tokens.input), 900); // OpenAI's input includes the 600 cached
    QCOMPARE(n(span.tokens.output), 150);
    QCOMPARE(n(span.tokens.total), 1050);
    QCOMPARE(n(span.tokens.cache_read), 600);
    QCOMPARE(n(span.tokens.reasoning), 64);
    QCOMPARE(q(span.input), q(messages));
    QCOMPARE(q(span.output), q(toolCalls)); // no text: the tool calls are the answer
}

void TestNormalizer::vercelToolCall()
{
    const Span span = normalized("ai.toolCall",
        {
            str("ai.operationId", "ai.toolCall"),
            str("ai.toolCall.name", "weather"),
            str("ai.toolCall.id", "call_1"),
            str("ai.toolCall.args", R"({"city":"Oslo"})"),
            str("ai.toolCall.result", R"({"temp":-3})"),
            str("ai.telemetry.functionId", "weather-agent"),
        });
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Tool));
    QCOMPARE(q(span.tool_name), QStringLiteral("weather"));
    QCOMPARE(q(span.agent_name), QStringLiteral("weather-agent"));
    QCOMPARE(q(span.input), QStringLiteral(R"({"city":"Oslo"})"));
    QCOMPARE(q(span.output), QStringLiteral(R"({"temp":-3})"));
    QVERIFY(span.tokens.empty());
}

void TestNormalizer::vercelKinds_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("kind");
    QTest::newRow("generateText") << QStringLiteral("ai.generateText") << QStringLiteral("agent");
    QTest::newRow("streamText") << QStringLiteral("ai.streamText") << QStringLiteral("agent");
    QTest::newRow("generateObject") << QStringLiteral("ai.generateObject") << QStringLiteral("agent");
    QTest::newRow("streamObject") << QStringLiteral("ai.streamObject") << QStringLiteral("agent");
    QTest::newRow("doGenerate") << QStringLiteral("ai.generateText.doGenerate") << QStringLiteral("llm");
    QTest::newRow("doStream") << QStringLiteral("ai.streamText.doStream") << QStringLiteral("llm");
    QTest::newRow("object doStream") << QStringLiteral("ai.streamObject.doStream") << QStringLiteral("llm");
    QTest::newRow("toolCall") << QStringLiteral("ai.toolCall") << QStringLiteral("tool");
    QTest::newRow("embed") << QStringLiteral("ai.embed") << QStringLiteral("chain");
    QTest::newRow("embedMany") << QStringLiteral("ai.embedMany") << QStringLiteral("chain");
    QTest::newRow("doEmbed") << QStringLiteral("ai.embedMany.doEmbed") << QStringLiteral("embedding");
    QTest::newRow("other ai.") << QStringLiteral("ai.somethingElse") << QStringLiteral("other");
}

void TestNormalizer::vercelKinds()
{
    QFETCH(QString, name);
    QFETCH(QString, kind);
    // By span name alone, and by ai.operationId when a functionId renamed the span.
    QCOMPARE(kindName(normalized(name.toStdString(), {}).kind), kind);
    QCOMPARE(kindName(normalized("my-function", { str("ai.operationId", name.toStdString()) }).kind), kind);
}

void TestNormalizer::traceloopWorkflowAndTask()
{
    const Span workflow = normalized("plan_trip.workflow",
        {
            str("traceloop.span.kind", "workflow"),
            str("traceloop.entity.name", "plan_trip"),
            str("traceloop.workflow.name", "plan_trip"),
            str("traceloop.entity.input", R"({"args":["Rome"],"kwargs":{}})"),
            str("traceloop.entity.output", R"("3 days in Rome")"),
            str("traceloop.association.properties.session_id", "trip-1"),
            str("traceloop.association.properties.user_id", "bob"),
        });
    QCOMPARE(kindName(workflow.kind), kindName(SpanKind::Chain));
    QCOMPARE(q(workflow.input), QStringLiteral(R"({"args":["Rome"],"kwargs":{}})"));
    QCOMPARE(q(workflow.output), QStringLiteral(R"("3 days in Rome")"));
    QCOMPARE(q(workflow.session_id), QStringLiteral("trip-1"));
    QCOMPARE(q(workflow.user_id), QStringLiteral("bob"));
    QVERIFY(workflow.agent_name.empty());
    QVERIFY(workflow.tool_name.empty());

    const Span task = normalized("summarize.task", { str("traceloop.span.kind", "task") });
    QCOMPARE(kindName(task.kind), kindName(SpanKind::Chain));
}

void TestNormalizer::traceloopAgentAndTool()
{
    const Span agent = normalized("researcher.agent",
        {
            str("traceloop.span.kind", "agent"),
            str("traceloop.entity.name", "researcher"),
        });
    QCOMPARE(kindName(agent.kind), kindName(SpanKind::Agent));
    QCOMPARE(q(agent.agent_name), QStringLiteral("researcher"));
    QVERIFY(agent.tool_name.empty());

    const Span tool = normalized("search.tool",
        {
            str("traceloop.span.kind", "tool"),
            str("traceloop.entity.name", "search"),
            str("traceloop.entity.input", R"({"q":"x"})"),
        });
    QCOMPARE(kindName(tool.kind), kindName(SpanKind::Tool));
    QCOMPARE(q(tool.tool_name), QStringLiteral("search"));
    QVERIFY(tool.agent_name.empty());
    QCOMPARE(q(tool.input), QStringLiteral(R"({"q":"x"})"));
}

void TestNormalizer::traceloopAnthropicChat()
{
    // OpenLLMetry's Anthropic instrumentation: prompt_tokens already include cache reads and writes
    // (it sums them), total is prompt + completion.
    const Span span = normalized("anthropic.chat",
        {
            str("gen_ai.system", "Anthropic"),
            str("llm.request.type", "chat"),
            str("gen_ai.request.model", "claude-3-5-sonnet-latest"),
            str("gen_ai.response.model", "claude-3-5-sonnet-20241022"),
            str("gen_ai.prompt.0.role", "user"),
            str("gen_ai.prompt.0.content", "What's the weather?"),
            str("gen_ai.completion.0.role", "assistant"),
            str("gen_ai.completion.0.content", "Let me check."),
            str("gen_ai.completion.0.finish_reason", "tool_use"),
            str("gen_ai.completion.0.tool_calls.0.id", "toolu_01"),
            str("gen_ai.completion.0.tool_calls.0.name", "get_weather"),
            str("gen_ai.completion.0.tool_calls.0.arguments", R"({"city":"Oslo"})"),
            num("gen_ai.usage.prompt_tokens", 1510),
            num("gen_ai.usage.completion_tokens", 40),
            num("llm.usage.total_tokens", 1550),
            num("gen_ai.usage.cache_read_input_tokens", 1200),
            num("gen_ai.usage.cache_creation_input_tokens", 300),
            str("traceloop.association.properties.session_id", "s-77"),
            str("traceloop.workflow.name", "weather"),
        });
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Llm));
    QCOMPARE(q(span.provider), QStringLiteral("anthropic"));
    QCOMPARE(q(span.request_model), QStringLiteral("claude-3-5-sonnet-latest"));
    QCOMPARE(q(span.response_model), QStringLiteral("claude-3-5-sonnet-20241022"));
    QCOMPARE(n(span.tokens.input), 1510);
    QCOMPARE(n(span.tokens.output), 40);
    QCOMPARE(n(span.tokens.total), 1550);
    QCOMPARE(n(span.tokens.cache_read), 1200);
    QCOMPARE(n(span.tokens.cache_write), 300);
    QCOMPARE(q(span.session_id), QStringLiteral("s-77"));

    const json in = parsed(span.input);
    QVERIFY(in.is_array());
    QCOMPARE(q(in[0]["role"].get<std::string>()), QStringLiteral("user"));
    QCOMPARE(q(in[0]["content"].get<std::string>()), QStringLiteral("What's the weather?"));
    const json out = parsed(span.output);
    QVERIFY(out.is_array());
    QCOMPARE(q(out[0]["finish_reason"].get<std::string>()), QStringLiteral("tool_use"));
    QCOMPARE(q(out[0]["tool_calls"][0]["name"].get<std::string>()), QStringLiteral("get_weather"));
    QCOMPARE(q(out[0]["tool_calls"][0]["arguments"].get<std::string>()), QStringLiteral(R"({"city":"Oslo"})"));
}

void TestNormalizer::adkCallLlm()
{
    const std::string request
        = R"({"model":"gemini-2.5-flash","config":{"system_instruction":"You help."},"contents":[{"role":"user","parts":[{"text":"Weather in Oslo?"}]}]})";
    const std::string response
        = R"({"content":{"role":"model","parts":[{"text":"It is cold."}]},"model_version":"gemini-2.5-flash-001","finish_reason":"STOP","usage_metadata":{"cached_content_token_count":64,"candidates_token_count":12,"prompt_token_count":180,"thoughts_token_count":90,"total_token_count":282}})";
    const Span span = normalized("call_llm",
        {
            str("gen_ai.system", "gcp.vertex.agent"),
            str("gen_ai.request.model", "gemini-2.5-flash"),
            str("gcp.vertex.agent.invocation_id", "e-123"),
            str("gcp.vertex.agent.session_id", "sess-adk"),
            str("gcp.vertex.agent.event_id", "ev-1"),
            str("gcp.vertex.agent.llm_request", request),
            str("gcp.vertex.agent.llm_response", response),
            num("gen_ai.usage.input_tokens", 180),
            num("gen_ai.usage.output_tokens", 12),
            str("gen_ai.response.finish_reasons", R"(["stop"])"),
        });
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Llm));
    QCOMPARE(q(span.request_model), QStringLiteral("gemini-2.5-flash"));
    QCOMPARE(q(span.response_model), QStringLiteral("gemini-2.5-flash-001"));
    QCOMPARE(q(span.provider), QStringLiteral("google"));
    QVERIFY(span.agent_name.empty());
    QVERIFY(span.tool_name.empty());
    QCOMPARE(n(span.tokens.input), 180); // Gemini's prompt count includes the cached content
    QCOMPARE(n(span.tokens.output), 102); // candidates leave out thoughts: 12 + 90
    QCOMPARE(n(span.tokens.total), 282);
    QCOMPARE(n(span.tokens.cache_read), 64);
    QCOMPARE(n(span.tokens.cache_write), -1);
    QCOMPARE(n(span.tokens.reasoning), 90);
    QCOMPARE(q(span.input), q(request));
    QCOMPARE(q(span.output), q(response));
    QCOMPARE(q(span.session_id), QStringLiteral("sess-adk"));
    QVERIFY(span.user_id.empty());
    // The invocation id is kept raw and mapped to nothing.
    QVERIFY(findAttribute(span.attributes, "gcp.vertex.agent.invocation_id"));
    QVERIFY(span.session_id != "e-123");
}

void TestNormalizer::adkUsageFromResponseOnly()
{
    // Key order and spacing differ from the first test; text inside the content mentions the key names.
    const std::string response
        = R"({ "usage_metadata" : { "total_token_count" : 150, "prompt_token_count" : 100, "candidates_token_count" : 50 }, "content": {"parts": [{"text": "\"prompt_token_count\": 999 {[" }]} })";
    const Span span = normalized("call_llm",
        {
            str("gen_ai.system", "gcp.vertex.agent"),
            str("gen_ai.request.model", "gemini-2.0-flash"),
            str("gcp.vertex.agent.llm_response", response),
        });
    QCOMPARE(n(span.tokens.input), 100);
    QCOMPARE(n(span.tokens.output), 50);
    QCOMPARE(n(span.tokens.total), 150);
    QCOMPARE(n(span.tokens.cache_read), -1);
    QCOMPARE(n(span.tokens.reasoning), -1);
    QVERIFY(span.response_model.empty());
}

void TestNormalizer::adkInvokeAgentToolAndInvocation()
{
    const Span agent = normalized("invoke_agent weather_agent",
        {
            str("gen_ai.operation.name", "invoke_agent"),
            str("gen_ai.agent.description", "Weather."),
            str("gen_ai.conversation.id", "sess-adk"),
        });
    QCOMPARE(kindName(agent.kind), kindName(SpanKind::Agent));
    QCOMPARE(q(agent.agent_name), QStringLiteral("weather_agent"));
    QCOMPARE(q(agent.session_id), QStringLiteral("sess-adk"));

    // The agent name from the attribute wins over the one in the span name.
    const Span named = normalized("invoke_agent x", { str("gen_ai.agent.name", "root_agent") });
    QCOMPARE(q(named.agent_name), QStringLiteral("root_agent"));

    // Older ADK names.
    const Span older = normalized("agent_run [root_agent]", {});
    QCOMPARE(kindName(older.kind), kindName(SpanKind::Agent));
    QCOMPARE(q(older.agent_name), QStringLiteral("root_agent"));

    const Span tool = normalized("execute_tool get_weather",
        {
            str("gen_ai.operation.name", "execute_tool"),
            str("gen_ai.tool.description", "Gets weather."),
            str("gen_ai.tool.type", "FunctionTool"),
            str("gen_ai.tool.call.id", "adk-1"),
            str("gcp.vertex.agent.llm_request", "{}"),
            str("gcp.vertex.agent.llm_response", "{}"),
            str("gcp.vertex.agent.tool_call_args", R"({"city": "Oslo"})"),
            str("gcp.vertex.agent.tool_response", R"({"result": "-3C"})"),
        });
    QCOMPARE(kindName(tool.kind), kindName(SpanKind::Tool));
    QCOMPARE(q(tool.tool_name), QStringLiteral("get_weather"));
    QCOMPARE(q(tool.input), QStringLiteral(R"({"city": "Oslo"})"));
    QCOMPARE(q(tool.output), QStringLiteral(R"({"result": "-3C"})"));
    QVERIFY(tool.tokens.empty());

    // The runner's wrapper around a turn orchestrates the agents that run inside it.
    const Span invocation = normalized("invocation", { str("gcp.vertex.agent.invocation_id", "e-1") });
    QCOMPARE(kindName(invocation.kind), kindName(SpanKind::Chain));
    QVERIFY(invocation.session_id.empty());
}

void TestNormalizer::adkProviderFromModel_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("provider");
    QTest::newRow("gemini") << QStringLiteral("gemini-2.5-pro") << QStringLiteral("google");
    QTest::newRow("Gemini upper") << QStringLiteral("Gemini-1.5-flash") << QStringLiteral("google");
    QTest::newRow("litellm prefix") << QStringLiteral("openai/gpt-4o") << QStringLiteral("openai");
    QTest::newRow("litellm anthropic") << QStringLiteral("anthropic/claude-3-7-sonnet") << QStringLiteral("anthropic");
    QTest::newRow("claude") << QStringLiteral("claude-3-haiku") << QStringLiteral("anthropic");
    QTest::newRow("unknown") << QStringLiteral("my-local-model") << QString();
    QTest::newRow("no model") << QString() << QString();
}

void TestNormalizer::adkProviderFromModel()
{
    QFETCH(QString, model);
    QFETCH(QString, provider);
    Attributes attrs { str("gen_ai.system", "gcp.vertex.agent") };
    if (!model.isEmpty())
        attrs.push_back(str("gen_ai.request.model", model.toStdString()));
    const Span span = normalized("call_llm", attrs);
    QCOMPARE(q(span.provider), provider);
}

void TestNormalizer::providerNormalisation_data()
{
    QTest::addColumn<QStringList>("attrs");
    QTest::addColumn<QString>("provider");
    QTest::newRow("provider.name") << QStringList { QStringLiteral("gen_ai.provider.name=gcp.gemini") }
                                   << QStringLiteral("gcp.gemini");
    QTest::newRow("system mixed case") << QStringList { QStringLiteral("gen_ai.system=OpenAI") }
                                       << QStringLiteral("openai");
    QTest::newRow("provider.name over system") << QStringList { QStringLiteral("gen_ai.system=az.ai.inference"),
        QStringLiteral("gen_ai.provider.name=azure.ai.openai") }
                                               << QStringLiteral("azure.ai.openai");
    QTest::newRow("llm.provider over llm.system") << QStringList { QStringLiteral("llm.system=openai"),
        QStringLiteral("llm.provider=azure") } << QStringLiteral("azure");
    QTest::newRow("llm.system alone") << QStringList { QStringLiteral("llm.system=vertexai") }
                                      << QStringLiteral("vertexai");
    QTest::newRow("vercel openai.chat") << QStringList { QStringLiteral("ai.model.provider=openai.chat") }
                                        << QStringLiteral("openai");
    QTest::newRow("vercel anthropic") << QStringList { QStringLiteral("ai.model.provider=anthropic.messages") }
                                      << QStringLiteral("anthropic");
    QTest::newRow("vercel google") << QStringList { QStringLiteral("ai.model.provider=google.generative-ai") }
                                   << QStringLiteral("google");
    QTest::newRow("vercel bedrock") << QStringList { QStringLiteral("ai.model.provider=amazon-bedrock") }
                                    << QStringLiteral("amazon-bedrock");
    QTest::newRow("gen_ai over vercel") << QStringList { QStringLiteral("ai.model.provider=openai.chat"),
        QStringLiteral("gen_ai.system=openai.chat") }
                                        << QStringLiteral("openai.chat");
    QTest::newRow("blank") << QStringList { QStringLiteral("gen_ai.system=  ") } << QString();
}

void TestNormalizer::providerNormalisation()
{
    QFETCH(QStringList, attrs);
    QFETCH(QString, provider);
    QCOMPARE(q(normalized("x", parseAttrs(attrs)).provider), provider);
}

void TestNormalizer::kindPrecedence_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("attrs");
    QTest::addColumn<QString>("kind");
    QTest::newRow("openinference over gen_ai")
        << QStringLiteral("chat")
        << QStringList { QStringLiteral("gen_ai.operation.name=chat"), QStringLiteral("openinference.span.kind=CHAIN") }
        << QStringLiteral("chain");
    QTest::newRow("gen_ai over ADK name")
        << QStringLiteral("call_llm") << QStringList { QStringLiteral("gen_ai.operation.name=execute_tool") }
        << QStringLiteral("tool");
    QTest::newRow("ADK name over traceloop")
        << QStringLiteral("call_llm") << QStringList { QStringLiteral("traceloop.span.kind=task") }
        << QStringLiteral("llm");
    QTest::newRow("traceloop over vercel")
        << QStringLiteral("ai.generateText") << QStringList { QStringLiteral("traceloop.span.kind=tool") }
        << QStringLiteral("tool");
    QTest::newRow("unknown openinference falls through")
        << QStringLiteral("x")
        << QStringList { QStringLiteral("openinference.span.kind=UNKNOWN"),
               QStringLiteral("gen_ai.operation.name=embeddings") }
        << QStringLiteral("embedding");
    QTest::newRow("gen_ai over vercel") << QStringLiteral("ai.generateText.doGenerate")
                                        << QStringList { QStringLiteral("gen_ai.operation.name=invoke_agent") }
                                        << QStringLiteral("agent");
    QTest::newRow("model alone means a model call")
        << QStringLiteral("openai.chat") << QStringList { QStringLiteral("gen_ai.request.model=gpt-4") }
        << QStringLiteral("llm");
}

void TestNormalizer::kindPrecedence()
{
    QFETCH(QString, name);
    QFETCH(QStringList, attrs);
    QFETCH(QString, kind);
    QCOMPARE(kindName(normalized(name.toStdString(), parseAttrs(attrs)).kind), kind);
}

void TestNormalizer::modelPrecedence()
{
    const Span span = normalized("x",
        {
            str("ai.model.id", "vercel-model"),
            str("llm.model_name", "oi-model"),
            str("gen_ai.request.model", "genai-request"),
            str("ai.response.model", "vercel-response"),
            str("gen_ai.response.model", "genai-response"),
        });
    QCOMPARE(q(span.request_model), QStringLiteral("genai-request"));
    QCOMPARE(q(span.response_model), QStringLiteral("genai-response"));
    QCOMPARE(q(span.model()), QStringLiteral("genai-response"));

    const Span oi = normalized("x", { str("ai.model.id", "vercel-model"), str("llm.model_name", "oi-model") });
    QCOMPARE(q(oi.request_model), QStringLiteral("oi-model"));

    const Span vercel = normalized("x", { str("ai.model.id", "m1"), str("ai.response.model", "m1-2025") });
    QCOMPARE(q(vercel.request_model), QStringLiteral("m1"));
    QCOMPARE(q(vercel.response_model), QStringLiteral("m1-2025"));
}

void TestNormalizer::sessionAndUserPrecedence_data()
{
    QTest::addColumn<QStringList>("attrs");
    QTest::addColumn<QString>("session");
    QTest::addColumn<QString>("user");
    const QStringList all {
        QStringLiteral("ai.telemetry.metadata.sessionId=vercel"),
        QStringLiteral("traceloop.association.properties.session_id=traceloop"),
        QStringLiteral("gcp.vertex.agent.session_id=adk"),
        QStringLiteral("gen_ai.conversation.id=genai"),
        QStringLiteral("session.id=oi"),
        QStringLiteral("ai.telemetry.metadata.userId=vercel-user"),
        QStringLiteral("traceloop.association.properties.user_id=traceloop-user"),
        QStringLiteral("enduser.id=enduser"),
        QStringLiteral("user.id=oi-user"),
    };
    QTest::newRow("all") << all << QStringLiteral("oi") << QStringLiteral("oi-user");
    QTest::newRow("no session.id") << all.mid(0, 4) + all.mid(5, 3) << QStringLiteral("genai")
                                   << QStringLiteral("enduser");
    QTest::newRow("adk") << all.mid(0, 3) + all.mid(5, 2) << QStringLiteral("adk") << QStringLiteral("traceloop-user");
    QTest::newRow("traceloop") << all.mid(0, 2) + all.mid(5, 1) << QStringLiteral("traceloop")
                               << QStringLiteral("vercel-user");
    QTest::newRow("vercel snake case") << QStringList { QStringLiteral("ai.telemetry.metadata.session_id=s"),
        QStringLiteral("ai.telemetry.metadata.user_id=u") }
                                       << QStringLiteral("s") << QStringLiteral("u");
    QTest::newRow("numeric user") << QStringList { QStringLiteral("user.id#=42") } << QString() << QStringLiteral("42");
    QTest::newRow("blank skipped") << QStringList { QStringLiteral("session.id= "),
        QStringLiteral("gen_ai.conversation.id=c") }
                                   << QStringLiteral("c") << QString();
}

void TestNormalizer::sessionAndUserPrecedence()
{
    QFETCH(QStringList, attrs);
    QFETCH(QString, session);
    QFETCH(QString, user);
    const Span span = normalized("x", parseAttrs(attrs));
    QCOMPARE(q(span.session_id), session);
    QCOMPARE(q(span.user_id), user);
}

void TestNormalizer::payloadPrecedence()
{
    // OpenInference's input.value wins over OTel GenAI messages, which win over flattened prompts.
    const Span a = normalized("x",
        {
            str("gen_ai.prompt.0.content", "flat"),
            str("gen_ai.input.messages", R"([{"role":"user"}])"),
            str("input.value", "oi"),
            str("gen_ai.completion.0.content", "flat-out"),
            str("gen_ai.output.messages", R"([{"role":"assistant"}])"),
        });
    QCOMPARE(q(a.input), QStringLiteral("oi"));
    QCOMPARE(q(a.output), QStringLiteral(R"([{"role":"assistant"}])"));

    // Empty strings and ADK's "{}" are no payload: the next candidate is taken.
    const Span b = normalized("x",
        {
            str("input.value", ""),
            str("gcp.vertex.agent.llm_request", "{}"),
            str("traceloop.entity.input", "task input"),
        });
    QCOMPARE(q(b.input), QStringLiteral("task input"));
}

void TestNormalizer::alreadySetFieldsNotOverwritten()
{
    Span span = spanOf("invoke_agent from-name",
        {
            str("openinference.span.kind", "LLM"),
            str("gen_ai.request.model", "attr-model"),
            str("gen_ai.response.model", "attr-response"),
            str("gen_ai.provider.name", "openai"),
            str("gen_ai.agent.name", "attr-agent"),
            str("gen_ai.tool.name", "attr-tool"),
            num("gen_ai.usage.input_tokens", 100),
            num("gen_ai.usage.output_tokens", 50),
            str("input.value", "attr-in"),
            str("output.value", "attr-out"),
            str("session.id", "attr-session"),
            str("user.id", "attr-user"),
        });
    span.kind = SpanKind::Tool;
    span.request_model = "native-model";
    span.response_model = "native-response";
    span.provider = "native-provider";
    span.agent_name = "native-agent";
    span.tool_name = "native-tool";
    span.tokens.input = 7;
    span.tokens.output = 3;
    span.input = "native-in";
    span.output = "native-out";
    span.session_id = "native-session";
    span.user_id = "native-user";
    const Span before = span;
    normalizeSpan(span);
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Tool));
    QCOMPARE(q(span.request_model), QStringLiteral("native-model"));
    QCOMPARE(q(span.response_model), QStringLiteral("native-response"));
    QCOMPARE(q(span.provider), QStringLiteral("native-provider"));
    QCOMPARE(q(span.agent_name), QStringLiteral("native-agent"));
    QCOMPARE(q(span.tool_name), QStringLiteral("native-tool"));
    QCOMPARE(n(span.tokens.input), 7);
    QCOMPARE(n(span.tokens.output), 3);
    QCOMPARE(n(span.tokens.total), 10); // derived from the native counts, not the attributes
    QCOMPARE(q(span.input), QStringLiteral("native-in"));
    QCOMPARE(q(span.output), QStringLiteral("native-out"));
    QCOMPARE(q(span.session_id), QStringLiteral("native-session"));
    QCOMPARE(q(span.user_id), QStringLiteral("native-user"));
    QVERIFY(span.attributes == before.attributes);
}

void TestNormalizer::unknownAttributesKept()
{
    Attributes attrs {
        str("gen_ai.operation.name", "chat"),
        str("my.custom.flag", "on"),
        num("gen_ai.usage.input_tokens", 10),
        str("gen_ai.prompt.0.content", "hi"),
        { "my.list", AttrValue::ofJson(R"(["a","b"])") },
        { "my.ratio", AttrValue::ofDouble(0.5) },
        str("my.custom.flag", "duplicate keys are kept too"),
    };
    Span span = spanOf("chat", attrs);
    std::vector<SpanEvent> events { { 5, "exception", { str("exception.message", "boom") } } };
    span.events = events;
    normalizeSpan(span);
    QVERIFY(span.attributes == attrs);
    QVERIFY(span.events == events);
    QCOMPARE(kindName(span.kind), kindName(SpanKind::Llm));
}

void TestNormalizer::flattenedMessagesInIndexOrder()
{
    const Span span = normalized("openai.chat",
        {
            str("gen_ai.prompt.10.role", "user"),
            str("gen_ai.prompt.10.content", "eleventh"),
            str("gen_ai.prompt.2.content", "third"),
            str("gen_ai.prompt.0.role", "system"),
            str("gen_ai.prompt.2.role", "assistant"),
            str("gen_ai.prompt.0.content", "first"),
            str("gen_ai.prompt.2.tool_calls.1.name", "second_call"),
            str("gen_ai.prompt.2.tool_calls.0.name", "first_call"),
            str("gen_ai.prompt.3.role", "tool"),
            str("gen_ai.prompt.3.tool_call_id", "call_0"),
            num("gen_ai.prompt.3.index", 3),
            str("gen_ai.prompt.notanumber.role", "ignored"),
        });
    const json in = parsed(span.input);
    QVERIFY(in.is_array());
    QCOMPARE(in.size(), std::size_t(4));
    QCOMPARE(q(in[0]["content"].get<std::string>()), QStringLiteral("first"));
    QCOMPARE(q(in[1]["content"].get<std::string>()), QStringLiteral("third"));
    QCOMPARE(q(in[1]["tool_calls"][0]["name"].get<std::string>()), QStringLiteral("first_call"));
    QCOMPARE(q(in[1]["tool_calls"][1]["name"].get<std::string>()), QStringLiteral("second_call"));
    QCOMPARE(q(in[2]["tool_call_id"].get<std::string>()), QStringLiteral("call_0"));
    QCOMPARE(in[2]["index"].get<int>(), 3);
    QCOMPARE(q(in[3]["content"].get<std::string>()), QStringLiteral("eleventh"));
    QVERIFY(span.output.empty());
}

void TestNormalizer::flattenedMessagesHostileIndex()
{
    // A huge nested index must not allocate a huge array; a path clashing with a value is dropped.
    const Span span = normalized("x",
        {
            str("gen_ai.completion.0.content", "text"),
            str("gen_ai.completion.0.content.nested", "clash"),
            str("gen_ai.completion.0.tool_calls.999999999999.name", "far"),
            str("gen_ai.completion.99999999999999999999999.content", "overflow"),
        });
    const json out = parsed(span.output);
    QVERIFY(out.is_array());
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(q(out[0]["content"].get<std::string>()), QStringLiteral("text"));
    QVERIFY(out[0]["tool_calls"].is_object());
    QCOMPARE(q(out[0]["tool_calls"]["999999999999"]["name"].get<std::string>()), QStringLiteral("far"));
}

void TestNormalizer::eventMessages()
{
    Span span = spanOf("chat gpt-4o", { str("gen_ai.operation.name", "chat"), str("gen_ai.system", "openai") });
    span.events = {
        { 1, "gen_ai.system.message", { str("gen_ai.system", "openai"), str("content", "Be brief.") } },
        { 2, "gen_ai.user.message", { str("gen_ai.system", "openai"), str("content", "Weather?") } },
        { 3, "gen_ai.assistant.message",
            { str("gen_ai.system", "openai"),
                { "tool_calls",
                    AttrValue::ofJson(
                        R"([{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{}"}}])") } } },
        { 4, "gen_ai.tool.message", { str("gen_ai.system", "openai"), str("id", "call_1"), str("content", "-3C") } },
        { 5, "exception", { str("exception.message", "ignored") } },
        { 6, "gen_ai.choice",
            { str("gen_ai.system", "openai"),
                { "body",
                    AttrValue::ofJson(
                        R"({"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Cold."}})") } } },
    };
    normalizeSpan(span);

    const json in = parsed(span.input);
    QVERIFY(in.is_array());
    QCOMPARE(in.size(), std::size_t(4));
    QCOMPARE(q(in[0].dump()), QStringLiteral(R"({"content":"Be brief.","role":"system"})"));
    QCOMPARE(q(in[1]["role"].get<std::string>()), QStringLiteral("user"));
    QCOMPARE(q(in[2]["role"].get<std::string>()), QStringLiteral("assistant"));
    QCOMPARE(q(in[2]["tool_calls"][0]["function"]["name"].get<std::string>()), QStringLiteral("weather"));
    QCOMPARE(q(in[3].dump()), QStringLiteral(R"({"content":"-3C","id":"call_1","role":"tool"})"));

    const json out = parsed(span.output);
    QVERIFY(out.is_array());
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(
        q(out[0].dump()), QStringLiteral(R"({"content":"Cold.","finish_reason":"stop","index":0,"role":"assistant"})"));
}

void TestNormalizer::olderContentEvents()
{
    Span span = spanOf("chat", { str("gen_ai.operation.name", "chat") });
    span.events = {
        { 1, "gen_ai.content.prompt", { str("gen_ai.prompt", R"([{"role":"user","content":"hi"}])") } },
        { 2, "gen_ai.content.completion", { str("gen_ai.completion", R"([{"role":"assistant","content":"yo"}])") } },
    };
    normalizeSpan(span);
    QCOMPARE(q(span.input), QStringLiteral(R"([{"role":"user","content":"hi"}])"));
    QCOMPARE(q(span.output), QStringLiteral(R"([{"role":"assistant","content":"yo"}])"));
}

void TestNormalizer::systemInstructionsAlone()
{
    const Span span = normalized("chat", { str("gen_ai.system_instructions", R"([{"type":"text","content":"x"}])") });
    QCOMPARE(q(span.input), QStringLiteral(R"([{"type":"text","content":"x"}])"));

    // A plain-text instruction is wrapped into a text part; an empty message list still yields a valid array.
    const Span text
        = normalized("chat", { str("gen_ai.system_instructions", "Be \"kind\""), str("gen_ai.input.messages", "[ ]") });
    const json in = parsed(text.input);
    QVERIFY(in.is_array());
    QCOMPARE(in.size(), std::size_t(1));
    QCOMPARE(q(in[0]["parts"][0]["content"].get<std::string>()), QStringLiteral("Be \"kind\""));
}

void TestNormalizer::tokenArithmetic_data()
{
    QTest::addColumn<QStringList>("attrs");
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("output");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<qint64>("cacheRead");
    QTest::addColumn<qint64>("cacheWrite");
    QTest::addColumn<qint64>("reasoning");

    auto l = [](std::initializer_list<const char *> items) {
        QStringList out;
        for (const char *s : items)
            out << QString::fromUtf8(s);
        return out;
    };

    // OTel GenAI: cache counts SHOULD be part of input_tokens, and are.
    QTest::newRow("otel inclusive") << l({ "gen_ai.usage.input_tokens#=1000", "gen_ai.usage.output_tokens#=200",
        "gen_ai.usage.cache_read.input_tokens#=800", "gen_ai.usage.cache_creation.input_tokens#=100" })
                                    << 1000LL << 200LL << 1200LL << 800LL << 100LL << -1LL;
    // Anthropic through a semconv instrumentation: 100 fresh + 800 read + 200 written, already summed.
    QTest::newRow("otel anthropic summed")
        << l({ "gen_ai.provider.name=anthropic", "gen_ai.usage.input_tokens#=1100", "gen_ai.usage.output_tokens#=50",
               "gen_ai.usage.cache_read.input_tokens#=800", "gen_ai.usage.cache_creation.input_tokens#=200" })
        << 1100LL << 50LL << 1150LL << 800LL << 200LL << -1LL;
    // Anthropic's raw input_tokens copied through: the cached part cannot be larger than the whole.
    QTest::newRow("otel anthropic raw") << l(
        { "gen_ai.provider.name=anthropic", "gen_ai.usage.input_tokens#=50", "gen_ai.usage.output_tokens#=20",
            "gen_ai.usage.cache_read.input_tokens#=800", "gen_ai.usage.cache_creation.input_tokens#=200" })
                                        << 1050LL << 20LL << 1070LL << 800LL << 200LL << -1LL;
    QTest::newRow("otel total reveals exclusive cache")
        << l({ "gen_ai.usage.input_tokens#=300", "gen_ai.usage.output_tokens#=100", "gen_ai.usage.total_tokens#=1400",
               "gen_ai.usage.cache_read.input_tokens#=1000" })
        << 1300LL << 100LL << 1400LL << 1000LL << -1LL << -1LL;
    QTest::newRow("otel reasoning inclusive") << l({ "gen_ai.usage.input_tokens#=100",
        "gen_ai.usage.output_tokens#=500", "gen_ai.usage.reasoning.output_tokens#=300" })
                                              << 100LL << 500LL << 600LL << -1LL << -1LL << 300LL;
    QTest::newRow("otel total reveals exclusive reasoning") << l({ "gen_ai.usage.input_tokens#=100",
        "gen_ai.usage.output_tokens#=200", "gen_ai.usage.total_tokens#=600", "gen_ai.usage.reasoning_tokens#=300" })
                                                            << 100LL << 500LL << 600LL << -1LL << -1LL << 300LL;
    QTest::newRow("otel reasoning larger than output")
        << l({ "gen_ai.usage.input_tokens#=10", "gen_ai.usage.output_tokens#=5", "gen_ai.usage.reasoning_tokens#=30" })
        << 10LL << 35LL << 45LL << -1LL << -1LL << 30LL;
    QTest::newRow("otel older names") << l({ "gen_ai.usage.prompt_tokens#=10", "gen_ai.usage.completion_tokens#=5" })
                                      << 10LL << 5LL << 15LL << -1LL << -1LL << -1LL;
    QTest::newRow("newer names over older") << l({ "gen_ai.usage.prompt_tokens#=1", "gen_ai.usage.completion_tokens#=2",
        "gen_ai.usage.input_tokens#=10", "gen_ai.usage.output_tokens#=20" })
                                            << 10LL << 20LL << 30LL << -1LL << -1LL << -1LL;
    QTest::newRow("zero cache is reported, not added")
        << l({ "gen_ai.usage.input_tokens#=100", "gen_ai.usage.cache_read.input_tokens#=0" }) << 100LL << -1LL << -1LL
        << 0LL << -1LL << -1LL;
    QTest::newRow("total only") << l({ "gen_ai.usage.total_tokens#=42" }) << -1LL << -1LL << 42LL << -1LL << -1LL
                                << -1LL;
    QTest::newRow("numbers as strings") << l({ "gen_ai.usage.input_tokens=12", "gen_ai.usage.output_tokens=8" }) << 12LL
                                        << 8LL << 20LL << -1LL << -1LL << -1LL;
    QTest::newRow("negative ignored") << l({ "gen_ai.usage.input_tokens#=-5", "gen_ai.usage.output_tokens#=8" }) << -1LL
                                      << 8LL << -1LL << -1LL << -1LL << -1LL;

    // OpenInference: prompt includes prompt_details, completion includes reasoning.
    QTest::newRow("openinference details") << l({ "llm.token_count.prompt#=1000", "llm.token_count.completion#=300",
        "llm.token_count.total#=1300", "llm.token_count.prompt_details.cache_read#=600",
        "llm.token_count.prompt_details.cache_write#=100", "llm.token_count.completion_details.reasoning#=120" })
                                           << 1000LL << 300LL << 1300LL << 600LL << 100LL << 120LL;
    QTest::newRow("openinference no total") << l({ "llm.token_count.prompt#=7", "llm.token_count.completion#=3" })
                                            << 7LL << 3LL << 10LL << -1LL << -1LL << -1LL;
    QTest::newRow("openinference cache_input") << l({ "llm.token_count.prompt#=70", "llm.token_count.completion#=3",
        "llm.token_count.prompt_details.cache_input#=40" })
                                               << 70LL << 3LL << 73LL << 40LL << -1LL << -1LL;

    // Vercel AI SDK.
    QTest::newRow("vercel v5 openai") << l(
        { "ai.model.provider=openai.responses", "ai.usage.inputTokens#=1000", "ai.usage.outputTokens#=300",
            "ai.usage.totalTokens#=1300", "ai.usage.cachedInputTokens#=700", "ai.usage.reasoningTokens#=100" })
                                      << 1000LL << 300LL << 1300LL << 700LL << -1LL << 100LL;
    QTest::newRow("vercel v5 anthropic") << l({ "ai.model.provider=anthropic.messages", "ai.usage.inputTokens#=20",
        "ai.usage.outputTokens#=50", "ai.usage.totalTokens#=70", "ai.usage.cachedInputTokens#=10" })
                                         << 30LL << 50LL << 80LL << 10LL << -1LL << -1LL;
    QTest::newRow("vercel v6 anthropic") << l({ "ai.model.provider=anthropic.messages", "ai.usage.inputTokens#=9500",
        "ai.usage.outputTokens#=300", "ai.usage.totalTokens#=9800", "ai.usage.cachedInputTokens#=8000",
        "ai.usage.inputTokenDetails.noCacheTokens#=1000", "ai.usage.inputTokenDetails.cacheReadTokens#=8000",
        "ai.usage.inputTokenDetails.cacheWriteTokens#=500", "ai.usage.outputTokenDetails.reasoningTokens#=0" })
                                         << 9500LL << 300LL << 9800LL << 8000LL << 500LL << 0LL;
    QTest::newRow("vercel v5 google thoughts")
        << l({ "ai.model.provider=google.generative-ai", "ai.usage.inputTokens#=100", "ai.usage.outputTokens#=50",
               "ai.usage.totalTokens#=180", "ai.usage.reasoningTokens#=30" })
        << 100LL << 80LL << 180LL << -1LL << -1LL << 30LL;
    QTest::newRow("vercel v4") << l({ "ai.usage.promptTokens#=10", "ai.usage.completionTokens#=20" }) << 10LL << 20LL
                               << 30LL << -1LL << -1LL << -1LL;

    // Traceloop / OpenLLMetry.
    QTest::newRow("traceloop total") << l({ "gen_ai.usage.prompt_tokens#=10", "gen_ai.usage.completion_tokens#=5",
        "llm.usage.total_tokens#=15", "gen_ai.usage.cache_read_input_tokens#=4" })
                                     << 10LL << 5LL << 15LL << 4LL << -1LL << -1LL;

    // Google ADK: gen_ai.usage.* hold prompt and candidates; thoughts and cache come from the JSON.
    QTest::newRow("adk attrs and json") << l({ "gen_ai.system=gcp.vertex.agent", "gen_ai.usage.input_tokens#=100",
        "gen_ai.usage.output_tokens#=20",
        R"(gcp.vertex.agent.llm_response={"usage_metadata":{"prompt_token_count":100,"candidates_token_count":20,"total_token_count":150,"thoughts_token_count":30,"cached_content_token_count":40}})" })
                                        << 100LL << 50LL << 150LL << 40LL << -1LL << 30LL;
    QTest::newRow("adk json camelCase") << l(
        { R"(gcp.vertex.agent.llm_response={"usageMetadata":{"prompt_token_count":9,"candidates_token_count":1}})" })
                                        << 9LL << 1LL << 10LL << -1LL << -1LL << -1LL;
    QTest::newRow("adk no thoughts") << l({ "gen_ai.usage.input_tokens#=100", "gen_ai.usage.output_tokens#=20",
        R"(gcp.vertex.agent.llm_response={"usage_metadata":{"prompt_token_count":100,"candidates_token_count":20,"total_token_count":120}})" })
                                     << 100LL << 20LL << 120LL << -1LL << -1LL << -1LL;
    QTest::newRow("adk broken json") << l(
        { "gen_ai.usage.input_tokens#=5", R"(gcp.vertex.agent.llm_response={"usage_metadata":{"prompt_tok)" })
                                     << 5LL << -1LL << -1LL << -1LL << -1LL << -1LL;
}

void TestNormalizer::tokenArithmetic()
{
    QFETCH(QStringList, attrs);
    QFETCH(qint64, input);
    QFETCH(qint64, output);
    QFETCH(qint64, total);
    QFETCH(qint64, cacheRead);
    QFETCH(qint64, cacheWrite);
    QFETCH(qint64, reasoning);
    const Span span = normalized("llm", parseAttrs(attrs));
    QCOMPARE(n(span.tokens.input), input);
    QCOMPARE(n(span.tokens.output), output);
    QCOMPARE(n(span.tokens.total), total);
    QCOMPARE(n(span.tokens.cache_read), cacheRead);
    QCOMPARE(n(span.tokens.cache_write), cacheWrite);
    QCOMPARE(n(span.tokens.reasoning), reasoning);
}

void TestNormalizer::nativeTokensCompleted()
{
    // Counts the native API left out are filled in; the ones it set stay.
    Span span = spanOf("x",
        { num("gen_ai.usage.input_tokens", 100), num("gen_ai.usage.output_tokens", 40),
            num("gen_ai.usage.cache_read.input_tokens", 60) });
    span.tokens.input = 120;
    normalizeSpan(span);
    QCOMPARE(n(span.tokens.input), 120);
    QCOMPARE(n(span.tokens.output), 40);
    QCOMPARE(n(span.tokens.cache_read), 60);
    QCOMPARE(n(span.tokens.total), 160); // from the counts the span ends up with
}

void TestNormalizer::failuresRecognised_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("status"); ///< as the producer set it
    QTest::addColumn<QString>("errorType"); ///< error.type, "" for none
    QTest::addColumn<QString>("exception"); ///< an exception event's message, "" for none
    QTest::addColumn<QString>("result"); ///< a tool result (gen_ai.tool.call.result), "" for none
    QTest::addColumn<QString>("wantStatus");
    QTest::addColumn<QString>("wantMessage");
    const int unset = int(StatusCode::Unset);
    QTest::newRow("exception event") << "chat" << unset << ""
                                     << "bad gateway"
                                     << ""
                                     << "error"
                                     << "bad gateway";
    QTest::newRow("error.type") << "chat" << unset << "timeout"
                                << ""
                                << ""
                                << "error"
                                << "timeout";
    QTest::newRow("ADK's error response") << "execute_tool get_weather" << unset << ""
                                          << ""
                                          << R"({"error": "Error in tool 'get_weather': boom"})"
                                          << "error"
                                          << "Error in tool 'get_weather': boom";
    QTest::newRow("error object") << "execute_tool search" << unset << ""
                                  << ""
                                  << R"({"error": {"code": 404, "reason": "no such page"}})"
                                  << "error"
                                  << R"({"code":404,"reason":"no such page"})";
    QTest::newRow("MCP isError") << "execute_tool fetch" << unset << ""
                                 << ""
                                 << R"({"isError": true, "content": [{"type": "text", "text": "HTTP 503"}]})"
                                 << "error"
                                 << "HTTP 503";
    QTest::newRow("result without error") << "execute_tool get_weather" << unset << ""
                                          << ""
                                          << R"({"forecast": "sunny", "errors_seen": 0})"
                                          << "unset"
                                          << "";
    QTest::newRow("empty error") << "execute_tool get_weather" << unset << ""
                                 << ""
                                 << R"({"error": ""})"
                                 << "unset"
                                 << "";
    QTest::newRow("null error") << "execute_tool get_weather" << unset << ""
                                << ""
                                << R"({"error": null})"
                                << "unset"
                                << "";
    QTest::newRow("not JSON") << "execute_tool get_weather" << unset << ""
                              << ""
                              << R"({"error": "half)"
                              << "unset"
                              << "";
    QTest::newRow("nested 200,000 deep") << "execute_tool get_weather" << unset << ""
                                         << ""
                                         << QStringLiteral(R"({"error":)") + QString(200'000, QLatin1Char('['))
            + QString(200'000, QLatin1Char(']')) + QLatin1Char('}')
                                         << "unset"
                                         << "";
    QTest::newRow("explicit ok wins") << "chat" << int(StatusCode::Ok) << "timeout"
                                      << "handled"
                                      << ""
                                      << "ok"
                                      << "";
    QTest::newRow("explicit error keeps its message") << "execute_tool get_weather" << int(StatusCode::Error) << ""
                                                      << "trace"
                                                      << R"({"error": "other"})"
                                                      << "error"
                                                      << "rate limited";
}

void TestNormalizer::failuresRecognised()
{
    QFETCH(QString, name);
    QFETCH(int, status);
    QFETCH(QString, errorType);
    QFETCH(QString, exception);
    QFETCH(QString, result);
    QFETCH(QString, wantStatus);
    QFETCH(QString, wantMessage);
    Attributes attrs;
    if (name.startsWith(QStringLiteral("execute_tool")))
        attrs.push_back(str("gen_ai.operation.name", "execute_tool"));
    else
        attrs.push_back(str("gen_ai.operation.name", "chat"));
    if (!errorType.isEmpty())
        attrs.push_back(str("error.type", errorType.toStdString()));
    if (!result.isEmpty())
        attrs.push_back(str("gen_ai.tool.call.result", result.toStdString()));
    Span span = spanOf(name.toStdString(), std::move(attrs));
    span.status = static_cast<StatusCode>(status);
    if (span.status == StatusCode::Error)
        span.status_message = "rate limited";
    if (!exception.isEmpty())
        span.events = { { 1, "exception",
            { str("exception.type", "RuntimeError"), str("exception.message", exception.toStdString()) } } };
    normalizeSpan(span);
    QCOMPARE(q(toString(span.status)), wantStatus);
    QCOMPARE(q(span.status_message), wantMessage);
}

void TestNormalizer::toolFailuresReportedToTheModel_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<QStringList>("results"); ///< "tool|id|arguments|failed:message" each, in order
    // ADK (Gemini contents): the failed call's response after the last model turn. The failure of
    // the earlier turn was reported by the call before this one already.
    QTest::newRow("ADK")
        << QString::fromUtf8(R"({"model":"gemini-2.5-flash","contents":[
        {"role":"user","parts":[{"text":"Weather in Lisbon and Atlantis?"}]},
        {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
        {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"error":"old"}}}]},
        {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Lisbon"}}},
                                 {"functionCall":{"name":"get_weather","args":{"city":"Atlantis"}}}]},
        {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"forecast":"sunny"}}},
            {"functionResponse":{"name":"get_weather","response":{"error":"Error in tool 'get_weather': unknown city"}}}]}]})")
        << QStringList { QStringLiteral(R"(get_weather||{"city":"Lisbon"}|ok)"),
               QStringLiteral(R"(get_weather||{"city":"Atlantis"}|failed:Error in tool 'get_weather': unknown city)") };
    QTest::newRow("Anthropic is_error") << QString::fromUtf8(R"([
        {"role":"user","content":"Find flights"},
        {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"search_flights","input":{"to":"LIS"}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,
            "content":[{"type":"text","text":"backend timeout"}]}]}])")
                                        << QStringList { QStringLiteral(
                                               R"(search_flights|toolu_1|{"to":"LIS"}|failed:backend timeout)") };
    QTest::newRow("AI SDK error-text") << QString::fromUtf8(R"([
        {"role":"user","content":[{"type":"text","text":"Weather?"}]},
        {"role":"assistant","content":[{"type":"tool-call","toolCallId":"c1","toolName":"weather","input":{"city":"Oslo"}}]},
        {"role":"tool","content":[{"type":"tool-result","toolCallId":"c1","toolName":"weather",
            "output":{"type":"error-text","value":"no station"}}]}])")
                                       << QStringList { QStringLiteral(
                                              R"(weather|c1|{"city":"Oslo"}|failed:no station)") };
    QTest::newRow("all succeeded") << QString::fromUtf8(R"({"contents":[
        {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{}}}]},
        {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"result":"an error-free day"}}}]}]})")
                                   << QStringList {};
    QTest::newRow("a failure reported earlier") << QString::fromUtf8(R"({"contents":[
        {"role":"model","parts":[{"functionCall":{"name":"t","args":{}}}]},
        {"role":"user","parts":[{"functionResponse":{"name":"t","response":{"error":"boom"}}}]},
        {"role":"model","parts":[{"text":"Sorry, that failed."}]},
        {"role":"user","parts":[{"text":"Try again"}]}]})")
                                                << QStringList {};
    QTest::newRow("Anthropic results that succeeded") << QString::fromUtf8(R"([
        {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"a","input":{}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error": false,"content":"ok"}]}])")
                                                      << QStringList {};
    QTest::newRow("not JSON") << QStringLiteral(R"({"functionResponse": {"error": )") << QStringList {};
    // Nested far deeper than any decoder accepts: not parsed (dumping it would recurse per level).
    QTest::newRow("arguments nested 100,000 deep")
        << (QStringLiteral(R"({"contents":[{"role":"model","parts":[{"functionCall":{"name":"t","args":)")
               + QString(100'000, QLatin1Char('[')) + QString(100'000, QLatin1Char(']'))
               + QStringLiteral(
                   R"(}}]},{"role":"user","parts":[{"functionResponse":{"name":"t","response":{"error":"x"}}}]}]})"))
        << QStringList {};
    // A whole stack trace as the error: cut to the message length the error groups key by.
    QTest::newRow("long error")
        << (QStringLiteral(R"({"contents":[{"role":"model","parts":[{"functionCall":{"name":"t","args":{}}}]},)")
               + QStringLiteral(R"({"role":"user","parts":[{"functionResponse":{"name":"t","response":{"error":")")
               + QString(2000, QLatin1Char('e')) + QStringLiteral(R"("}}}]}]})"))
        << QStringList { QStringLiteral("t||{}|failed:") + QString(512, QLatin1Char('e')) + QStringLiteral("…") };
    QTest::newRow("plain prompt") << QStringLiteral("What is an error?") << QStringList {};
}

void TestNormalizer::toolFailuresReportedToTheModel()
{
    QFETCH(QString, request);
    QFETCH(QStringList, results);
    Span call = spanOf("call_llm",
        { str("gcp.vertex.agent.llm_request", request.toStdString()),
            str("gen_ai.request.model", "gemini-2.5-flash") });
    normalizeSpan(call);
    QCOMPARE(q(toString(call.kind)), QStringLiteral("llm"));
    QStringList got;
    for (const auto &r : call.reported_tool_results)
        got << q(r.tool_name) + QLatin1Char('|') + q(r.call_id) + QLatin1Char('|') + q(json::parse(r.arguments).dump())
                + QLatin1Char('|') + (r.failed ? QStringLiteral("failed:") + q(r.message) : QStringLiteral("ok"));
    QCOMPARE(got, results);
    // The model call itself did not fail.
    QCOMPARE(q(toString(call.status)), QStringLiteral("unset"));
}

void TestNormalizer::usageCountedOncePerConvention_data()
{
    // Each convention's outer span repeats the usage of the model calls inside it; a total adds
    // the calls alone. Rows: the outer span's attributes, the calls' attributes, the calls' input.
    QTest::addColumn<QString>("outerName");
    QTest::addColumn<QStringList>("outer"); ///< as parseAttrs reads them
    QTest::addColumn<QString>("callName");
    QTest::addColumn<QStringList>("call");
    QTest::addColumn<qint64>("input"); ///< per call; the total is twice this
    QTest::newRow("AI SDK generateText")
        << "ai.generateText"
        << QString::fromLatin1("ai.operationId=ai.generateText;ai.usage.inputTokens#=84").split(u';')
        << "ai.generateText.doGenerate"
        << QString::fromLatin1("ai.operationId=ai.generateText.doGenerate;ai.usage.inputTokens#=42").split(u';')
        << qint64(42);
    QTest::newRow("AI SDK embedMany")
        << "ai.embedMany" << QString::fromLatin1("ai.operationId=ai.embedMany;ai.usage.tokens#=84").split(u';')
        << "ai.embedMany.doEmbed"
        << QString::fromLatin1("ai.operationId=ai.embedMany.doEmbed;ai.usage.tokens#=42").split(u';') << qint64(42);
    QTest::newRow("OpenInference chain")
        << "RunnableSequence"
        << QString::fromLatin1("openinference.span.kind=CHAIN;llm.token_count.prompt#=84").split(u';') << "ChatOpenAI"
        << QString::fromLatin1("openinference.span.kind=LLM;llm.token_count.prompt#=42").split(u';') << qint64(42);
    QTest::newRow("OpenInference agent")
        << "agent" << QString::fromLatin1("openinference.span.kind=AGENT;llm.token_count.prompt#=84").split(u';')
        << "llm" << QString::fromLatin1("openinference.span.kind=LLM;llm.token_count.prompt#=42").split(u';')
        << qint64(42);
    QTest::newRow("Traceloop workflow")
        << "plan.workflow"
        << QString::fromLatin1("traceloop.span.kind=workflow;gen_ai.usage.input_tokens#=84").split(u';')
        << "openai.chat" << QString::fromLatin1("llm.request.type=chat;gen_ai.usage.input_tokens#=42").split(u';')
        << qint64(42);
    QTest::newRow("ADK invoke_agent") << "invoke_agent weather"
                                      << QString::fromLatin1("gen_ai.usage.input_tokens#=84").split(u';') << "call_llm"
                                      << QString::fromLatin1("gen_ai.usage.input_tokens#=42").split(u';') << qint64(42);
    QTest::newRow("OTel GenAI invoke_agent")
        << "invoke_agent"
        << QString::fromLatin1("gen_ai.operation.name=invoke_agent;gen_ai.usage.input_tokens#=84").split(u';')
        << "chat gpt-4o" << QString::fromLatin1("gen_ai.operation.name=chat;gen_ai.usage.input_tokens#=42").split(u';')
        << qint64(42);
}

void TestNormalizer::usageCountedOncePerConvention()
{
    QFETCH(QString, outerName);
    QFETCH(QStringList, outer);
    QFETCH(QString, callName);
    QFETCH(QStringList, call);
    QFETCH(qint64, input);
    Span parent = spanOf(outerName.toStdString(), parseAttrs(outer));
    normalizeSpan(parent);
    QCOMPARE(parent.tokens.input, std::optional<std::int64_t>(2 * input)); // shown on the span as reported
    QVERIFY(!countsUsage(parent.kind));
    UsageTotals total;
    total.add(parent);
    for (int i = 0; i < 2; ++i) {
        Span child = spanOf(callName.toStdString(), parseAttrs(call));
        normalizeSpan(child);
        QVERIFY(countsUsage(child.kind));
        total.add(child);
    }
    QCOMPARE(total.input, 2 * input);
}

void TestNormalizer::toolNamedBySpanName()
{
    // OpenInference's traceTool names the tool only in the span name.
    Span tool = normalized("get_weather", { str("openinference.span.kind", "TOOL") });
    QCOMPARE(q(tool.tool_name), QStringLiteral("get_weather"));
    Span chain = normalized("plan", { str("openinference.span.kind", "CHAIN") });
    QVERIFY(chain.tool_name.empty());
}

void TestNormalizer::invalidJsonAttributeDoesNotThrow()
{
    Span span = spanOf("chat",
        {
            { "gen_ai.prompt.0.content", AttrValue::ofJson("{not json") },
            str("gen_ai.prompt.0.role",
                std::string("us\xff\xfe"
                            "er")),
        });
    span.events = { { 1, "gen_ai.choice", { { "body", AttrValue::ofJson("[1,2") } } } };
    normalizeSpan(span);
    const json in = parsed(span.input);
    QVERIFY(in.is_array());
    QCOMPARE(q(in[0]["content"].get<std::string>()), QStringLiteral("{not json"));
    QVERIFY(!span.output.empty());
}

QTEST_GUILESS_MAIN(TestNormalizer)
#include "tst_normalizer.moc"

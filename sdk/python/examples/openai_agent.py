"""An agent that calls an OpenAI-compatible chat completions endpoint, with tool calling, and
records each call's usage as the provider reported it. Standard library only.

    export OPENAI_API_KEY=sk-...                      # the provider's key
    export OPENAI_BASE_URL=https://api.openai.com/v1  # or any compatible server (vLLM, Ollama, ...)
    export OPENAI_MODEL=gpt-4o-mini
    python3 examples/openai_agent.py "What's the weather in Paris?"

Traces go to AGENTOPS_ENDPOINT (default http://127.0.0.1:4318, the desktop app), with
AGENTOPS_API_KEY for a team server. The model calls show their tokens (cached and reasoning ones
too) and cost; the tool calls their arguments and results.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from typing import Any, Dict, List

import agentops_monitor as aom

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather in a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
]


@aom.trace_tool
def get_weather(city: str) -> Dict[str, Any]:
    # A real agent would call a weather service here (with aom.inject() headers).
    return {"city": city, "forecast": "sunny", "temperature_c": 24}


def chat(messages: List[Dict[str, Any]]) -> Dict[str, Any]:
    """One chat completion, recorded as an LLM span with the usage the provider reported."""
    base_url = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1").rstrip("/")
    model = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
    with aom.llm(model, provider="openai") as call:
        call.set_input(messages)
        request = urllib.request.Request(
            base_url + "/chat/completions",
            data=json.dumps({"model": model, "messages": messages, "tools": TOOLS}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": "Bearer " + os.environ.get("OPENAI_API_KEY", ""),
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            completion: Dict[str, Any] = json.load(response)
        choice = completion["choices"][0]
        message = dict(choice["message"], finish_reason=choice.get("finish_reason"))
        call.set_output([message])
        usage = completion.get("usage") or {}
        call.set_usage(
            # OpenAI's prompt_tokens include the cached ones, completion_tokens the reasoning ones,
            # which is how the SDK counts them too.
            input_tokens=usage.get("prompt_tokens"),
            output_tokens=usage.get("completion_tokens"),
            cache_read_tokens=(usage.get("prompt_tokens_details") or {}).get("cached_tokens"),
            reasoning_tokens=(usage.get("completion_tokens_details") or {}).get("reasoning_tokens"),
        )
        call.set_response(model=completion.get("model"), response_id=completion.get("id"))
        return choice["message"]  # type: ignore[no-any-return]


def run(question: str) -> str:
    messages: List[Dict[str, Any]] = [
        {"role": "system", "content": "You answer questions about the weather."},
        {"role": "user", "content": question},
    ]
    for _ in range(5):
        message = chat(messages)
        messages.append(message)
        calls = message.get("tool_calls") or []
        if not calls:
            return str(message.get("content") or "")
        for tool_call in calls:
            arguments = json.loads(tool_call["function"]["arguments"] or "{}")
            result = get_weather(**arguments)
            messages.append(
                {"role": "tool", "tool_call_id": tool_call["id"], "content": json.dumps(result)}
            )
    return "I could not finish in five steps."


def main() -> int:
    question = " ".join(sys.argv[1:]) or "What's the weather in Paris?"
    aom.init(service_name="openai-agent-example")
    with aom.agent("weather_agent", session_id=os.environ.get("SESSION_ID")) as agent:
        agent.set_input(question)
        answer = run(question)
        agent.set_output(answer)
    print(answer)
    delivered = aom.shutdown(timeout=10)
    print(agent.trace_id)
    return 0 if delivered else 1


if __name__ == "__main__":
    sys.exit(main())

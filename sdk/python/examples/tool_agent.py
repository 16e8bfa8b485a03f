"""A plain-Python agent that plans a trip with three tools, one of which fails.

Run AgentOps Monitor (or `agentops-server --auth none`) on this machine, then:

    python3 examples/tool_agent.py

and the run appears in the trace list: an agent span, the planner's model calls with their token
usage, and the tool calls with their arguments and results (the failed one in red). The "model"
here is a few lines of rules so that the example runs anywhere; openai_agent.py calls a real one.
Set AGENTOPS_ENDPOINT / AGENTOPS_API_KEY to send to a team server.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Dict, List, Tuple

import agentops_monitor as aom

FORECASTS = {"paris": "sunny, 24 °C", "london": "rain, 16 °C"}
RATES = {("EUR", "GBP"): 0.85}


@aom.trace_tool
def get_weather(city: str) -> Dict[str, str]:
    forecast = FORECASTS.get(city.lower())
    if forecast is None:
        raise LookupError(f"no forecast for {city}")
    return {"city": city, "forecast": forecast}


@aom.trace_tool
def convert_currency(amount: float, source: str, target: str) -> Dict[str, Any]:
    rate = RATES[(source, target)]
    return {"amount": round(amount * rate, 2), "currency": target}


def plan(question: str, done: List[Tuple[str, Any]]) -> Tuple[str, Dict[str, Any]]:
    """The "model": picks the next tool call from what has been done so far."""
    steps: List[Tuple[str, Dict[str, Any]]] = [
        ("get_weather", {"city": "Paris"}),
        ("get_weather", {"city": "Atlantis"}),
        ("convert_currency", {"amount": 120.0, "source": "EUR", "target": "GBP"}),
    ]
    if len(done) < len(steps):
        return steps[len(done)]
    return "answer", {}


def call_model(messages: List[Dict[str, Any]], done: List[Tuple[str, Any]]) -> Tuple[str, Any]:
    with aom.llm("rules-v1", provider="example") as call:
        call.set_input(messages)
        action, arguments = plan(messages[0]["content"], done)
        if action == "answer":
            text = "Paris is sunny (24 °C); 120 EUR is about 102 GBP. No forecast for Atlantis."
            call.set_output([{"role": "assistant", "content": text, "finish_reason": "stop"}])
        else:
            call.set_output(
                [
                    {
                        "role": "assistant",
                        "tool_calls": [
                            {
                                "id": f"call_{len(done)}",
                                "function": {"name": action, "arguments": arguments},
                            }
                        ],
                        "finish_reason": "tool_calls",
                    }
                ]
            )
        # A real model reports its usage; these rules count words instead.
        words = sum(len(str(m.get("content", "")).split()) for m in messages)
        call.set_usage(input_tokens=words, output_tokens=12)
        return action, (text if action == "answer" else arguments)


TOOLS: Dict[str, Callable[..., Any]] = {
    "get_weather": get_weather,
    "convert_currency": convert_currency,
}


def run(question: str) -> str:
    messages: List[Dict[str, Any]] = [{"role": "user", "content": question}]
    done: List[Tuple[str, Any]] = []
    while True:
        action, payload = call_model(messages, done)
        if action == "answer":
            return str(payload)
        try:
            result: Any = TOOLS[action](**payload)
        except LookupError as e:
            result = {"error": str(e)}
        done.append((action, result))
        messages.append(
            {"role": "tool", "tool_call_id": f"call_{len(done) - 1}", "content": str(result)}
        )


def main() -> int:
    aom.init(service_name="trip-planner-example")
    question = "Weather in Paris and Atlantis, and 120 EUR in GBP?"
    with aom.agent("trip_planner", session_id="example-session", user_id="example-user") as agent:
        agent.set_input(question)
        answer = run(question)
        agent.set_output(answer)
    print(answer)
    delivered = aom.shutdown(timeout=10)
    print(agent.trace_id)
    return 0 if delivered else 1


if __name__ == "__main__":
    sys.exit(main())

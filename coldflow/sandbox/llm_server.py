"""A local stand-in for an OpenAI-compatible LLM: a real HTTP server on loopback.

It speaks the chat-completions API (`POST /v1/chat/completions`), answers deterministically
from the facts it is given, records the exact request bodies it received, and can be told to
misbehave the way real providers do, one scripted behaviour per request:

    with LlmStandIn(api_key="sk-test") as llm:
        llm.script("429", "timeout", "invented_fact")
        ...  # point LLM_BASE_URL at llm.base_url

Behaviours: "ok" (the default answer), "timeout" (answer after `slow_seconds`), "429" (with
Retry-After: `retry_after`), "500", "503", "malformed" (a 200 whose body is broken JSON),
"not_json" (the model answers prose instead of the JSON asked for), "invented_fact" (cites a
fact id it was not given), "foreign_link" / "foreign_email" (a link or address that is in no
fact), "lint_break" (an answer with an unresolved variable), "echo_data" (repeats the whole
fenced data back as the body).

The answer is grounded in what the request carries between the data markers the email writer
uses (a JSON document with recipient, sender and facts); a request without them gets a short
plain answer built from its last message. A request whose system prompt asks for a `"line"`
(the first-line writer's) gets `{"line", "facts_used"}` instead of a whole email, misbehaving
the same ways.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BEHAVIOURS = frozenset(
    {
        "ok",
        "timeout",
        "429",
        "500",
        "503",
        "malformed",
        "not_json",
        "invented_fact",
        "foreign_link",
        "foreign_email",
        "lint_break",
        "echo_data",
    }
)
# The email writer fences data as <<<DATA-xxxx … DATA-xxxx>>> (coldflow.compose.llm_writer).
_FENCE = re.compile(r"<<<(DATA-[0-9a-f]+)\n(.*?)\n\1>>>", re.DOTALL)


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    authorization: str
    # The body exactly as received, and parsed (None when it was not JSON).
    raw: bytes
    body: Any


class LlmStandIn:
    """Start with `with LlmStandIn() as llm:` or `start()` / `stop()`."""

    def __init__(
        self,
        *,
        api_key: str = "sk-standin",
        model: str = "standin-1",
        host: str = "127.0.0.1",
        port: int = 0,
        slow_seconds: float = 5.0,
        retry_after: float = 1.0,
    ):
        self.api_key = api_key
        self.model = model
        self.slow_seconds = slow_seconds
        self.retry_after = retry_after
        self.requests: list[ReceivedRequest] = []
        # Requests being answered right now, and the most there ever were at once.
        self.in_flight = 0
        self.max_in_flight = 0
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *behaviours: str) -> None:
        """Behaviours for the next requests, in order; afterwards, normal answers."""
        unknown = set(behaviours) - BEHAVIOURS
        if unknown:
            raise ValueError(f"unknown behaviours: {sorted(unknown)}")
        with self._lock:
            self._script.extend(behaviours)

    def next_behaviour(self) -> str:
        with self._lock:
            return self._script.popleft() if self._script else "ok"

    def record(self, request: ReceivedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def start(self) -> LlmStandIn:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="llm-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LlmStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler(standin: LlmStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            pass

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            standin._enter()
            try:
                self._answer()
            finally:
                standin._leave()

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            authorization = self.headers.get("Authorization", "")
            standin.record(ReceivedRequest(self.path, authorization, raw, body))
            if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                return self._error(404, "not_found", f"no route {self.path}")
            if authorization != f"Bearer {standin.api_key}":
                return self._error(401, "invalid_api_key", "Incorrect API key provided.")
            if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                return self._error(400, "invalid_request_error", "messages is required")
            behaviour = standin.next_behaviour()
            if behaviour == "timeout":
                time.sleep(standin.slow_seconds)
            elif behaviour == "429":
                return self._error(
                    429,
                    "rate_limit_exceeded",
                    "Rate limit reached.",
                    {"Retry-After": f"{standin.retry_after:g}"},
                )
            elif behaviour in ("500", "503"):
                return self._error(int(behaviour), "server_error", "The server had an error.")
            elif behaviour == "malformed":
                return self._send(200, b'{"id": "chatcmpl-1", "choices": [{"mess')
            content = answer(body["messages"], behaviour)
            prompt_tokens = max(1, len(raw) // 4)
            completion_tokens = max(1, len(content) // 4)
            payload = {
                "id": f"chatcmpl-{len(standin.requests)}",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": body.get("model") or standin.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            }
            self._send(200, json.dumps(payload).encode())

        def _error(
            self, status: int, code: str, message: str, headers: dict[str, str] | None = None
        ) -> None:
            payload = {"error": {"message": message, "type": code, "code": code}}
            self._send(status, json.dumps(payload).encode(), headers)

        def _send(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            # The client may have given up already (a timeout test).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

    return Handler


# ---------------------------------------------------------------------------------------------
# Answers


def answer(messages: list[dict[str, Any]], behaviour: str = "ok") -> str:
    """The assistant's text for a conversation, deterministic for equal input."""
    text = "\n".join(str(m.get("content") or "") for m in messages if m.get("role") == "user")
    fenced = _FENCE.search(text)
    data = _read_data(fenced[2]) if fenced else None
    if data is None:
        last = text.strip().splitlines()[-1] if text.strip() else ""
        return f"Noted: {last[:200]}"
    if behaviour == "not_json":
        return "Sure! Here is a friendly email you could send to them."
    system = "\n".join(str(m.get("content") or "") for m in messages if m.get("role") == "system")
    if '{"line":' in system:
        return json.dumps(_first_line(data, behaviour, fenced[2]), ensure_ascii=False)
    draft = _draft(data)
    if behaviour == "invented_fact":
        draft["facts_used"] = [*draft["facts_used"], _unused_id(data)]
    elif behaviour == "foreign_link":
        draft["body"] = draft["body"].replace(
            "\n\nWould", "\n\nSee https://deals.example.net/offer for details.\n\nWould", 1
        )
    elif behaviour == "foreign_email":
        draft["body"] = draft["body"].replace(
            "\n\nWould", "\n\nOr write to partners@deals.example.net.\n\nWould", 1
        )
    elif behaviour == "lint_break":
        draft["body"] = draft["body"].replace("Hi ", "Hi {{ first_name }} ", 1)
    elif behaviour == "echo_data":
        draft["body"] = fenced[2] if fenced else ""
    return json.dumps(draft, ensure_ascii=False)


def _read_data(block: str) -> dict[str, Any] | None:
    try:
        data = json.loads(block)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _draft(data: dict[str, Any]) -> dict[str, Any]:
    recipient = data.get("recipient") or {}
    sender = data.get("sender") or {}
    facts = [f for f in data.get("facts") or [] if isinstance(f, dict)]
    first_name = str(recipient.get("first_name") or "").strip()
    company = str(recipient.get("company") or "your company").strip()
    greeting = f"Hi {first_name}," if first_name else "Hello,"
    fact = facts[0] if facts else None
    if fact is not None:
        value = _plain_value(fact.get("value"))
        opener = f"I came across this on your website: {value}."
        used = [fact.get("id")]
    else:
        opener = f"I have been reading about {company} and the work your team does."
        used = []
    offer = str(sender.get("offer") or "We help teams like yours save time on routine work.")
    name = str(sender.get("name") or "").strip()
    body = (
        f"{greeting}\n\n{opener} {offer}\n\n"
        "Would a short call next week be useful to see whether it fits?\n\n"
        f"Best regards,\n{name}".rstrip()
    )
    return {"subject": f"A question for {company}"[:70], "body": body, "facts_used": used}


def _first_line(data: dict[str, Any], behaviour: str, block: str) -> dict[str, Any]:
    facts = [f for f in data.get("facts") or [] if isinstance(f, dict)]
    company = str((data.get("recipient") or {}).get("company") or "your company").strip()
    if facts:
        line = f"I came across this on your website: {_plain_value(facts[0].get('value'))}."
        used = [facts[0].get("id")]
    else:
        line, used = f"I have been reading about {company}.", []
    if behaviour == "invented_fact":
        used = [*used, _unused_id(data)]
    elif behaviour == "foreign_link":
        line += " See https://deals.example.net/offer for details."
    elif behaviour == "foreign_email":
        line += " Or write to partners@deals.example.net."
    elif behaviour == "lint_break":
        line = "{{ first_name }}, " + line
    elif behaviour == "echo_data":
        line = block
    return {"line": line, "facts_used": used}


def _plain_value(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("title") or value.get("name") or value.get("text") or ""
    text = " ".join(str(value).split()).rstrip(".")
    return text[:160]


def _unused_id(data: dict[str, Any]) -> Any:
    ids = [f.get("id") for f in data.get("facts") or [] if isinstance(f, dict)]
    numbers = [i for i in ids if isinstance(i, int)]
    return (max(numbers) if numbers else 0) + 1000

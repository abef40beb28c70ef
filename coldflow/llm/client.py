"""The one LLM client: any OpenAI-compatible chat-completions endpoint, through `openai`.

Every stage that wants an LLM asks this client. Each HTTP attempt is logged as an LlmCall row
(tokens, cost, latency, error); an input answered before is served from that log without an
HTTP call (the hash covers the model and the exact request); a monthly budget in US dollars
stops calls once it is spent. Rate limits, server errors, timeouts and broken answers are
retried a bounded number of times, honouring Retry-After; a refused key is not retried.

    client = LlmClient(LlmSettings.from_config())
    answer = client.chat([{"role": "user", "content": "…"}], purpose="email")
    client.reject(answer, "cited a fact it was not given")   # never served from cache again
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openai

from coldflow.discover.providers.transport import retry_after_seconds
from coldflow.errors import UserError

# Waits longer than this are not sat out: the call fails with the provider's wait named.
MAX_RETRY_WAIT = 60.0
# A conversation's reply that is longer than this is cut before it is stored.
MAX_RESPONSE_CHARS = 100_000


class LlmError(UserError):
    pass


class LlmNotConfigured(LlmError):
    pass


class LlmAuthError(LlmError):
    pass


class LlmBudgetExhausted(LlmError):
    pass


class LlmRequestRefused(LlmError):
    """The endpoint rejected the request itself (unknown model, bad parameters)."""


class LlmUnavailable(LlmError):
    """Every attempt failed: rate-limited, server errors, timeouts or broken answers."""


@dataclass(frozen=True)
class LlmSettings:
    base_url: str = ""
    model: str = "gpt-4o-mini"
    api_key: str = ""
    timeout: float = 60.0
    attempts: int = 3
    concurrency: int = 4
    budget_usd: float = 10.0
    price_input_per_1k: float = 0.0
    price_output_per_1k: float = 0.0

    @classmethod
    def from_config(cls, config: Any = None) -> LlmSettings:
        if config is None:
            from coldflow.config.loader import load_settings

            config = load_settings()
        return cls(
            base_url=config["LLM_BASE_URL"],
            model=config["LLM_MODEL"],
            api_key=config["LLM_API_KEY"],
            timeout=config["LLM_TIMEOUT"],
            attempts=config["LLM_ATTEMPTS"],
            concurrency=config["LLM_CONCURRENCY"],
            budget_usd=config["LLM_BUDGET_USD"],
            price_input_per_1k=config["LLM_PRICE_INPUT_PER_1K"],
            price_output_per_1k=config["LLM_PRICE_OUTPUT_PER_1K"],
        )

    @property
    def configured(self) -> bool:
        return bool(self.base_url)

    def cost(self, prompt_tokens: int, completion_tokens: int) -> Decimal:
        cost = (
            Decimal(str(self.price_input_per_1k)) * prompt_tokens
            + Decimal(str(self.price_output_per_1k)) * completion_tokens
        ) / 1000
        return cost.quantize(Decimal("0.000001"))


@dataclass(frozen=True)
class ChatAnswer:
    text: str
    # The LlmCall row that holds it (the original row for a cached answer).
    call_id: int
    cached: bool
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    latency_ms: int = 0


Messages = list[dict[str, str]]

# One limit per endpoint and process, shared by every client built from the same settings.
_SEMAPHORES: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_SEMAPHORES_LOCK = threading.Lock()


def _semaphore(base_url: str, concurrency: int) -> threading.BoundedSemaphore:
    key = (base_url, max(1, concurrency))
    with _SEMAPHORES_LOCK:
        return _SEMAPHORES.setdefault(key, threading.BoundedSemaphore(key[1]))


def input_hash(model: str, messages: Messages, options: dict[str, Any]) -> str:
    document = json.dumps(
        {"model": model, "messages": messages, "options": options},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(document.encode()).hexdigest()


class LlmClient:
    def __init__(self, settings: LlmSettings, *, sleep: Callable[[float], None] = time.sleep):
        if not settings.configured:
            raise LlmNotConfigured("no LLM is configured: set LLM_BASE_URL (and LLM_API_KEY)")
        self.settings = settings
        self._sleep = sleep
        self._semaphore = _semaphore(settings.base_url, settings.concurrency)
        self._openai = openai.OpenAI(
            base_url=settings.base_url,
            # The openai package insists on a key; local servers ignore it.
            api_key=settings.api_key or "no-key",
            timeout=settings.timeout,
            max_retries=0,  # retries are ours: logged, bounded, budget-checked
        )

    def close(self) -> None:
        self._openai.close()

    def __enter__(self) -> LlmClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def chat(
        self,
        messages: Messages,
        *,
        purpose: str,
        workspace: Any = None,
        temperature: float = 0.2,
        max_tokens: int | None = 800,
    ) -> ChatAnswer:
        """The assistant's answer to `messages`, from the cache or the endpoint."""
        from coldflow.llm import ledger

        options = {"temperature": temperature, "max_tokens": max_tokens}
        key = input_hash(self.settings.model, messages, options)
        if (hit := ledger.cached_response(key)) is not None:
            return ChatAnswer(
                hit.response_text,
                hit.id,
                True,
                hit.prompt_tokens,
                hit.completion_tokens,
                hit.cost_usd,
                hit.latency_ms,
            )
        base = {
            "workspace": workspace,
            "purpose": purpose[:32],
            "model": self.settings.model[:200],
            "input_hash": key,
        }
        last_error = ""
        for attempt in range(1, max(1, self.settings.attempts) + 1):
            self._check_budget(ledger)
            started = time.monotonic()
            try:
                with self._semaphore:
                    completion = self._openai.chat.completions.create(
                        model=self.settings.model,
                        messages=messages,  # type: ignore[arg-type]
                        temperature=temperature,
                        **({"max_tokens": max_tokens} if max_tokens else {}),
                    )
                text, prompt_tokens, completion_tokens = _read_completion(completion)
            except Exception as error:  # noqa: BLE001 - every failure is logged, then sorted
                latency = _ms_since(started)
                failure = _classify(error, self.settings)
                ledger.record(**base, status="failed", error=failure.message, latency_ms=latency)
                last_error = failure.message
                if failure.fatal is not None:
                    raise failure.fatal from error
                if attempt == self.settings.attempts:
                    break
                wait = failure.wait if failure.wait is not None else _backoff(attempt)
                if wait > MAX_RETRY_WAIT:
                    last_error += f" (asked to wait {wait:.0f} s)"
                    break
                self._sleep(wait)
                continue
            cost = self.settings.cost(prompt_tokens, completion_tokens)
            latency = _ms_since(started)
            call = ledger.record(
                **base,
                status="ok",
                response_text=text,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                cost_usd=cost,
                latency_ms=latency,
            )
            return ChatAnswer(text, call.id, False, prompt_tokens, completion_tokens, cost, latency)
        raise LlmUnavailable(
            f"the LLM at {self.settings.base_url} failed {self.settings.attempts} time(s); "
            f"last: {last_error}"
        )

    def reject(self, answer: ChatAnswer, reason: str) -> None:
        """Mark an answer as unusable: it stays in the log and leaves the cache."""
        from coldflow.llm import ledger

        ledger.mark_rejected(answer.call_id, reason)

    def completer(self, purpose: str, workspace: Any = None) -> Callable[[str], str]:
        """A `complete(prompt) -> str` callable, for seams that want only text (such as
        discover's query expansion)."""

        def complete(prompt: str) -> str:
            messages = [{"role": "user", "content": prompt}]
            return self.chat(messages, purpose=purpose, workspace=workspace).text

        return complete

    def _check_budget(self, ledger: Any) -> None:
        budget = self.settings.budget_usd
        if budget <= 0:
            return
        spent = ledger.spent_this_month()
        if spent >= Decimal(str(budget)):
            raise LlmBudgetExhausted(
                f"the LLM budget of ${budget:.2f} for this month is spent (${spent:.2f}); "
                "raise LLM_BUDGET_USD or wait for next month"
            )


class _BrokenAnswer(Exception):
    pass


def _read_completion(completion: Any) -> tuple[str, int, int]:
    """Text and token counts; a 200 without a usable message is a broken answer."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError) as error:
        raise _BrokenAnswer("the answer has no message") from error
    text = getattr(message, "content", None)
    if not isinstance(text, str):
        raise _BrokenAnswer("the answer has no text")
    usage = getattr(completion, "usage", None)
    prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
    return text[:MAX_RESPONSE_CHARS], prompt_tokens, completion_tokens


@dataclass(frozen=True)
class _Failure:
    message: str
    # Raised at once instead of retrying.
    fatal: LlmError | None = None
    # Seconds the endpoint asked us to wait (Retry-After), if it did.
    wait: float | None = None


def _classify(error: Exception, settings: LlmSettings) -> _Failure:
    where = settings.base_url
    if isinstance(error, openai.APITimeoutError):
        return _Failure(f"no answer within {settings.timeout:g} s")
    if isinstance(error, openai.APIConnectionError):
        return _Failure(f"cannot connect to {where}: {error.__cause__ or error}")
    if isinstance(error, openai.APIStatusError):
        status = error.status_code
        detail = _error_detail(error)
        if status in (401, 403):
            message = f"the LLM at {where} refused the API key ({status}): check LLM_API_KEY"
            return _Failure(message, LlmAuthError(message))
        if status == 429 or status >= 500:
            wait = retry_after_seconds(error.response.headers.get("retry-after"))
            label = "rate-limited (429)" if status == 429 else f"server error ({status})"
            return _Failure(f"{label}: {detail}", wait=wait)
        message = f"the LLM at {where} rejected the request ({status}): {detail}"
        return _Failure(message, LlmRequestRefused(message))
    if isinstance(error, _BrokenAnswer):
        return _Failure(str(error))
    if isinstance(error, (ValueError, openai.APIResponseValidationError)):
        # A 200 whose body is not the JSON the API promises.
        return _Failure(f"malformed answer: {str(error)[:200]}")
    raise error


def _error_detail(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        message = body.get("message") or (body.get("error") or {}).get("message")
        if message:
            return str(message)[:300]
    return str(error.message)[:300]


def _backoff(attempt: int) -> float:
    return min(8.0, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)

"""Local stand-ins for the search APIs: real HTTP servers on 127.0.0.1, one per API, answering
in the API's own shapes, including its error responses, and recording every request.

Each stand-in searches a tiny corpus and follows a script: a list of what to do for the next
requests ("rate_limited", "server_error", "malformed", "slow", or an API's own failures such as
"quota"); once the script runs out it answers normally. A request with a key other than
`GOOD_KEY` gets the API's answer for a wrong key.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

from coldflow.discover.providers import SearchOutcome, SearchProvider

GOOD_KEY = "good-key"
SLOW_SECONDS = 0.5


@dataclass(frozen=True)
class Document:
    url: str
    title: str
    text: str


CORPUS = (
    Document(
        "https://www.nordvex-logistik.de/",
        "Nordvex Logistik – <strong>Logistik</strong> in Hamburg",
        "Spedition und Lagerlogistik aus Hamburg &amp; Bremen.",
    ),
    Document(
        "https://www.yelp.com/search/logistics-hamburg",
        "THE BEST Logistics in Hamburg - Updated 2025",
        "Nordvex Logistik, Brivex Cargo",
    ),
    Document(
        "https://brivex-cargo.de/",
        "Brivex Cargo – Transport in Hamburg",
        "Kontraktlogistik und Fracht in Hamburg.",
    ),
    Document(
        "https://www.linkedin.com/company/nordvex",
        "Nordvex Logistik | LinkedIn",
        "Logistik Hamburg. 120 followers on LinkedIn.",
    ),
    Document(
        "https://talwick-freight.co.uk/",
        "Talwick Freight – Logistics in Manchester",
        "Road freight and warehousing from Manchester.",
    ),
)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    at: float


def search_corpus(query: str) -> list[Document]:
    """Documents mentioning any word of the query, best first; `-site:` and `-word` exclude."""
    excluded_sites = re.findall(r"-site:(\S+)", query)
    excluded_words = [w[1:].lower() for w in query.split() if w.startswith("-") and ":" not in w]
    words = [w.lower().strip('"') for w in query.split() if not w.startswith("-")]
    scored = []
    for index, doc in enumerate(CORPUS):
        text = f"{doc.title} {doc.text}".lower()
        if any(site in doc.url for site in excluded_sites):
            continue
        if any(word in text for word in excluded_words):
            continue
        score = sum(1 for word in words if word in text)
        if score:
            scored.append((-score, index, doc))
    return [doc for _, _, doc in sorted(scored)]


@dataclass
class StandIn:
    script: list[str] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    path = "/"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    async def __aenter__(self) -> StandIn:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self.requests.append(
            Recorded(
                request.method,
                request.path,
                dict(request.query),
                dict(request.headers),
                body,
                asyncio.get_running_loop().time(),
            )
        )
        action = self.script.pop(0) if self.script else "ok"
        if action == "slow":
            await asyncio.sleep(SLOW_SECONDS)
            action = "ok"
        if action == "malformed":
            return web.Response(
                text='{"results": [{"url": "https://a.de/"', content_type="application/json"
            )
        if action == "server_error":
            return web.Response(
                status=503,
                text="<html><body>Service Unavailable</body></html>",
                content_type="text/html",
            )
        return await self.answer(action, request, body)

    async def answer(self, action: str, request: web.Request, body: Any) -> web.StreamResponse:
        raise NotImplementedError


class SearxngStandIn(StandIn):
    """SearXNG's /search with `format=json`; `json_disabled` answers 403 like an instance whose
    settings.yml lacks `formats: [html, json]`."""

    path = ""

    async def answer(self, action: str, request: web.Request, body: Any) -> web.StreamResponse:
        if request.path != "/search":
            return web.Response(status=404, text="Not Found")
        if action == "json_disabled" or request.query.get("format") != "json":
            return web.Response(
                status=403, text="<html>403 Forbidden</html>", content_type="text/html"
            )
        if action == "rate_limited":
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": "1"})
        query = request.query.get("q", "")
        if action == "hostile":
            return web.json_response(
                {
                    "query": query,
                    "results": [
                        "not an object",
                        {"url": "javascript:alert(1)", "title": "x", "content": "x"},
                        {"url": "ftp://files.example.com/", "title": "x", "content": "x"},
                        {"url": 42, "title": None},
                        {
                            "url": "https://evil.example.com/",
                            "title": "<script>alert(1)</script>Evil\x00\x07 " + "A" * 5000,
                            "content": ["not", "text"],
                            "engine": {"nested": True},
                        },
                    ]
                    + [{"url": f"https://spam{i}.example.com/"} for i in range(500)],
                }
            )
        if action == "deeply_nested":
            return web.Response(text="[" * 100_000, content_type="application/json")
        if action == "engines_blocked":
            return web.json_response(
                {
                    "query": query,
                    "number_of_results": 0,
                    "results": [],
                    "unresponsive_engines": [["google", "CAPTCHA"], ["duckduckgo", "timeout"]],
                }
            )
        results = [
            {
                "url": doc.url,
                "title": doc.title,
                "content": doc.text,
                "engine": "google",
                "engines": ["google", "bing"],
                "positions": [i + 1],
                "score": 1.0 / (i + 1),
                "category": "general",
            }
            for i, doc in enumerate(search_corpus(query))
        ]
        return web.json_response(
            {
                "query": query,
                "number_of_results": len(results),
                "results": results,
                "answers": [],
                "corrections": [],
                "infoboxes": [],
                "suggestions": [],
                "unresponsive_engines": [["bing", "timeout"]]
                if action == "one_engine_down"
                else [],
            }
        )


def _brave_error(
    status: int, code: str, detail: str, headers: dict[str, str] | None = None
) -> web.Response:
    payload = {
        "type": "ErrorResponse",
        "error": {
            "id": "0f5d",
            "status": status,
            "code": code,
            "detail": detail,
            "meta": {"component": "rate_limiter"},
        },
        "time": 1_700_000_000,
    }
    return web.json_response(payload, status=status, headers=headers)


class BraveStandIn(StandIn):
    """Brave's /res/v1/web/search."""

    path = "/res/v1/web/search"

    async def answer(self, action: str, request: web.Request, body: Any) -> web.StreamResponse:
        key = request.headers.get("X-Subscription-Token")
        if key is None:
            return _brave_error(422, "VALIDATION", "Unable to validate request parameter(s)")
        if key != GOOD_KEY:
            return _brave_error(
                422, "SUBSCRIPTION_TOKEN_INVALID", "The provided subscription token is invalid."
            )
        if action == "no_subscription":
            return _brave_error(404, "SUBSCRIPTION_NOT_FOUND", "No subscription found.")
        if action == "rate_limited":
            headers = {
                "X-RateLimit-Limit": "1, 15000",
                "X-RateLimit-Remaining": "0, 9000",
                "X-RateLimit-Reset": "1, 1209600",
            }
            return _brave_error(
                429, "RATE_LIMITED", "Request rate limit exceeded for plan.", headers
            )
        if action == "quota":
            headers = {
                "X-RateLimit-Limit": "1, 15000",
                "X-RateLimit-Remaining": "1, 0",
                "X-RateLimit-Reset": "1, 1209600",
            }
            return _brave_error(
                429, "QUOTA_LIMITED", "Request quota limit exceeded for plan.", headers
            )
        query = request.query.get("q", "")
        headers = {
            "X-RateLimit-Limit": "1, 15000",
            "X-RateLimit-Remaining": "0, 8999",
            "X-RateLimit-Reset": "1, 1209600",
        }
        docs = search_corpus(query)
        payload: dict[str, Any] = {
            "type": "search",
            "query": {"original": query},
            "mixed": {"type": "mixed", "main": []},
        }
        if docs:
            payload["web"] = {
                "type": "search",
                "results": [
                    {
                        "type": "search_result",
                        "url": d.url,
                        "title": d.title,
                        "description": d.text,
                        "language": "de",
                    }
                    for d in docs
                ],
            }
        return web.json_response(payload, headers=headers)


class SerperStandIn(StandIn):
    """Serper's POST /search."""

    path = "/search"

    async def answer(self, action: str, request: web.Request, body: Any) -> web.StreamResponse:
        if request.headers.get("X-API-KEY") != GOOD_KEY:
            return web.json_response({"message": "Unauthorized.", "statusCode": 403}, status=403)
        if action == "no_credits":
            return web.json_response(
                {"message": "Not enough credits", "statusCode": 400}, status=400
            )
        if action == "rate_limited":
            return web.json_response(
                {"message": "Too many requests", "statusCode": 429},
                status=429,
                headers={"Retry-After": "1"},
            )
        if not isinstance(body, dict) or not body.get("q"):
            return web.json_response(
                {"message": "Missing query parameter", "statusCode": 400}, status=400
            )
        docs = search_corpus(body["q"])
        return web.json_response(
            {
                "searchParameters": {"q": body["q"], "type": "search", "engine": "google"},
                "organic": [
                    {"title": d.title, "link": d.url, "snippet": d.text, "position": i + 1}
                    for i, d in enumerate(docs)
                ],
                "credits": 1,
            }
        )


class TavilyStandIn(StandIn):
    """Tavily's POST /search."""

    path = "/search"

    async def answer(self, action: str, request: web.Request, body: Any) -> web.StreamResponse:
        if request.headers.get("Authorization") != f"Bearer {GOOD_KEY}":
            return web.json_response(
                {"detail": {"error": "Unauthorized: missing or invalid API key."}}, status=401
            )
        if action == "quota":
            error = "This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com"
            return web.json_response({"detail": {"error": error}}, status=432)
        if action == "paygo_limit":
            error = "This request exceeds the pay-as-you-go limit. You can increase your limit on the Tavily dashboard."
            return web.json_response({"detail": {"error": error}}, status=433)
        if action == "rate_limited":
            return web.json_response(
                {"detail": {"error": "Rate limit exceeded"}},
                status=429,
                headers={"Retry-After": "1"},
            )
        excluded = body.get("exclude_domains", []) if isinstance(body, dict) else []
        docs = [
            d for d in search_corpus(body.get("query", "")) if not any(x in d.url for x in excluded)
        ]
        return web.json_response(
            {
                "query": body.get("query"),
                "answer": None,
                "images": [],
                "results": [
                    {
                        "title": d.title,
                        "url": d.url,
                        "content": d.text,
                        "score": 0.9,
                        "raw_content": None,
                    }
                    for d in docs
                ],
                "response_time": 0.42,
            }
        )


def search_through(
    standin: StandIn, make: Callable[[str], SearchProvider], query: str, **options: Any
) -> SearchOutcome:
    """Start the stand-in, search it with the provider `make(url)` builds, stop it."""

    async def go() -> SearchOutcome:
        async with standin as server, make(server.url) as provider:
            return await provider.search(query, **options)

    return asyncio.run(go())

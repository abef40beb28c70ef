"""A search engine over the sandbox sites that answers like SearXNG's JSON API.

`GET /search?q=…&format=json` (also POST, `pageno`, `language`), ranked by BM25 over each site's
text. Any other format answers 403, as SearXNG does when only JSON is enabled. Failure modes for
error-handling tests: `POST /_control` with `{"fail_next": N, "status": 429}` (or
`{"reset": true}`), or `_fail=<status>` on one request; `GET /_control` shows the state and the
queries received.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from anyascii import anyascii

from coldflow.sandbox.world.model import SearchDocument

PAGE_SIZE = 10
MAX_QUERY_CHARACTERS = 1000
_TOKEN = re.compile(r"[a-z0-9]+")
# A static prior per kind of site, as real engines rank by authority as well as by text: the
# companies' own sites first, the directories and networks that mention them close behind.
_KIND_PRIOR = {
    "company": 1.0,
    "directory": 0.8,
    "social": 0.7,
    "news": 0.7,
    "job_board": 0.6,
    "marketplace": 0.6,
}
_ENGINES = ("google", "bing", "duckduckgo", "brave", "qwant", "startpage")
_FAILURE_BODIES = {
    403: "Forbidden",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def tokens(text: str) -> list[str]:
    """Lower-cased ASCII words with a plural "s" removed, so "Logistics" matches "logistic"."""
    words = _TOKEN.findall(anyascii(text).lower())
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


# Words that say nothing about which company is meant (in token form, like everything else).
_STOPWORDS = frozenset(
    tokens(
        "a an and the of in for near at on to with best top companies company firms firm "
        "der die das und in im für von mit bei firmen unternehmen beste besten"
    )
)


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]
    excluded: tuple[str, ...]
    site: str | None


def parse_query(text: str) -> Query:
    """Plain words plus the operators query templates use: -word, site:host, intitle:word."""
    terms: list[str] = []
    excluded: list[str] = []
    site = None
    for raw in text.replace('"', " ").split():
        lowered = raw.lower()
        if lowered.startswith("site:"):
            site = lowered[5:].strip("/") or None
        elif raw.startswith("-") and len(raw) > 1:
            excluded += tokens(raw[1:])
        else:
            terms += tokens(lowered.removeprefix("intitle:").removeprefix("inurl:"))
    kept = [t for t in dict.fromkeys(terms) if t not in _STOPWORDS] or list(dict.fromkeys(terms))
    return Query(tuple(kept), tuple(excluded), site)


class SearchIndex:
    """BM25 over the documents' text."""

    def __init__(self, documents: Sequence[SearchDocument], k1: float = 1.2, b: float = 0.75):
        self.documents = list(documents)
        self.k1, self.b = k1, b
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.lengths: list[int] = []
        self.hosts: list[str] = []
        for number, doc in enumerate(self.documents):
            words = tokens(doc.text)
            self.lengths.append(len(words))
            self.hosts.append(urlsplit(doc.url).hostname or "")
            counts: dict[str, int] = defaultdict(int)
            for word in words:
                counts[word] += 1
            for word, count in counts.items():
                self.postings[word].append((number, count))
        self.average_length = sum(self.lengths) / max(len(self.lengths), 1)

    def search(self, text: str, language: str | None = None) -> list[tuple[float, SearchDocument]]:
        query = parse_query(text)
        total = len(self.documents)
        scores: dict[int, float] = defaultdict(float)
        for term in query.terms:
            postings = self.postings.get(term, [])
            idf = math.log(1 + (total - len(postings) + 0.5) / (len(postings) + 0.5))
            for number, count in postings:
                norm = 1 - self.b + self.b * self.lengths[number] / self.average_length
                scores[number] += idf * count * (self.k1 + 1) / (count + self.k1 * norm)
        excluded = {n for term in query.excluded for n, _ in self.postings.get(term, [])}
        hits = []
        for number, score in scores.items():
            doc = self.documents[number]
            if number in excluded:
                continue
            if language and doc.language != language:
                continue
            if query.site and not (
                self.hosts[number] == query.site or self.hosts[number].endswith(f".{query.site}")
            ):
                continue
            hits.append((score * _KIND_PRIOR[doc.kind], doc))
        hits.sort(key=lambda hit: (-hit[0], hit[1].url))
        return hits


def _engines(url: str) -> list[str]:
    # Stable across runs (unlike hash()), so answers are reproducible.
    digest = zlib.crc32(url.encode())
    first = digest % len(_ENGINES)
    return [_ENGINES[(first + i) % len(_ENGINES)] for i in range(1 + digest // 7 % 3)]


def result_json(score: float, doc: SearchDocument, position: int) -> dict:
    parts = urlsplit(doc.url)
    engines = _engines(doc.url)
    return {
        "url": doc.url,
        "title": doc.title,
        "content": doc.content,
        "engine": engines[0],
        "engines": engines,
        "score": round(score, 4),
        "category": "general",
        "template": "default.html",
        "parsed_url": [parts.scheme, parts.netloc, parts.path, "", parts.query, parts.fragment],
        "positions": [position],
        "publishedDate": doc.published.isoformat() + "T00:00:00" if doc.published else None,
    }


def _language(value: str | None) -> str | None:
    """SearXNG's "all"/"auto" mean no filter; "de-DE" means German."""
    if not value or value.lower() in ("all", "auto"):
        return None
    return value.split("-")[0].lower()


class SearchServer:
    def __init__(self, documents: Sequence[SearchDocument]) -> None:
        self.index = SearchIndex(documents)
        self.queries: list[dict] = []
        self.fail_next = 0
        self.fail_status = 429
        self.port = 0
        self._host = "127.0.0.1"
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=64 * 1024)
        app.router.add_route("GET", "/search", self._search)
        app.router.add_route("POST", "/search", self._search)
        app.router.add_route("GET", "/healthz", self._health)
        app.router.add_route("GET", "/config", self._config)
        app.router.add_route("GET", "/_control", self._control_state)
        app.router.add_route("POST", "/_control", self._control)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self._host = host
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _search(self, request: web.Request) -> web.Response:
        params = dict(request.query)
        if request.method == "POST":
            params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        query = params.get("q", "")
        self.queries = self.queries[-999:] + [
            {"q": query, "pageno": params.get("pageno"), "language": params.get("language")}
        ]
        forced = params.get("_fail", "")
        if forced.isdigit() and int(forced) in _FAILURE_BODIES:
            return web.Response(status=int(forced), text=_FAILURE_BODIES[int(forced)])
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.Response(status=self.fail_status, text=_FAILURE_BODIES[self.fail_status])
        if params.get("format") != "json":
            return web.Response(status=403, text=_FAILURE_BODIES[403])
        if not query.strip() or len(query) > MAX_QUERY_CHARACTERS:
            return web.json_response({"error": "query is empty or too long"}, status=400)
        try:
            page = max(1, min(int(params.get("pageno", "1")), 50))
        except ValueError:
            page = 1
        hits = self.index.search(query, _language(params.get("language")))
        start = (page - 1) * PAGE_SIZE
        results = [
            result_json(score, doc, start + i + 1)
            for i, (score, doc) in enumerate(hits[start : start + PAGE_SIZE])
        ]
        return web.json_response(
            {
                "query": query,
                "number_of_results": len(hits),
                "results": results,
                "answers": [],
                "corrections": [],
                "infoboxes": [],
                "suggestions": [],
                "unresponsive_engines": [],
            }
        )

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="OK")

    async def _config(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "instance_name": "coldflow sandbox search",
                "categories": ["general"],
                "engines": [
                    {"name": e, "categories": ["general"], "enabled": True} for e in _ENGINES
                ],
            }
        )

    async def _control_state(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"fail_next": self.fail_next, "status": self.fail_status, "queries": self.queries}
        )

    async def _control(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "body must be JSON"}, status=400)
        if not isinstance(body, dict):
            return web.json_response({"error": "body must be a JSON object"}, status=400)
        if body.get("reset"):
            self.fail_next, self.fail_status = 0, 429
            self.queries = []
        if "fail_next" in body:
            status = body.get("status", 429)
            if status not in _FAILURE_BODIES or not isinstance(body["fail_next"], int):
                return web.json_response(
                    {"error": f"status must be one of {sorted(_FAILURE_BODIES)}"}, status=400
                )
            self.fail_next, self.fail_status = max(0, body["fail_next"]), status
        return await self._control_state(request)

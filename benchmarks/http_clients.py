"""Which async HTTP client should the fetcher use? Pages per second on loopback.

A local aiohttp server (in its own process, so client and server each get a core) serves
N HTML pages; each client fetches all of them at the same concurrency over pooled
connections. Also measured: coldflow's Fetcher (aiohttp plus the SSRF guard, politeness
bookkeeping and charset decoding), to show what the safety costs.

    .venv/bin/python -m benchmarks.http_clients [--pages 2000] [--concurrency 20]

httpx is not a coldflow dependency: `pip install "httpx>=0.28,<0.29"` to run this.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import time
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web

from coldflow.research.fetch import Fetcher, FetchSettings

Fetch = Callable[[str], Awaitable[int]]


def serve(port: int, page_bytes: int) -> None:
    body = (
        "<!doctype html><html><body>" + "<p>Lorem ipsum dolor sit amet.</p>" * (page_bytes // 34)
    ).encode()

    async def page(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/p/{n}", page)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_for_server(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise RuntimeError("benchmark server did not start")


async def run_all(urls: list[str], fetch: Fetch, concurrency: int) -> float:
    """Pages per second for fetching every URL with `concurrency` workers."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    received = 0

    async def worker() -> None:
        nonlocal received
        while not queue.empty():
            received += await fetch(queue.get_nowait())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    if received == 0:
        raise RuntimeError("no page bodies received")
    return len(urls) / elapsed


async def measure_aiohttp(urls: list[str], concurrency: int) -> float:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def fetch(url: str) -> int:
            async with session.get(url) as response:
                return len(await response.text())

        await run_all(urls[:concurrency], fetch, concurrency)
        return await run_all(urls, fetch, concurrency)


async def measure_httpx(urls: list[str], concurrency: int) -> float:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as client:

        async def fetch(url: str) -> int:
            response = await client.get(url)
            return len(response.text)

        await run_all(urls[:concurrency], fetch, concurrency)
        return await run_all(urls, fetch, concurrency)


async def measure_fetcher(urls: list[str], concurrency: int) -> float:
    settings = FetchSettings(
        allow_loopback=True,
        respect_robots=False,
        per_host_concurrency=concurrency,
        per_host_delay=0.0,
        total_concurrency=concurrency,
    )
    async with Fetcher(settings) as fetcher:

        async def fetch(url: str) -> int:
            result = await fetcher.get(url)
            if result.error:
                raise RuntimeError(result.error)
            return len(result.text)

        await run_all(urls[:concurrency], fetch, concurrency)
        return await run_all(urls, fetch, concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--page-kb", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    port = free_port()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(port, args.page_kb * 1000), daemon=True
    )
    server.start()
    try:
        asyncio.run(wait_for_server(port))
        urls = [f"http://127.0.0.1:{port}/p/{n}" for n in range(args.pages)]
        clients = {
            "aiohttp": measure_aiohttp,
            "httpx": measure_httpx,
            "coldflow Fetcher (aiohttp)": measure_fetcher,
        }
        rates: dict[str, list[float]] = {name: [] for name in clients}
        # Rounds interleave the clients, so a busy moment on the machine hits them all alike.
        for _ in range(args.rounds):
            for name, measure in clients.items():
                rates[name].append(asyncio.run(measure(urls, args.concurrency)))
        results = {name: statistics.median(values) for name, values in rates.items()}
    finally:
        server.terminate()
        server.join()

    print(
        f"{args.pages} pages of {args.page_kb} kB, concurrency {args.concurrency}, "
        f"median of {args.rounds} rounds"
    )
    for name, rate in results.items():
        print(f"  {name:<28} {rate:8.0f} pages/s")
    print(f"aiohttp / httpx: {results['aiohttp'] / results['httpx']:.1f}x")
    fetcher_share = results["coldflow Fetcher (aiohttp)"] / results["aiohttp"]
    print(f"coldflow Fetcher / bare aiohttp: {fetcher_share:.2f}")


if __name__ == "__main__":
    main()

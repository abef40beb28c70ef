import asyncio

from aiohttp import web

from coldflow.research.fetch import Fetcher
from coldflow.research.fetch.politeness import HostPoliteness, request_order
from tests.research.fetch.local_network import (
    DnsServer,
    VirtualHosts,
    most_at_once,
    sandbox_settings,
    spaced_apart,
)

HOSTS = [f"site{i}.example" for i in range(20)]
PAGES_PER_HOST = 5
HANDLER_SECONDS = 0.12
DELAY = 0.2


async def slow_page(request: web.Request) -> web.Response:
    await asyncio.sleep(HANDLER_SECONDS)
    return web.Response(text="<p>ok</p>", content_type="text/html")


def fetch_everything(dns: DnsServer, concurrency: int) -> tuple[VirtualHosts, float]:
    for host in HOSTS:
        dns.records[host] = ["127.0.0.1"]

    async def scenario() -> tuple[VirtualHosts, float]:
        async with VirtualHosts() as hosts:
            for host in HOSTS:
                hosts.add_site(host, {f"/p{n}": slow_page for n in range(PAGES_PER_HOST)})
            settings = sandbox_settings(
                dns, hosts, per_host_concurrency=concurrency, per_host_delay=DELAY
            )
            async with Fetcher(settings) as fetcher:
                loop = asyncio.get_running_loop()
                started = loop.time()
                results = await asyncio.gather(
                    *(
                        fetcher.get(f"http://{host}/p{n}")
                        for host in HOSTS
                        for n in range(PAGES_PER_HOST)
                    )
                )
                elapsed = loop.time() - started
            assert all(r.ok for r in results)
            return hosts, elapsed

    return asyncio.run(scenario())


def test_requests_to_one_host_respect_its_concurrency_and_delay_while_hosts_run_in_parallel(
    dns: DnsServer,
) -> None:
    hosts, elapsed = fetch_everything(dns, concurrency=2)
    for host in HOSTS:
        # robots.txt counts as a request to the host like any page.
        hits = hosts.hits_for(host)
        assert len(hits) == PAGES_PER_HOST + 1
        assert most_at_once(hits) <= 2
        assert spaced_apart([h.started for h in hits], DELAY), host
    # One host alone needs 5 delays; all 20 hosts one after another would need 20 times that.
    serial = len(HOSTS) * PAGES_PER_HOST * DELAY
    assert elapsed < serial / 4
    assert most_at_once(hosts.hits) > 10


def test_one_request_at_a_time_per_host_when_concurrency_is_one(dns: DnsServer) -> None:
    hosts, _ = fetch_everything(dns, concurrency=1)
    for host in HOSTS:
        assert most_at_once(hosts.hits_for(host)) == 1


def test_a_robots_crawl_delay_slows_that_host_down(dns: DnsServer) -> None:
    dns.records["slow.example"] = ["127.0.0.1"]
    dns.records["fast.example"] = ["127.0.0.1"]
    robots = "User-agent: *\nCrawl-delay: 0.3\n"

    async def scenario() -> VirtualHosts:
        async with VirtualHosts() as hosts:
            pages = {f"/p{n}": "<p>ok</p>" for n in range(3)}
            hosts.add_site("slow.example", {**pages, "/robots.txt": robots})
            hosts.add_site("fast.example", pages)
            async with Fetcher(sandbox_settings(dns, hosts, per_host_delay=0.0)) as fetcher:
                await asyncio.gather(
                    *(
                        fetcher.get(f"http://{h}.example/p{n}")
                        for h in ("slow", "fast")
                        for n in range(3)
                    )
                )
            return hosts

    hosts = asyncio.run(scenario())
    slow = [h.started for h in hosts.hits_for("slow.example") if h.path != "/robots.txt"]
    fast = [h.started for h in hosts.hits_for("fast.example") if h.path != "/robots.txt"]
    assert spaced_apart(slow, 0.3)
    assert max(fast) - min(fast) < 0.3


def test_short_request_slots_go_to_the_sites_that_started_first() -> None:
    """When every overall slot is taken, the next free one goes to the lowest request order
    (the site that started first), whatever order the requests queued in."""
    granted: list[int] = []

    async def request(politeness: HostPoliteness, order: int, release: asyncio.Event) -> None:
        request_order.set(order)
        async with politeness.slot(f"site{order}.example"):
            granted.append(order)
            await release.wait()

    async def scenario() -> None:
        politeness = HostPoliteness(concurrency=1, delay=0.0, total=1)
        release = asyncio.Event()
        first = asyncio.create_task(request(politeness, 100, release))
        await asyncio.sleep(0.01)
        queued = [asyncio.create_task(request(politeness, order, release)) for order in (5, 3, 9)]
        await asyncio.sleep(0.01)
        # A waiter that gives up does not take the slot with it.
        leaving = asyncio.create_task(request(politeness, 1, release))
        await asyncio.sleep(0.01)
        leaving.cancel()
        release.set()
        await asyncio.gather(first, *queued)

    asyncio.run(scenario())
    assert granted == [100, 3, 5, 9]


def departures_of_two_requests(first_leaves: bool) -> tuple[float, float]:
    """When the first of two requests to a host leaves (or gives up, if it never does: its
    connection failed) and when the second leaves, counted from the first's turn; the first
    takes 0.3 s to open its connection and the host's delay is 0.1 s."""
    departed: dict[str, float] = {}

    async def request(politeness: HostPoliteness, name: str, opens_in: float) -> None:
        loop = asyncio.get_running_loop()
        async with politeness.slot("slow.example"):
            await asyncio.sleep(opens_in)
            if name == "second" or first_leaves:
                politeness.request_sent("slow.example")
            departed[name] = loop.time()

    async def scenario() -> float:
        politeness = HostPoliteness(concurrency=2, delay=0.1, total=10)
        started = asyncio.get_running_loop().time()
        first = asyncio.create_task(request(politeness, "first", 0.3))
        await asyncio.sleep(0.01)
        await asyncio.gather(first, request(politeness, "second", 0.0))
        return started

    started = asyncio.run(scenario())
    return departed["first"] - started, departed["second"] - started


def test_a_request_slow_to_leave_holds_back_the_next_one_to_its_host() -> None:
    """The delay counts from when a request leaves: one whose connection takes longer to open
    than the delay must not let the next request to the host go out right behind it."""
    first, second = departures_of_two_requests(first_leaves=True)
    assert first >= 0.3
    assert second - first >= 0.1


def test_a_request_that_never_leaves_gives_its_turn_up_when_it_fails() -> None:
    first, second = departures_of_two_requests(first_leaves=False)
    assert first >= 0.3
    # Nothing reached the host, so the next request goes out once the first has given up.
    assert 0 <= second - first < 0.1

"""Per-host politeness: at most N requests in flight to one host and a minimum gap between the
starts of two requests to it, while any number of other hosts proceed in parallel under one
overall limit on requests in flight.

A request waiting out its host's delay holds no overall slot, so a polite crawl keeps far more
sites in flight than there are slots. When slots are short, they go to the requests of the
sites that started first (`request_order`), so sites still finish roughly in the order they
started, instead of all of them advancing together and finishing together at the end.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# Lower goes first when requests wait for an overall slot; set per site by the crawl of many.
request_order: ContextVar[int] = ContextVar("request_order", default=0)


@dataclass(slots=True)
class _HostGate:
    slots: asyncio.Semaphore
    delay: float
    next_start: float = 0.0
    users: int = 0
    # Set once the request whose turn came last has left (or given up); None when it has.
    departure: asyncio.Event | None = None


class HostPoliteness:
    def __init__(self, *, concurrency: int, delay: float, total: int) -> None:
        self._concurrency = concurrency
        self._delay = delay
        self._total = _OrderedSlots(total)
        self._gates: dict[str, _HostGate] = {}

    def raise_delay(self, host: str, delay: float) -> None:
        """Slow a host down (robots.txt Crawl-delay); never speeds it up."""
        gate = self._gate(host)
        gate.delay = max(gate.delay, delay)

    def request_sent(self, host: str) -> None:
        """Count the delay from when the request actually left, not from when its turn came:
        opening a connection first must not shorten the gap the host sees."""
        gate = self._gates.get(host)
        if gate is not None:
            gate.next_start = max(gate.next_start, asyncio.get_running_loop().time() + gate.delay)
            _depart(gate, gate.departure)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        gate = self._gate(host)
        gate.users += 1
        try:
            async with gate.slots:
                departure = await self._start_turn(gate)
                try:
                    yield
                finally:
                    # A request that never left (its connection failed) frees the next turn.
                    _depart(gate, departure)
                    self._total.release()
        finally:
            gate.users -= 1
            self._forget_if_idle(host, gate)

    async def _start_turn(self, gate: _HostGate) -> asyncio.Event:
        """Wait for the host's previous request to leave, its next start time and an overall
        slot, then claim the start; returns the event the claimed request's departure sets.

        The start is claimed only once the overall slot is held, so time spent waiting for
        other hosts can never squeeze two requests to this host closer than its delay. Nor
        can a slow connection: a request whose turn came but which has not left yet (its
        connection still opening on a busy machine) holds the next turn back, since the
        delay counts from when it leaves.
        """
        loop = asyncio.get_running_loop()
        while True:
            if gate.departure is not None:
                await gate.departure.wait()
                continue
            wait = gate.next_start - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            await self._total.acquire(request_order.get())
            if gate.next_start > loop.time():
                # Another request to this host started while we waited for the slot.
                self._total.release()
                continue
            gate.next_start = loop.time() + gate.delay
            gate.departure = asyncio.Event()
            return gate.departure

    def _gate(self, host: str) -> _HostGate:
        gate = self._gates.get(host)
        if gate is None:
            gate = _HostGate(asyncio.Semaphore(self._concurrency), self._delay)
            self._gates[host] = gate
        return gate

    def _forget_if_idle(self, host: str, gate: _HostGate) -> None:
        # A gate is only worth keeping while its delay still matters, so memory stays bounded
        # by the hosts in flight rather than every host ever seen.
        loop = asyncio.get_running_loop()
        if gate.users == 0 and gate.next_start <= loop.time() and gate.delay == self._delay:
            del self._gates[host]


def _depart(gate: _HostGate, departure: asyncio.Event | None) -> None:
    if departure is not None and gate.departure is departure:
        gate.departure = None
        departure.set()


class _OrderedSlots:
    """A semaphore whose waiters are served lowest order first, then first come."""

    def __init__(self, count: int) -> None:
        self._free = count
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    async def acquire(self, order: int) -> None:
        self._drop_abandoned()
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (order, next(self._arrivals), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                # The slot was handed over just as the waiter was cancelled: pass it on.
                self.release()
            raise

    def release(self) -> None:
        """Hand the slot straight to the first waiter, so nobody can overtake it."""
        self._drop_abandoned()
        if self._waiters:
            _, _, turn = heapq.heappop(self._waiters)
            turn.set_result(None)
        else:
            self._free += 1

    def _drop_abandoned(self) -> None:
        while self._waiters and self._waiters[0][2].done():
            heapq.heappop(self._waiters)

"""Per-host politeness: at most N requests in flight to one host and a minimum gap between the
starts of two requests to it, while any number of other hosts proceed in parallel under one
overall limit on requests in flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass(slots=True)
class _HostGate:
    slots: asyncio.Semaphore
    delay: float
    next_start: float = 0.0
    users: int = 0


class HostPoliteness:
    def __init__(self, *, concurrency: int, delay: float, total: int) -> None:
        self._concurrency = concurrency
        self._delay = delay
        self._total = asyncio.Semaphore(total)
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

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        gate = self._gate(host)
        gate.users += 1
        try:
            async with gate.slots:
                await self._start_turn(gate)
                try:
                    yield
                finally:
                    self._total.release()
        finally:
            gate.users -= 1
            self._forget_if_idle(host, gate)

    async def _start_turn(self, gate: _HostGate) -> None:
        """Wait for the host's next start time and an overall slot, then claim the start.

        The start is claimed only once the overall slot is held, so time spent waiting for
        other hosts can never squeeze two requests to this host closer than its delay.
        """
        loop = asyncio.get_running_loop()
        while True:
            wait = gate.next_start - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            await self._total.acquire()
            if gate.next_start > loop.time():
                # Another request to this host started while we waited for the slot.
                self._total.release()
                continue
            gate.next_start = loop.time() + gate.delay
            return

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

"""The one interface every search provider implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import ClassVar, Protocol, Self

from coldflow.discover.providers.outcome import SearchOutcome
from coldflow.discover.queries import QuerySyntax


class SearchProvider(Protocol):
    # Stored with each query ("searxng", "brave" …).
    name: ClassVar[str]
    # Shown to the user ("Brave Search").
    label: ClassVar[str]
    # Which operators the queries for this provider may use.
    syntax: ClassVar[QuerySyntax]

    async def search(
        self, query: str, *, page: int = 1, language: str | None = None
    ) -> SearchOutcome:
        """Never raises for anything the network or the provider does: every failure is an
        outcome with a status and a message."""
        ...

    async def aclose(self) -> None: ...


class ClosingProvider(ABC):
    """`async with provider:` closes what the provider owns (its HTTP session)."""

    @abstractmethod
    async def aclose(self) -> None: ...

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

"""User templates: Jinja2 in an immutable sandbox, with spintax and unresolved-variable tracking.

A template is written by a user and rendered with data scraped from the web, so neither may
reach Python: the sandbox refuses underscore attributes, mutating methods and unsafe calls, and
any attempt is reported as a TemplateRejected error rather than rendered as an empty string.

Variables with no value are left undefined, so `{{ first_name | default("there") }}` covers
both a missing and an empty first name; a variable printed without a fallback is recorded as
unresolved and renders as nothing.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import ChainableUndefined, TemplateError, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from coldflow.compose.spintax import spin
from coldflow.errors import UserError

# A rendered subject or body longer than this is a runaway template, not an email.
MAX_OUTPUT_CHARS = 50_000
# `*` and `**` in a template may not build anything bigger than this.
MAX_OPERAND = 10_000

_unresolved: ContextVar[list[str] | None] = ContextVar("unresolved", default=None)


class TemplateRejected(UserError):
    """A template that does not parse, or that tries to reach what templates may not use."""


class _RecordingUndefined(ChainableUndefined):
    """Renders as nothing and remembers its name; raises when it stands for an unsafe access."""

    __slots__ = ()

    def _check_safe(self) -> None:
        if self._undefined_exception is SecurityError:
            raise SecurityError(self._undefined_hint or "unsafe access")

    def __str__(self) -> str:
        self._check_safe()
        seen = _unresolved.get()
        if seen is not None:
            seen.append(self._undefined_name or "?")
        return ""

    def __iter__(self):
        self._check_safe()
        return iter(())

    def __bool__(self) -> bool:
        self._check_safe()
        return False

    def __len__(self) -> int:
        self._check_safe()
        return 0


def _bounded(name: str, function):
    def apply(left: Any, right: Any) -> Any:
        sizes = [len(v) if isinstance(v, str | list | tuple) else v for v in (left, right)]
        numbers = [abs(v) for v in sizes if isinstance(v, int | float)]
        if name == "**" and numbers and max(numbers) > 100:
            raise SecurityError("exponents in templates are limited to 100")
        if name == "*" and len(numbers) == 2 and numbers[0] * numbers[1] > MAX_OPERAND:
            raise SecurityError(f"products in templates are limited to {MAX_OPERAND}")
        return function(left, right)

    return apply


class _Environment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})
    _bounded_ops = {"*": _bounded("*", operator.mul), "**": _bounded("**", operator.pow)}

    def call_binop(self, context, operator_name: str, left: Any, right: Any) -> Any:
        return self._bounded_ops[operator_name](left, right)


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    return _Environment(
        undefined=_RecordingUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Rendered:
    text: str
    # Variables printed without a value and without a fallback, in order, each once.
    unresolved: tuple[str, ...]


@lru_cache(maxsize=512)
def _compile(source: str):
    try:
        return environment().from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateRejected(f"template error on line {exc.lineno}: {exc.message}") from None


def check_template(source: str) -> None:
    """Raise TemplateRejected when the source does not parse."""
    _compile(source)


def referenced_names(source: str) -> frozenset[str]:
    """The top-level variables a template mentions (for citing the facts behind them)."""
    try:
        return frozenset(meta.find_undeclared_variables(environment().parse(source)))
    except TemplateSyntaxError as exc:
        raise TemplateRejected(f"template error on line {exc.lineno}: {exc.message}") from None


def render(source: str, variables: Mapping[str, Any], *, seed: str) -> Rendered:
    """Spin, then render `source` with `variables`; surrounding whitespace is stripped."""
    template = _compile(spin(source, seed))
    seen: list[str] = []
    token = _unresolved.set(seen)
    try:
        text = template.render(_defined(variables))
    except SecurityError as exc:
        raise TemplateRejected(f"template refused: {exc}") from None
    except TemplateError as exc:
        raise TemplateRejected(f"template error: {exc}") from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateRejected(f"template error: {exc}") from None
    finally:
        _unresolved.reset(token)
    if len(text) > MAX_OUTPUT_CHARS:
        raise TemplateRejected(f"template output is longer than {MAX_OUTPUT_CHARS} characters")
    return Rendered(text.strip(), tuple(dict.fromkeys(seen)))


def _defined(value: Any) -> Any:
    """Drop empty values (recursively in mappings) so `default(...)` applies to them."""
    if isinstance(value, Mapping):
        return {
            key: _defined(item)
            for key, item in value.items()
            if item is not None and item != "" and item != [] and item != {}
        }
    return value

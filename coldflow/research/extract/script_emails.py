"""Addresses assembled by inline JavaScript, recognised without running anything.

Sites hide addresses in scripts such as

    var u = "anna"; var d = "acme.de"; document.write(u + "@" + d);
    ["anna", "acme.de"].join("@")
    "ed.emca@anna".split("").reverse().join("")
    String.fromCharCode(97, 110, 110, 97, 64, …)

This module folds constants: string literals, variables assigned from them, `+`, and a few
string/array methods (join, split, reverse, concat, replace, toLowerCase, indexing, atob,
fromCharCode, decodeURIComponent). Anything else is unknown, and the expression is dropped.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

from coldflow.research.extract.email_address import addresses_in
from coldflow.research.extract.email_disguises import undisguise

MAX_SCRIPT_CHARS = 200_000
MAX_TOKENS = 50_000
_MAX_VALUE_CHARS = 10_000
_MAX_TERMS = 200
_MAX_DEPTH = 24

_TOKEN = re.compile(
    r"""(?P<skip>\s+|//[^\n]*|/\*.*?\*/)
      |(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.)*`)
      |(?P<num>0[xX][0-9a-fA-F]+|\d+)
      |(?P<name>[A-Za-z_$][\w$]*)
      |(?P<op>.)""",
    re.X | re.S,
)
_JS_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}
# Cheap test before tokenising: a script without any of these cannot produce an address.
_WORTH_READING = re.compile(r"@|\\x40|\\u0040|fromCharCode|&#0*64;|&#x0*40;|atob|%40|reverse", re.I)


@dataclass(frozen=True, slots=True)
class ScriptEmails:
    # Built from several pieces or decoded: someone went out of their way to hide these.
    assembled: list[str]
    # Written whole inside a string literal (configuration, JSON data).
    literal: list[str]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str


# A folded value: a string or an array of strings, and whether more than one literal (or a
# decoding step) went into it.
@dataclass(frozen=True, slots=True)
class _Value:
    data: str | tuple[str, ...]
    assembled: bool


class _Unknown(Exception):
    """The expression uses something we do not fold."""


def emails_in_script(source: str) -> ScriptEmails:
    source = source[:MAX_SCRIPT_CHARS]
    if not _WORTH_READING.search(source):
        return ScriptEmails([], [])
    folder = _Folder(_tokenise(source))
    assembled: list[str] = []
    literal: list[str] = []
    for value in folder.fold_all():
        if not isinstance(value.data, str) or len(value.data) < 6:
            continue
        text = undisguise(html.unescape(value.data))
        target = assembled if value.assembled else literal
        for address in addresses_in(text):
            if address not in target:
                target.append(address)
    return ScriptEmails(assembled, [a for a in literal if a not in assembled])


def _tokenise(source: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup
        if kind == "skip" or kind is None:
            continue
        tokens.append(_Token(kind, match.group()))
        if len(tokens) >= MAX_TOKENS:
            break
    return tokens


def _js_string(literal: str) -> str:
    body = literal[1:-1]
    return _JS_ESCAPE.sub(_unescape_one, body) if "\\" in body else body


def _unescape_one(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape[0] == "x" and len(escape) == 3:
        return chr(int(escape[1:], 16))
    if escape[0] == "u" and len(escape) > 1:
        return chr(min(int(escape.strip("u{}"), 16), 0x10FFFF))
    return _SIMPLE_ESCAPES.get(escape, escape)


class _Folder:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.variables: dict[str, _Value] = {}

    def fold_all(self) -> list[_Value]:
        values: list[_Value] = []
        start = 0
        while start < len(self.tokens):
            token = self.tokens[start]
            self.pos = start
            try:
                if token.kind == "name" and self._at_assignment(start):
                    self.pos = start + 2
                    value = self._expression(0)
                    self.variables[token.text] = value
                    values.append(value)
                elif token.kind == "str" or token.text in ("[", "(", "String", "atob"):
                    values.append(self._expression(0))
                else:
                    start += 1
                    continue
            except _Unknown:
                # Resume where folding failed: expressions nested in a call we cannot fold
                # ("f(x, 'anna' + '@' + d)") start after that point.
                start = max(start + 1, self.pos)
                continue
            start = max(start + 1, self.pos)
        return values

    def _at_assignment(self, index: int) -> bool:
        tokens = self.tokens
        return (
            index + 2 < len(tokens)
            and tokens[index + 1].text == "="
            and tokens[index + 2].text not in ("=", ">")
        )

    def _peek(self, offset: int = 0) -> _Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def _take(self, text: str | None = None, kind: str | None = None) -> _Token:
        token = self._peek()
        if (
            token is None
            or (text is not None and token.text != text)
            or (kind and token.kind != kind)
        ):
            raise _Unknown
        self.pos += 1
        return token

    def _expression(self, depth: int) -> _Value:
        if depth > _MAX_DEPTH:
            raise _Unknown
        value = self._postfix(depth)
        terms = 1
        while (token := self._peek()) is not None and token.text == "+":
            self.pos += 1
            right = self._postfix(depth)
            terms += 1
            if (
                terms > _MAX_TERMS
                or not isinstance(value.data, str)
                or not isinstance(right.data, str)
            ):
                raise _Unknown
            value = _Value(_bounded(value.data + right.data), True)
        return value

    def _postfix(self, depth: int) -> _Value:
        value = self._primary(depth)
        while (token := self._peek()) is not None:
            if token.text == "[":
                self.pos += 1
                index = int(self._take(kind="num").text, 0)
                self._take("]")
                if index >= len(value.data):
                    raise _Unknown
                value = _Value(value.data[index], value.assembled)
            elif token.text == "." and (method := self._peek(1)) is not None:
                self.pos += 2
                value = self._call_method(method.text, value, depth)
            else:
                return value
        return value

    def _arguments(self, depth: int) -> list[_Value]:
        self._take("(")
        arguments: list[_Value] = []
        while (token := self._peek()) is not None and token.text != ")":
            arguments.append(self._expression(depth + 1))
            if len(arguments) > 1000:
                raise _Unknown
            if (token := self._peek()) is not None and token.text == ",":
                self.pos += 1
        self._take(")")
        return arguments

    def _call_method(self, name: str, value: _Value, depth: int) -> _Value:
        arguments = [a.data for a in self._arguments(depth)]
        data = value.data
        if not all(isinstance(a, str) for a in arguments):
            raise _Unknown
        if name == "join" and isinstance(data, tuple):
            separator = arguments[0] if arguments else ","
            return _Value(_bounded(separator.join(data)), True)
        if name == "reverse" and isinstance(data, tuple) and not arguments:
            return _Value(data[::-1], True)
        if name == "split" and isinstance(data, str) and len(arguments) == 1:
            return _Value(
                tuple(data) if arguments[0] == "" else tuple(data.split(arguments[0])), True
            )
        if name == "concat" and isinstance(data, str):
            return _Value(_bounded(data + "".join(arguments)), True)
        if name == "replace" and isinstance(data, str) and len(arguments) == 2:
            return _Value(data.replace(arguments[0], arguments[1], 1), True)
        if name in ("toLowerCase", "trim") and isinstance(data, str) and not arguments:
            return _Value(data.lower() if name == "toLowerCase" else data.strip(), value.assembled)
        raise _Unknown

    def _primary(self, depth: int) -> _Value:
        token = self._take()
        if token.kind == "str":
            if token.text.startswith("`") and "${" in token.text:
                raise _Unknown
            return _Value(_js_string(token.text), False)
        if token.text == "(":
            value = self._expression(depth + 1)
            self._take(")")
            return value
        if token.text == "[":
            items: list[str] = []
            while (next_token := self._peek()) is not None and next_token.text != "]":
                item = self._expression(depth + 1)
                if not isinstance(item.data, str) or len(items) > 1000:
                    raise _Unknown
                items.append(item.data)
                if (next_token := self._peek()) is not None and next_token.text == ",":
                    self.pos += 1
            self._take("]")
            return _Value(tuple(items), True)
        if token.text == "String":
            self._take(".")
            self._take("fromCharCode")
            return _Value(self._char_codes(), True)
        if token.text in ("atob", "decodeURIComponent", "unescape"):
            arguments = self._arguments(depth)
            if len(arguments) != 1 or not isinstance(arguments[0].data, str):
                raise _Unknown
            return _Value(_decode(token.text, arguments[0].data), True)
        if token.kind == "name" and token.text in self.variables:
            return self.variables[token.text]
        raise _Unknown

    def _char_codes(self) -> str:
        self._take("(")
        codes = []
        while (token := self._peek()) is not None and token.text != ")":
            code = int(self._take(kind="num").text, 0)
            if code > 0x10FFFF or len(codes) > 1000:
                raise _Unknown
            codes.append(chr(code))
            if (token := self._peek()) is not None and token.text == ",":
                self.pos += 1
        self._take(")")
        return "".join(codes)


def _decode(function: str, data: str) -> str:
    if function != "atob":
        return unquote(data)
    try:
        return base64.b64decode(data, validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise _Unknown from error


def _bounded(text: str) -> str:
    # Self-concatenation doubles a string per statement: stop before memory does.
    if len(text) > _MAX_VALUE_CHARS:
        raise _Unknown
    return text

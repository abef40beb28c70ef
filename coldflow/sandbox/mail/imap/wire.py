"""IMAP's wire format: reading commands with their literals, tokenizing, quoting answers."""

from __future__ import annotations

import asyncio
import re

MAX_LINE_BYTES = 64 * 1024
MAX_LITERAL_BYTES = 30 * 1024 * 1024
MAX_COMMAND_BYTES = 32 * 1024 * 1024
MAX_LITERALS_PER_COMMAND = 64

# An atom is a str; a quoted string or a literal is bytes; a parenthesised list is a list.
Token = str | bytes | list

_LITERAL_MARK = re.compile(rb"\{(\d{1,10})(\+?)\}$")
_SAFE_QUOTED = re.compile(rb"^[\x20-\x7e]*$")


class ParseError(Exception):
    """The command is malformed: answer BAD and go on with the next one."""


class ConnectionSpoiled(Exception):
    """The client broke the framing (huge line, oversized non-synchronising literal): hang up."""


class LiteralRefused(Exception):
    """A synchronising literal too large to accept; the client is still waiting for '+'."""

    def __init__(self, first_line: bytes):
        super().__init__("literal too large")
        self.first_line = first_line


async def read_line(reader: asyncio.StreamReader) -> bytes | None:
    """One CRLF-terminated line without its ending, or None at end of stream."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError:
        return None
    except asyncio.LimitOverrunError as error:
        raise ConnectionSpoiled("line too long") from error
    return line.rstrip(b"\r\n")


async def read_command(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> list[bytes] | None:
    """A whole command as [line, literal, line, literal, …, line], or None at end of stream.

    Synchronising literals get their "+" continuation here; the line that announces a literal
    keeps its "{n}" marker so the tokenizer knows where the literal goes.
    """
    segments: list[bytes] = []
    total = 0
    while True:
        line = await read_line(reader)
        if line is None:
            return None
        segments.append(line)
        total += len(line)
        mark = _LITERAL_MARK.search(line)
        if mark is None:
            return segments
        size, non_synchronising = int(mark.group(1)), bool(mark.group(2))
        too_big = (
            size > MAX_LITERAL_BYTES
            or total + size > MAX_COMMAND_BYTES
            or len(segments) // 2 >= MAX_LITERALS_PER_COMMAND
        )
        if too_big:
            if non_synchronising:
                raise ConnectionSpoiled("literal too large")
            raise LiteralRefused(segments[0])
        if not non_synchronising:
            writer.write(b"+ Ready for literal data\r\n")
            await writer.drain()
        try:
            segments.append(await reader.readexactly(size))
        except asyncio.IncompleteReadError:
            return None
        total += size


def tokenize(segments: list[bytes]) -> list[Token]:
    lines, literals = segments[0::2], segments[1::2]
    stack: list[list[Token]] = [[]]
    for index, line in enumerate(lines):
        pos, end = 0, len(line)
        while pos < end:
            char = line[pos]
            if char == 0x20:
                pos += 1
            elif char == 0x28:  # (
                opened: list[Token] = []
                stack[-1].append(opened)
                stack.append(opened)
                pos += 1
            elif char == 0x29:  # )
                if len(stack) == 1:
                    raise ParseError("unbalanced parenthesis")
                stack.pop()
                pos += 1
            elif char == 0x22:  # "
                value, pos = _quoted(line, pos)
                stack[-1].append(value)
            elif char == 0x7B and _LITERAL_MARK.fullmatch(line, pos):  # {
                if index >= len(literals):
                    raise ParseError("literal without data")
                stack[-1].append(literals[index])
                pos = end
            else:
                atom, pos = _atom(line, pos)
                stack[-1].append(atom)
    if len(stack) != 1:
        raise ParseError("unbalanced parenthesis")
    return stack[0]


def _quoted(line: bytes, pos: int) -> tuple[bytes, int]:
    out = bytearray()
    pos += 1
    while pos < len(line):
        char = line[pos]
        if char == 0x5C:  # backslash
            if pos + 1 >= len(line):
                break
            out.append(line[pos + 1])
            pos += 2
        elif char == 0x22:
            return bytes(out), pos + 1
        else:
            out.append(char)
            pos += 1
    raise ParseError("unterminated quoted string")


def _atom(line: bytes, pos: int) -> tuple[str, int]:
    start = pos
    depth = 0
    while pos < len(line):
        char = line[pos]
        if char == 0x5B:  # [ : a fetch section may hold spaces and parentheses
            depth += 1
        elif char == 0x5D and depth:
            depth -= 1
        elif depth == 0 and char in (0x20, 0x28, 0x29, 0x22):
            break
        elif char < 0x20 or char == 0x7F:
            raise ParseError("control character in atom")
        pos += 1
    if depth:
        raise ParseError("unterminated section")
    return line[start:pos].decode("latin-1"), pos


def text_of(token: Token) -> str:
    """An astring's value as text."""
    if isinstance(token, list):
        raise ParseError("expected a string, got a list")
    if isinstance(token, bytes):
        return token.decode("utf-8", "replace")
    return token


def quote(value: bytes | str | None) -> bytes:
    """A value as an IMAP string: NIL, a quoted string, or a literal when quoting can't carry it."""
    if value is None:
        return b"NIL"
    data = value.encode("utf-8") if isinstance(value, str) else value
    if len(data) < 1024 and _SAFE_QUOTED.match(data):
        return b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
    return literal(data)


def literal(data: bytes) -> bytes:
    return b"{%d}\r\n" % len(data) + data

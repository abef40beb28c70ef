"""The sandbox IMAP server on the wire: framing, hostile input, and mail arriving live."""

from __future__ import annotations

import smtplib
import socket

import pytest

from .harness import SAM, connect_imap, running_mail_servers, wait_for

MESSAGE = b"From: a@acme.test\r\nSubject: raw\r\nMessage-ID: <raw@test>\r\n\r\nraw body\r\n"


class RawImap:
    """A bare socket client, to send what IMAPClient never would."""

    def __init__(self, mail):
        endpoint = mail.endpoints()["imap"]
        self.sock = socket.create_connection((endpoint["host"], endpoint["port"]), timeout=5)
        self.reader = self.sock.makefile("rb")
        self.greeting = self.line()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def line(self) -> bytes:
        return self.reader.readline()

    def until_tagged(self, tag: bytes) -> list[bytes]:
        lines = []
        while True:
            line = self.line()
            if not line:
                raise ConnectionError("server closed the connection")
            lines.append(line)
            if line.startswith(tag + b" "):
                return lines

    def command(self, tag: bytes, text: bytes) -> list[bytes]:
        self.send(tag + b" " + text + b"\r\n")
        return self.until_tagged(tag)

    def login(self) -> None:
        assert self.command(b"l", b"LOGIN sam s3cret")[-1].startswith(b"l OK")

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


@pytest.fixture
def raw(mail):
    client = RawImap(mail)
    yield client
    client.close()


def test_the_greeting_announces_imap4rev1(raw):
    assert raw.greeting.startswith(b"* OK [CAPABILITY IMAP4rev1 ")


def test_garbage_gets_bad_and_the_connection_lives_on(raw):
    assert raw.command(b"a1", b"FROBNICATE now")[-1].startswith(b"a1 BAD")
    assert raw.command(b"a2", b'SELECT "unterminated')[-1].startswith(b"a2 BAD")
    assert raw.command(b"a3", b"FETCH 1 (FLAGS")[-1].startswith(b"a3 BAD")
    raw.send(b"\r\n")
    assert raw.line().startswith(b"* BAD")
    assert raw.command(b"a4", b"NOOP")[-1] == b"a4 OK NOOP completed\r\n"


def test_mailbox_commands_need_a_login(raw):
    assert raw.command(b"a1", b"SELECT INBOX")[-1].startswith(b"a1 BAD")


def test_a_synchronising_literal_gets_a_continuation(raw):
    raw.login()
    raw.send(b"a1 APPEND INBOX {%d}\r\n" % len(MESSAGE))
    assert raw.line().startswith(b"+ ")
    raw.send(MESSAGE + b"\r\n")
    assert b"[APPENDUID " in raw.until_tagged(b"a1")[-1]


def test_a_non_synchronising_literal_needs_no_continuation(raw):
    raw.login()
    reply = raw.command(b"a1", b"APPEND INBOX (\\Seen) {%d+}\r\n" % len(MESSAGE) + MESSAGE)
    assert reply == [reply[-1]] and b"OK [APPENDUID " in reply[-1]


def test_an_oversized_literal_is_refused_without_reading_it(raw):
    raw.login()
    reply = raw.command(b"a1", b"APPEND INBOX {999999999}")
    assert reply[-1].startswith(b"a1 NO [TOOBIG]")
    assert raw.command(b"a2", b"NOOP")[-1].startswith(b"a2 OK")


def test_a_line_too_long_ends_the_connection(raw):
    raw.send(b"a1 NOOP " + b"x" * 100_000 + b"\r\n")
    assert raw.line().startswith(b"* BYE")


def test_a_client_vanishing_mid_literal_does_not_hurt_the_server(mail, raw):
    raw.login()
    raw.send(b"a1 APPEND INBOX {1000+}\r\nonly part of it")
    raw.close()
    other = RawImap(mail)
    other.login()
    assert (
        other.command(b"b1", b"STATUS INBOX (MESSAGES)")[0] == b'* STATUS "INBOX" (MESSAGES 0)\r\n'
    )
    other.close()


def test_fetch_answers_carry_literals_uids_and_partial_sections(raw):
    raw.login()
    raw.command(b"a0", b"APPEND INBOX {%d+}\r\n" % len(MESSAGE) + MESSAGE)
    raw.command(b"a1", b"SELECT INBOX")
    raw.send(b"a2 UID FETCH 1:* (FLAGS BODY.PEEK[]<0.4>)\r\n")
    first = raw.line()
    assert first.startswith(b"* 1 FETCH (UID 1 FLAGS (\\Recent) BODY[]<0> {4}")
    assert raw.line() == b"From)\r\n"
    assert raw.line().startswith(b"a2 OK")


def test_a_sequence_number_past_the_end_is_bad(raw):
    raw.login()
    raw.command(b"a1", b"SELECT INBOX")
    assert raw.command(b"a2", b"FETCH 3 FLAGS")[-1].startswith(b"a2 BAD")
    assert raw.command(b"a3", b"UID FETCH 3 FLAGS")[-1].startswith(b"a3 OK")


def test_copy_and_append_report_uidplus_codes(raw):
    raw.login()
    raw.command(b"a0", b"APPEND INBOX {%d+}\r\n" % len(MESSAGE) + MESSAGE)
    raw.command(b"a1", b"SELECT INBOX")
    reply = raw.command(b"a2", b"UID COPY 1 Sent")[-1]
    assert reply.startswith(b"a2 OK [COPYUID ") and reply.split()[4:6] == [b"1", b"1]"]


def test_other_sessions_learn_about_expunges(mail, raw):
    raw.login()
    raw.command(b"a0", b"APPEND INBOX (\\Deleted) {%d+}\r\n" % len(MESSAGE) + MESSAGE)
    raw.command(b"a1", b"SELECT INBOX")
    other = RawImap(mail)
    other.login()
    other.command(b"b1", b"SELECT INBOX")
    assert b"* 1 EXPUNGE\r\n" in other.command(b"b2", b"EXPUNGE")
    other.close()
    assert raw.command(b"a2", b"FETCH 1 FLAGS")[-1].startswith(b"a2 OK"), "no EXPUNGE in FETCH"
    assert b"* 1 EXPUNGE\r\n" in raw.command(b"a3", b"NOOP")


def test_the_folders_are_inbox_and_a_special_use_sent(mail):
    endpoint = mail.endpoints()["imap"]
    with connect_imap(endpoint["host"], endpoint["port"]) as client:
        client.login(SAM.username, SAM.password)
        folders = {name: flags for flags, _, name in client.list_folders()}
    assert set(folders) == {"INBOX", "Sent"}
    assert b"\\Sent" in folders["Sent"]


def test_uidvalidity_is_constant_for_the_servers_life(mail):
    endpoint = mail.endpoints()["imap"]
    seen = set()
    for _ in range(2):
        with connect_imap(endpoint["host"], endpoint["port"]) as client:
            client.login(SAM.username, SAM.password)
            seen.add(client.select_folder("INBOX")[b"UIDVALIDITY"])
    assert len(seen) == 1


def test_idle_announces_a_prospects_reply_as_it_lands():
    with running_mail_servers(time_scale=0.1) as mail:
        endpoints = mail.endpoints()
        with connect_imap(endpoints["imap"]["host"], endpoints["imap"]["port"]) as c:
            c.login(SAM.username, SAM.password)
            c.select_folder("INBOX")
            c.idle()
            with smtplib.SMTP(
                endpoints["submission"]["host"], endpoints["submission"]["port"]
            ) as s:
                s.login(SAM.username, SAM.password)
                s.sendmail(
                    SAM.address,
                    ["anna@acme.test"],
                    b"From: sam@sender.test\r\nSubject: Hi\r\nMessage-ID: <idle@s>\r\n\r\nHi\r\n",
                )
            responses = wait_for(lambda: c.idle_check(timeout=0.5), timeout=5)
            c.idle_done()
            assert (1, b"EXISTS") in responses
            [uid] = c.search(["HEADER", "In-Reply-To", "<idle@s>"])
            assert c.fetch([uid], ["ENVELOPE"])[uid][b"ENVELOPE"].subject == b"Re: Hi"


COMMANDS = [
    b"SELECT",
    b"EXAMINE",
    b"FETCH",
    b"UID FETCH",
    b"SEARCH",
    b"UID SEARCH",
    b"STORE",
    b"UID STORE",
    b"COPY",
    b"UID COPY",
    b"STATUS",
    b"LIST",
    b"LSUB",
    b"APPEND",
    b"CREATE",
    b"DELETE",
    b"EXPUNGE",
    b"UID EXPUNGE",
    b"CLOSE",
    b"NOOP",
    b"CHECK",
    b"UNSELECT",
    b"UID",
    b"SUBSCRIBE",
    b"CAPABILITY",
    b"LOGIN",
]
ARGUMENTS = [
    b"INBOX",
    b"Sent",
    b"1",
    b"*",
    b"1:*",
    b"0",
    b"2:1",
    b"(FLAGS",
    b"(FLAGS)",
    b"BODY[]",
    b"BODY[",
    b"BODY.PEEK[HEADER.FIELDS (SUBJECT)]",
    b"BODY[]<5.2>",
    b"(",
    b")",
    b'"x',
    b'""',
    b"\\Seen",
    b"+FLAGS",
    b"-FLAGS.SILENT",
    b"ALL",
    b"NOT",
    b"OR",
    b"HEADER",
    b"UID",
    b"99999999999999999999",
    b"(MESSAGES UNSEEN)",
    b"CHARSET",
    b"UTF-8",
    b"SINCE",
    b"1-Jan-2025",
    b"ENVELOPE",
    b"FAST",
    b"%",
    b"\xff\xfe",
    b"NIL",
    b"()",
    b"(\\Deleted)",
]


def test_random_commands_never_break_the_server(raw):
    import random

    generator = random.Random(7)
    raw.login()
    raw.command(b"s0", b"APPEND INBOX {%d+}\r\n" % len(MESSAGE) + MESSAGE)
    for n in range(400):
        words = [generator.choice(COMMANDS)]
        words += [generator.choice(ARGUMENTS) for _ in range(generator.randint(0, 5))]
        tag = b"t%d" % n
        reply = raw.command(tag, b" ".join(words))[-1]
        assert reply.split(b" ")[1] in (b"OK", b"NO", b"BAD"), reply
        assert b"Internal error" not in reply, (words, reply)

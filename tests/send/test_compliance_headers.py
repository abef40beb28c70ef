"""Every message: plain text, the stored Message-ID, threading, List-Unsubscribe (RFC 8058),
footer with the postal address; DKIM signatures that verify against the sandbox's DNS."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from dataclasses import replace
from types import SimpleNamespace

import dkim
import dns.resolver
import pytest

from coldflow.sandbox.dns import DnsServer
from coldflow.sandbox.world.dkim_key import SANDBOX_DKIM_PRIVATE_KEY_PEM
from coldflow.sandbox.world.dns_records import build_zone_data
from coldflow.sandbox.world.sending import sending_domain
from coldflow.send.dkim_signing import dkim_sign
from coldflow.send.message import build_message, final_message_id
from coldflow.send.unsubscribe_token import BadToken, sign_message_pk, verify_token

SECRET = "coldflow-test-secret-key-not-for-production"


def outbound(**fields):
    values = {
        "pk": 42,
        "to_address": "anna@acme.test",
        "subject": "Quick question",
        "body_text": "Hello Anna,\n\nA question.",
        "body_html": "",
        "message_id": "<abc123@coldflow.local>",
        "in_reply_to": "",
        "references": "",
    }
    values.update(fields)
    return SimpleNamespace(**values)


MAILBOX = SimpleNamespace(
    email="mia.hoffmann@lumenfield-sales.com", display_name="Mia Hoffmann", signature="Mia"
)


def parsed(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


def test_it_always_has_a_plain_text_part_with_footer_address_and_link(settings_for_send):
    message = parsed(build_message(outbound(), MAILBOX, settings_for_send))
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Hello Anna,")
    assert "Lumenfield GmbH, Hafenstrasse 1, 20457 Hamburg" in text
    assert "Unsubscribe: https://outreach.example.com/unsubscribe/" in text
    assert "\nMia\n" in text


def test_an_html_body_becomes_an_alternative_to_the_text(settings_for_send):
    built = build_message(
        outbound(body_html="<p>Hello <b>Anna</b></p>"), MAILBOX, settings_for_send
    )
    message = parsed(built)
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)) is not None
    assert "<b>Anna</b>" in message.get_body(("html",)).get_content()


def test_the_provisional_message_id_takes_the_mailbox_domain(settings_for_send):
    message = parsed(build_message(outbound(), MAILBOX, settings_for_send))
    assert message["Message-ID"] == "<abc123@lumenfield-sales.com>"
    assert final_message_id("<x@other.example>", MAILBOX.email) == "<x@other.example>"


def test_from_carries_the_display_name_and_follow_ups_thread(settings_for_send):
    first = "<first@lumenfield-sales.com>"
    message = parsed(
        build_message(outbound(in_reply_to=first, references=first), MAILBOX, settings_for_send)
    )
    assert message["From"] == "Mia Hoffmann <mia.hoffmann@lumenfield-sales.com>"
    assert message["In-Reply-To"] == first and message["References"] == first


def test_list_unsubscribe_offers_a_signed_one_click_url_and_a_mailto(settings_for_send):
    message = parsed(build_message(outbound(), MAILBOX, settings_for_send))
    token = sign_message_pk(42, SECRET)
    assert message["List-Unsubscribe"] == (
        f"<https://outreach.example.com/unsubscribe/{token}>, "
        "<mailto:mia.hoffmann@lumenfield-sales.com?subject=unsubscribe>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert verify_token(token, SECRET) == 42


def test_without_a_public_url_only_the_mailto_is_offered(settings_for_send):
    message = parsed(build_message(outbound(), MAILBOX, replace(settings_for_send, public_url="")))
    assert message["List-Unsubscribe"] == (
        "<mailto:mia.hoffmann@lumenfield-sales.com?subject=unsubscribe>"
    )
    assert message["List-Unsubscribe-Post"] is None


@pytest.mark.parametrize(
    "token",
    [sign_message_pk(42, "another-secret"), "16.", "16", "zz.AAAA", "1!.x", ""],
)
def test_forged_or_damaged_tokens_do_not_verify(token):
    with pytest.raises(BadToken):
        verify_token(token, SECRET)


@pytest.fixture(scope="module")
def sandbox_dns():
    """The sandbox's DNS server with the sending domain's records (SPF, DMARC, DKIM key)."""
    import random

    zone = build_zone_data((), [], sending_domain(1), random.Random(1))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = DnsServer(zone)
    asyncio.run_coroutine_threadsafe(server.start("127.0.0.1", 0), loop).result(10)
    yield "127.0.0.1", server.port
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def _dnsfunc(host: str, port: int):
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = port

    def txt(name: bytes, timeout: int = 5) -> bytes:
        answer = resolver.resolve(name.decode().rstrip("."), "TXT")
        return b"".join(answer[0].strings)

    return txt


def signed(settings_for_send) -> bytes:
    raw = build_message(outbound(), MAILBOX, settings_for_send).as_bytes()
    return dkim_sign(
        raw,
        domain="lumenfield-sales.com",
        selector="sandbox",
        private_key_pem=SANDBOX_DKIM_PRIVATE_KEY_PEM,
    )


def test_a_dkim_signature_verifies_against_the_key_in_dns(settings_for_send, sandbox_dns):
    raw = signed(settings_for_send)
    assert dkim.verify(raw, dnsfunc=_dnsfunc(*sandbox_dns))
    signature = email.message_from_bytes(raw)["DKIM-Signature"]
    covered = " ".join(signature.split()).split("h=")[1].split(";")[0].replace(" ", "")
    for header in ("from", "subject", "message-id", "list-unsubscribe", "list-unsubscribe-post"):
        assert header in covered.split(":")


def test_a_changed_unsubscribe_header_breaks_the_signature(settings_for_send, sandbox_dns):
    raw = signed(settings_for_send).replace(b"subject=unsubscribe", b"subject=subscribe!!")
    assert not dkim.verify(raw, dnsfunc=_dnsfunc(*sandbox_dns))

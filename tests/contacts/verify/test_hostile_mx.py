"""MX hosts that misbehave get a clear verdict, never a crash or a hang."""

from __future__ import annotations

import asyncio
import json
import time

from coldflow.contacts.verify import verify_many
from tests.contacts.verify.toy_servers import ScriptedMx, dns_server, loopback_settings, mx_zone

DOMAIN = "acme-widgets.de"


async def verify_against(mx: ScriptedMx, addresses: list[str], **overrides):
    async with dns_server([DOMAIN], mx_zone(DOMAIN)) as dns_port:
        settings = loopback_settings(dns_port, mx.port, **overrides)
        return await verify_many(addresses, settings)


def test_an_mx_that_never_answers_times_out_as_unknown():
    async def scenario():
        async with ScriptedMx(silent=True) as mx:
            started = time.monotonic()
            results = await verify_against(mx, [f"anna@{DOMAIN}", f"ben@{DOMAIN}"])
            return results, time.monotonic() - started, mx.connections

    results, elapsed, connections = asyncio.run(scenario())
    assert [r.verdict for r in results] == ["unknown", "unknown"]
    assert {r.step("smtp").outcome for r in results} == {"timeout"}
    assert "greeting" in results[0].step("smtp").detail
    # A silent server is not worth a second wait.
    assert connections == 1 and elapsed < 3


def test_an_mx_that_stops_answering_mid_dialogue_times_out_as_unknown():
    async def scenario():
        async with ScriptedMx(stall_at_rcpt=True) as mx:
            return await verify_against(mx, [f"anna@{DOMAIN}"]), mx.connections

    [result], connections = asyncio.run(scenario())
    assert result.verdict == "unknown"
    assert result.step("smtp").outcome == "timeout"
    assert "RCPT" in result.step("smtp").detail
    assert connections == 1


def test_garbage_in_a_reply_is_kept_readable_and_json_safe():
    async def scenario():
        reply = b"550 5.1.1 \xff\xfe\x1b[31m no such user \x00\r\n"
        async with ScriptedMx(rcpt_reply=reply) as mx:
            return await verify_against(mx, [f"anna@{DOMAIN}"])

    [result] = asyncio.run(scenario())
    assert result.verdict == "invalid"
    detail = result.step("smtp").detail
    assert "\x1b" not in detail and "\x00" not in detail
    assert json.loads(result.to_json().encode("utf-8"))["verdict"] == "invalid"


def test_a_refused_sender_leaves_the_recipients_unknown():
    async def scenario():
        async with ScriptedMx(mail_reply=b"554 5.7.1 Sender blocked\r\n") as mx:
            return await verify_against(mx, [f"anna@{DOMAIN}", f"ben@{DOMAIN}"])

    results = asyncio.run(scenario())
    assert [r.verdict for r in results] == ["unknown", "unknown"]
    assert {r.step("smtp").outcome for r in results} == {"sender_refused"}


def test_an_mx_that_hangs_up_mid_dialogue_is_reconnected_once_then_unknown():
    async def scenario():
        async with ScriptedMx(mailboxes={f"anna@{DOMAIN}"}, hang_up_after=1) as mx:
            results = await verify_against(mx, [f"anna@{DOMAIN}"])
            return results, mx.connections

    [result], connections = asyncio.run(scenario())
    assert result.verdict == "unknown"
    assert result.step("smtp").outcome == "connection_lost"
    assert "gave up after 1 reconnect" in result.step("smtp").detail
    assert connections == 2


def test_a_421_answer_to_rcpt_counts_as_a_dropped_connection():
    async def scenario():
        async with ScriptedMx(mailboxes={f"anna@{DOMAIN}"}, rcpt_421=True) as mx:
            return await verify_against(mx, [f"anna@{DOMAIN}"])

    [result] = asyncio.run(scenario())
    assert result.verdict == "unknown"
    assert "421" in result.step("smtp").detail


def test_a_busy_greeting_is_survived_by_the_one_reconnect():
    async def scenario():
        async with ScriptedMx(mailboxes={f"anna@{DOMAIN}"}, greet_421=1) as mx:
            results = await verify_against(mx, [f"anna@{DOMAIN}", f"nobody@{DOMAIN}"])
            return results, mx.connections

    results, connections = asyncio.run(scenario())
    assert [r.verdict for r in results] == ["valid", "invalid"]
    assert connections == 2


def test_a_refused_connection_is_unknown():
    async def scenario():
        async with ScriptedMx() as mx:
            port = mx.port
        # The server is gone: nothing listens on its port any more.
        async with dns_server([DOMAIN], mx_zone(DOMAIN)) as dns_port:
            return await verify_many([f"anna@{DOMAIN}"], loopback_settings(dns_port, port))

    [result] = asyncio.run(scenario())
    assert result.verdict == "unknown"
    assert result.step("smtp").outcome == "connection_lost"
    assert "cannot connect" in result.step("smtp").detail


def test_recipients_of_one_host_are_probed_with_rset_between_them():
    async def scenario():
        mailboxes = {f"anna@{DOMAIN}", f"ben@{DOMAIN}"}
        async with ScriptedMx(mailboxes=mailboxes) as mx:
            addresses = [f"anna@{DOMAIN}", f"ben@{DOMAIN}", f"carl@{DOMAIN}"]
            return await verify_against(mx, addresses), mx.connections, mx.rcpts

    results, connections, rcpts = asyncio.run(scenario())
    assert [r.verdict for r in results] == ["valid", "valid", "invalid"]
    assert connections == 1
    # The random catch-all probe goes first, then each recipient once.
    assert rcpts[1:] == [f"anna@{DOMAIN}", f"ben@{DOMAIN}", f"carl@{DOMAIN}"]


def test_several_recipients_per_transaction_give_the_same_verdicts():
    async def scenario():
        async with ScriptedMx(mailboxes={f"anna@{DOMAIN}"}) as mx:
            addresses = [f"anna@{DOMAIN}", f"carl@{DOMAIN}"]
            return await verify_against(mx, addresses, recipients_per_transaction=10)

    results = asyncio.run(scenario())
    assert [r.verdict for r in results] == ["valid", "invalid"]


def test_a_non_ascii_local_part_needs_a_server_that_offers_smtputf8():
    async def scenario():
        async with ScriptedMx(mailboxes={f"jörg@{DOMAIN}"}, smtputf8=False) as mx:
            without = await verify_against(mx, [f"jörg@{DOMAIN}"])
        async with ScriptedMx(mailboxes={f"jörg@{DOMAIN}"}) as mx:
            with_it = await verify_against(mx, [f"jörg@{DOMAIN}"])
        return without + with_it

    without, with_it = asyncio.run(scenario())
    assert without.verdict == "unknown" and without.step("smtp").outcome == "no_smtputf8"
    assert with_it.verdict == "valid"


def test_the_per_host_throttle_spaces_rcpt_commands():
    async def scenario():
        async with ScriptedMx(mailboxes={f"anna@{DOMAIN}"}) as mx:
            started = time.monotonic()
            await verify_against(mx, [f"anna@{DOMAIN}", f"ben@{DOMAIN}"], per_mx_delay=0.2)
            return time.monotonic() - started

    # Three RCPTs (catch-all probe and two recipients): two gaps of 0.2 s at least.
    assert asyncio.run(scenario()) >= 0.4

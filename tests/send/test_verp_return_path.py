"""The envelope sender (MAIL FROM): the mailbox, or a signed per-message VERP address."""

from __future__ import annotations

from dataclasses import dataclass

from coldflow.listen import verp
from coldflow.send.message import envelope_sender
from coldflow.send.settings import SendSettings


@dataclass
class _Message:
    pk: int | None
    to_address: str = "anna@acme.test"


@dataclass
class _Mailbox:
    email: str = "sam@sender.test"
    display_name: str = ""
    signature: str = ""


def test_without_verp_the_mailbox_itself_is_the_envelope_sender():
    settings = SendSettings(secret_key="k")
    assert envelope_sender(_Message(42), _Mailbox(), settings) == "sam@sender.test"


def test_with_verp_the_envelope_sender_names_the_message_and_listen_reads_it_back():
    settings = SendSettings(secret_key="k", verp_return_path=True)
    sender = envelope_sender(_Message(42), _Mailbox(), settings)
    assert sender.startswith("sam+cf-42-") and sender.endswith("@sender.test")
    assert verp.message_pk(sender, "k") == 42
    assert verp.message_pk(sender, "another key") is None

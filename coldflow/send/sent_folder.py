"""The mailbox's Sent folder over IMAP: filing a copy after sending, finding a Message-ID."""

from __future__ import annotations

from datetime import datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from coldflow.send.connections import MailServerError


def _select(client: IMAPClient, folder: str, *, readonly: bool) -> None:
    try:
        client.select_folder(folder, readonly=readonly)
    except IMAPClientError as error:
        raise MailServerError("folder", f"cannot open folder {folder!r}: {error}") from None


def find_message_id(client: IMAPClient, folder: str, message_id: str) -> bool:
    """Whether `folder` holds a message with exactly this Message-ID header."""
    _select(client, folder, readonly=True)
    try:
        uids = client.search(["HEADER", "Message-ID", message_id])
        if not uids:
            return False
        # SEARCH HEADER matches substrings: confirm on the header itself.
        fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    except (IMAPClientError, OSError) as error:
        raise MailServerError("search", f"searching {folder!r} failed: {error}") from None
    wanted = message_id.strip().lower()
    for data in fetched.values():
        header = next((v for k, v in data.items() if k.startswith(b"BODY[")), b"")
        value = header.decode("utf-8", "replace").partition(":")[2]
        if " ".join(value.split()).lower() == wanted:
            return True
    return False


def append_copy(client: IMAPClient, folder: str, raw: bytes, when: datetime) -> None:
    try:
        client.append(folder, raw, flags=(b"\\Seen",), msg_time=when)
    except (IMAPClientError, OSError) as error:
        raise MailServerError("append", f"cannot file a copy in {folder!r}: {error}") from None

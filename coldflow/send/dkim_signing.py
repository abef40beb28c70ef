"""DKIM signing with dkimpy, for mailboxes whose server does not sign."""

from __future__ import annotations

import dkim
import dkim.crypto

from coldflow.errors import UserError

# The headers a signature must cover: spec'd ones first, then the ones that make a replay
# with a changed recipient, date or thread detectable. Absent headers are left out.
SIGNED_HEADERS = (
    b"from",
    b"subject",
    b"message-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"to",
    b"date",
    b"in-reply-to",
    b"references",
    b"mime-version",
    b"content-type",
)


class DkimKeyError(UserError):
    pass


def normalise_private_key(pem: str) -> str:
    """A PEM key as pasted (a browser sends a textarea's lines with CRLF) in the form the
    signer reads: LF line ends, no surrounding blank space."""
    return (
        "\n".join(line.strip() for line in pem.strip().splitlines()) + "\n" if pem.strip() else ""
    )


def check_private_key(pem: str) -> None:
    """DkimKeyError unless the signer can read `pem` (checked when the key is stored, so a bad
    key is refused then instead of pausing the mailbox at its first send)."""
    try:
        dkim.crypto.parse_pem_private_key(normalise_private_key(pem).encode())
    except (dkim.crypto.UnparsableKeyError, ValueError):
        raise DkimKeyError(
            "the DKIM private key is not an unencrypted PEM private key "
            "(-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- …)"
        ) from None


def _present(raw: bytes) -> list[bytes]:
    head = raw.split(b"\r\n\r\n", 1)[0].lower()
    names = {line.split(b":", 1)[0].strip() for line in head.split(b"\r\n") if b":" in line}
    return [h for h in SIGNED_HEADERS if h in names]


def dkim_sign(raw: bytes, *, domain: str, selector: str, private_key_pem: str) -> bytes:
    """`raw` with a DKIM-Signature header in front (relaxed/relaxed, rsa-sha256)."""
    try:
        header = dkim.sign(
            raw,
            selector.encode(),
            domain.encode(),
            private_key_pem.encode(),
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=_present(raw),
        )
    except (dkim.DKIMException, ValueError) as error:
        raise DkimKeyError(f"DKIM: cannot sign with the stored key for {domain}: {error}") from None
    return header + raw

"""The user's own sending domain in the sandbox: three mailboxes, SPF, DMARC and a DKIM key."""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives import serialization

from coldflow.sandbox.mail_world import SenderMailbox
from coldflow.sandbox.world.dkim_key import SANDBOX_DKIM_PRIVATE_KEY_PEM
from coldflow.sandbox.world.model import SendingDomain

SENDING_DOMAIN = "lumenfield-sales.com"
DKIM_SELECTOR = "sandbox"
# (local part, display name, whether the server files sent mail itself like Gmail does)
_SENDERS = (
    ("mia.hoffmann", "Mia Hoffmann", False),
    ("tom.becker", "Tom Becker", False),
    ("lena.vogt", "Lena Vogt", True),
)


def dkim_public_txt(private_key_pem: str) -> str:
    # The key is ours and fixed; validating it again costs more than generating the world.
    key = serialization.load_pem_private_key(
        private_key_pem.encode(), password=None, unsafe_skip_rsa_key_validation=True
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return f"v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"


def sending_domain(seed: int) -> SendingDomain:
    senders = []
    for local, display_name, appends in _SENDERS:
        address = f"{local}@{SENDING_DOMAIN}"
        # Deterministic per seed, so a test or the demo can log in without reading files.
        password = hashlib.sha256(f"coldflow-sandbox:{seed}:{address}".encode()).hexdigest()[:20]
        senders.append(SenderMailbox(address, address, password, display_name, appends))
    return SendingDomain(
        domain=SENDING_DOMAIN,
        dkim_selector=DKIM_SELECTOR,
        dkim_private_key_pem=SANDBOX_DKIM_PRIVATE_KEY_PEM,
        dkim_public_txt=dkim_public_txt(SANDBOX_DKIM_PRIVATE_KEY_PEM),
        senders=tuple(senders),
    )

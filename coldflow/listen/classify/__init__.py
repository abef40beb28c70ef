"""Understanding inbound mail: is it a bounce, an auto-reply, a complaint, a request to be
removed, a person's reply (and what they want), or something else.

Pure functions over raw message bytes; no database, no network.
"""

from coldflow.listen.classify.classifier import classify
from coldflow.listen.classify.intent import IntentReader, IntentReading
from coldflow.listen.classify.model import (
    HARD_REASONS,
    Classification,
    FailedRecipient,
    Intent,
    Kind,
    Referral,
)

__all__ = [
    "HARD_REASONS",
    "Classification",
    "FailedRecipient",
    "Intent",
    "IntentReader",
    "IntentReading",
    "Kind",
    "Referral",
    "classify",
]

"""How well coldflow reads the answers of the sandbox's prospects (rules mode, no LLM).

    .venv/bin/python benchmarks/reply_intent.py [--seed N] [--verbose]

Every prospect of the generated sandbox world who answers gets the first email of the default
sequence, rendered and built exactly as delivery sends it; its answer is built by the sandbox's
own prospect code (coldflow.sandbox.mail.prospect_replies) and read by coldflow.listen.classify.
Prints, per behaviour, how often the kind and the intent were right (and for referrals the
referred person's name and address, for out-of-office answers the return date), next to a
baseline that always answers the most common intent. Exits 1 when intent accuracy is below 95 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coldflow.compose.sequences import default_sequence  # noqa: E402
from coldflow.compose.templates import render  # noqa: E402
from coldflow.listen.classify import Classification, classify  # noqa: E402
from coldflow.sandbox.mail.prospect_replies import build_reply, read_received  # noqa: E402
from coldflow.sandbox.mail_world import ProspectBehaviour, SenderMailbox  # noqa: E402
from coldflow.sandbox.world import generate_world  # noqa: E402
from coldflow.send.message import build_message  # noqa: E402
from coldflow.send.settings import SendSettings  # noqa: E402

TARGET = 0.95
# What the classifier should say for each behaviour: (kind, intent).
EXPECTED: dict[str, tuple[str, str | None]] = {
    "interested": ("reply", "interested"),
    "not_now": ("reply", "not_now"),
    "not_interested": ("reply", "not_interested"),
    "referral": ("reply", "referral"),
    "out_of_office": ("auto_reply", None),
    "unsubscribe": ("unsubscribe", None),
}
SEND_SETTINGS = SendSettings(
    secret_key="reply-intent-benchmark",
    public_url="https://coldflow.example",
    footer="You get this because your company is listed publicly.",
    postal_address="Sam Seller GmbH, Hauptstr. 1, 10115 Berlin",
)
NOW = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Answer:
    behaviour: ProspectBehaviour
    reading: Classification

    @property
    def expected(self) -> tuple[str, str | None]:
        return EXPECTED[self.behaviour.kind]

    @property
    def kind_right(self) -> bool:
        return self.reading.kind == self.expected[0]

    @property
    def intent_right(self) -> bool:
        """The intent a reply carries; for auto-replies and unsubscribes the kind is the
        intent, and a reply's intent must not be set on them."""
        kind, intent = self.expected
        if intent is None:
            return self.reading.kind == kind
        return self.reading.kind == kind and self.reading.intent == intent

    def detail_right(self) -> bool | None:
        """Referral: the referred person's name and address; out-of-office: the return date."""
        behaviour, reading = self.behaviour, self.reading
        if behaviour.kind == "referral" and (behaviour.referral_name or behaviour.referral_email):
            referral = reading.referral
            return referral is not None and (
                (referral.name or None, (referral.email or "").lower() or None)
                == (behaviour.referral_name, (behaviour.referral_email or "").lower() or None)
            )
        if behaviour.kind == "out_of_office":
            return reading.return_date == behaviour.return_date
        return None


def first_email(behaviour: ProspectBehaviour, sender: SenderMailbox, company: str) -> bytes:
    """The default sequence's first email to this prospect, as delivery builds it."""
    step = default_sequence().steps[0]
    variant = step.variants[sum(behaviour.address.encode()) % len(step.variants)]
    variables = {
        "first_name": behaviour.first_name,
        "last_name": behaviour.last_name,
        "company_name": company,
        "icebreaker": f"I saw that {company} is hiring for its support team.",
    }
    seed = behaviour.address
    outbound = SimpleNamespace(
        pk=1,
        to_address=behaviour.address,
        subject=render(variant.subject, variables, seed=seed).text,
        body_text=render(variant.body, variables, seed=seed).text,
        body_html="",
        message_id=f"<{sum(seed.encode())}.{len(seed)}.benchmark@{sender.address.partition('@')[2]}>",
        in_reply_to="",
        references="",
    )
    mailbox = SimpleNamespace(
        email=sender.address, display_name=sender.display_name, signature=sender.display_name
    )
    return build_message(outbound, mailbox, SEND_SETTINGS, now=NOW).as_bytes()


def answers(seed: int | None = None) -> list[Answer]:
    """Every answering prospect of the world, with the classifier's reading of the answer."""
    world = generate_world() if seed is None else generate_world(seed=seed)
    companies = {company.domain: company.name for company in world.companies}
    sender = world.mail.senders[0]
    found = []
    for address, behaviour in sorted(world.mail.prospects.items()):
        if behaviour.kind not in EXPECTED:
            continue
        company = companies.get(address.partition("@")[2], "your company")
        original = read_received(first_email(behaviour, sender, company))
        raw = build_reply(behaviour, original, to=original.reply_address, now=NOW)
        reading = classify(raw, own_addresses=frozenset({sender.address}))
        found.append(Answer(behaviour, reading))
    return found


def _share(right: int, total: int) -> str:
    return f"{right / total:6.1%}" if total else "     –"


def report(found: list[Answer], verbose: bool = False) -> float:
    by_behaviour: dict[str, list[Answer]] = {}
    for answer in found:
        by_behaviour.setdefault(answer.behaviour.kind, []).append(answer)
    majority = Counter(a.behaviour.kind for a in found).most_common(1)[0][0]
    print(f"{'behaviour':<16}{'n':>5}{'kind':>9}{'intent':>9}{'detail':>9}{'baseline':>10}")
    for kind, group in sorted(by_behaviour.items()):
        details = [d for d in (a.detail_right() for a in group) if d is not None]
        print(
            f"{kind:<16}{len(group):>5}"
            f"{_share(sum(a.kind_right for a in group), len(group)):>9}"
            f"{_share(sum(a.intent_right for a in group), len(group)):>9}"
            f"{_share(sum(details), len(details)):>9}"
            f"{_share(sum(kind == majority for _ in group), len(group)):>10}"
        )
    total = len(found)
    intent = sum(a.intent_right for a in found) / total
    baseline = sum(a.behaviour.kind == majority for a in found) / total
    print(
        f"{'all':<16}{total:>5}{_share(sum(a.kind_right for a in found), total):>9}"
        f"{intent:>9.1%}{'':>9}{baseline:>10.1%}"
    )
    print(f"baseline: always '{majority}'; intent target {TARGET:.0%}")
    if verbose:
        for answer in found:
            if answer.intent_right and answer.detail_right() is not False:
                continue
            b, r = answer.behaviour, answer.reading
            print(
                f"  {b.address} ({b.kind}, {b.language}): kind {r.kind}, intent {r.intent},"
                f" referral {r.referral}, return {r.return_date} (expected {b.return_date});"
                f" text {r.reply_text[:160]!r}"
            )
    return intent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=None, help="world seed (default: the demo's)")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    arguments = parser.parse_args()
    started = time.perf_counter()
    found = answers(arguments.seed)
    intent = report(found, arguments.verbose)
    print(f"{len(found)} answers read in {time.perf_counter() - started:.2f} s")
    return 0 if intent >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())

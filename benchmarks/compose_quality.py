"""Draft quality on the sandbox demo campaign.

Runs `coldflow demo` into a fresh folder (or uses --data-dir of an existing demo), composes the
campaign "demo" there, and prints:

- drafts with unresolved variables (target 0);
- first emails of leads whose company has signals that cite at least one fact of the lead's own
  company (target 100 %);
- first sentences (after the greeting) that are distinct across leads whose facts differ
  (target 100 %): a sentence shared only by leads of companies with identical facts is fine;
- when `spamassassin` is on PATH, its score for a sample of drafts covering every step and
  variant (target: every score below 2.0; its spam threshold is 5.0).

    .venv/bin/python benchmarks/compose_quality.py [--data-dir DIR] [--spamassassin-sample 12]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def run_demo(data_dir: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "coldflow.cli.main", "demo", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=data_dir.parent,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=900,
    )
    if result.returncode != 0:
        sys.exit(f"coldflow demo failed:\n{result.stdout}\n{result.stderr}")
    print(f"demo pipeline ready in {data_dir} ({time.monotonic() - started:.1f} s)")


def boot(data_dir: Path) -> None:
    os.environ["COLDFLOW_DATA_DIR"] = str(data_dir)
    from coldflow.cli import instance
    from coldflow.config.loader import load_settings

    config = load_settings()
    instance.boot_django(config)
    instance.require_initialised(config)


def first_sentence(body: str) -> str:
    """The first sentence after the greeting line ("Hi Anna,")."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    if paragraphs and len(paragraphs[0]) < 60 and paragraphs[0].endswith(","):
        paragraphs = paragraphs[1:]
    text = " ".join(paragraphs[0].split()) if paragraphs else ""
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def measure(sample: int) -> int:
    from coldflow.campaigns.models import Campaign
    from coldflow.compose.drafts import compose_drafts
    from coldflow.research.models import Fact
    from coldflow.send.models import OutboundMessage

    campaign = Campaign.objects.filter(name="demo").first()
    if campaign is None:
        sys.exit("no campaign named 'demo' in this installation")
    started = time.monotonic()
    report = compose_drafts(campaign)
    elapsed = time.monotonic() - started
    messages = list(
        OutboundMessage.objects.filter(campaign=campaign)
        .select_related("lead", "step", "variant")
        .order_by("lead_id", "step__position")
    )
    print(
        f"compose: {report.leads} leads, {report.drafted} drafts written, {report.existing} "
        f"already there ({elapsed:.2f} s); {report.approved} approved, "
        f"{report.lint_errors} with lint errors"
    )

    unresolved = [
        m for m in messages if any(f.get("rule") == "unresolved_variable" for f in m.lint_findings)
    ]
    print(f"  drafts with unresolved variables: {len(unresolved)} of {len(messages)} (target 0)")

    facts_by_company: dict[int, list[Fact]] = {}
    company_ids = {m.lead.company_id for m in messages}
    for fact in Fact.objects.filter(company_id__in=company_ids, person__isnull=True):
        facts_by_company.setdefault(fact.company_id, []).append(fact)
    firsts = [m for m in messages if m.step.position == 0]

    with_signals = [
        m
        for m in firsts
        if any(f.key.startswith("signal.") for f in facts_by_company.get(m.lead.company_id, []))
    ]
    grounded = 0
    for message in with_signals:
        own = {f.id for f in facts_by_company[message.lead.company_id]}
        cited = {f["fact_id"] for f in message.facts_used}
        grounded += bool(cited) and cited <= own
    share = grounded / len(with_signals) if with_signals else 1.0
    print(
        f"  first emails of leads with signals citing their own company's facts: "
        f"{grounded}/{len(with_signals)} = {share:.1%} (target 100 %)"
    )

    signature = {
        company_id: json.dumps(sorted(json.dumps([f.key, f.value], sort_keys=True) for f in facts))
        for company_id, facts in facts_by_company.items()
    }
    by_sentence: dict[str, set[str]] = {}
    for message in firsts:
        sentence = first_sentence(message.body_text)
        by_sentence.setdefault(sentence, set()).add(signature.get(message.lead.company_id, ""))
    distinct = sum(
        1 for message in firsts if len(by_sentence[first_sentence(message.body_text)]) == 1
    )
    share = distinct / len(firsts) if firsts else 1.0
    generic = sum(1 for m in firsts if not m.facts_used)
    print(
        f"  first sentences distinct across leads with different facts: {distinct}/"
        f"{len(firsts)} = {share:.1%} (target 100 %); {len(by_sentence)} different sentences, "
        f"{generic} generic first lines"
    )
    kinds: dict[str, int] = {}
    for message in firsts:
        key = message.facts_used[0]["key"] if message.facts_used else "generic"
        kinds[key] = kinds.get(key, 0) + 1
    print("  first lines by signal: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))

    spam_scores(messages, sample)
    return 0


def spam_scores(messages, sample: int) -> None:
    from coldflow.compose.lint import draft_message, spamassassin_available, spamassassin_check

    if not spamassassin_available():
        print("  SpamAssassin: not installed (apt install spamassassin), skipped")
        return
    chosen, seen = [], set()
    for message in messages:
        kind = (message.step.position, message.variant.label if message.variant else "")
        if kind not in seen:
            seen.add(kind)
            chosen.append(message)
    step = max(1, len(messages) // max(1, sample - len(chosen)))
    chosen += [m for m in messages[::step] if m not in chosen][: max(0, sample - len(chosen))]

    def score(message):
        raw = draft_message(
            message.subject,
            message.body_text,
            message.body_html,
            sender="Demo Sender <demo@coldflow-sandbox.test>",
            recipient=message.to_address,
            unsubscribe="<mailto:unsubscribe@coldflow-sandbox.test>",
        )
        return spamassassin_check(raw)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(score, chosen))
    scores = [r.score for r in reports if r is not None]
    rules = sorted({rule.name for r in reports if r for rule in r.rules if rule.points > 0})
    print(
        f"  SpamAssassin on {len(scores)} drafts (every step and variant): max score "
        f"{max(scores):.1f}, mean {sum(scores) / len(scores):.2f} (target < 2.0; spam at 5.0) "
        f"({time.monotonic() - started:.0f} s)"
    )
    print(f"    rules adding points: {', '.join(rules) or 'none'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="An existing demo installation.")
    parser.add_argument("--spamassassin-sample", type=int, default=12)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.data_dir:
        data_dir = args.data_dir.resolve()
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="coldflow-compose-bench-")) / "demo"
        run_demo(data_dir)
    boot(data_dir)
    return measure(args.spamassassin_sample)


if __name__ == "__main__":
    sys.exit(main())

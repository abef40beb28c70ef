"""The processes of the crash test, run with an installation's environment.

`python -m tests.send.crash_processes worker PK,PK,…` delivers a batch (and gets killed).
`python -m tests.send.crash_processes controller` answers JSON commands on stdin, one per
line: `setup` creates the rows, `recover` runs the reaper and the Sent-folder resolver and then
delivers whatever is queued again, as the next dispatcher tick would.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta


def _boot() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coldflow.config.django_settings")
    django.setup()


def worker(pks: list[int]) -> None:
    _boot()
    from coldflow.send.delivery import deliver_batch

    print("ready", flush=True)
    sys.stdin.readline()  # the test says go, then kills us at a random moment
    deliver_batch(pks)
    print("done", flush=True)


def _setup(command: dict) -> dict:
    from tests.send.factory import SendWorld

    world = SendWorld()
    mailboxes = [
        world.mailbox(
            sender["address"],
            host=command["host"],
            port=command["port"],
            imap_port=command["imap_port"],
            username=sender["username"],
            password=sender["password"],
            append_to_sent=sender["append_to_sent"],
        )
        for sender in command["senders"]
    ]
    runs = []
    for run in range(command["runs"]):
        mailbox = mailboxes[run % len(mailboxes)]
        runs.append(
            [
                world.message(f"p{run * command['per_run'] + i}@acme.test", mailbox).pk
                for i in range(command["per_run"])
            ]
        )
    return {"runs": runs}


def _recover(command: dict) -> dict:
    from coldflow.send.delivery import deliver_batch
    from coldflow.send.models import OutboundMessage
    from coldflow.send.recovery import reap_stuck_sending, resolve_unknown

    pks = command["pks"]
    reaped = reap_stuck_sending(timedelta(0))
    resolution = resolve_unknown(timedelta(0), timeout=10)
    for _ in range(3):
        queued = list(
            OutboundMessage.objects.filter(pk__in=pks, state="queued")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not queued:
            break
        deliver_batch(queued)
    states = {
        str(m.pk): {"state": m.state, "message_id": m.message_id, "error": m.error}
        for m in OutboundMessage.objects.filter(pk__in=pks)
    }
    return {
        "reaped": reaped,
        "found_sent": len(resolution.sent),
        "requeued": len(resolution.requeued),
        "failed": len(resolution.failed),
        "errors": resolution.errors,
        "states": states,
    }


def controller() -> None:
    _boot()
    for line in sys.stdin:
        command = json.loads(line)
        handler = {"setup": _setup, "recover": _recover}[command["do"]]
        print(json.dumps(handler(command)), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "worker":
        worker([int(pk) for pk in sys.argv[2].split(",")])
    else:
        controller()

"""A workspace with a campaign and companies, for orchestrator tests."""

from __future__ import annotations

import itertools
import uuid

from coldflow.accounts.models import Workspace
from coldflow.campaigns.models import Campaign

_counter = itertools.count(1)


def campaign(status: str = "draft", **fields) -> Campaign:
    n = f"{next(_counter)}-{uuid.uuid4().hex[:6]}"
    workspace = Workspace.objects.create(name=f"Orchestrate {n}", slug=f"orchestrate-{n}")
    return Campaign.objects.create(workspace=workspace, name=f"c-{n}", status=status, **fields)

"""Which workspace a command acts on."""

from __future__ import annotations

from coldflow.accounts.models import Workspace
from coldflow.errors import UserError


def resolve_workspace(name: str | None) -> Workspace:
    """The named workspace (by name or slug), or the only one when none is named."""
    if name:
        found = (
            Workspace.objects.filter(name=name).first()
            or Workspace.objects.filter(slug=name).first()
        )
        if found is None:
            raise UserError(f"no workspace named {name!r}")
        return found
    workspaces = list(Workspace.objects.order_by("id")[:2])
    if not workspaces:
        return Workspace.objects.create(name="Default", slug="default")
    if len(workspaces) > 1:
        raise UserError("there are several workspaces: name one with --workspace")
    return workspaces[0]

"""Creating users and their workspace memberships."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from coldflow.accounts.models import Membership, Workspace


@transaction.atomic
def create_user(*, username: str, email: str, password: str, workspace: str, role: str):
    """Create or update a user and make them `role` of `workspace` (created if missing)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": email or (username if "@" in username else "")}
    )
    user.set_password(password)
    if email:
        user.email = email
    user.save()
    workspace_obj, _ = Workspace.objects.get_or_create(
        slug=slugify(workspace) or "default", defaults={"name": workspace}
    )
    Membership.objects.update_or_create(workspace=workspace_obj, user=user, defaults={"role": role})
    return user, created, workspace_obj

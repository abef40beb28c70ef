"""Users and their workspace memberships: who belongs to a workspace, and in which role.

`coldflow createuser` and the dashboard's Settings page go through these functions, so both
check passwords with Django's validators and neither can leave a workspace without an owner.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from coldflow.accounts.models import Membership, Role, Workspace
from coldflow.errors import UserError


class LastOwnerError(UserError):
    """The change would leave a workspace without an owner."""


LAST_OWNER_MESSAGE = (
    "{username} is the last owner of {workspace}: make someone else an owner first, "
    "so that somebody can still manage its people and settings"
)


def require_valid_password(password: str, user) -> None:
    """UserError listing every rule of AUTH_PASSWORD_VALIDATORS the password breaks."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise UserError("password not accepted: " + " ".join(exc.messages)) from None


def _role(role: str) -> str:
    if role not in Role.values:
        raise UserError(f"unknown role {role!r}; choose one of {', '.join(Role.values)}")
    return role


def _locked(workspace: Workspace) -> Workspace:
    """The workspace row, locked until the transaction ends: membership changes of one
    workspace happen one after another, so two owners demoting each other at the same moment
    cannot leave it without an owner (PostgreSQL; SQLite's IMMEDIATE transactions already
    run one at a time)."""
    return Workspace.objects.select_for_update().get(pk=workspace.pk)


def _refuse_losing_the_last_owner(membership: Membership, new_role: str | None) -> None:
    """`new_role` None means the membership is about to be removed."""
    if membership.role != Role.OWNER or new_role == Role.OWNER:
        return
    others = (
        Membership.objects.filter(workspace_id=membership.workspace_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise LastOwnerError(
            LAST_OWNER_MESSAGE.format(
                username=membership.user.get_username(), workspace=membership.workspace.name
            )
        )


def _join(workspace: Workspace, user, role: str) -> tuple[Membership, str | None]:
    """Make `user` `role` of `workspace`: (membership, the role they had before or None)."""
    membership = (
        Membership.objects.select_related("user", "workspace")
        .filter(workspace=workspace, user=user)
        .first()
    )
    if membership is None:
        return Membership.objects.create(workspace=workspace, user=user, role=role), None
    before = membership.role
    if before != role:
        _refuse_losing_the_last_owner(membership, role)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership, before


@transaction.atomic
def create_user(*, username: str, email: str, password: str, workspace: str, role: str):
    """Create or update a user and make them `role` of `workspace` (created if missing).

    What `coldflow createuser` does: it also resets the password of an existing user, which
    only the machine's operator may do (the dashboard never changes another user's password).
    The command checks the password with require_valid_password first."""
    User = get_user_model()
    _role(role)
    if not User.objects.filter(username=username).exists():
        username = _clean_username(username)
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
    _join(_locked(workspace_obj), user, role)
    return user, created, workspace_obj


# Who acts, in event data and logs, when no person does: a user by one of these names could
# not be told apart from them (a mailbox they pause would read as paused by the system).
RESERVED_USERNAMES = frozenset({"system", "cli", "dashboard", "nobody", "api"})


def _clean_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise UserError("enter a user name")
    if username.lower() in RESERVED_USERNAMES:
        raise UserError(f"the user name {username} is reserved for coldflow itself: choose another")
    field = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD)
    try:
        field.run_validators(username)
    except ValidationError as exc:
        raise UserError(f"user name not accepted: {' '.join(exc.messages)}") from None
    return username


def add_new_user(
    workspace: Workspace, *, username: str, email: str, password: str, role: str
) -> Membership:
    """A new user with an initial password (checked by AUTH_PASSWORD_VALIDATORS), made
    `role` of `workspace`. An existing user name is refused: add that user as they are."""
    User = get_user_model()
    username = _clean_username(username)
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise UserError(f"{email[:200]!r} is not an email address") from None
    elif "@" in username:
        email = username
    _role(role)
    if User.objects.filter(username__iexact=username).exists():
        raise UserError(
            f"a user named {username} exists already: add them as an existing user instead"
        )
    user = User(username=username, email=email)
    require_valid_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            membership, _ = _join(_locked(workspace), user, role)
    except IntegrityError:  # the same name, created a moment ago by someone else
        raise UserError(f"a user named {username} exists already") from None
    return membership


def add_existing_user(workspace: Workspace, *, username: str, role: str) -> Membership:
    """Make an existing user `role` of `workspace` (their password stays theirs)."""
    username = username.strip()
    if not username:
        raise UserError("enter the user name of the person to add")
    _role(role)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise UserError(f"no user named {username[:150]}: create them with a password instead")
    with transaction.atomic():
        locked = _locked(workspace)
        if Membership.objects.filter(workspace=locked, user=user).exists():
            raise UserError(f"{username} is a member of {workspace.name} already")
        membership, _ = _join(locked, user, role)
    return membership


def _current(membership: Membership) -> Membership:
    """The membership as it is now, read after the workspace was locked."""
    current = Membership.objects.select_related("user", "workspace").filter(pk=membership.pk)
    found = current.first()
    if found is None:
        raise UserError(f"{membership.user.get_username()} is no longer a member")
    return found


def change_role(membership: Membership, role: str) -> str:
    """Give a member another role; returns the role they had. Refuses demoting the last owner."""
    _role(role)
    with transaction.atomic():
        _locked(membership.workspace)
        current = _current(membership)
        before = current.role
        _join(current.workspace, current.user, role)
    membership.role = role
    return before


def remove_member(membership: Membership) -> None:
    """Take a member out of the workspace (the user stays, with their other workspaces).
    Refuses removing the last owner."""
    with transaction.atomic():
        _locked(membership.workspace)
        current = _current(membership)
        _refuse_losing_the_last_owner(current, None)
        current.delete()

"""Who belongs to a workspace: `coldflow createuser` and the dashboard share coldflow.accounts.users,
so both check passwords the same way and neither can leave a workspace without an owner."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from coldflow.accounts.models import Membership, Role, Workspace
from coldflow.accounts.users import LastOwnerError, change_role, create_user

GOOD_PASSWORD = "quiet-harbour-lantern-58"


@pytest.mark.django_db
def test_createuser_cannot_demote_the_last_owner():
    user, created, workspace = create_user(
        username="olga", email="", password=GOOD_PASSWORD, workspace="Solo", role="owner"
    )
    assert created
    with pytest.raises(LastOwnerError, match="olga is the last owner of Solo"):
        create_user(
            username="olga", email="", password=GOOD_PASSWORD, workspace="Solo", role="member"
        )
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.OWNER
    # A second owner first, then the first may become a member.
    create_user(username="pavel", email="", password=GOOD_PASSWORD, workspace="Solo", role="owner")
    create_user(username="olga", email="", password=GOOD_PASSWORD, workspace="Solo", role="member")
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.MEMBER


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["system", "CLI", "nobody"])
def test_names_coldflow_acts_under_cannot_be_taken_by_a_person(name):
    from coldflow.accounts.users import add_new_user
    from coldflow.errors import UserError

    with pytest.raises(UserError, match=f"the user name {name} is reserved"):
        create_user(username=name, email="", password=GOOD_PASSWORD, workspace="Solo", role="owner")
    workspace = Workspace.objects.create(name="Team", slug="team")
    with pytest.raises(UserError, match="reserved for coldflow itself"):
        add_new_user(workspace, username=name, email="", password=GOOD_PASSWORD, role="member")
    assert not get_user_model().objects.filter(username__iexact=name).exists()


@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner():
    workspace = Workspace.objects.create(name="Pair", slug="pair")
    User = get_user_model()
    memberships = [
        Membership.objects.create(
            workspace=workspace, user=User.objects.create(username=name), role=Role.OWNER
        )
        for name in ("ann", "ben")
    ]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def step_down(membership: Membership) -> None:
        try:
            start.wait()
            change_role(membership, Role.MEMBER)
            outcomes.append("demoted")
        except LastOwnerError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in memberships]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["demoted", "refused"]
    assert Membership.objects.filter(workspace=workspace, role=Role.OWNER).count() == 1


def test_createuser_refuses_a_password_the_dashboard_would_refuse(instance):
    assert instance.run("init").returncode == 0
    weak = instance.run(
        "createuser", "--username", "olga@example.com", COLDFLOW_PASSWORD="password123"
    )
    assert weak.returncode == 1
    assert "password not accepted: This password is too common." in weak.stderr
    read = instance.python(
        "from django.contrib.auth import get_user_model\n"
        "print(get_user_model().objects.filter(username='olga@example.com').count())"
    )
    assert read.stdout.strip() == "0", read.stderr
    good = instance.run(
        "createuser", "--username", "olga@example.com", COLDFLOW_PASSWORD=GOOD_PASSWORD
    )
    assert good.returncode == 0, good.stderr

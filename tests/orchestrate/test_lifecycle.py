import pytest

from coldflow.analytics.models import Event
from coldflow.orchestrate.lifecycle import CampaignStateError, change_status, transition_for
from tests.orchestrate.factory import campaign

ALLOWED = [
    ("run", "draft", "running"),
    ("pause", "running", "paused"),
    ("resume", "paused", "running"),
    ("complete", "running", "completed"),
    ("cancel", "draft", "cancelled"),
    ("cancel", "running", "cancelled"),
    ("cancel", "paused", "cancelled"),
]


@pytest.mark.parametrize(("action", "source", "target"), ALLOWED)
def test_each_allowed_transition_leads_to_its_status(action, source, target):
    assert transition_for(action, source).target == target


@pytest.mark.parametrize(
    ("action", "source"),
    [
        ("run", "running"),
        ("run", "paused"),
        ("pause", "draft"),
        ("resume", "running"),
        ("complete", "paused"),
        ("complete", "draft"),
        ("run", "completed"),
        ("resume", "cancelled"),
        ("cancel", "completed"),
    ],
)
def test_a_transition_from_the_wrong_status_is_refused_with_what_is_allowed(action, source):
    with pytest.raises(CampaignStateError) as refused:
        transition_for(action, source)
    assert f"a {source} campaign cannot {action}" in str(refused.value)


def test_an_unknown_action_is_refused():
    with pytest.raises(CampaignStateError):
        transition_for("explode", "running")


@pytest.mark.django_db
def test_every_change_is_written_to_the_event_log_with_its_reason():
    made = campaign()
    change_status(made, "run", "first run", by="alice")
    change_status(made, "pause", "waiting for copy review", by="bob")
    change_status(made, "resume", "copy approved")
    change_status(made, "cancel", "customer changed plans")
    made.refresh_from_db()
    assert (made.status, made.status_reason) == ("cancelled", "customer changed plans")
    assert made.started_at is not None and made.finished_at is not None
    events = list(Event.objects.filter(campaign=made).order_by("id").values_list("kind", "data"))
    assert [kind for kind, _ in events] == [
        "campaign.started",
        "campaign.paused",
        "campaign.resumed",
        "campaign.cancelled",
    ]
    assert events[1][1] == {
        "from": "running",
        "to": "paused",
        "reason": "waiting for copy review",
        "by": "bob",
    }


@pytest.mark.django_db
def test_a_change_decided_from_a_stale_status_is_refused_and_writes_nothing():
    made = campaign("running")
    stale = type(made).objects.get(pk=made.pk)
    change_status(made, "cancel", "stopped by alice")
    with pytest.raises(CampaignStateError):
        change_status(stale, "pause", "bob pauses what he still sees running")
    assert list(Event.objects.filter(campaign=made).values_list("kind", flat=True)) == [
        "campaign.cancelled"
    ]

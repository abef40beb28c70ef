"""What every dashboard page's layout needs: the navigation and the workspace switcher."""

from __future__ import annotations

from coldflow.accounts.models import Membership

# (URL name, label, prefix of the URL names that belong to the section)
NAVIGATION = (
    ("campaigns", "Campaigns", "campaign"),
    ("leads", "Leads", "lead"),
    ("review", "Review", "review"),
    ("inbox", "Inbox", "inbox"),
    ("mailboxes", "Mailboxes", "mailbox"),
    ("suppressions", "Suppressions", "suppression"),
    ("analytics", "Analytics", "analytics"),
    ("settings", "Settings", "settings"),
    ("audit", "Audit log", "audit"),
)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = getattr(request, "access", None)
    memberships = Membership.objects.filter(user=user).select_related("workspace")
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name if match else "") or ""
    section = next((name for name, _, prefix in NAVIGATION if url_name.startswith(prefix)), "")
    return {
        "navigation": [(name, label) for name, label, _ in NAVIGATION],
        "current_section": section,
        "memberships": memberships.order_by("workspace__name"),
        "access": access,
        "current_workspace": access.workspace if access is not None else None,
    }

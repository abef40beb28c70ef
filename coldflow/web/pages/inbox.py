"""The unified inbox: every answer from every mailbox, by kind and intent, with quick actions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.views.decorators.http import require_POST

from coldflow.accounts.access import get_or_404, scoped, workspace_view
from coldflow.api.pagination import CursorError, Ordering, page
from coldflow.contacts.models import Lead
from coldflow.listen.models import InboundKind, InboundMessage, Intent
from coldflow.web.pages import lead_actions
from coldflow.web.security import back_to

NEWEST = Ordering(("-id",))
QUICK_ACTIONS = ("interested", "stop", "suppress")


@workspace_view()
def inbox(request):
    rows = scoped(InboundMessage, request.access).select_related(
        "mailbox", "lead__person", "lead__company"
    )
    kind, intent = request.GET.get("kind", ""), request.GET.get("intent", "")
    if kind in InboundKind.values:
        rows = rows.filter(kind=kind)
    if intent in Intent.values:
        rows = rows.filter(intent=intent)
    try:
        items, next_cursor = page(rows, NEWEST, (int,), request.GET.get("after"), 50)
    except CursorError:
        items, next_cursor = page(rows, NEWEST, (int,), None, 50)
    query = "&".join(f"{k}={v}" for k, v in (("kind", kind), ("intent", intent)) if v)
    context = {
        "rows": items,
        "kinds": InboundKind.values,
        "intents": Intent.values,
        "kind": kind,
        "intent": intent,
        "next_url": f"?{query}&after={next_cursor}" if next_cursor else "",
        "quick_actions": [(a, lead_actions.ACTIONS[a]) for a in QUICK_ACTIONS],
        "back": request.get_full_path(),
    }
    return render(request, "web/inbox.html", context)


@workspace_view(write=True)
@require_POST
def inbox_action(request, pk: int):
    found = get_or_404(InboundMessage, request.access, pk=pk)
    action = request.POST.get("action", "")
    if action not in QUICK_ACTIONS or found.lead_id is None:
        messages.error(request, "This answer is not tied to a lead, or the action is unknown.")
    else:
        lead = Lead.objects.select_related("email", "campaign").get(pk=found.lead_id)
        lead_actions.apply(request.access, action, [lead])
        messages.success(request, f"{lead_actions.ACTIONS[action]}: done.")
    return back_to(request, "inbox")

"""Switching the session's workspace (the layout's switcher links here)."""

from django.shortcuts import redirect

from coldflow.accounts.access import workspace_view


@workspace_view()
def switch(request, workspace: str):
    # workspace_view has checked membership and made `workspace` the session's current one.
    return redirect("campaigns")

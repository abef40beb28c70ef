"""The unsubscribe link in every email: no login, no CSRF token (RFC 8058 one-click POST).

GET shows a confirmation page with a button; POST (the button, or a mail client's one-click
request) suppresses the address and stops the sequence at once. A forged or damaged token is
a 400 with a plain message.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from coldflow.send.models import OutboundMessage
from coldflow.send.suppression import apply_unsubscribe
from coldflow.send.unsubscribe_token import BadToken, verify_token


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        message_pk = verify_token(token, settings.SECRET_KEY)
    except BadToken:
        return _plain("This unsubscribe link is not valid.\n", 400)
    message = OutboundMessage.objects.select_related("enrollment").filter(pk=message_pk).first()
    if message is None:
        return _plain("This unsubscribe link belongs to a message that no longer exists.\n", 404)
    context = {"address": message.to_address}
    if request.method == "GET":
        return render(request, "web/unsubscribe.html", {**context, "done": False})
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    apply_unsubscribe(message, source="one-click" if one_click else "unsubscribe page")
    return render(request, "web/unsubscribe.html", {**context, "done": True})

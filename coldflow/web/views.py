from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from coldflow.accounts.models import Membership


@login_required
def home(request):
    memberships = Membership.objects.filter(user=request.user).select_related("workspace")
    if memberships.exists():
        return redirect("campaigns")
    return render(request, "web/home.html", {"memberships": memberships})


@require_GET
def health(request):
    """For load balancers and `coldflow check`: no login, no details beyond up or down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})

"""The suppression list: add, remove, import and export as CSV."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coldflow.accounts.access import audit, get_or_404, scoped, workspace_view
from coldflow.api.pagination import CursorError, Ordering, page
from coldflow.send.models import Suppression
from coldflow.send.suppression import suppress
from coldflow.web.pages.leads import _Echo, csv_cell

NEWEST = Ordering(("-id",))
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def suppression_kind(value: str) -> str | None:
    """ "address" for something@domain, "domain" for a bare domain, None for neither."""
    value = value.strip().lower()
    if not value or " " in value or len(value) > 320:
        return None
    if "@" in value:
        local, _, domain = value.rpartition("@")
        return "address" if local and "." in domain else None
    return "domain" if "." in value and not value.startswith(".") else None


@workspace_view()
def suppressions(request):
    rows = scoped(Suppression, request.access)
    q = request.GET.get("q", "").strip().lower()[:320]
    if q:
        rows = rows.filter(value__contains=q)
    try:
        items, next_cursor = page(rows, NEWEST, (int,), request.GET.get("after"), 100)
    except CursorError:
        items, next_cursor = page(rows, NEWEST, (int,), None, 100)
    context = {"rows": items, "q": q, "next_cursor": next_cursor, "total": rows.count()}
    return render(request, "web/suppressions.html", context)


@workspace_view(write=True)
@require_POST
def suppression_add(request):
    value = request.POST.get("value", "").strip().lower()
    kind = suppression_kind(value)
    if kind is None:
        messages.error(request, "Enter an email address or a domain.")
    elif suppress(
        request.access.workspace.pk, kind, value, "manual", f"dashboard: {request.access.actor}"
    ):
        audit(
            request.access,
            "suppression.add",
            ("suppression", value),
            {"kind": kind, "value": value},
        )
        messages.success(request, f"Suppressed {value}.")
    else:
        messages.success(request, f"{value} was already suppressed.")
    return redirect("suppressions")


@workspace_view(write=True)
@require_POST
def suppression_delete(request, pk: int):
    found = get_or_404(Suppression, request.access, pk=pk)
    audit(request.access, "suppression.delete", found, {"kind": found.kind, "value": found.value})
    found.delete()
    messages.success(request, f"{found.value} may be written to again.")
    return redirect("suppressions")


@workspace_view(write=True)
@require_POST
def suppression_import(request):
    """A CSV with one address or domain per row (first column, or a column named
    value/email/address/domain); a header row is recognised and skipped."""
    upload = request.FILES.get("file")
    if upload is None or upload.size > MAX_IMPORT_BYTES:
        messages.error(request, "Choose a CSV file (at most 20 MB).")
        return redirect("suppressions")
    text = upload.read().decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    column, added, skipped = 0, 0, 0
    for number, row in enumerate(reader):
        if not row:
            continue
        if number == 0:
            names = [c.strip().lower() for c in row]
            wanted = next(
                (i for i, n in enumerate(names) if n in ("value", "email", "address", "domain")),
                None,
            )
            if wanted is not None:
                column = wanted
                continue
        value = row[column].strip().lower() if column < len(row) else ""
        kind = suppression_kind(value)
        if kind is None:
            skipped += 1
            continue
        added += suppress(
            request.access.workspace.pk, kind, value, "import", f"csv: {upload.name}"[:500]
        )
    audit(
        request.access,
        "suppression.import",
        "suppression",
        {"file": upload.name, "added": added, "skipped": skipped},
    )
    messages.success(
        request,
        f"Imported {added} new suppression(s); {skipped} row(s) were not an address or domain.",
    )
    return redirect("suppressions")


@workspace_view()
def suppressions_export(request):
    rows = (
        scoped(Suppression, request.access)
        .order_by("id")
        .values_list("kind", "value", "reason", "source", "created_at")
    )
    writer = csv.writer(_Echo())

    def stream():
        yield writer.writerow(("kind", "value", "reason", "source", "created_at"))
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow([csv_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="suppressions.csv"'
    return response

"""Error answers: every failure is JSON `{"detail": …}` with a status that says which kind."""

from __future__ import annotations

from coldflow.api.schemas import ErrorOut
from coldflow.errors import UserError

# Declared on every operation so the schema lists what a client may get back.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Conflict(UserError):
    """The request is fine but the record's state does not allow it (409)."""

    status = 409

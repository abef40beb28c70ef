"""Terminal output shared by the commands."""

from __future__ import annotations

import sys
from typing import NoReturn

from rich.console import Console

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def fail(message: str, *, code: int = 1) -> NoReturn:
    """One line on stderr, then exit with `code` (1: something failed, 2: bad configuration)."""
    errors.print(f"coldflow: error: {message}", markup=False, soft_wrap=True)
    sys.exit(code)

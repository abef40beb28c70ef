"""Personas for every web and API test (see tests/web/personas.py)."""

from __future__ import annotations

import pytest

from tests.web.personas import Personas, make_personas


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()

"""Fixtures for the response-side tests (helpers live in `helpers_ui_response`)."""

from __future__ import annotations

import pytest
from helpers_ui_response import PaneHost


@pytest.fixture
def pane_host() -> PaneHost:
    return PaneHost()

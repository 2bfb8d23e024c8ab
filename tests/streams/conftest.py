"""The NDJSON decoder's chunk check runs compiled (`app/streams/_json_lines.c`) where a compiler built it,
in Python (msgspec) where none did: the NDJSON tests run on both, so the two cannot drift."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.streams import ndjson

try:
    from app.streams._json_lines import whole_lines as compiled_whole_lines
except ImportError:  # built without a C compiler: only the Python check exists
    compiled_whole_lines = None


@pytest.fixture(params=["compiled", "python"])
def both_ndjson_checks(request: pytest.FixtureRequest) -> Iterator[str]:
    """Runs a test once with each chunk check (the compiled one skipped where it was not built)."""
    if request.param == "compiled" and compiled_whole_lines is None:
        pytest.skip("app.streams._json_lines was not built (no C compiler at install)")
    check = compiled_whole_lines if request.param == "compiled" else ndjson._checked_whole_lines
    saved = ndjson._whole_lines
    ndjson._whole_lines = check  # type: ignore[assignment]
    try:
        yield request.param
    finally:
        ndjson._whole_lines = saved

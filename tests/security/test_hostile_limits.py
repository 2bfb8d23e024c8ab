"""Limits a cloned collection could raise (the size of one event or WebSocket message, the number of
reconnections) are capped in the file: past the cap the file is a broken file named with line and column,
and the other files load."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.model.collection import BrokenFile, RequestFile, load_collection
from app.model.request_definition import MAX_FILE_RECONNECTS, MAX_FILE_SIZE_LIMIT
from app.model.toml_format import loads_request
from app.model.toml_location import FileFormatError
from app.ui.request.bridge import DraftError, definition_from_draft, draft_from_definition

OVER_LIMIT = {
    f"[options]\nmax_event_size = {MAX_FILE_SIZE_LIMIT + 1}\n": "a file may set at most 268,435,456",
    "[options]\nmax_event_size = 100000000000000\n": "a file may set at most",
    f"[websocket]\nmax_message_size = {MAX_FILE_SIZE_LIMIT + 1}\n": "a file may set at most",
    f"[stream]\nreconnect = true\nmax_reconnects = {MAX_FILE_RECONNECTS + 1}\n": "0 to 100 reconnections",
    "[stream]\nreconnect = true\nmax_reconnects = -1\n": "0 to 100 reconnections",
}


@pytest.mark.parametrize("table", OVER_LIMIT)
def test_a_limit_raised_past_its_cap_is_a_positioned_error(table: str) -> None:
    try:
        loads_request('url = "http://127.0.0.1:9/"\n' + table)
    except FileFormatError as error:
        assert OVER_LIMIT[table] in error.message, error
        assert error.line == 1 + table.count("\n"), error  # the key's own line
    else:
        raise AssertionError(f"loaded {table!r}")


def test_limits_at_their_caps_load(tmp_path: Path) -> None:
    definition = loads_request(f'url = "http://127.0.0.1:9/"\n[options]\nmax_event_size = {MAX_FILE_SIZE_LIMIT}\n'
                               f"[stream]\nreconnect = true\nmax_reconnects = {MAX_FILE_RECONNECTS}\n"
                               f"[websocket]\nmax_message_size = {MAX_FILE_SIZE_LIMIT}\n")
    assert definition.options.max_event_size == definition.websocket.max_message_size == MAX_FILE_SIZE_LIMIT
    root = tmp_path / "clone"
    root.mkdir()
    (root / "good.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    (root / "greedy.toml").write_text('url = "http://127.0.0.1:9/"\n[options]\nmax_event_size = 99999999999\n',
                                      encoding="utf-8")
    nodes = {node.path.name: node for node in load_collection(root).children}
    assert isinstance(nodes["good.toml"], RequestFile) and isinstance(nodes["greedy.toml"], BrokenFile)


@pytest.mark.parametrize("typed", [str(MAX_FILE_SIZE_LIMIT + 1), "9" * 5000, "١٢٣", "0"])
def test_the_editor_refuses_a_message_size_no_file_could_hold(typed: str) -> None:
    """What the editor saves must load again; 5,000 digits made `int()` raise out of the editor."""
    loaded = loads_request('url = "ws://127.0.0.1:9/"\n')
    draft = draft_from_definition(loaded)
    with pytest.raises(DraftError, match="from 1 to 268,435,456"):
        definition_from_draft(replace(draft, max_message_size=typed), loaded)

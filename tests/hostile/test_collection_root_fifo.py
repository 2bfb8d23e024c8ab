"""A `collection.toml` that is a FIFO (or a folder, or a dangling link) still marks its collection's root.

`find_collection_root` asked `is_file()`, so such a name was passed over and the search went on upwards:
a request in a cloned folder whose `collection.toml` is a FIFO ran as part of whatever collection lies
above it (its variables, headers and `.env`), or of none, and the broken file was never named. Now the
folder holding it is the root and loading names the file as broken, without opening it for reading
(a FIFO with no writer would block an `open` for ever).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from raw_loopback_server import RawServer, http_response

from app.model.collection import find_collection_root, load_collection


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    (tmp_path / "collection.toml").write_text('name = "outer"\n[variables]\nwho = "outer-secret-value"\n')
    (tmp_path / ".env").write_text("outer_token=outer-dotenv-value\n")
    inner = tmp_path / "clone"
    inner.mkdir()
    os.mkfifo(inner / "collection.toml")
    return inner


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link"])
def test_the_folder_holding_it_is_the_root(tmp_path: Path, kind: str) -> None:
    entry = tmp_path / "collection.toml"
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "folder":
        entry.mkdir()
    else:
        entry.symlink_to(tmp_path / "gone.toml")
    (tmp_path / "chat.toml").write_text('url = "http://127.0.0.1:9/"\n')
    assert find_collection_root(tmp_path / "chat.toml") == tmp_path
    collection = load_collection(tmp_path)
    assert [problem.path for problem in collection.problems] == [entry]
    assert "chat.toml" in [child.path.name for child in collection.children]


def test_a_request_beside_a_fifo_never_resolves_from_the_collection_above(nested: Path, raw_server: RawServer,
                                                                          sluice) -> None:
    raw_server.routes["/who"] = http_response("200 OK", [("Content-Type", "text/plain")], b"ok")
    (nested / "who.toml").write_text(f'url = "{raw_server.base_url}/who?who={{{{who}}}}"\n')
    result = sluice("run", str(nested / "who.toml"), "--jsonl", timeout=30)
    assert "outer-secret-value" not in result.stdout + result.stderr
    assert result.code != 0 and "{{who}}" in result.stderr
    assert "collection.toml" in result.stderr and "FIFO" in result.stderr

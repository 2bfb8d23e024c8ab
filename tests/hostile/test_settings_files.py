"""A `collection.toml` or `folder.toml` that is no regular file is named as broken, not passed over.

A cloned tree (a tarball can hold a FIFO; any clone a folder or a dangling link) whose `folder.toml` was
a FIFO loaded as if it had no settings file at all: the folder's name, headers and variables silently
missing, no message. Request files, environments and `.env` were already reported so; the settings
files now are too, and nothing is read from them (a FIFO would block the load).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.model.collection import load_collection

_REQUEST = 'name = "ok"\nmethod = "GET"\nurl = "http://h/"\n'


def _make(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(path.parent / "missing.toml")


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link"])
def test_a_settings_file_that_cannot_be_read_is_named_and_the_rest_loads(tmp_path: Path, kind: str) -> None:
    (tmp_path / "collection.toml").write_text('name = "c"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "r.toml").write_text(_REQUEST)
    (tmp_path / "ok.toml").write_text(_REQUEST)
    _make(kind, sub / "folder.toml")
    collection = load_collection(tmp_path)
    broken = {problem.path.name: problem for problem in collection.broken_files()}
    assert "folder.toml" in broken, [str(problem) for problem in collection.broken_files()]
    assert broken["folder.toml"].line == 1
    assert {request.path.name for request in collection.requests()} == {"ok.toml", "r.toml"}


def test_a_collection_toml_that_is_a_fifo_is_named(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "collection.toml")
    (tmp_path / "ok.toml").write_text(_REQUEST)
    collection = load_collection(tmp_path)
    assert [problem.path.name for problem in collection.problems] == ["collection.toml"]
    assert "FIFO" in str(collection.problems[0])
    assert [request.path.name for request in collection.requests()] == ["ok.toml"]

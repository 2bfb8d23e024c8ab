"""The user's copy of the sample collection (`app/demo/user_copy.py`), in temporary folders only."""

from __future__ import annotations

import errno
import shutil
import stat
from pathlib import Path

import pytest

from app.demo import user_copy
from app.demo.user_copy import DemoCopyFailed, demo_collection


def sample(root: Path) -> Path:
    """A small read-only collection, as a package installed by a system or Nix store has it."""
    (root / "llm").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "Sample"\n', encoding="utf-8")
    (root / "llm" / "chat.toml").write_text('url = "http://127.0.0.1:9"\n', encoding="utf-8")
    (root / "llm" / "__pycache__").mkdir()
    (root / "llm" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    for path in (root / "collection.toml", root / "llm" / "chat.toml"):
        path.chmod(0o444)
    (root / "llm").chmod(0o555)
    return root


def test_the_copy_is_writable_and_leaves_bytecode_behind(tmp_path: Path) -> None:
    copy = demo_collection(sample(tmp_path / "bundled"), tmp_path / "config" / "demo-collection")
    assert (copy / "llm" / "chat.toml").read_text(encoding="utf-8") == 'url = "http://127.0.0.1:9"\n'
    assert not (copy / "llm" / "__pycache__").exists()
    for path in (copy / "collection.toml", copy / "llm" / "chat.toml", copy / "llm"):
        assert path.stat().st_mode & stat.S_IWUSR, path


def test_an_existing_copy_is_kept_and_a_reset_replaces_it(tmp_path: Path) -> None:
    bundled = sample(tmp_path / "bundled")
    copy = demo_collection(bundled, tmp_path / "config" / "demo-collection")
    (copy / "llm" / "chat.toml").write_text("edited\n", encoding="utf-8")
    assert (demo_collection(bundled, copy) / "llm" / "chat.toml").read_text(encoding="utf-8") == "edited\n"
    demo_collection(bundled, copy, fresh=True)
    assert (copy / "llm" / "chat.toml").read_text(encoding="utf-8") == 'url = "http://127.0.0.1:9"\n'
    assert [path.name for path in copy.parent.iterdir()] == ["demo-collection"]


def test_a_reset_that_fails_keeps_the_users_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = sample(tmp_path / "bundled")
    copy = demo_collection(bundled, tmp_path / "config" / "demo-collection")
    (copy / "llm" / "chat.toml").write_text("edited\n", encoding="utf-8")

    def disk_full(source: Path, target: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(user_copy.shutil, "copyfile", disk_full)
    with pytest.raises(DemoCopyFailed, match="No space left on device"):
        demo_collection(bundled, copy, fresh=True)
    assert (copy / "llm" / "chat.toml").read_text(encoding="utf-8") == "edited\n"
    assert [path.name for path in copy.parent.iterdir()] == ["demo-collection"]


def test_a_copy_put_in_place_meanwhile_by_another_start_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = sample(tmp_path / "bundled")
    target = tmp_path / "config" / "demo-collection"
    copyfile = shutil.copyfile

    def other_start_first(source: Path, destination: Path) -> object:
        if not target.exists():  # the other `sluice --demo` finished its copy while this one was copying
            target.mkdir(parents=True)
            (target / "collection.toml").write_text('name = "Theirs"\n', encoding="utf-8")
        return copyfile(source, destination)

    monkeypatch.setattr(user_copy.shutil, "copyfile", other_start_first)
    assert demo_collection(bundled, target) == target
    assert (target / "collection.toml").read_text(encoding="utf-8") == 'name = "Theirs"\n'
    assert [path.name for path in target.parent.iterdir()] == ["demo-collection"]


def test_an_unwritable_place_is_a_demo_copy_failure(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(DemoCopyFailed, match=str(blocked)):
        demo_collection(sample(tmp_path / "bundled"), blocked / "demo-collection")

"""A merge script is checked on the file that is read, not on its path before reading: a link or a FIFO
put in its place after the collection was read (check, then swap, then read) is never read nor run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.model.collection import RequestFile, load_collection, load_request_file
from app.model.merge_script import MergeScriptRef, merge_script_for, read_merge_script
from app.streams.merge import MergeEngine
from app.streams.merge.script import MergeScriptSpec, script_fingerprint
from app.ui.script_trust import with_script_trust

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- not for the preview"


def _checked_then_swapped(tmp_path: Path, swap: str) -> tuple[MergeScriptRef, Path]:
    """A collection whose script passes every check, then is replaced by `swap` before it is read."""
    root = tmp_path / "cloned"
    (root / "scripts").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "c"\n', encoding="utf-8")
    (root / "r.toml").write_text('url = "http://127.0.0.1:9/"\n[stream]\nmerge_script = "scripts/m.py"\n',
                                 encoding="utf-8")
    script = root / "scripts" / "m.py"
    script.write_text("def on_event(event):\n    return event.data\n", encoding="utf-8")
    loaded = load_request_file(root / "r.toml")
    assert isinstance(loaded, RequestFile)
    ref = merge_script_for(load_collection(root), root / "r.toml", loaded.definition)
    assert ref is not None and ref.problem == ""
    script.unlink()
    if swap == "link out":
        (tmp_path / "id_ed25519").write_text(SECRET, encoding="utf-8")
        script.symlink_to(tmp_path / "id_ed25519")
    elif swap == "folder link out":
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "elsewhere" / "m.py").write_text(SECRET, encoding="utf-8")
        (root / "scripts").rmdir()
        (root / "scripts").symlink_to(tmp_path / "elsewhere")
    else:
        os.mkfifo(script)
    return ref, root


@pytest.mark.parametrize("swap", ["link out", "folder link out", "fifo"])
def test_a_script_swapped_after_its_check_is_not_read_for_trust_or_preview(tmp_path: Path, swap: str) -> None:
    ref, root = _checked_then_swapped(tmp_path, swap)
    with pytest.raises(OSError, match="outside|not a regular file"):
        read_merge_script(ref)
    sent: list[MergeScriptSpec | None] = []
    pushed: list[object] = []

    class Keeper:
        settings = None

        def remember_script_answer(self, answer: object) -> None:
            raise AssertionError("nothing to remember")

        def push_screen(self, screen: object, callback: object = None) -> None:
            pushed.append(screen)

    # with_script_trust finds the script again (the resolved path is checked again) and then reads it.
    loaded = load_request_file(root / "r.toml")
    assert isinstance(loaded, RequestFile)
    with_script_trust(Keeper(), load_collection(root), root / "r.toml", loaded.definition, sent.append)  # type: ignore[arg-type]
    assert not pushed, "the trust dialog showed a file that is not the collection's script"
    assert len(sent) == 1 and sent[0] is not None and not sent[0].trusted


@pytest.mark.parametrize("swap", ["link out", "folder link out", "fifo"])
def test_a_trusted_script_swapped_before_it_runs_does_not_run(tmp_path: Path, swap: str) -> None:
    """`--trust-scripts` has no fingerprint: the run's own read must refuse the swapped file (a FIFO
    blocked the script's thread for good)."""
    ref, root = _checked_then_swapped(tmp_path, swap)
    engine = MergeEngine(script=MergeScriptSpec(ref.path, ref.shown, True, inside=ref.collection_root))
    reply = engine.finish()
    assert reply.script is not None and not reply.script.used
    assert "outside" in (reply.script.reason or "") or "not a regular file" in (reply.script.reason or ""), reply.script


def test_the_preview_shows_the_bytes_that_were_hashed(tmp_path: Path) -> None:
    from app.ui.script_trust import ScriptTrustScreen

    root = tmp_path / "c"
    (root / "scripts").mkdir(parents=True)
    (root / "collection.toml").write_text('name = "c"\nmerge_script = "scripts/m.py"\n', encoding="utf-8")
    (root / "r.toml").write_text('url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    (root / "scripts" / "m.py").write_text("# \x1b]0;title\x07\ndef on_event(event):\n    return None\n", encoding="utf-8")
    loaded = load_request_file(root / "r.toml")
    assert isinstance(loaded, RequestFile)
    pushed: list[ScriptTrustScreen] = []

    class Keeper:
        class settings:  # stands in for the Settings object
            @staticmethod
            def script_answer(collection: str, sha256: str) -> None:
                return None

        def remember_script_answer(self, answer: object) -> None: ...

        def push_screen(self, screen: ScriptTrustScreen, callback: object = None) -> None:
            pushed.append(screen)

    with_script_trust(Keeper(), load_collection(root), root / "r.toml", loaded.definition, lambda spec: None)  # type: ignore[arg-type]
    assert len(pushed) == 1 and "def on_event" in pushed[0].preview and "\x1b" not in pushed[0].preview
    ref = pushed[0].ref
    assert script_fingerprint(read_merge_script(ref)) == script_fingerprint((root / "scripts" / "m.py").read_bytes())

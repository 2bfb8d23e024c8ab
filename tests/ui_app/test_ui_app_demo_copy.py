"""`sluice --demo` edits the user's copy of the sample collection (in the config directory, here a temporary
one), never the bundled collection inside the package; the copy is kept across sessions, `--demo-reset`
makes a fresh one, and a copy that cannot be made is reported."""

from __future__ import annotations

import errno
import hashlib
import shutil
from pathlib import Path

import pytest
from helpers_ui_app import burst, wait_until

from app.demo import user_copy
from app.ui.app import SluiceApp
from app.ui.resources import sample_collections_path

SIZE = (120, 40)


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under `root` (bytecode aside) and a hash of its bytes."""
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}


async def edit_and_save_the_open_request(pilot, app: SluiceApp) -> Path:
    """Add `?edited=1` to the open request's URL and save it, by keys typed in a burst; its file."""
    screen = app.main_screen
    await wait_until(pilot, lambda: screen.current is not None)
    await pilot.pause()
    await burst(pilot, "ctrl+l", "end", *"?edited=1", "ctrl+s")
    await wait_until(pilot, lambda: not screen.editor.is_dirty and "?edited=1" in screen.current.path.read_text())
    return screen.current.path


def demo_toasts(app: SluiceApp) -> list[str]:
    return [str(toast.message) for toast in app._notifications if toast.title == "Demo"]


async def test_demo_edits_land_in_the_users_copy_kept_across_sessions_until_reset(settings_dir: Path) -> None:
    bundled = fingerprint(sample_collections_path())
    copy = settings_dir / "demo-collection"

    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        assert app.main_screen.workspace.collection.root == copy
        saved = await edit_and_save_the_open_request(pilot, app)
    assert saved.is_relative_to(copy)
    assert fingerprint(sample_collections_path()) == bundled, "the bundled collection was written to"

    again = SluiceApp(demo=True)  # the next session: the user's edit is still there
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: again.main_screen.current is not None)
        assert again.main_screen.current.path == saved
        assert "?edited=1" in again.main_screen.editor.draft.url

    fresh = SluiceApp(demo=True, demo_reset=True)
    async with fresh.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: fresh.main_screen.current is not None)
        assert "?edited=1" not in fresh.main_screen.editor.draft.url
    assert fingerprint(copy) == bundled
    assert sorted(path.name for path in settings_dir.iterdir()) == ["demo-collection"], "a staging folder was left"


async def test_a_demo_copy_that_cannot_be_made_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A regular file where the config directory should be: nothing can be written there (root included).
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("SLUICE_CONFIG_DIR", str(blocked))
    bundled = fingerprint(sample_collections_path())
    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: demo_toasts(app))
        assert str(blocked) in demo_toasts(app)[0]
        assert app.main_screen.workspace.collection is None and app.is_running
        await pilot.press("ctrl+p")  # still a working app
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CommandPalette")
    assert fingerprint(sample_collections_path()) == bundled


async def test_a_copy_cut_short_by_a_full_disk_is_reported_and_made_again_next_time(
        settings_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copied: list[Path] = []
    copyfile = shutil.copyfile

    def full_after_three(source: Path, target: Path) -> None:
        if len(copied) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        copied.append(Path(copyfile(source, target)))

    monkeypatch.setattr(user_copy.shutil, "copyfile", full_after_three)
    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: demo_toasts(app))
        assert "No space left on device" in demo_toasts(app)[0]
    assert not settings_dir.exists() or list(settings_dir.iterdir()) == [], "a partial copy was left"

    monkeypatch.undo()
    monkeypatch.setenv("SLUICE_CONFIG_DIR", str(settings_dir))
    again = SluiceApp(demo=True)
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: again.main_screen.current is not None)
    assert fingerprint(settings_dir / "demo-collection") == fingerprint(sample_collections_path())


async def test_a_copy_whose_demo_environment_was_renamed_still_starts(settings_dir: Path) -> None:
    """The copy is the user's: a `demo` environment renamed in an earlier session no longer refuses the
    start as `--env demo` would; the demo opens with no environment and says how to get a fresh copy."""
    from app.ui.demo_launch import make_demo_copy

    copy = settings_dir / "demo-collection"
    make_demo_copy(copy, fresh=False)
    (copy / "environments" / "demo.toml").rename(copy / "environments" / "mine.toml")
    app = SluiceApp(demo=True)
    assert app.environment_problem() is None
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await wait_until(pilot, lambda: any("--demo-reset" in str(toast.message) for toast in app._notifications))
        assert app.main_screen.workspace.environment is None

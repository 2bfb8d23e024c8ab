"""The environments screen deletes (asking first) and chooses the collection's default — the
`default_environment` `sluice run` uses without `--env` — and reports a failed file operation in its
status line, never raising."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from helpers_ui_app import wait_until
from textual.pilot import Pilot
from textual.widgets import TextArea

from app.model.collection import load_collection
from app.ui.app import SluiceApp
from app.ui.environments.base import EnvironmentList
from app.ui.keys import class_bindings

SIZE = (120, 40)


def _key(binding_id: str) -> str:
    """The default key of an environments-list binding, by id (the test follows a rebinding)."""
    return next(b.key for b in class_bindings(EnvironmentList) if b.id == binding_id).split(",")[0]


async def _open(pilot: Pilot, app: SluiceApp):  # type: ignore[no-untyped-def]
    from app.ui.environments.screen import EnvironmentsScreen

    await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, EnvironmentsScreen))
    return app.screen


async def _ask_to_delete(pilot: Pilot, app: SluiceApp, question: str) -> None:
    """Delete (the key the keymap gives) on the highlighted environment: the `question` dialog asks."""
    await pilot.press(_key("environments.delete"))
    await wait_until(pilot, lambda: type(app.screen).__name__ == question)


def _status(screen: object) -> str:
    return str(screen.query_one("#environments-status").render())  # type: ignore[attr-defined]


def _labels(screen: object) -> list[str]:
    options = screen.query_one(EnvironmentList)  # type: ignore[attr-defined]
    return [str(options.get_option_at_index(index).prompt).strip() for index in range(options.option_count)]


def _run_default_env(root: Path) -> str:
    """What `sluice run` resolves {{base_url}} to with no --env (the collection's default environment)."""
    request = root / "probe.toml"
    request.write_text('name = "probe"\nurl = "{{base_url}}/x"\n', encoding="utf-8")
    try:
        from app.model.scopes import scopes_for

        return scopes_for(load_collection(root), request).environment_name
    finally:
        request.unlink()


async def test_set_default_then_clear_it_as_sluice_run_reads_it(collection: Path) -> None:
    (collection / "environments" / "staging.toml").write_text('base_url = "http://staging"\n', encoding="utf-8")
    settings = collection / "collection.toml"
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, app)
        assert _labels(screen) == ["● local (default)", "staging"]
        await pilot.press("j", _key("environments.default"))
        await wait_until(pilot, lambda: "staging is the collection's default" in _status(screen))
        assert settings.read_text() == 'name = "Scratch"\ndefault_environment = "staging"\n'
        assert _labels(screen) == ["● local", "staging (default)"]
        assert _run_default_env(collection) == "staging"
        # On the default, the same key leaves the collection with none.
        await pilot.press(_key("environments.default"))
        await wait_until(pilot, lambda: "no longer the default" in _status(screen))
        assert settings.read_text() == 'name = "Scratch"\n'
        assert _run_default_env(collection) == ""
        await pilot.press(_key("environments.default"))
        await wait_until(pilot, lambda: _labels(screen)[1] == "staging (default)")
        # The environment in use is still local: setting a default does not switch.
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main_screen)
        assert app.main_screen.workspace.environment == "local"


def test_sluice_run_uses_the_default_the_screen_wrote(collection: Path) -> None:
    """The same file end to end: `sluice run` without --env reads the line the screen writes."""
    from app.model.collection_file import write_default_environment

    (collection / "environments" / "staging.toml").write_text('base_url = "http://127.0.0.1:1"\n', encoding="utf-8")
    write_default_environment(collection, "staging")
    sluice = shutil.which("sluice")
    command = [sluice] if sluice else [sys.executable, "-m", "app"]
    done = subprocess.run([*command, "run", str(collection / "streams" / "drip.toml"), "--jsonl"],
                          capture_output=True, text=True, timeout=120)
    assert "127.0.0.1:1" in done.stdout + done.stderr


async def test_delete_asks_first_and_clears_the_default_and_the_active_environment(collection: Path) -> None:
    (collection / "environments" / "staging.toml").write_text('base_url = "http://staging"\n', encoding="utf-8")
    local = collection / "environments" / "local.toml"
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, app)
        await _ask_to_delete(pilot, app, "ConfirmDialog")
        details = str(app.screen.query_one("#body").render())
        assert "collection's default" in details and "in use" in details
        await pilot.press("n")  # No: nothing changes
        await wait_until(pilot, lambda: app.screen is screen)
        assert local.exists() and 'default_environment = "local"' in (collection / "collection.toml").read_text()
        await _ask_to_delete(pilot, app, "ConfirmDialog")
        await pilot.press("y")
        await wait_until(pilot, lambda: not local.exists())
        await wait_until(pilot, lambda: "Deleted environments/local.toml" in _status(screen))
        assert "no default environment now" in _status(screen)
        assert (collection / "collection.toml").read_text() == 'name = "Scratch"\n'
        assert _labels(screen) == ["staging"] and screen.active is None
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main_screen)
        main = app.main_screen
        assert main.workspace.environment is None and main.sub_title == "env: none"
        messages = [str(toast.message) for toast in app._notifications]
        assert "Environment: none" in messages and not any("no longer there" in m for m in messages)


async def test_deleting_with_unsaved_edits_says_so_and_no_keeps_them(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("e")
        editor = screen.query_one("#environment-variables", TextArea)
        await wait_until(pilot, lambda: app.focused is editor)
        await pilot.press(*"x = 1", "enter", "tab")
        await wait_until(pilot, lambda: isinstance(app.focused, EnvironmentList))
        assert screen.is_dirty
        await _ask_to_delete(pilot, app, "ConfirmDialog")
        assert "unsaved edits are lost" in str(app.screen.query_one("#body").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.is_dirty and "x = 1" in editor.text
        assert (collection / "environments" / "local.toml").exists()


async def test_failed_file_operations_are_reported_and_change_nothing(collection: Path) -> None:
    local = collection / "environments" / "local.toml"
    settings = collection / "collection.toml"
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, app)
        # Changed on disk after the screen read it: not deleted, shown again.
        local.write_text('base_url = "http://edited-elsewhere"\n', encoding="utf-8")
        await _ask_to_delete(pilot, app, "ConfirmDialog")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Not deleted" in _status(screen))
        assert local.exists() and "edited-elsewhere" in screen.query_one("#environment-variables", TextArea).text
        # collection.toml cannot be written (a folder stands in its place): reported, the screen stays.
        settings.unlink()
        settings.mkdir()
        await pilot.press(_key("environments.default"))
        await wait_until(pilot, lambda: "Default not changed" in _status(screen))
        assert screen.query_one("#environments-status").has_class("-error")
        # Broken TOML in collection.toml: reported with its place, the file left as it was.
        settings.rmdir()
        settings.write_text("name = [\n", encoding="utf-8")
        await pilot.press(_key("environments.default"))
        await wait_until(pilot, lambda: "Default not changed" in _status(screen) and "1:" in _status(screen))
        assert settings.read_text() == "name = [\n"
        assert app.screen is screen and app.is_running


def _with_staging_secrets(collection: Path) -> Path:
    """staging uses `.env`'s staging_token alone and shared_key with local; the rest of `.env` is not its."""
    (collection / ".env").write_text("token=demo-token\n# staging\nstaging_token=sk-live-1\nshared_key=k-2\n",
                                     encoding="utf-8")
    (collection / "environments" / "local.toml").write_text(
        'base_url = "http://127.0.0.1:9"\nws_url = "ws://127.0.0.1:9"\nkey = "{{shared_key}}"\n', encoding="utf-8")
    staging = collection / "environments" / "staging.toml"
    staging.write_text('base_url = "http://staging"\ntoken = "{{staging_token}}"\nkey = "{{shared_key}}"\n',
                       encoding="utf-8")
    return staging


async def _ask_to_delete_staging(pilot: Pilot, app: SluiceApp):  # type: ignore[no-untyped-def]
    screen = await _open(pilot, app)
    await pilot.press("j")
    await wait_until(pilot, lambda: screen.shown is not None and screen.shown.environment.name == "staging")
    await _ask_to_delete(pilot, app, "DeleteEnvironmentDialog")
    return screen


async def test_deleting_an_environment_offers_to_remove_the_secrets_only_it_used(collection: Path) -> None:
    staging = _with_staging_secrets(collection)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask_to_delete_staging(pilot, app)
        question = str(app.screen.query_one("#question").render())
        assert "staging_token" in question and "shared_key" not in question
        assert "sk-live-1" not in question  # names only, never the values
        await pilot.press("escape")  # Cancel: nothing changes
        await wait_until(pilot, lambda: app.screen is screen)
        assert staging.exists() and "staging_token" in (collection / ".env").read_text()

        await _ask_to_delete(pilot, app, "DeleteEnvironmentDialog")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Deleted environments/staging.toml" in _status(screen))
        assert "removed staging_token from .env" in _status(screen)
        assert not staging.exists()
        assert (collection / ".env").read_text() == "token=demo-token\n# staging\nshared_key=k-2\n"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main_screen)
        main = app.main_screen
        assert main.scopes().chain().lookup("key") == ("k-2", "environment local")


async def test_delete_keeping_dotenv_and_a_secret_taken_up_meanwhile_stays(collection: Path) -> None:
    staging = _with_staging_secrets(collection)
    dotenv = collection / ".env"
    before = dotenv.read_bytes()
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask_to_delete_staging(pilot, app)
        await pilot.press("k")  # Delete, keep .env
        await wait_until(pilot, lambda: not staging.exists())
        assert dotenv.read_bytes() == before

        staging.write_text('token = "{{staging_token}}"\n', encoding="utf-8")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main_screen)
        screen = await _ask_to_delete_staging(pilot, app)
        # While the question is open, a request takes the secret up: it is kept, and the status says why.
        (collection / "uses.toml").write_text('url = "http://x/?t={{staging_token}}"\n', encoding="utf-8")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Deleted environments/staging.toml" in _status(screen))
        assert "kept staging_token in .env (another file uses it now)" in _status(screen)
        assert dotenv.read_bytes() == before


async def test_a_dotenv_that_cannot_be_changed_is_reported(collection: Path) -> None:
    staging = _with_staging_secrets(collection)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ask_to_delete_staging(pilot, app)
        (collection / ".env").write_text("staging_token=sk-live-1\nbroken line\n", encoding="utf-8")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Deleted environments/staging.toml" in _status(screen))
        assert "its secrets are still in .env" in _status(screen) and "2:1" in _status(screen)
        assert screen.query_one("#environments-status").has_class("-error")
        assert not staging.exists() and "broken line" in (collection / ".env").read_text()
        assert app.screen is screen and app.is_running

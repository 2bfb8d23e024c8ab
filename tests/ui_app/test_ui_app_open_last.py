"""The palette's "Open last collection" with `--env NAME`: a collection without that environment is refused
with an error (as `sluice --env NAME` exits 2), before any unsaved-edits question, and nothing changes;
the demo's own environment does not follow into another collection."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import burst, wait_until, write_collection
from textual.command import CommandPalette

from app.ui.app import SluiceApp
from app.ui.screens.unsaved import UnsavedChangesDialog
from app.ui.settings import Settings, save_settings

SIZE = (120, 40)


def _other_collection(tmp_path: Path, environment: str) -> Path:
    other = write_collection(tmp_path / "other")
    (other / "collection.toml").write_text(f'name = "Other"\ndefault_environment = "{environment}"\n', encoding="utf-8")
    (other / "environments" / "local.toml").rename(other / "environments" / f"{environment}.toml")
    return other


async def _run_palette_command(pilot, app: SluiceApp, title: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await burst(pilot, *title)
    await wait_until(pilot, lambda: any(title in str(option.prompt) for option in app.screen.query_one(
        "CommandList").options))
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette))


async def test_an_unknown_env_is_an_error_and_nothing_opens_half_way(
    collection: Path, tmp_path: Path, settings_dir: Path
) -> None:
    other = _other_collection(tmp_path, "qa")
    save_settings(Settings(last_collection=str(other.resolve())), settings_dir)
    app = SluiceApp(collection, environment="local")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        await burst(pilot, "ctrl+l", "end", *"?edited=1")
        await wait_until(pilot, lambda: screen.editor.draft.url.endswith("?edited=1"))
        await _run_palette_command(pilot, app, "Open last collection")
        await wait_until(pilot, lambda: any("no environment named 'local'" in str(toast.message)
                                            for toast in app._notifications))
        toast = next(toast for toast in app._notifications if "Not opened" in str(toast.message))
        assert toast.severity == "error" and "--env local" in str(toast.message)
        # Not asked about the edits (nothing would open), and everything is as it was.
        assert not isinstance(app.screen, UnsavedChangesDialog) and app.screen is screen
        assert screen.workspace.collection.root == collection.resolve()
        assert screen.workspace.environment == "local" and screen.sub_title == "env: local"
        assert screen.editor.is_dirty and screen.editor.draft.url.endswith("?edited=1")
        assert app.is_running


async def test_a_collection_with_the_env_opens_after_the_unsaved_question(
    collection: Path, tmp_path: Path, settings_dir: Path
) -> None:
    other = _other_collection(tmp_path, "local")
    save_settings(Settings(last_collection=str(other.resolve())), settings_dir)
    app = SluiceApp(collection, environment="local")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        await burst(pilot, "ctrl+l", "end", *"?edited=1")
        await wait_until(pilot, lambda: screen.editor.is_dirty)
        await _run_palette_command(pilot, app, "Open last collection")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("d")
        await wait_until(pilot, lambda: screen.workspace.collection.root == other.resolve())
        assert screen.title == "Sluice — Other" and screen.workspace.environment == "local"


async def test_without_env_another_collection_gets_its_own_default(
    collection: Path, tmp_path: Path, settings_dir: Path
) -> None:
    other = _other_collection(tmp_path, "qa")
    save_settings(Settings(last_collection=str(other.resolve())), settings_dir)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await _run_palette_command(pilot, app, "Open last collection")
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.workspace.collection.root == other.resolve())
        assert screen.workspace.environment == "qa"
        assert not any(toast.severity == "error" for toast in app._notifications)


async def test_the_demo_environment_stays_with_the_demo(tmp_path: Path, settings_dir: Path) -> None:
    other = _other_collection(tmp_path, "qa")
    app = SluiceApp(demo=True)
    app.previous_collection = str(other.resolve())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        assert app.main_screen.workspace.environment == "demo"
        await _run_palette_command(pilot, app, "Open last collection")
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.workspace.collection.root == other.resolve())
        assert screen.workspace.environment == "qa"
        assert not any(toast.severity == "error" for toast in app._notifications)


async def test_the_demo_servers_address_stays_with_the_demo(tmp_path: Path, settings_dir: Path) -> None:
    """The demo's `base_url`/`ws_url` override every scope of the sample collection's `demo` environment
    only: another collection opened from the palette resolves them from its own environment (and sends
    there), and the sample collection opened again finds the demo server's address once more."""
    other = _other_collection(tmp_path, "qa")  # its environment: base_url = http://127.0.0.1:9
    app = SluiceApp(demo=True)
    app.previous_collection = str(other.resolve())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        demo_root = screen.workspace.collection.root
        server = app.demo_server
        assert server is not None
        assert screen.scopes().chain(None).substitute("{{base_url}}", "test") == server.base_url

        await _run_palette_command(pilot, app, "Open last collection")
        await wait_until(pilot, lambda: screen.workspace.collection.root == other.resolve())
        chain = screen.scopes().chain(None)
        assert chain.substitute("{{base_url}}", "test") == "http://127.0.0.1:9"
        assert chain.substitute("{{ws_url}}", "test") == "ws://127.0.0.1:9"
        assert "base_url" not in screen.workspace.run_variables

        app.previous_collection = str(demo_root)
        await _run_palette_command(pilot, app, "Open last collection")
        await wait_until(pilot, lambda: screen.workspace.collection.root == demo_root)
        assert screen.scopes().chain(None).substitute("{{ws_url}}", "test") == server.ws_url


async def test_another_environment_made_in_the_demo_uses_its_own_base_url(settings_dir: Path) -> None:
    from app.ui.demo_launch import make_demo_copy

    sample = settings_dir / "demo-collection"  # the user's copy, as an earlier demo session left it
    make_demo_copy(sample, fresh=False)
    (sample / "environments" / "stage.toml").write_text('base_url = "http://127.0.0.1:9"\n', encoding="utf-8")

    app = SluiceApp(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        screen = app.main_screen
        server = app.demo_server
        assert server is not None and screen.workspace.environment == "demo"
        assert screen.scopes().chain().lookup("base_url") == (server.base_url, "demo server")
        await _switch_environment(pilot, app, "j")  # the list: demo, stage
        assert screen.workspace.environment == "stage"
        assert screen.scopes().chain().lookup("base_url") == ("http://127.0.0.1:9", "environment stage")
        assert screen.scopes().chain().lookup("ws_url") is None  # stage has none: not the demo server's either
        await _switch_environment(pilot, app, "k")
        assert screen.scopes().chain().lookup("ws_url") == (server.ws_url, "demo server")


async def _switch_environment(pilot, app: SluiceApp, move: str) -> None:  # type: ignore[no-untyped-def]
    from app.ui.environments.screen import EnvironmentsScreen

    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, EnvironmentsScreen))
    await pilot.press(move, "enter")
    await wait_until(pilot, lambda: app.screen is app.main_screen)

"""Environments in the TUI: create, edit (secrets to .env), rename, switch, files changed on disk seen;
literal credentials in a request offered to .env; the resolved preview says where each variable came from."""

from __future__ import annotations

from pathlib import Path

from helpers_ui_app import wait_until
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea

from app.ui.app import SluiceApp
from app.ui.keys import class_bindings

SIZE = (120, 40)


def _key(owner: type, binding_id: str) -> str:
    """The key of a binding by its id (the test keeps working when a key is rebound)."""
    return next(b.key for b in class_bindings(owner) if b.id == binding_id).split(",")[0]


async def _open_environments(pilot: Pilot, app: SluiceApp) -> object:
    from app.ui.environments.screen import EnvironmentsScreen
    from app.ui.screens.main import MainScreen

    await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
    await pilot.press(_key(MainScreen, "app.environment"))
    await wait_until(pilot, lambda: isinstance(app.screen, EnvironmentsScreen))
    return app.screen


def _plain(renderable: object) -> str:
    import io

    from rich.console import Console

    console = Console(width=160, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _screen_name(app: SluiceApp) -> str:
    return type(app.screen).__name__


async def test_create_edit_move_secret_rename_and_switch(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_environments(pilot, app)
        assert [entry.environment.name for entry in screen.entries] == ["local"]
        await pilot.press("n")
        await wait_until(pilot, lambda: _screen_name(app) == "NameDialog")
        await pilot.press(*"staging", "enter")
        await wait_until(pilot, lambda: screen.shown is not None and screen.shown.environment.name == "staging")
        staging = collection / "environments" / "staging.toml"
        assert staging.read_text() == ""
        editor = screen.query_one("#environment-variables", TextArea)
        assert app.focused is editor
        await pilot.press(*'base_url = "http://127.0.0.1:9"', "enter", *'token = "sk-live-abc"', "enter")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _screen_name(app) == "MoveSecretsDialog")
        await pilot.press("m")
        await wait_until(pilot, lambda: 'token = "{{staging_token}}"' in staging.read_text())
        assert staging.read_text() == 'base_url = "http://127.0.0.1:9"\ntoken = "{{staging_token}}"\n'
        assert (collection / ".env").read_text() == "token=demo-token\nstaging_token=sk-live-abc\n"
        assert editor.text == staging.read_text() and not screen.is_dirty
        # Rename it (the list has the focus after Tab), then switch to it with Enter.
        await pilot.press("tab")
        await wait_until(pilot, lambda: isinstance(app.focused, OptionList))
        await pilot.press("r")
        await wait_until(pilot, lambda: _screen_name(app) == "NameDialog")
        await pilot.press(*"staging-2", "enter")  # the dialog selects the old name: typing replaces it
        await wait_until(pilot, lambda: (collection / "environments" / "staging-2.toml").exists())
        assert not staging.exists()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is app.main_screen)
        main = app.main_screen
        assert main.workspace.environment == "staging-2" and main.sub_title == "env: staging-2"
        chain = main.scopes().chain()
        assert chain.resolve("token").origin == "environment staging-2 → .env"
        assert chain.lookup("token")[0] == "sk-live-abc"


async def test_renaming_the_active_default_environment_follows_it(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_environments(pilot, app)
        await pilot.press("r")
        await wait_until(pilot, lambda: _screen_name(app) == "NameDialog")
        await pilot.press(*"locally", "enter")
        await wait_until(pilot, lambda: screen.active == "locally")
        assert 'default_environment = "locally"' in (collection / "collection.toml").read_text()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main_screen)
        assert app.main_screen.workspace.environment == "locally"


async def test_unsaved_variable_edits_are_not_lost_and_bad_toml_is_reported(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_environments(pilot, app)
        local = collection / "environments" / "local.toml"
        before = local.read_bytes()
        await pilot.press("e")
        editor = screen.query_one("#environment-variables", TextArea)
        await wait_until(pilot, lambda: app.focused is editor)
        await pilot.press(*"broken = [")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved" in str(screen.query_one("#environments-status").render()))
        assert local.read_bytes() == before
        await pilot.press("escape")  # asks: Save / Discard / Cancel
        await wait_until(pilot, lambda: _screen_name(app) == "UnsavedChangesDialog")
        await pilot.press("c")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.is_dirty
        await pilot.press("escape")
        await wait_until(pilot, lambda: _screen_name(app) == "UnsavedChangesDialog")
        await pilot.press("d")
        await wait_until(pilot, lambda: app.screen is app.main_screen)
        assert local.read_bytes() == before


async def test_an_unchanged_file_is_byte_identical_and_not_rewritten(collection: Path) -> None:
    local = collection / "environments" / "local.toml"
    text = '# shared by the team\r\nbase_url = "http://127.0.0.1:9"   # local\r\n\tport = 8765\r\nname = "café"\r\n'
    local.write_bytes(text.encode())
    before = local.stat().st_mtime_ns
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_environments(pilot, app)
        assert screen.query_one("#environment-variables", TextArea).text == text
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "nothing written" in str(screen.query_one("#environments-status").render()))
    assert local.read_bytes() == text.encode() and local.stat().st_mtime_ns == before


async def test_environment_files_added_on_disk_show_up_without_a_restart(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        main = app.main_screen
        (collection / "environments" / "qa.toml").write_text('base_url = "http://qa"\n')
        (collection / "environments" / "local.toml").write_text('base_url = "http://changed"\n')
        # Used as soon as the variables are: opening or sending a request, the preview, the picker.
        assert main.scopes().chain().lookup("base_url")[0] == "http://changed"
        assert main.workspace.collection.environment_names == ("local", "qa")
        screen = await _open_environments(pilot, app)
        assert [entry.environment.name for entry in screen.entries] == ["local", "qa"]
        (collection / "environments" / "local.toml").unlink()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main)
        assert main.workspace.environment is None and main.sub_title == "env: none"


async def test_a_new_collection_gets_its_collection_toml(tmp_path: Path) -> None:
    root = tmp_path / "new-api"
    root.mkdir()
    app = SluiceApp(root)
    async with app.run_test(size=SIZE) as pilot:
        await _open_environments(pilot, app)
        await pilot.press("n")
        await wait_until(pilot, lambda: _screen_name(app) == "NameDialog")
        await pilot.press(*"staging", "enter")
        await wait_until(pilot, lambda: (root / "collection.toml").exists())
    assert (root / "collection.toml").read_text() == 'name = "new-api"\n'
    assert (root / "environments" / "staging.toml").exists()


def test_an_unknown_environment_is_refused_before_the_tui_starts(collection: Path) -> None:
    assert SluiceApp(collection, environment="nope").environment_problem() == (
        "no environment named 'nope' (available: local)")
    assert SluiceApp(collection, environment="local").environment_problem() is None


async def test_a_pasted_bearer_token_is_offered_to_dotenv_on_save(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        main = app.main_screen
        folder = main.current.path.parent
        main.import_curl("curl 'http://127.0.0.1:9/v1?api_key=k-1' -H 'Authorization: Bearer sk-pasted-1'")
        # A saved request is open: import as a new one, saved beside it.
        await wait_until(pilot, lambda: _screen_name(app) == "CurlPasteDialog")
        await pilot.press("n")
        await wait_until(pilot, lambda: main.editor.is_dirty)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _screen_name(app) == "MoveSecretsDialog")
        await pilot.press("m")
        await wait_until(pilot, lambda: _screen_name(app) == "NameDialog")
        await pilot.press(*"pasted", "enter")
        saved = folder / "pasted.toml"
        await wait_until(pilot, lambda: saved.exists() and not main.editor.is_dirty)
        text = saved.read_text()
        # `token` is taken in .env (demo-token): the pasted one gets the next free name.
        assert "sk-pasted-1" not in text and 'Authorization = "Bearer {{token_2}}"' in text
        assert 'url = "http://127.0.0.1:9/v1?api_key={{api_key}}"' in text
        assert (collection / ".env").read_text() == "token=demo-token\ntoken_2=sk-pasted-1\napi_key=k-1\n"


async def test_the_resolved_preview_names_each_source_and_masks_secrets(collection: Path) -> None:
    from app.ui.environments.resolved import ResolvedScreen
    from app.ui.screens.main import MainScreen

    (collection / ".env").write_text("api_key=k-secret-1\n")
    (collection / "unresolved.toml").write_text(
        'name = "Needs token"\nurl = "{{base_url}}/x?key={{api_key}}&q={{nope}}"\n[variables]\nq = "1"\n')
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        main = app.main_screen
        main.set_run_variables({"job": "j-1"}, "extracted by POST Start job")
        main.open_request(main.workspace.collection.request(collection / "unresolved.toml"))
        await pilot.press(_key(MainScreen, "request.resolved"))
        await wait_until(pilot, lambda: isinstance(app.screen, ResolvedScreen))
        preview = app.screen
        uses = {use.name: use for use in preview.uses}
        assert uses["base_url"].origin == "environment local" and uses["base_url"].where == ("URL",)
        assert uses["api_key"].origin == ".env" and uses["api_key"].secret
        assert not uses["nope"].resolved
        shown = _plain(preview._render_report())
        assert "k-secret-1" not in shown and "****" in shown and ".env" in shown and "environment local" in shown
        await pilot.press("v")
        await wait_until(pilot, lambda: "k-secret-1" in _plain(preview._render_report()))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main)


async def test_a_reference_nobody_defines_marks_the_variable_and_stops_the_send(collection: Path) -> None:
    (collection / "environments" / "local.toml").write_text('base_url = "http://127.0.0.1:9"\ntoken = "{{gone}}"\n')
    (collection / "unresolved.toml").write_text('name = "Needs token"\nurl = "{{base_url}}/x?t={{token}}"\n')
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        main = app.main_screen
        main.open_request(main.workspace.collection.request(collection / "unresolved.toml"))
        await pilot.pause()
        assert main._known_variable("base_url") and not main._known_variable("token")
        main.action_send()
        await wait_until(pilot, lambda: any("gone" in str(toast.message) for toast in app._notifications))
        assert main.live is None


async def test_coming_back_to_the_terminal_picks_up_an_edited_environment(collection: Path) -> None:
    from textual import events

    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        main = app.main_screen
        (collection / "environments" / "local.toml").write_text('base_url = "http://edited"\n')
        app.post_message(events.AppFocus())
        await wait_until(pilot, lambda: main.workspace.collection.environment("local").variables["base_url"]
                         == "http://edited")


async def test_the_resolved_preview_shows_the_whole_description_at_100_columns(collection: Path) -> None:
    from app.ui.environments.resolved import ResolvedScreen
    from app.ui.screens.main import MainScreen

    description = ("Step 2 of the job flow: run Job 1 first, which extracts job_id; the stream then replays "
                   "every event of that job.\nSecond line: \x1b]0;title\x07 stays text.")
    (collection / "job.toml").write_text(
        f'name = "Job 2"\nurl = "{{{{base_url}}}}/jobs/{{{{job_id}}}}"\ndescription = """{description}"""\n'.replace(
            "\x1b", "\\u001b").replace("\x07", "\\u0007"))
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        main = app.main_screen
        main.open_request(main.workspace.collection.request(collection / "job.toml"))
        await wait_until(pilot, lambda: main.editor.draft.name == "Job 2")
        await pilot.press(_key(MainScreen, "request.resolved"))
        await wait_until(pilot, lambda: isinstance(app.screen, ResolvedScreen))
        shown = " ".join(_plain(app.screen._render_report()).split())
        assert "replays every event of that job." in shown and "Second line:" in shown
        assert "\x1b" not in shown and "\x07" not in shown


async def test_a_credential_kept_in_an_environment_file_is_masked_until_revealed(collection: Path) -> None:
    from app.ui.environments.screen import EnvironmentsScreen

    local = collection / "environments" / "local.toml"
    local.write_text('base_url = "http://127.0.0.1:9"\ntoken = "sk-live-abc123"\n', encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_environments(pilot, app)
        editor = screen.query_one("#environment-variables", TextArea)
        assert editor.text == 'base_url = "http://127.0.0.1:9"\ntoken = "****"\n' and not screen.is_dirty
        await pilot.press(_key(EnvironmentsScreen, "environments.reveal"))
        await wait_until(pilot, lambda: "sk-live-abc123" in editor.text)
        await pilot.press(_key(EnvironmentsScreen, "environments.reveal"))
        await wait_until(pilot, lambda: "sk-live-abc123" not in editor.text)
        # An edit elsewhere keeps the hidden value: the file never gets `****`.
        await pilot.press("e")
        await wait_until(pilot, lambda: app.focused is editor)
        editor.move_cursor(editor.document.end)
        await pilot.press(*'x = "1"', "ctrl+s")
        await wait_until(pilot, lambda: _screen_name(app) == "MoveSecretsDialog")
        await pilot.press("k")  # keep it in the file
        await wait_until(pilot, lambda: 'x = "1"' in local.read_text(encoding="utf-8"))
        assert local.read_text(encoding="utf-8") == 'base_url = "http://127.0.0.1:9"\ntoken = "sk-live-abc123"\nx = "1"'
        assert "sk-live-abc123" not in editor.text and not screen.is_dirty


async def test_control_characters_in_an_environment_file_never_reach_the_terminal(collection: Path) -> None:
    """A broken file's text is shown to be fixed: its raw ESC cleared the screen (`ESC [2J`)."""
    hostile = collection / "environments" / "hostile.toml"
    hostile.write_bytes(b'base_url = "http://127.0.0.1:9"\nevil = a\x1b[2Jb\x1b]0;pwned\x07c\xc2\x9bd\n')
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_environments(pilot, app)
        await pilot.press("up")  # the screen opens on local, the one in use; hostile is above it
        await wait_until(pilot, lambda: screen.shown is not None and screen.shown.environment.name == "hostile")
        editor = screen.query_one("#environment-variables", TextArea)
        assert not any(character in editor.text for character in "\x1b\x07\x9b")
        assert "a\\x1b[2Jb\\x1b]0;pwned\\x07c\\x9bd" in editor.text
        assert not screen.is_dirty
        assert "control characters shown as" in str(screen.query_one("#environments-status").render())

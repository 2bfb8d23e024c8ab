"""Merge scripts in the TUI: the trust dialog asks once per script content, a refusal runs nothing of the
script (proved with a script that writes a file when imported), a trusted script merges the stream."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers_ui_app import open_named, wait_until, write_collection

from app.demo.providers.script import REPLY
from app.ui.app import SluiceApp
from app.ui.script_trust import ScriptTrustScreen

SIZE = (120, 40)
SCRIPT = '''"""Plain-text tokens; importing it leaves a mark, to prove whether it ran."""
from pathlib import Path

Path({marker!r}).write_text("ran")


def on_event(event):
    return None if event.data == "[DONE]" else event.data
'''


@pytest.fixture
def scripted(tmp_path: Path, demo_server) -> tuple[Path, Path]:
    root = write_collection(tmp_path / "demo", demo_server.base_url, demo_server.ws_url)
    marker = tmp_path / "the-script-ran"
    (root / "scripts").mkdir()
    (root / "scripts" / "tokens.py").write_text(SCRIPT.format(marker=str(marker)))
    (root / "tokens.toml").write_text(
        'name = "Tokens"\nmethod = "GET"\nurl = "{{base_url}}/text/tokens"\n\n'
        '[stream]\nparse_mode = "sse"\nmerge_script = "scripts/tokens.py"\n'
    )
    return root, marker


async def send_tokens(app: SluiceApp, pilot) -> None:
    open_named(app, "Tokens")
    await pilot.pause()
    await pilot.press("ctrl+j")


def merged_text(app: SluiceApp) -> str:
    """The screen as the user reads it (the Merged tab is shown)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def finished(app: SluiceApp) -> bool:
    live = app.main_screen.live
    return live is not None and live.session.finished


async def test_trust_is_asked_once_per_content_and_refusal_runs_nothing(scripted, settings_dir: Path) -> None:
    root, marker = scripted
    app = SluiceApp(root)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        await send_tokens(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ScriptTrustScreen))
        dialog = app.screen
        assert "scripts/tokens.py" in str(dialog.query_one(".title").parent.children[1].render())
        assert "def on_event(event):" in dialog.preview
        await pilot.press("n")
        await wait_until(pilot, lambda: finished(app))
        reply = app.main_screen.live.session.reply
        assert not marker.exists()
        assert reply.script is not None and not reply.script.used and "chose not to trust" in (reply.script.reason or "")
        pane = app.main_screen.response_pane
        await pane.action_show_tab("tab-merged")
        await wait_until(pilot, lambda: "you chose not to trust" in merged_text(app))
        # Asked once: the refusal is remembered for this content.
        await send_tokens(app, pilot)
        await wait_until(pilot, lambda: finished(app) and app.main_screen.live.session.reply.script is not None)
        assert not isinstance(app.screen, ScriptTrustScreen) and not marker.exists()
        saved = tomllib.loads((settings_dir / "settings.toml").read_text())
        (answer,) = saved["script_answers"]
        assert (answer["script"], answer["trusted"], answer["collection"]) == ("scripts/tokens.py", False, str(root.resolve()))

        # A changed script is a new question; trusting it runs it.
        script = root / "scripts" / "tokens.py"
        script.write_text(script.read_text() + "\n# edited\n")
        await send_tokens(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ScriptTrustScreen))
        await pilot.press("t")
        await wait_until(pilot, lambda: finished(app) and app.main_screen.live.session.reply.script.used)
        reply = app.main_screen.live.session.reply
        assert marker.read_text() == "ran"
        assert (reply.profile, reply.text) == ("script", REPLY)
        await wait_until(pilot, lambda: "merged by script scripts/tokens.py" in merged_text(app))
        assert REPLY[:40] in merged_text(app)

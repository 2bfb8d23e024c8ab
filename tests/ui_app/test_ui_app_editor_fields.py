"""Editor fields a person needs to see: the description, the merge-profile picker, rule checking as you
type, the URL at 100x30 with tab labels that fit, and no focus stop that shows nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers_ui_app import wait_until
from textual.widgets import Input, Label, Select, TextArea

from app.ui.app import SluiceApp
from app.ui.request.tabs import rule_problems
from app.ui.response.tab_stack import TabBar


def open_named(app: SluiceApp, name: str) -> None:
    screen = app.main_screen
    screen.open_request(next(entry for entry in screen.workspace.collection.requests() if entry.title == name))


def test_rule_problems_name_the_line() -> None:
    assert rule_problems("$.choices[0].delta.content | reasoning=$.r | mode=snapshot") == []
    problems = rule_problems("$.ok\n$.choices[0 | event=x")
    assert len(problems) == 1 and problems[0].startswith("line 2: the text JSONPath '$.choices[0'")
    assert rule_problems("$.a | colour=red")[0].startswith("line 1: 'colour=red'")


async def test_description_profile_picker_and_rule_check(collection: Path) -> None:
    path = collection / "llm" / "chat.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'url = "{{base_url}}', 'description = "Run Job 1 first.\\nThen this."\nurl = "{{base_url}}', 1), encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        editor = app.main_screen.editor
        open_named(app, "OpenAI chat")
        await pilot.pause()
        description = editor.query_one("#description", Label)
        assert str(description.render()) == "Run Job 1 first. …" and description.display  # more lines follow
        editor.show_tab("tab-stream")
        await wait_until(pilot, lambda: bool(editor.query("#merge-rules")))
        await pilot.pause()
        profile = editor.query_one("#merge-profile", Select)
        assert profile.value == "openai"
        offered = [str(option[0]) for option in profile._options]
        assert "anthropic" in offered and "custom" in offered and "auto-detect" in offered
        profile.value = "custom"
        rules = editor.query_one("#merge-rules", TextArea)
        rules.focus()
        await pilot.press(*"$.choices[0")
        check = editor.query_one("#rule-check", Label)
        await wait_until(pilot, lambda: "does not parse" in str(check.render()))
        await pilot.press("]")
        await wait_until(pilot, lambda: str(check.render()) == "✓ rules parse")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not editor.is_dirty)
        stream = tomllib.loads(path.read_text(encoding="utf-8"))["stream"]
        assert stream["merge_profile"] == "custom" and stream["rules"] == [{"text": "$.choices[0]", "mode": "delta"}]


@pytest.mark.parametrize(("size", "first_labels"), [((100, 30), ["Params", "Headers", "Body"]),
                                                   ((80, 24), ["Params", "Headers", "Body"]),
                                                   ((64, 24), ["Par", "Hdr", "Body"])])
async def test_url_visible_and_tab_labels_fit(collection: Path, size: tuple[int, int], first_labels: list[str]) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        editor = app.main_screen.editor
        open_named(app, "OpenAI chat")
        await pilot.pause()
        url = editor.query_one("#url", Input)
        assert url.size.width >= (30 if size[0] >= 100 else 20)
        assert not editor.query_one("#title").display
        assert "OpenAI chat" in str(editor.border_title)
        # Six tabs for an HTTP request: full labels when they fit on the line, short ones when not.
        bar = editor.query_one(TabBar)
        labels = bar.render_line(0).text.split()
        assert len(labels) == 6 and labels[:3] == first_labels
        assert bar.region.width <= editor.content_size.width and "…" not in bar.render_line(0).text


async def test_every_focus_stop_in_auth_and_stream_is_a_visible_field(collection: Path) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        editor = app.main_screen.editor
        open_named(app, "OpenAI chat")
        for tab_id in ("tab-auth", "tab-stream"):
            editor.show_tab(tab_id)
            await pilot.pause()
            pane = editor.query_one(f"#{tab_id}")
            stops = [widget for widget in app.screen.focus_chain if pane in widget.ancestors]
            assert stops and all(type(widget).__name__ in {"Select", "Input", "TextArea", "Checkbox"} for widget in stops)
            for widget in stops:
                widget.focus()
                await pilot.pause()
                assert widget.region.height > 0, f"{widget} takes focus but is not on screen"


async def test_a_description_too_long_for_100_columns_is_cut_with_an_ellipsis(collection: Path) -> None:
    from textual.geometry import Region

    path = collection / "llm" / "chat.toml"
    long = "Seed 002: named SSE events `delta` then `done` (the full response), with bearer auth and a body"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'url = "{{base_url}}', f'description = "{long}"\nurl = "{{{{base_url}}', 1), encoding="utf-8")
    app = SluiceApp(collection)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.main_screen.workspace.collection is not None)
        open_named(app, "OpenAI chat")
        description = app.main_screen.editor.query_one("#description", Label)
        await wait_until(pilot, lambda: description.display and description.size.width > 0)
        await pilot.pause()
        width = description.size.width
        assert width < len(long)
        shown = description.render_lines(Region(0, 0, width, 1))[0].text
        assert shown.rstrip().endswith("…") and shown.startswith("Seed 002")

"""Snapshots of the main screens (fixed size, a scratch collection, no clocks or network)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from app.ui.app import SluiceApp

SIZE = (120, 36)


async def _hold_still(pilot: Pilot[object]) -> None:
    """Stop text cursors blinking: a snapshot taken mid-blink would depend on when it was taken."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


async def _settle(pilot: Pilot[object]) -> None:
    app = pilot.app
    for _ in range(200):
        if app.main_screen.workspace.collection is not None:
            break
        await pilot.pause(0.02)
    app.main_screen.collection_tree.focus()
    await pilot.pause()


def test_main_screen(snap_compare, collection: Path) -> None:
    assert snap_compare(SluiceApp(collection), terminal_size=SIZE, run_before=_settle)


def test_help_screen(snap_compare, collection: Path) -> None:
    async def open_help(pilot: Pilot[object]) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await _hold_still(pilot)

    app = SluiceApp(collection)
    # Only the shell's own groups: the response side's keys change with its own work and have their tests.
    shell_groups = app.help_groups()[:4]
    app.help_groups = lambda: shell_groups  # type: ignore[method-assign]
    assert snap_compare(app, terminal_size=SIZE, run_before=open_help)


def test_light_theme_with_history_and_filter(snap_compare, collection: Path) -> None:
    async def arrange(pilot: Pilot[object]) -> None:
        await _settle(pilot)
        pilot.app.theme = "sluice-light"
        await pilot.press("ctrl+r", "ctrl+t", "slash", "c", "h")
        await _hold_still(pilot)

    assert snap_compare(SluiceApp(collection), terminal_size=SIZE, run_before=arrange)


def test_high_contrast_delete_confirmation(snap_compare, collection: Path) -> None:
    async def arrange(pilot: Pilot[object]) -> None:
        await _settle(pilot)
        pilot.app.theme = "sluice-high-contrast"
        await pilot.press("j", "delete")  # chat (open) -> streams/: the folder question
        await _hold_still(pilot)

    assert snap_compare(SluiceApp(collection), terminal_size=SIZE, run_before=arrange)

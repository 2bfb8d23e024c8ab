"""What the main screen's first layout and paint need is known before them, so nothing changes once more
after: a collection read by then, the editor's size, the tree's scroll bars, the footer's keys; the screen
is styled as it mounts and its first paint is not thrown away (each found out later cost another layout
or paint of the whole screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers_ui_app import mount_once_the_collection_is_read, wait_until
from textual.app import RenderResult

from app.ui.app import SluiceApp
from app.ui.screens.footer import WorkbenchFooter
from app.ui.screens.layout import expected_editor_size, expected_tree_size

SIZE = (120, 40)


def footer_key_names(screen: object) -> list[str]:
    """The keys the footer shows (`n`, `ctrl+j` …), in its order."""
    return [entry.key for entry in screen.query_one(WorkbenchFooter).entries]  # type: ignore[attr-defined]


async def settled_on_the_tree(pilot, app: SluiceApp) -> None:
    """Started: a request open and the focus on the tree (where it is at start-up), every message handled."""
    await wait_until(pilot, lambda: app.main_screen.current is not None and app.focused is app.main_screen.collection_tree)
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (160, 45), (100, 30), (80, 24)])
async def test_the_editor_knows_its_size_before_the_first_layout(collection: Path, size: tuple[int, int]) -> None:
    app = SluiceApp(collection)
    async with app.run_test(size=size) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        await pilot.pause()
        assert screen.editor.outer_size == expected_editor_size(screen.layout_settings, app.size)


async def test_the_footer_is_not_repainted_when_its_keys_stay_the_same(collection: Path, monkeypatch) -> None:
    repainted: list[object] = []
    refresh = WorkbenchFooter.refresh

    def counted(footer: WorkbenchFooter, *args: Any, **kwargs: Any) -> WorkbenchFooter:
        repainted.append(footer)
        return refresh(footer, *args, **kwargs)

    monkeypatch.setattr(WorkbenchFooter, "refresh", counted)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await settled_on_the_tree(pilot, app)
        keys = footer_key_names(screen)
        assert "n" in keys  # the tree's keys
        before = len(repainted)
        screen.refresh_bindings()
        await pilot.pause()
        assert len(repainted) == before
        screen.action_focus_url()  # other keys: repainted
        await wait_until(pilot, lambda: len(repainted) > before)
        assert "n" not in footer_key_names(screen)


async def test_the_footers_first_paint_shows_the_keys_of_the_focused_tree(collection: Path, monkeypatch) -> None:
    painted: list[list[str]] = []
    render = WorkbenchFooter.render

    def recorded(footer: WorkbenchFooter) -> RenderResult:
        painted.append([entry.key for entry in footer.entries])
        return render(footer)

    monkeypatch.setattr(WorkbenchFooter, "render", recorded)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await settled_on_the_tree(pilot, app)
        final = footer_key_names(screen)
        assert "n" in final  # the tree's keys: the focus was on the tree before the first paint
        assert painted[0] == final, "the first paint showed other keys: the footer changed once more"


async def test_the_main_screen_is_styled_as_it_mounts_not_again_when_shown(collection: Path, monkeypatch) -> None:
    restyled: list[object] = []
    update_styles = SluiceApp.update_styles

    def recorded(app: SluiceApp, node: object, animate: bool = True) -> None:
        restyled.append(node)
        update_styles(app, node, animate)  # type: ignore[arg-type]

    monkeypatch.setattr(SluiceApp, "update_styles", recorded)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await settled_on_the_tree(pilot, app)
        assert screen not in restyled, "each widget was styled as it mounted: a second pass over all of them"
        dark = screen.collection_tree.styles.background
        app.theme = "sluice-light"  # a theme chosen later restyles the screen all the same
        await wait_until(pilot, lambda: screen.collection_tree.styles.background != dark)


async def test_the_main_screens_first_paint_is_not_thrown_away(collection: Path, monkeypatch) -> None:
    from textual.app import App

    from app.ui.screens.main import MainScreen

    held: list[int] = []
    display = App._display

    def recorded(app: App[object], screen: object, renderable: object) -> None:
        if isinstance(screen, MainScreen) and renderable is not None:
            held.append(app._batch_count)
        display(app, screen, renderable)  # type: ignore[arg-type]

    monkeypatch.setattr(App, "_display", recorded)
    app = SluiceApp(collection)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main_screen.current is not None)
        await pilot.pause()
        # Pushed inside Textual's start-up batch, the screen's first paint was rendered and dropped, and the
        # next drew only what had changed since (part of the screen).
        assert held and held[0] == 0, "the first paint of the main screen came while the display was held"


@pytest.mark.parametrize("size", [(120, 40), (160, 45), (100, 30), (80, 24), (64, 20)])
async def test_the_trees_scroll_bars_are_in_the_first_layout(size: tuple[int, int], monkeypatch) -> None:
    from textual.screen import Screen

    from app.ui.resources import sample_collections_path
    from app.ui.screens.main import MainScreen

    # The bundled collection: long and wide enough for both scroll bars at most sizes.
    mount_once_the_collection_is_read(monkeypatch)
    bars_at_layout: list[tuple[bool, bool]] = []
    refresh_layout = Screen._refresh_layout

    def recorded(screen: Screen[object], *args: object, **kwargs: object) -> None:
        if isinstance(screen, MainScreen) and screen.is_mounted:  # the bars this layout arranges
            tree = screen.collection_tree
            bars_at_layout.append((tree.show_horizontal_scrollbar, tree.show_vertical_scrollbar))
        refresh_layout(screen, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", recorded)
    app = SluiceApp(sample_collections_path())
    async with app.run_test(size=size) as pilot:
        screen = app.main_screen
        await wait_until(pilot, lambda: screen.current is not None)
        await pilot.pause()
        tree = screen.collection_tree
        assert tree.outer_size == expected_tree_size(screen.layout_settings, app.size)
        final = (tree.show_horizontal_scrollbar, tree.show_vertical_scrollbar)
        assert bars_at_layout[0] == final, f"found after the first layout, the scroll bars cost a second one {bars_at_layout}"
